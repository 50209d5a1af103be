"""The help desk's demo data, loaded by `seed_demo` (see core.demo): the demo admin in the
"Help desk" group (the reminders of unassigned requests go to its members once they have set up
their second factor), a lawyer of a legal partner (`jurista@cea.test`, password as the other
demo accounts) and a fundraising mentor,
requests in every state (through the real services: references, due days, history, emails),
and knowledge-base answers in the three languages. Skipped when requests exist."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_admin, demo_users
from accounts.models import User
from assistance.choices import Category, RequestStatus
from assistance.models import Expert, HelpRequest, MentoringSeries
from assistance.services import knowledge as knowledge_services
from assistance.services import mentoring as mentoring_services
from assistance.services import messages as message_services
from assistance.services import requests as services
from assistance.services.reminders import HELP_DESK_GROUP
from core import demo
from organizations.demo import demo_organizations, demo_owners

EXPERTS = [
    # email, full name, language, categories, partner (index among the demo CSOs)
    ("jurista@cea.test", "Besa Morina (juriste)", "sq", [Category.LEGAL, Category.REGISTRATION], 1),
    (
        "mentor@cea.test",
        "Nikola Stanković",
        "sr-latn",
        [Category.FUNDRAISING, Category.FINANCE, Category.COMMUNICATIONS],
        2,
    ),
]

KNOWLEDGE = [
    (
        Category.REGISTRATION,
        "Si ta regjistrojmë ndryshimin e statutit të organizatës?",
        "Kako da registrujemo izmenu statuta organizacije?",
        "How do we register a change of our organisation's statute?",
        "Kuvendi miraton ndryshimin me vendim; brenda 30 ditëve dorëzoni vendimin dhe statutin e ri në Departamentin për Regjistrimin dhe Ndërlidhjen me OJQ-të.",
        "Skupština usvaja izmenu odlukom; u roku od 30 dana predajte odluku i novi statut Odeljenju za registraciju i vezu sa NVO.",
        "The assembly adopts the change by a decision; within 30 days file the decision and the new statute with the NGO Registration and Liaison Department.",
    ),
    (
        Category.LEGAL,
        "A mund të paguajmë vullnetarët për shpenzimet e udhëtimit?",
        "Da li možemo da nadoknadimo putne troškove volonterima?",
        "May we reimburse volunteers' travel costs?",
        "Po: rimbursimi i shpenzimeve reale me dëshmi nuk është pagë. Mbani faturat dhe një vendim të brendshëm për rimbursimet.",
        "Da: nadoknada stvarnih troškova uz dokaze nije plata. Čuvajte račune i internu odluku o nadoknadama.",
        "Yes: reimbursing actual costs against receipts is not a wage. Keep the receipts and an internal decision on reimbursements.",
    ),
    (
        Category.FUNDRAISING,
        "Si të fillojmë një fushatë për dhurime nga diaspora?",
        "Kako da započnemo kampanju donacija iz dijaspore?",
        "How do we start a giving campaign with the diaspora?",
        "Zgjidhni një projekt konkret me një shumë të qartë, tregoni rezultatin dhe raportoni publikisht çdo dhurim; verë dhe festat janë kohët më të mira.",
        "Izaberite konkretan projekat sa jasnim iznosom, pokažite rezultat i javno izveštavajte o svakoj donaciji; leto i praznici su najbolje vreme.",
        "Pick one concrete project with a clear amount, show the result and report every gift publicly; summer and the holidays are the best times.",
    ),
]


def _expert_user(email, name, language) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "preferred_language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@demo.register(after=("organizations", "giving"), summary="{created} help-desk rows created")
def seed() -> int:
    group, _ = Group.objects.get_or_create(name=HELP_DESK_GROUP)  # kept if a flush removed it
    demo_admin().groups.add(group)
    created = 0 if HelpRequest.objects.exists() else _seed_requests()
    if not MentoringSeries.objects.exists():
        created += _seed_mentoring()
    return created


def _seed_mentoring() -> int:
    """A fundraising mentoring series of the first demo CSO with the mentor: two sessions
    held and logged, one missed, two planned (one of them tomorrow, for the reminder)."""
    mentor = Expert.objects.filter(user__email="mentor@cea.test").select_related("user").first()
    organizations = [o for o in demo_organizations() if o.kind == "cso"] or demo_organizations()
    if mentor is None or not organizations:
        return 0
    today = timezone.localdate()
    series = mentoring_services.series_create(
        actor=demo_admin(),
        mentor=mentor,
        organization=organizations[0],
        topic="Plani vjetor i mbledhjes së fondeve",
        goal="Një plan me tre burime të ardhurash dhe një fushatë me diasporën para verës.",
        started_on=today - timedelta(days=60),
    )
    plan = [
        (-55, "Analiza e burimeve aktuale", "Lista e donatorëve dhe e të ardhurave të tri viteve."),
        (-30, "Fushata me diasporën", "Mesazhi, kanalet dhe kalendari i fushatës."),
        (-5, "Raporti publik për donatorët", "Një faqe me rezultatet e vitit."),
        (1, "Takimi me bizneset lokale", "Lista e 10 bizneseve dhe propozimi."),
        (21, "Rishikimi i planit", "Çfarë funksionoi dhe çfarë ndryshojmë."),
    ]
    sessions = [
        mentoring_services.session_plan(
            actor=mentor.user, series=series, planned_on=today + timedelta(days=d), topic=t, goals=g
        )
        for d, t, g in plan
    ]
    mentoring_services.session_log(
        actor=mentor.user,
        session=sessions[0],
        held_on=today - timedelta(days=55),
        notes="Tre burimet kryesore janë grantet, anëtarësia dhe dhurimet e vogla.",
        next_steps="Përgatitni listën e kontakteve në diasporë.",
    )
    mentoring_services.session_log(
        actor=mentor.user,
        session=sessions[1],
        held_on=today - timedelta(days=28),
        notes="Fushata fillon në korrik; mesazhi: shkolla e muzikës për fëmijët.",
        next_steps="Regjistroni çdo dhurim në regjistrin e dhurimeve.",
    )
    return 1 + len(sessions)


def _seed_requests() -> int:
    admin = demo_admin()
    organizations = [o for o in demo_organizations() if o.kind == "cso"] or demo_organizations()
    owners = demo_owners(organizations)
    created = 0
    experts = []
    for email, name, language, categories, partner in EXPERTS:
        expert, made = Expert.objects.get_or_create(
            user=_expert_user(email, name, language),
            defaults={
                "organization": organizations[partner % len(organizations)],
                "categories": list(categories),
                "languages": ["sq", "sr-latn", "en"],
            },
        )
        experts.append(expert)
        created += made
    lawyer, mentor = experts
    org = organizations[0]
    requester = owners[org.pk]
    individual = demo_users().get("blerim@cea.test") or requester

    def ask(title, description, category=Category.LEGAL, urgency="normal", organization=org, who=requester):
        return services.request_submit(
            actor=who,
            organization=organization if who == requester else None,
            category=category,
            title=title,
            description=description,
            urgency=urgency,
            language=who.preferred_language,
        )

    # New (one of them overdue), assigned, in progress, answered, closed, declined.
    ask(
        "Kontrata me komunën për shërbime sociale",
        "Komuna na ofron një kontratë; a mund ta nënshkruajmë si OJQ?",
    )
    late = ask(
        "Tatimi në donacionet nga kompanitë",
        "A duhet të paguajmë tatim për një donacion prej 5.000 €?",
        urgency="urgent",
    )
    HelpRequest.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - timedelta(days=10), due_on=timezone.localdate() - timedelta(days=3)
    )
    request = ask(
        "Plani i mbledhjes së fondeve",
        "Na duhet një plan për vitin e ardhshëm.",
        category=Category.FUNDRAISING,
    )
    services.request_assign(actor=admin, request=request, expert=mentor)
    request = ask("Statuti dhe anëtarësia", "Si pranohen anëtarët e rinj sipas ligjit?")
    request = services.request_assign(actor=admin, request=request, expert=lawyer)
    services.request_start(actor=lawyer.user, request=request)
    message_services.message_post(
        actor=lawyer.user, request=request, body="Ju lutem dërgoni statutin aktual."
    )
    message_services.message_post(
        actor=requester, request=request, body="E dërguam me postë elektronike, faleminderit."
    )
    request = ask(
        "Ankesa për vendimin e komunës", "Komuna refuzoi kërkesën tonë pa arsyetim.", who=individual
    )
    request = services.request_assign(actor=admin, request=request, expert=lawyer)
    services.request_answer(
        actor=lawyer.user,
        request=request,
        answer="Keni 15 ditë për ankesë te kryetari; kërkoni arsyetimin me shkrim.",
    )
    for category, q_sq, q_sr, q_en, a_sq, a_sr, a_en in KNOWLEDGE:
        expert = mentor if category == Category.FUNDRAISING else lawyer
        request = ask(q_sq[:200], q_sq, category=category)
        request = services.request_assign(actor=admin, request=request, expert=expert)
        request = services.request_answer(actor=expert.user, request=request, answer=a_sq)
        request = services.request_close(actor=requester, request=request, score=5, solved=True)
        services.consent_set(actor=requester, request=request, consent=True)
        knowledge_services.knowledge_publish(
            actor=admin,
            request=request,
            category=category,
            question_sq=q_sq,
            question_sr=q_sr,
            question_en=q_en,
            answer_sq=a_sq,
            answer_sr=a_sr,
            answer_en=a_en,
        )
        created += 1
    request = ask(
        "Ndihmë për faqen e internetit",
        "Na duhet dikush që të na ndërtojë faqen.",
        category=Category.TECHNICAL,
    )
    services.request_decline(
        actor=admin,
        request=request,
        reason="Nuk ofrojmë zhvillim të faqeve; shikoni thirrjet për grante teknike.",
    )
    created += HelpRequest.objects.exclude(status=RequestStatus.CLOSED).count()
    return created
