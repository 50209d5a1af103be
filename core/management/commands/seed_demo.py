"""Load realistic demo data. Idempotent: running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.management.commands._seed_components import seed_giving, seed_grants, seed_transparency
from core.models import Municipality, Sector
from organizations.models import Membership, Organization

DEMO_PASSWORD = "demo-pass-2026"

USERS = [
    # email, full name, staff, language, municipality, country
    ("admin@cea.test", "Arta Krasniqi (KCSF)", True, "sq", "prishtine", ""),
    ("drita@cea.test", "Drita Berisha", False, "sq", "peje", ""),
    ("milan@cea.test", "Milan Petrović", False, "sr-latn", "gracanice", ""),
    ("emma@cea.test", "Emma Hoxha", False, "en", "prizren", "DE"),
    ("blerim@cea.test", "Blerim Gashi", False, "sq", "gjilan", ""),
]

ORGANIZATIONS = [
    # name, kind, reg. no., municipality, sectors, verified, owner, description
    (
        "Qendra për Zhvillimin e Komunitetit Pejë",
        "cso",
        "5110001",
        "peje",
        ["community-development", "youth"],
        True,
        "drita@cea.test",
        "Community centre in Peja running youth clubs, neighbourhood clean-ups and a small "
        "grants scheme for local initiatives.",
    ),
    (
        "Iniciativa e të Rinjve për Mjedisin",
        "cso",
        "5110002",
        "prishtine",
        ["environment", "youth"],
        True,
        "blerim@cea.test",
        "Young people monitoring air quality in Prishtina and campaigning for green public spaces.",
    ),
    (
        "Udruženje Žena Gračanica",
        "cso",
        "5110003",
        "gracanice",
        ["gender-equality", "economic-development"],
        True,
        "milan@cea.test",
        "Women's association supporting small businesses and vocational training for women "
        "of all communities in Gračanica.",
    ),
    (
        "Shoqata e Personave me Aftësi të Kufizuara Prizren",
        "cso",
        "5110004",
        "prizren",
        ["disability", "social-services", "health"],
        True,
        "emma@cea.test",
        "Advocacy and daily services for people with disabilities and their families.",
    ),
    (
        "Klubi i Leximit Gjilan",
        "informal",
        "",
        "gjilan",
        ["education", "culture"],
        False,
        "blerim@cea.test",
        "An informal reading club that runs a free book exchange and homework help for children.",
    ),
    (
        "Forumi Rinor Mitrovica",
        "cso",
        "5110006",
        "mitrovice-jugut",
        ["youth", "democracy-governance", "minorities"],
        True,
        "drita@cea.test",
        "Youth forum bringing together young people from both sides of the Ibar for dialogue.",
    ),
    (
        "Instituti për Politika Publike",
        "cso",
        "5110007",
        "prishtine",
        ["democracy-governance", "rule-of-law"],
        True,
        "blerim@cea.test",
        "Think tank monitoring public funding to civil society and the Strategy for Cooperation.",
    ),
    (
        "Fondacioni Dardania",
        "foundation",
        "",
        "ferizaj",
        ["philanthropy", "education"],
        True,
        "emma@cea.test",
        "A family foundation giving scholarships to students from rural areas.",
    ),
    (
        "Komuna e Vitisë",
        "public",
        "",
        "viti",
        ["community-development"],
        True,
        "drita@cea.test",
        "The municipality's office for cooperation with civil society.",
    ),
    (
        "Radio Zëri i Dukagjinit",
        "media",
        "",
        "gjakove",
        ["media"],
        False,
        "drita@cea.test",
        "Local radio covering community news in the Dukagjin plain.",
    ),
    (
        "Shoqata e Bletarëve Malishevë",
        "cso",
        "5110011",
        "malisheve",
        ["agriculture", "economic-development"],
        False,
        "blerim@cea.test",
        "Beekeepers' association offering training and shared equipment.",
    ),
    (
        "Kosovo Diaspora Business Network",
        "company",
        "",
        "prishtine",
        ["economic-development", "philanthropy"],
        True,
        "emma@cea.test",
        "Companies of the diaspora investing in and giving to communities in Kosovo.",
    ),
]


class Command(BaseCommand):
    help = "Load demo users and organisations (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        from allauth.account.models import EmailAddress

        created_users = created_orgs = 0
        municipalities = {m.slug: m for m in Municipality.objects.all()}
        sectors = {s.slug: s for s in Sector.objects.all()}
        users = {}
        for email, name, staff, lang, muni, country in USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": name,
                    "is_staff": staff,
                    "is_superuser": staff,
                    "preferred_language": lang,
                    "municipality": municipalities[muni],
                    "country_of_residence": country,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created_users += 1
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users[email] = user
        admin = users["admin@cea.test"]
        for name, kind, reg, muni, sector_slugs, verified, owner, description in ORGANIZATIONS:
            org = Organization.objects.filter(name=name).first()
            if org is None:
                from django.utils.text import slugify

                org = Organization.objects.create(
                    name=name,
                    slug=slugify(name),
                    kind=kind,
                    registration_number=reg,
                    municipality=municipalities[muni],
                    description=description,
                    email=f"info@{slugify(name)[:30]}.org",
                    created_by=users[owner],
                    verification_status=Organization.Verification.VERIFIED
                    if verified
                    else Organization.Verification.PENDING,
                    verified_at=timezone.now() if verified else None,
                    verified_by=admin if verified else None,
                )
                org.sectors.set([sectors[s] for s in sector_slugs])
                created_orgs += 1
            Membership.objects.get_or_create(
                organization=org, user=users[owner], defaults={"role": Membership.Role.OWNER}
            )
        organizations = list(Organization.objects.filter(name__in=[o[0] for o in ORGANIZATIONS]))
        owners = {
            m.organization_id: m.user
            for m in Membership.objects.filter(organization__in=organizations, role=Membership.Role.OWNER)
        }
        gifts = seed_giving(admin=admin, organizations=organizations, municipalities=municipalities)
        transparency_rows = seed_transparency(
            admin=admin, organizations=organizations, owners=owners, municipalities=municipalities
        )
        grants_rows = seed_grants(
            admin=admin,
            organizations=organizations,
            owners=owners,
            users=users,
            municipalities=municipalities,
        )
        self.stdout.write(
            f"Giving records created: {gifts}; transparency rows created: {transparency_rows}; "
            f"grants rows created: {grants_rows}."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created_users} users and {created_orgs} organisations created "
                f"({User.objects.count()} users, {Organization.objects.count()} organisations in all). "
                f"Log in as admin@cea.test / {DEMO_PASSWORD}."
            )
        )
