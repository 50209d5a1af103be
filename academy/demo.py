"""The academy's demo data, loaded by `seed_demo` (see core.demo): a cohort open for
applications (with its rubric, curriculum and one submitted application under review) and a
running cohort with sessions (one today), attendance, a facilitator, mentors with notes and
community action projects. Deterministic; skipped when the demo cohorts exist.

Also the CSO capacity trainings: a questionnaire of the self-assessment, a training held
(with attendance and feedback) and one open for registration, baselines and follow-ups of six
demo organisations (enough for the public aggregate), and the shared community map of the
first one (Qendra për Zhvillimin e Komunitetit Pejë, owner drita@cea.test).

Sign in as facilitator@cea.test, mentor@cea.test or youth1@cea.test with the demo password."""

from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone

from academy.choices import ApplicationStatus, CohortStatus, NoteKind
from academy.models import (
    ApplicationReview,
    Attendance,
    Cohort,
    CohortApplication,
    CohortCriterion,
    CommunityProject,
    MentorNote,
    Module,
    ProjectComment,
    Session,
)
from accounts.demo import DEMO_PASSWORD, demo_admin, demo_users
from accounts.models import User
from core import demo
from core.demo import demo_municipalities

S = ApplicationStatus
OPEN_TITLE = "Akademia e Liderëve të Komunitetit 2026/27"
RUNNING_TITLE = "Akademia e Liderëve të Komunitetit 2025/26"
FINISHED_TITLE = "Akademia e Liderëve të Komunitetit 2024/25"

PEOPLE = [
    # email, name, language, municipality
    ("facilitator@cea.test", "Besa Morina", "sq", "prishtine"),
    ("mentor@cea.test", "Nikola Jovanović", "sr-latn", "gracanice"),
    ("mentor2@cea.test", "Liridona Hoti", "sq", "prizren"),
    ("youth1@cea.test", "Ardit Shala", "sq", "prishtine"),
    ("youth2@cea.test", "Jelena Stojanović", "sr-latn", "gracanice"),
    ("youth3@cea.test", "Elira Bytyqi", "sq", "prizren"),
    ("youth4@cea.test", "Dren Kelmendi", "sq", "peje"),
    ("youth5@cea.test", "Albina Rama", "sq", "gjilan"),
    ("youth6@cea.test", "Marko Ilić", "sr-latn", "gracanice"),
    # Alumni of the finished cohort
    ("alumna1@cea.test", "Vesa Gashi", "sq", "prishtine"),
    ("alumna2@cea.test", "Milica Petrović", "sr-latn", "gracanice"),
    ("alumnus3@cea.test", "Leutrim Berisha", "sq", "prizren"),
    ("alumna4@cea.test", "Fjolla Krasniqi", "sq", "peje"),
    ("alumnus5@cea.test", "Arber Hasani", "sq", "gjilan"),
]
# The finished cohort's alumni: gender as they stated it, whether they joined the directory.
ALUMNI = [
    ("alumna1@cea.test", "woman", True),
    ("alumna2@cea.test", "woman", True),
    ("alumnus3@cea.test", "man", True),
    ("alumna4@cea.test", "woman", False),
    ("alumnus5@cea.test", "", False),
]
CRITERIA = [
    ("Motivimi", "Motivacija", "Motivation", Decimal("2")),
    ("Çështja e komunitetit", "Pitanje zajednice", "Community issue", Decimal("2")),
    (
        "Potenciali për të mobilizuar të rinjtë",
        "Potencijal za mobilizaciju mladih",
        "Potential to mobilise peers",
        Decimal("1"),
    ),
]
MODULES = [
    ("Lidershipi në komunitet", "Liderstvo u zajednici", "Community leadership"),
    ("Harta e komunitetit", "Mapiranje zajednice", "Community mapping"),
    ("Projekti i veprimit", "Projekat akcije", "Action project"),
]


def _people() -> dict[str, User]:
    municipalities = demo_municipalities()
    people = {}
    for email, name, lang, muni in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "preferred_language": lang, "municipality": municipalities[muni]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        people[email] = user
    return people


def _cohort(*, title, status, open_at, close_at, starts_on, places, municipalities) -> Cohort:
    cohort = Cohort.objects.create(
        year=starts_on.year,
        title_sq=title,
        title_sr=title.replace("Akademia e Liderëve të Komunitetit", "Akademija lidera zajednice"),
        title_en=title.replace("Akademia e Liderëve të Komunitetit", "Community Leadership Academy"),
        description_sq="Një vit trajnimi, mentorimi dhe një projekt veprimi në komunitet për të rinjtë.",
        description_sr="Godina obuke, mentorstva i projekat akcije u zajednici za mlade.",
        description_en="A year of training, mentoring and a community action project for young people.",
        places=places,
        min_age=16,
        max_age=29,
        applications_open_at=open_at,
        applications_close_at=close_at,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=240),
        status=status,
    )
    cohort.municipalities.set(municipalities)
    for order, (sq, sr, en, weight) in enumerate(CRITERIA, start=1):
        CohortCriterion.objects.create(
            cohort=cohort, order=order, title_sq=sq, title_sr=sr, title_en=en, weight=weight, max_score=5
        )
    for order, (sq, sr, en) in enumerate(MODULES, start=1):
        Module.objects.create(cohort=cohort, order=order, title_sq=sq, title_sr=sr, title_en=en)
    return cohort


def _reference(cohort) -> str:
    cohort.last_reference += 1
    cohort.save(update_fields=["last_reference"])
    return f"ACA-{cohort.year}-{cohort.pk:02d}-{cohort.last_reference:04d}"


@demo.register(after=("accounts", "organizations"), summary="{created} academy rows created")
def seed() -> int:
    return _seed_cohorts() + _seed_capacity()


def _seed_cohorts() -> int:
    created = 0
    if not Cohort.objects.filter(title_sq__in=[OPEN_TITLE, RUNNING_TITLE]).exists():
        created += _seed_open_and_running()
    if not Cohort.objects.filter(title_sq=FINISHED_TITLE).exists():
        created += _seed_finished()
    return created


def _seed_finished() -> int:
    """A cohort of last year, finished: every session held and attended by most, two finished
    projects, certificates issued (core.certificates, as the participant's download does) and
    three alumni in the public directory."""
    from academy.services.completion import certificate_issue

    admin, people = demo_admin(), _people()
    municipalities = demo_municipalities()
    here = [municipalities[s] for s in ("prishtine", "prizren", "peje", "gjilan", "gracanice")]
    now = timezone.now()
    today = timezone.localdate()
    starts_on = today - timedelta(days=420)
    cohort = _cohort(
        title=FINISHED_TITLE,
        status=CohortStatus.FINISHED,
        open_at=now - timedelta(days=520),
        close_at=now - timedelta(days=480),
        starts_on=starts_on,
        places=5,
        municipalities=here,
    )
    facilitator, mentor = people["facilitator@cea.test"], people["mentor2@cea.test"]
    cohort.facilitators.add(facilitator)
    cohort.mentors.add(mentor)
    created = 1
    alumni = []
    for n, (email, gender, _listed) in enumerate(ALUMNI, start=1):
        person = people[email]
        alumni.append(
            CohortApplication.objects.create(
                cohort=cohort,
                applicant=person,
                reference=_reference(cohort),
                status=S.CONFIRMED,
                date_of_birth=date(starts_on.year - 17 - 2 * n, n, 5 + n),
                municipality=person.municipality,
                gender=gender,
                motivation="Dua të bëj ndryshim në komunitetin tim.",
                community_issue="Ambienti dhe hapësirat publike.",
                availability="Fundjavat",
                reference_name="Mësuesi kujdestar",
                reference_contact=f"+383 49 000 10{n}",
                submitted_at=now - timedelta(days=490),
                average_score=Decimal(88 - n * 2),
                decided_at=now - timedelta(days=470),
                decided_by=admin,
                responded_at=now - timedelta(days=468),
                mentor=mentor,
            )
        )
    created += len(alumni)
    modules = list(cohort.modules.all())
    for index in range(6):
        starts = timezone.localtime(now - timedelta(days=400 - index * 30)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        session = Session.objects.create(
            module=modules[min(index // 2, len(modules) - 1)],
            title=f"Takimi {index + 1}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Prishtinë, Qendra Rinore",
            facilitator=facilitator,
        )
        created += 1
        for k, participant in enumerate(alumni):
            if k == len(alumni) - 1 and index % 2 == 0:  # the last one missed half: did not complete
                continue
            Attendance.objects.create(
                session=session,
                participant=participant,
                present=True,
                marked_by=facilitator,
                marked_at=starts + timedelta(hours=2),
            )
            created += 1
    finished_at = now - timedelta(days=200)
    for title, peers, team in (
        ("Pastrimi i lumit Prishtevka", 60, alumni[:2]),
        ("Kinemaja verore në lagje", 45, alumni[2:4]),
    ):
        project = CommunityProject.objects.create(
            cohort=cohort,
            title=title,
            issue="Të rinjtë nuk kishin ku të takoheshin dhe lagjja ishte e ndotur.",
            plan="Aksione vullnetare me shkollat dhe komunën.",
            peers_mobilised=peers,
            result="U realizua me sukses, me mbështetjen e komunës.",
            finished_at=finished_at,
            created_by=team[0].applicant,
        )
        project.members.set(team)
        created += 1
    for participant, (_email, _gender, listed) in zip(alumni, ALUMNI, strict=True):
        if participant is alumni[-1]:
            continue  # did not complete: no certificate
        certificate_issue(actor=participant.applicant, participant=participant)
        created += 1
        if listed:
            CohortApplication.objects.filter(pk=participant.pk).update(
                alumni_listed=True, alumni_listed_at=finished_at
            )
    return created


def _seed_open_and_running() -> int:
    created = 0
    admin, people = demo_admin(), _people()
    municipalities = demo_municipalities()
    here = [
        municipalities[s] for s in ("prishtine", "prizren", "peje", "gjilan", "gracanice", "mitrovice-jugut")
    ]
    now = timezone.now()
    today = timezone.localdate()

    # A cohort open for applications, with one application under review by the admin.
    open_cohort = _cohort(
        title=OPEN_TITLE,
        status=CohortStatus.OPEN,
        open_at=now - timedelta(days=5),
        close_at=now + timedelta(days=25),
        starts_on=today + timedelta(days=45),
        places=20,
        municipalities=here,
    )
    blerim = demo_users().get("blerim@cea.test")
    if blerim is not None:
        application = CohortApplication.objects.create(
            cohort=open_cohort,
            applicant=blerim,
            reference=_reference(open_cohort),
            status=S.UNDER_REVIEW,
            date_of_birth=date(today.year - 22, 3, 14),
            municipality=municipalities["gjilan"],
            motivation="Dua të mësoj si të mobilizoj të rinjtë e lagjes sime.",
            community_issue="Në Gjilan mungojnë hapësirat e sigurta për të rinjtë pas shkollës.",
            availability="Fundjavat dhe mbrëmjet",
            reference_name="Mësuesja Vjosa Ademi",
            reference_contact="+383 44 555 123",
            submitted_at=now - timedelta(days=2),
        )
        ApplicationReview.objects.create(application=application, reviewer=admin, assigned_by=admin)
        created += 2

    # A running cohort: six participants, a facilitator, two mentors, sessions (one today).
    running = _cohort(
        title=RUNNING_TITLE,
        status=CohortStatus.RUNNING,
        open_at=now - timedelta(days=120),
        close_at=now - timedelta(days=80),
        starts_on=today - timedelta(days=40),
        places=6,
        municipalities=here,
    )
    facilitator, mentor, mentor2 = (
        people["facilitator@cea.test"],
        people["mentor@cea.test"],
        people["mentor2@cea.test"],
    )
    running.facilitators.add(facilitator)
    running.mentors.add(mentor, mentor2)
    participants = []
    for n in range(1, 7):
        youth = people[f"youth{n}@cea.test"]
        participants.append(
            CohortApplication.objects.create(
                cohort=running,
                applicant=youth,
                reference=_reference(running),
                status=S.CONFIRMED,
                date_of_birth=date(today.year - 17 - n, n, 10 + n),
                municipality=youth.municipality,
                motivation="Dua të bëj ndryshim në komunitetin tim.",
                community_issue="Mungesa e hapësirave rinore.",
                availability="Fundjavat",
                reference_name="Udhëheqësi i klubit rinor",
                reference_contact=f"+383 45 000 00{n}",
                submitted_at=now - timedelta(days=100),
                average_score=Decimal(90 - n * 3),
                decided_at=now - timedelta(days=70),
                decided_by=admin,
                responded_at=now - timedelta(days=68),
                mentor=mentor if n <= 3 else mentor2,
            )
        )
    created += 6
    modules = list(running.modules.all())
    local = timezone.localtime(now)
    slots = [-28, -21, -14, -7, 0, 7, 14]
    for index, days in enumerate(slots):
        day = local + timedelta(days=days)
        starts = day.replace(
            hour=0 if days == 0 else 17, minute=5 if days == 0 else 0, second=0, microsecond=0
        )
        ends = (
            day.replace(hour=23, minute=55, second=0, microsecond=0)
            if days == 0
            else starts + timedelta(hours=2)
        )
        session = Session.objects.create(
            module=modules[min(index // 3, len(modules) - 1)],
            title=f"Takimi {index + 1}",
            starts_at=starts,
            ends_at=ends,
            place="Prishtinë, Qendra Rinore" if index % 2 == 0 else "",
            online_link="" if index % 2 == 0 else "https://meet.example.org/akademia",
            facilitator=facilitator,
        )
        created += 1
        if days < 0:
            for k, participant in enumerate(participants):
                if (k + index) % 5 != 0:  # most come, some miss one
                    Attendance.objects.create(
                        session=session,
                        participant=participant,
                        present=True,
                        marked_by=facilitator,
                        marked_at=ends,
                    )
                    created += 1
    for participant in participants[:4]:
        MentorNote.objects.create(
            participant=participant,
            author=participant.mentor,
            kind=NoteKind.MEETING,
            met_on=today - timedelta(days=10),
            body="Diskutuam planin e projektit dhe hapat e ardhshëm.",
        )
        created += 1
    project = CommunityProject.objects.create(
        cohort=running,
        title="Një park për lagjen",
        issue="Fëmijët dhe të rinjtë e lagjes nuk kanë ku të luajnë.",
        plan="Peticion në komunë, aksion pastrimi dhe takim me kryetarin.",
        peers_mobilised=35,
        created_by=participants[0].applicant,
    )
    project.members.set(participants[:3])
    ProjectComment.objects.create(project=project, author=mentor, body="Plan i mirë! Shtoni një afat kohor.")
    second = CommunityProject.objects.create(
        cohort=running,
        title="Biblioteka e lëvizshme",
        issue="Nuk ka bibliotekë në fshat.",
        plan="Mbledhja e librave dhe një raft në shkollë.",
        peers_mobilised=12,
        result="Një raft me 300 libra në shkollën e fshatit, i hapur çdo të shtunë.",
        finished_at=now,  # finished: its team can turn it into a grant or volunteering draft
        created_by=participants[3].applicant,
    )
    second.members.set(participants[3:5])
    created += 3
    return created


# --- CSO capacity trainings, self-assessment, community mapping --------------------------------

HELD_TITLE = "Harta e komunitetit për OShC"
OPEN_TRAINING_TITLE = "Mbledhja e fondeve nga komuniteti"
AREAS = [
    (
        ("Qeverisja", "Upravljanje", "Governance"),
        [
            (
                "Bordi ynë takohet rregullisht dhe merr vendime të dokumentuara.",
                "Naš odbor se redovno sastaje i donosi dokumentovane odluke.",
                "Our board meets regularly and takes documented decisions.",
            ),
            (
                "Kemi një plan strategjik që e ndjekim.",
                "Imamo strateški plan koji sledimo.",
                "We have a strategic plan that we follow.",
            ),
        ],
    ),
    (
        ("Lidhja me komunitetin", "Veza sa zajednicom", "Constituency engagement"),
        [
            (
                "I pyesim rregullisht njerëzit që i shërbejmë se çfarë u nevojitet.",
                "Redovno pitamo ljude kojima služimo šta im je potrebno.",
                "We regularly ask the people we serve what they need.",
            ),
            (
                "Njerëzit e komunitetit marrin pjesë në aktivitetet tona.",
                "Ljudi iz zajednice učestvuju u našim aktivnostima.",
                "People of the community take part in our activities.",
            ),
        ],
    ),
    (
        ("Mbledhja e fondeve", "Prikupljanje sredstava", "Fundraising"),
        [
            (
                "Kemi më shumë se një burim financimi.",
                "Imamo više od jednog izvora finansiranja.",
                "We have more than one source of funding.",
            ),
            (
                "Mbledhim donacione nga qytetarët dhe bizneset vendore.",
                "Prikupljamo donacije od građana i lokalnih firmi.",
                "We raise donations from citizens and local businesses.",
            ),
        ],
    ),
]
STAKEHOLDERS = [
    # kind, name (blank: the registry organisation), interest, influence, relation, note
    (
        "institution",
        "Komuna e Pejës — Drejtoria për Kulturë, Rini dhe Sport",
        4,
        5,
        "ally",
        "Financon klubet rinore.",
    ),
    ("business", "Furra “Dukagjini”", 2, 2, "neutral", ""),
    ("media", "Radio Dukagjini", 3, 4, "unknown", "Mund të na ftojë në emision."),
    ("group", "Këshilli i lagjes Kapešnica", 5, 2, "ally", "Takime çdo muaj."),
    ("cso", "", 4, 3, "ally", "Partner në aksionet e pastrimit."),
]


def _questionnaire() -> list:
    from academy.models import AssessmentArea, AssessmentQuestion

    questions = []
    for order, (names, texts) in enumerate(AREAS):
        area = AssessmentArea.objects.create(
            order=order, name_sq=names[0], name_sr=names[1], name_en=names[2]
        )
        for q_order, (sq, sr, en) in enumerate(texts):
            questions.append(
                AssessmentQuestion.objects.create(
                    area=area, order=q_order, text_sq=sq, text_sr=sr, text_en=en
                )
            )
    return questions


def _seed_capacity() -> int:
    from academy.choices import AssessmentKind, TrainingTopic
    from academy.models import (
        AssessmentAnswer,
        CommunityMap,
        SelfAssessment,
        Stakeholder,
        Training,
        TrainingAttendee,
        TrainingFeedback,
        TrainingRegistration,
    )
    from organizations.selectors import public_organizations

    if Training.objects.filter(title_sq__in=[HELD_TITLE, OPEN_TRAINING_TITLE]).exists():
        return 0
    organizations = list(public_organizations().filter(kind="cso").order_by("pk")[:6])
    if not organizations:
        return 0
    created = 0
    admin = demo_admin()
    now = timezone.now()
    local = timezone.localtime(now)
    questions = [] if SelfAssessment.objects.exists() else _questionnaire()
    created += len(questions)

    held_start = (local - timedelta(days=190)).replace(hour=9, minute=0, second=0, microsecond=0)
    held = Training.objects.create(
        topic=TrainingTopic.MAPPING,
        title_sq=HELD_TITLE,
        title_sr="Mapiranje zajednice za OCD",
        title_en="Community mapping for CSOs",
        description_sq="Si t'i njohim aktorët e lokalitetit tonë: interesi, ndikimi dhe marrëdhënia.",
        description_sr="Kako da upoznamo aktere našeg mesta: interes, uticaj i odnos.",
        description_en="Knowing the stakeholders of our locality: interest, influence and relation.",
        starts_at=held_start,
        ends_at=held_start + timedelta(hours=7),
        place="Prishtinë, Salla e KCSF",
        places=20,
        registration_opens_at=held_start - timedelta(days=30),
        registration_closes_at=held_start - timedelta(days=3),
        created_by=admin,
    )
    open_start = (local + timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)
    open_training = Training.objects.create(
        topic=TrainingTopic.FUNDRAISING,
        title_sq=OPEN_TRAINING_TITLE,
        title_sr="Prikupljanje sredstava iz zajednice",
        title_en="Raising funds from the community",
        description_sq="Fushata, donatorë vendorë dhe raportimi te dhuruesit.",
        description_sr="Kampanje, lokalni donatori i izveštavanje donatora.",
        description_en="Campaigns, local donors and reporting back to donors.",
        starts_at=open_start,
        ends_at=open_start + timedelta(hours=6),
        online_link="https://meet.example.org/trajnimi-fondet",
        places=16,
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=open_start - timedelta(days=2),
        created_by=admin,
    )
    created += 2
    names = [("Arta", "Krasniqi"), ("Blerim", "Gashi"), ("Jelena", "Petrović"), ("Driton", "Hoxha")]
    for index, organization in enumerate(organizations[:3]):
        owner = organization.memberships.order_by("pk").first()
        registration = TrainingRegistration.objects.create(
            training=held, organization=organization, registered_by=owner.user if owner else admin
        )
        for k in range(2):
            first, last = names[(index + k) % len(names)]
            TrainingAttendee.objects.create(
                registration=registration,
                training=held,
                name=f"{first} {last}",
                present=(index + k) % 3 != 2,
                marked_by=admin,
                marked_at=held.starts_at + timedelta(minutes=20),
            )
        created += 3
        if (
            owner is not None
            and not TrainingFeedback.objects.filter(training=held, author=owner.user).exists()
        ):
            TrainingFeedback.objects.create(
                training=held,
                registration=registration,
                author=owner.user,
                content=5 - index % 2,
                facilitation=4,
                apply=5 - index,
                comment=[
                    "Shumë praktike, na ndihmoi të shohim kë kemi harruar.",
                    "",
                    "Më shumë kohë për ushtrime.",
                ][index],
            )
            created += 1
    first = organizations[0]
    first_owner = first.memberships.order_by("pk").first()
    registration = TrainingRegistration.objects.create(
        training=open_training, organization=first, registered_by=first_owner.user if first_owner else admin
    )
    TrainingAttendee.objects.create(registration=registration, training=open_training, name="Arta Krasniqi")
    created += 2

    if questions:
        for index, organization in enumerate(organizations):
            before = SelfAssessment.objects.create(
                organization=organization,
                kind=AssessmentKind.BASELINE,
                submitted_at=now - timedelta(days=200),
            )
            after = SelfAssessment.objects.create(
                organization=organization,
                kind=AssessmentKind.FOLLOW_UP,
                submitted_at=now - timedelta(days=10),
            )
            rows = []
            for k, question in enumerate(questions):
                base = 1 + (index + k) % 3
                rows.append(AssessmentAnswer(assessment=before, question=question, score=base))
                rows.append(
                    AssessmentAnswer(assessment=after, question=question, score=min(5, base + 1 + k % 2))
                )
            AssessmentAnswer.objects.bulk_create(rows)
            created += 2 + len(rows)

    community_map, _new = CommunityMap.objects.get_or_create(
        organization=first, defaults={"locality": "Pejë", "shared": True}
    )
    partner = organizations[1] if len(organizations) > 1 else None
    for kind, name, interest, influence, relation, note in STAKEHOLDERS:
        if not name and partner is None:
            continue
        Stakeholder.objects.create(
            community_map=community_map,
            kind=kind,
            organization=None if name else partner,
            name=name,
            interest=interest,
            influence=influence,
            relation=relation,
            note=note,
        )
        created += 1
    return created
