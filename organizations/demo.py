"""The demo organisations and their owners, loaded by `seed_demo` after the demo people
(see core.demo)."""

from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import demo_admin, demo_users
from core import demo
from core.demo import demo_municipalities
from core.models import Sector
from organizations.models import Membership, Organization

ORGANIZATIONS = [
    # name, kind, reg. no., municipality, sectors, verified, owner, description (in Albanian,
    # the portal's first language: the model has one description)
    (
        "Qendra për Zhvillimin e Komunitetit Pejë",
        "cso",
        "5110001",
        "peje",
        ["community-development", "youth"],
        True,
        "drita@cea.test",
        "Qendër komunitare në Pejë që mban klube rinore, aksione pastrimi në lagje dhe një skemë të vogël grantesh për nisma lokale.",
    ),
    (
        "Iniciativa e të Rinjve për Mjedisin",
        "cso",
        "5110002",
        "prishtine",
        ["environment", "youth"],
        True,
        "blerim@cea.test",
        "Të rinj që monitorojnë cilësinë e ajrit në Prishtinë dhe bëjnë fushatë për hapësira publike të gjelbra.",
    ),
    (
        "Udruženje Žena Gračanica",
        "cso",
        "5110003",
        "gracanice",
        ["gender-equality", "economic-development"],
        True,
        "milan@cea.test",
        "Shoqatë e grave që mbështet bizneset e vogla dhe aftësimin profesional të grave të të gjitha komuniteteve në Graçanicë.",
    ),
    (
        "Shoqata e Personave me Aftësi të Kufizuara Prizren",
        "cso",
        "5110004",
        "prizren",
        ["disability", "social-services", "health"],
        True,
        "emma@cea.test",
        "Avokim dhe shërbime ditore për personat me aftësi të kufizuara dhe familjet e tyre.",
    ),
    (
        "Klubi i Leximit Gjilan",
        "informal",
        "",
        "gjilan",
        ["education", "culture"],
        False,
        "blerim@cea.test",
        "Klub joformal leximi që mban një shkëmbim falas librash dhe ndihmë në detyrat e shtëpisë për fëmijët.",
    ),
    (
        "Forumi Rinor Mitrovica",
        "cso",
        "5110006",
        "mitrovice-jugut",
        ["youth", "democracy-governance", "minorities"],
        True,
        "drita@cea.test",
        "Forum rinor që bashkon të rinjtë nga të dy anët e Ibrit për dialog.",
    ),
    (
        "Instituti për Politika Publike",
        "cso",
        "5110007",
        "prishtine",
        ["democracy-governance", "rule-of-law"],
        True,
        "blerim@cea.test",
        "Institut që monitoron financimin publik për shoqërinë civile dhe Strategjinë për Bashkëpunim.",
    ),
    (
        "Fondacioni Dardania",
        "foundation",
        "",
        "ferizaj",
        ["philanthropy", "education"],
        True,
        "emma@cea.test",
        "Fondacion familjar që jep bursa për studentët nga zonat rurale.",
    ),
    (
        "Komuna e Vitisë",
        "public",
        "",
        "viti",
        ["community-development"],
        True,
        "drita@cea.test",
        "Zyra e komunës për bashkëpunim me shoqërinë civile.",
    ),
    (
        "Radio Zëri i Dukagjinit",
        "media",
        "",
        "gjakove",
        ["media"],
        False,
        "drita@cea.test",
        "Radio lokale që mbulon lajmet e komunitetit në Rrafshin e Dukagjinit.",
    ),
    (
        "Shoqata e Bletarëve Malishevë",
        "cso",
        "5110011",
        "malisheve",
        ["agriculture", "economic-development"],
        False,
        "blerim@cea.test",
        "Shoqatë e bletarëve që ofron trajnime dhe pajisje të përbashkëta.",
    ),
    (
        "Kosovo Diaspora Business Network",
        "company",
        "",
        "prishtine",
        ["economic-development", "philanthropy"],
        True,
        "emma@cea.test",
        "Kompani të diasporës që investojnë dhe dhurojnë për komunitetet në Kosovë.",
    ),
]


@demo.register(after=("accounts",), summary="{created} demo organisations created")
def seed() -> int:
    created_orgs = 0
    municipalities = demo_municipalities()
    sectors = {s.slug: s for s in Sector.objects.all()}
    users = demo_users()
    admin = demo_admin()
    for name, kind, reg, muni, sector_slugs, verified, owner, description in ORGANIZATIONS:
        org = Organization.objects.filter(name=name).first()
        if org is None:
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
    return created_orgs


def demo_organizations() -> list[Organization]:
    """The demo organisations (the apps' demo parts give them grants, gifts, reports)."""
    return list(Organization.objects.filter(name__in=[o[0] for o in ORGANIZATIONS]))


def demo_owners(organizations) -> dict:
    """The owner (a User) of each of `organizations`, by organisation pk."""
    return {
        m.organization_id: m.user
        for m in Membership.objects.filter(organization__in=organizations, role=Membership.Role.OWNER)
    }
