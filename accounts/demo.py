"""The demo people (`make run` signs in with them), loaded by `seed_demo` (see core.demo).

Every demo account has the password DEMO_PASSWORD and a verified primary email; the
admin is staff and superuser."""

from allauth.account.models import EmailAddress

from accounts.models import User
from core import demo
from core.demo import demo_municipalities

DEMO_PASSWORD = "demo-pass-2026"
ADMIN_EMAIL = "admin@cea.test"

USERS = [
    # email, full name, staff, language, municipality, country
    ("admin@cea.test", "Arta Krasniqi (KCSF)", True, "sq", "prishtine", ""),
    ("drita@cea.test", "Drita Berisha", False, "sq", "peje", ""),
    ("milan@cea.test", "Milan Petrović", False, "sr-latn", "gracanice", ""),
    ("emma@cea.test", "Emma Hoxha", False, "en", "prizren", "DE"),
    ("blerim@cea.test", "Blerim Gashi", False, "sq", "gjilan", ""),
]


@demo.register(summary=f"{{created}} demo users created; log in as {ADMIN_EMAIL} / {DEMO_PASSWORD}")
def seed() -> int:
    created_users = 0
    municipalities = demo_municipalities()
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
    return created_users


def demo_users() -> dict[str, User]:
    """The demo accounts by email."""
    return {user.email: user for user in User.objects.filter(email__in=[row[0] for row in USERS])}


def demo_admin() -> User:
    return User.objects.get(email=ADMIN_EMAIL)
