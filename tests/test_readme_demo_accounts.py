"""What README says of the demo accounts is what `seed_demo` creates (issue 13, item 6: it
said every demo user owns organisations, and admin@cea.test owns none)."""

import re
from pathlib import Path

import pytest

from accounts import demo as accounts_demo
from organizations import demo as organizations_demo
from organizations.models import Membership

README = Path(__file__).resolve().parent.parent / "README.md"


def _sentence(marker: str) -> str:
    text = " ".join(README.read_text(encoding="utf-8").split())
    start = text.index("Demo accounts")
    return text[start : text.index(marker, start) + len(marker)]


@pytest.mark.django_db
def test_the_demo_users_readme_calls_owners_own_organisations():
    accounts_demo.seed()
    organizations_demo.seed()
    sentence = _sentence("demo organisations.")
    # Each account the sentence names as an owner owns one; an account said to own none owns none.
    owners = set(Membership.objects.filter(role=Membership.Role.OWNER).values_list("user__email", flat=True))
    named = re.findall(r"`([a-z]+@cea\.test)`", sentence)
    assert named
    for email in named:
        says_none = re.search(rf"`{re.escape(email)}` \([^)]*owns none\)", sentence)
        assert (email in owners) != bool(says_none), email


ENGLISH = re.compile(r"\b(the|and|of|for|with|in every)\b")


@pytest.mark.django_db
def test_demo_organisations_are_described_in_albanian():
    """Issue 13, item 5: the demo's texts were English on sq and sr pages; a model with one
    text field gets it in Albanian, the portal's first language."""
    accounts_demo.seed()
    organizations_demo.seed()
    english = [
        (org.name, org.description)
        for org in organizations_demo.demo_organizations()
        if ENGLISH.search(org.description)
    ]
    assert not english, english
