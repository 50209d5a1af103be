"""The academy's demo data, loaded by `seed_demo` (see core.demo): a cohort open for
applications (with its rubric, curriculum and one submitted application under review) and a
running cohort with sessions (one today), attendance, a facilitator, mentors with notes and
community action projects. Deterministic; skipped when the demo cohorts exist.

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


@demo.register(after=("accounts",), summary="{created} academy rows created")
def seed() -> int:
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
