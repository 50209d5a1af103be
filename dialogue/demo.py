"""Dialogue's demo data, loaded by `seed_demo` (core.demo): a past and two upcoming events
with invited sectors and an agenda, registrations across sectors (one sector full, with a
waiting list; attendance at the past event) and commitments in every status, one linked to
a Strategy measure; a cross-sector partnership and trust survey answers (above the privacy
threshold) at the past event, its published minutes and a person following it with a weekly
digest; an open public consultation (sections, comments, supports, some answers) and a closed
one with every comment answered. Deterministic; skipped when present."""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.utils import timezone

from accounts.demo import demo_admin, demo_users
from core import demo
from core.models import Municipality, Sector, StatusChange
from dialogue.choices import Audience, CommitmentStatus, EventKind, EventStatus, RegistrationStatus
from dialogue.models import AgendaItem, Commitment, Event, EventSector, Registration
from organizations.demo import demo_organizations

DEMO_TITLE = "Tryezë: buxheti komunal dhe shoqëria civile"


def _at(days: int, hour: int):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _event(admin, organization, *, days, kind, titles, municipality, sectors, status=EventStatus.PUBLISHED):
    sq, sr, en = titles
    event = Event.objects.create(
        kind=kind,
        title_sq=sq,
        title_sr=sr,
        title_en=en,
        description_sq="Takim i hapur ku qytetarët, OShC-të, biznesi, institucionet dhe media bisedojnë bashkë.",
        description_sr="Otvoreni sastanak na kojem građani, OCD, privreda, institucije i mediji razgovaraju zajedno.",
        description_en="An open meeting where citizens, CSOs, business, institutions and media talk together.",
        topic=Sector.objects.order_by("ordering").first(),
        starts_at=_at(days, 10),
        ends_at=_at(days, 13),
        place="Salla e Kuvendit Komunal",
        municipality=Municipality.objects.filter(slug=municipality).first(),
        registration_opens_at=_at(min(days, 0) - 20, 9),
        registration_closes_at=_at(days, 9),
        organization=organization,
        created_by=admin,
        status=status,
    )
    for audience, places in sectors:
        EventSector.objects.create(event=event, audience=audience, places=places)
    for hour, title, speakers in [
        (10, "Hapja", "Arta Krasniqi (KCSF)"),
        (10, "Prezantimi i buxhetit", "Komuna"),
        (11, "Diskutim i hapur", ""),
        (12, "Zotimet dhe hapat e ardhshëm", ""),
    ]:
        AgendaItem.objects.create(
            event=event,
            starts_at=time(hour, 30 if "Prezantimi" in title else 0),
            title=title,
            speakers=speakers,
        )
    return event


def _register(event, audience, name, email, status, position=None, user=None, organization=None):
    return Registration.objects.create(
        event=event,
        sector=event.sectors.get(audience=audience),
        user=user,
        name=name,
        email=email,
        organization=organization,
        status=status,
        waiting_position=position,
        checked_in_at=event.starts_at if status == RegistrationStatus.ATTENDED else None,
    )


@demo.register(after=("organizations", "transparency"), summary="{created} dialogue rows created")
def seed() -> int:
    existing = Event.objects.filter(title_sq=DEMO_TITLE).first()
    if existing is not None:
        return (
            _seed_partnership_and_trust(existing)
            + _seed_consultations()
            + _seed_follow_up_and_follows(existing)
        )
    admin, users, organizations = demo_admin(), demo_users(), demo_organizations()
    by_kind = {}
    for org in organizations:
        by_kind.setdefault(org.kind, []).append(org)
    institution = (by_kind.get("public") or organizations)[0]
    cso = (by_kind.get("cso") or organizations)[0]
    created = 0

    past = _event(
        admin,
        None,
        days=-30,
        kind=EventKind.ROUNDTABLE,
        titles=(
            DEMO_TITLE,
            "Okrugli sto: opštinski budžet i civilno društvo",
            "Roundtable: the municipal budget and civil society",
        ),
        municipality="viti",
        sectors=[(Audience.CSO, 10), (Audience.CITIZENS, 15), (Audience.PUBLIC, 5), (Audience.MEDIA, 3)],
    )
    upcoming = _event(
        admin,
        cso,
        days=14,
        kind=EventKind.TOWN_HALL,
        titles=(
            "Takim publik: parqet e lagjeve",
            "Javni skup: parkovi u naseljima",
            "Town hall: neighbourhood parks",
        ),
        municipality="peje",
        sectors=[(Audience.CITIZENS, 2), (Audience.CSO, 10), (Audience.PRIVATE, 5)],
    )
    _event(
        admin,
        None,
        days=40,
        kind=EventKind.CONFERENCE,
        titles=(
            "Konferenca e dialogut ndërsektorial",
            "Konferencija međusektorskog dijaloga",
            "Cross-sector dialogue conference",
        ),
        municipality="prishtine",
        sectors=[(a, 30) for a in Audience.values],
    )
    created += 3

    people = [
        (Audience.CSO, "Drita Berisha", "drita@cea.test", users.get("drita@cea.test"), cso),
        (Audience.CITIZENS, "Milan Petrović", "milan@cea.test", users.get("milan@cea.test"), None),
        (Audience.PUBLIC, "Zyra komunale", "zyra@viti.test", None, institution),
        (Audience.MEDIA, "Radio Dukagjini", "lajme@radio.test", None, None),
        (Audience.CITIZENS, "Emma Hoxha", "emma@cea.test", users.get("emma@cea.test"), None),
    ]
    for n, (audience, name, email, user, org) in enumerate(people):
        status = RegistrationStatus.ATTENDED if n != 4 else RegistrationStatus.CANCELLED
        _register(past, audience, name, email, status, user=user, organization=org)
        created += 1
    # The upcoming town hall: the citizens' 2 places are taken, one person waits.
    _register(
        upcoming,
        Audience.CITIZENS,
        "Milan Petrović",
        "milan@cea.test",
        RegistrationStatus.REGISTERED,
        user=users.get("milan@cea.test"),
    )
    _register(
        upcoming,
        Audience.CITIZENS,
        "Emma Hoxha",
        "emma@cea.test",
        RegistrationStatus.REGISTERED,
        user=users.get("emma@cea.test"),
    )
    _register(
        upcoming,
        Audience.CITIZENS,
        "Blerim Gashi",
        "blerim@cea.test",
        RegistrationStatus.WAITING,
        1,
        user=users.get("blerim@cea.test"),
    )
    _register(
        upcoming,
        Audience.CSO,
        "Drita Berisha",
        "drita@cea.test",
        RegistrationStatus.REGISTERED,
        user=users.get("drita@cea.test"),
        organization=cso,
    )
    created += 4

    measure_id = None
    if apps.is_installed("transparency"):
        from transparency.selectors import strategy as strategy_selectors

        measure_id = (
            strategy_selectors.public_measures().order_by("code").values_list("pk", flat=True).first()
        )
    today = timezone.localdate()
    C = CommitmentStatus
    plan = [
        (
            "Publikimi i draftit të buxhetit për konsultim 15 ditë para miratimit",
            institution,
            today + timedelta(days=20),
            C.PLANNED,
            measure_id,
        ),
        (
            "Takime të rregullta tremujore me OShC-të",
            institution,
            today + timedelta(days=60),
            C.IN_PROGRESS,
            None,
        ),
        ("Raport publik për fondet e ndara për OShC", institution, today - timedelta(days=5), C.DONE, None),
        (
            "Linja e ndërmjetme për ankesat e qytetarëve",
            institution,
            today - timedelta(days=10),
            C.LATE,
            None,
        ),
        ("Fushatë mediale për buxhetin participativ", cso, today + timedelta(days=30), C.DROPPED, None),
    ]
    for what, org, due, status, measure in plan:
        commitment = Commitment.objects.create(
            event=past,
            organization=org,
            what=what,
            due_date=due,
            indicator="Publikuar në ueb-faqen e komunës",
            status=status,
            evidence_links=["https://kk.rks-gov.net/"] if status == C.DONE else [],
            strategy_measure_id=measure,
            created_by=admin,
        )
        if status != C.PLANNED:
            from django.contrib.contenttypes.models import ContentType

            StatusChange.objects.create(
                content_type=ContentType.objects.get_for_model(Commitment),
                object_id=commitment.pk,
                workflow="dialogue.commitment",
                from_status=C.PLANNED,
                to_status=status,
                actor=admin,
            )
        created += 1
    return (
        created
        + _seed_partnership_and_trust(past)
        + _seed_consultations()
        + _seed_follow_up_and_follows(past)
    )


def _seed_follow_up_and_follows(past) -> int:
    """The published minutes of the past roundtable (in the three languages; their emails are
    not sent: the demo marks them sent), and a demo person following it and its organiser with
    a weekly digest. Skipped when present."""
    from dialogue.models import DigestSubscription, EventFollowUp, Follow

    if EventFollowUp.objects.filter(event=past).exists():
        return 0
    now = timezone.now()
    EventFollowUp.objects.create(
        event=past,
        kind="minutes",
        body_sq="Komuna u zotua të publikojë draftin e buxhetit për konsultim publik brenda muajit.",
        body_sr="Opština se obavezala da u roku od mesec dana objavi nacrt budžeta za javne konsultacije.",
        body_en="The municipality committed to publish the budget draft for public consultation within a month.",
        published_at=now,
        published_by=demo_admin(),
        notified_at=now,
    )
    attendee = past.registrations.filter(status=RegistrationStatus.ATTENDED, user__isnull=False).first()
    if attendee is not None:
        Follow.objects.get_or_create(user=attendee.user, kind="event", object_id=past.pk)
        if past.organization_id:
            Follow.objects.get_or_create(
                user=attendee.user, kind="organization", object_id=past.organization_id
            )
        DigestSubscription.objects.get_or_create(user=attendee.user, defaults={"frequency": "weekly"})
    return 1


PARTNERSHIP_NAME = "Partneriteti për buxhet transparent në Viti"

# (cso, citizens, private, public, media) before and after, per attendee: trust rises a little.
TRUST_PLAN = [
    ((4, 3, 2, 2, 3), (4, 4, 3, 3, 3)),
    ((5, 3, 2, 1, 2), (5, 4, 2, 3, 3)),
    ((3, 4, 3, 2, 3), (4, 4, 3, 3, 4)),
    ((4, 2, 2, 2, 2), (4, 3, 3, 3, 3)),
    ((4, 4, 3, 3, 3), (5, 4, 3, 4, 3)),
    ((3, 3, 2, 2, 4), (4, 3, 3, 3, 4)),
]


def _seed_partnership_and_trust(past) -> int:
    """A partnership of a CSO and a public institution born at the past roundtable, and trust
    survey answers of its attendees above the privacy threshold. Skipped when present."""
    from django.contrib.contenttypes.models import ContentType

    from dialogue.choices import PartnershipStatus, SurveyMoment
    from dialogue.models import TRUST_FIELDS, Partnership, TrustAnswer

    if Partnership.objects.filter(name=PARTNERSHIP_NAME).exists():
        return 0
    admin, organizations = demo_admin(), demo_organizations()
    by_kind = {}
    for org in organizations:
        by_kind.setdefault(org.kind, []).append(org)
    members = [orgs[0] for kind, orgs in sorted(by_kind.items()) if kind in ("cso", "public", "media")]
    if len({m.kind for m in members}) < 2:
        return 0
    created = 0
    partnership = Partnership.objects.create(
        name=PARTNERSHIP_NAME,
        goal="Buxheti komunal i Vitisë publikohet për konsultim dhe shpjegohet për qytetarët çdo vit.",
        started_on=past.starts_at.date() + timedelta(days=7),
        status=PartnershipStatus.ACTIVE,
        outputs="Udhëzues qytetar për buxhetin; dy takime publike.",
        created_by=admin,
    )
    partnership.members.set(members)
    partnership.events.set([past])
    partnership.commitments.set(past.commitments.all()[:2])
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(Partnership),
        object_id=partnership.pk,
        workflow="dialogue.partnership",
        from_status=PartnershipStatus.FORMING,
        to_status=PartnershipStatus.ACTIVE,
        actor=admin,
    )
    created += 1
    # Enough attendees for the barometer (at least TRUST_MIN_ANSWERS answers each time).
    attended = list(past.registrations.filter(status=RegistrationStatus.ATTENDED).order_by("pk"))
    for n in range(len(attended), len(TRUST_PLAN)):
        attended.append(
            _register(
                past,
                Audience.CITIZENS,
                f"Pjesëmarrës {n + 1}",
                f"pjesemarres{n + 1}@cea.test",
                RegistrationStatus.ATTENDED,
            )
        )
        created += 1
    for registration, (before, after) in zip(attended, TRUST_PLAN, strict=False):
        for moment, scores in ((SurveyMoment.BEFORE, before), (SurveyMoment.AFTER, after)):
            TrustAnswer.objects.create(
                event=past,
                registration=registration,
                moment=moment,
                **dict(zip(TRUST_FIELDS.values(), scores, strict=True)),
            )
            created += 1
    return created


OPEN_CONSULTATION = "Projekt-plani komunal për hapësirat publike 2027–2030"
CLOSED_CONSULTATION = "Strategjia e rinisë së Prizrenit 2026–2029"

SECTIONS = [
    (
        ("Hyrje dhe qëllimi", "Uvod i cilj", "Introduction and aim"),
        (
            "Plani synon parqe, sheshe dhe fusha sporti të qasshme për të gjithë banorët.",
            "Plan ima za cilj parkove, trgove i sportske terene dostupne svim stanovnicima.",
            "The plan aims at parks, squares and sports grounds open to every resident.",
        ),
    ),
    (
        ("Parqet e lagjeve", "Parkovi u naseljima", "Neighbourhood parks"),
        (
            "Çdo lagje merr një park brenda 500 metrave nga banesat deri në vitin 2030.",
            "Svako naselje dobija park na 500 metara od stanova do 2030. godine.",
            "Every neighbourhood gets a park within 500 metres of homes by 2030.",
        ),
    ),
    (
        ("Financimi dhe mbikëqyrja", "Finansiranje i nadzor", "Funding and oversight"),
        (
            "Komuna ndan 2% të buxhetit kapital çdo vit; një këshill qytetar e mbikëqyr zbatimin.",
            "Opština izdvaja 2% kapitalnog budžeta godišnje; građanski savet nadzire sprovođenje.",
            "The municipality sets aside 2% of its capital budget each year; a citizens' council oversees it.",
        ),
    ),
]

COMMENTS = [
    (0, "drita@cea.test", "Shtoni ndriçim dhe ulëse për të moshuarit në çdo park."),
    (1, "milan@cea.test", "Molim da se u planu navedu i parkovi u selima, ne samo u gradu."),
    (1, "emma@cea.test", "Please publish the list of plots chosen for the parks before the works start."),
    (2, "blerim@cea.test", "Këshilli qytetar duhet të ketë edhe përfaqësues të rinjve."),
]


def _seed_consultations() -> int:
    """An open consultation with three sections, comments, supports and some answers, and a
    closed one with every comment answered. Through the services (history included); skipped
    when present."""
    from dialogue.choices import AnswerVerdict, ConsultationStatus
    from dialogue.models import Consultation, ConsultationComment
    from dialogue.services import consultations as services

    if Consultation.objects.filter(title_sq=OPEN_CONSULTATION).exists():
        return 0
    admin, users = demo_admin(), demo_users()
    organizations = demo_organizations()
    institution = next((o for o in organizations if o.kind == "public"), None)
    created = 0

    def consult(titles, opens, closes, organization):
        consultation = services.consultation_create(
            actor=admin,
            organization=organization,
            data={
                "title_sq": titles[0],
                "title_sr": titles[1],
                "title_en": titles[2],
                "introduction_sq": "Ju ftojmë të komentoni projekt-dokumentin pjesë për pjesë.",
                "introduction_sr": "Pozivamo vas da komentarišete nacrt dokumenta deo po deo.",
                "introduction_en": "You are invited to comment on the draft document, section by section.",
                "opens_at": opens,
                "closes_at": closes,
            },
        )
        sections = []
        for number, (headings, bodies) in enumerate(SECTIONS, 1):
            sections.append(
                services.section_create(
                    consultation=consultation,
                    actor=admin,
                    data={
                        "position": number,
                        "heading_sq": headings[0],
                        "heading_sr": headings[1],
                        "heading_en": headings[2],
                        "body_sq": bodies[0],
                        "body_sr": bodies[1],
                        "body_en": bodies[2],
                    },
                )
            )
        services.consultation_move(consultation=consultation, actor=admin, target=ConsultationStatus.OPEN)
        comments = []
        for index, email, body in COMMENTS:
            if email in users:
                comments.append(
                    services.comment_create(section=sections[index], actor=users[email], body=body)
                )
        return consultation, sections, comments

    _open_one, _sections, comments = consult(
        (
            OPEN_CONSULTATION,
            "Nacrt opštinskog plana javnih prostora 2027–2030",
            "Draft municipal plan for public spaces 2027–2030",
        ),
        _at(-5, 8),
        _at(25, 23),
        institution,
    )
    created += 1 + len(SECTIONS) + len(comments)
    for comment in comments:
        for email, user in users.items():
            if user.pk != comment.author_id and email in (
                "drita@cea.test",
                "milan@cea.test",
                "emma@cea.test",
            ):
                services.comment_support(comment=comment, actor=user)
                created += 1
    answers = [
        (AnswerVerdict.ACCEPTED, ""),
        (AnswerVerdict.PARTLY, "Fshatrat përfshihen në fazën e dytë, pas vitit 2028."),
    ]
    for comment, (verdict, reason) in zip(comments, answers, strict=False):
        services.comment_answer(comment=comment, actor=admin, verdict=verdict, reason=reason)

    closed, _sections, comments = consult(
        (CLOSED_CONSULTATION, "Strategija za mlade Prizrena 2026–2029", "Prizren youth strategy 2026–2029"),
        _at(-40, 8),
        _at(20, 23),
        institution,
    )
    created += 1 + len(SECTIONS) + len(comments)
    verdicts = [
        (AnswerVerdict.ACCEPTED, ""),
        (AnswerVerdict.REJECTED, "Kjo masë mbulohet nga strategjia e arsimit."),
        (AnswerVerdict.PARTLY, "Lista publikohet pas miratimit në Kuvend."),
        (AnswerVerdict.ACCEPTED, "Këshilli do të ketë dy anëtarë nga organizatat rinore."),
    ]
    for comment, (verdict, reason) in zip(comments, verdicts, strict=False):
        services.comment_answer(comment=comment, actor=admin, verdict=verdict, reason=reason)
    services.consultation_move(consultation=closed, actor=admin, target=ConsultationStatus.CLOSED)
    # It ran a month ago: its dates and its comments' dates are put back in that window.
    Consultation.objects.filter(pk=closed.pk).update(closes_at=_at(-10, 23))
    ConsultationComment.objects.filter(section__consultation=closed).update(created_at=_at(-30, 12))
    return created
