"""The signed-in dashboard keeps what is the same for everyone (the numbers, the charts and
the page of records: core.fragments) and its filter choices (core.widgets.MemoSelect), but
never anything personal, another language's words, or numbers older than the data."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from giving import aggregates
from giving.choices import Cause, DonorType, Geography, RecipientType, SupportKind
from giving.models import GivingRecord
from tests.giving.test_aggregates import make_records

pytestmark = pytest.mark.django_db


def url(lang="en"):
    with translation.override(lang):
        return reverse("giving:dashboard")


@pytest.fixture
def records():
    recs = make_records(60)
    aggregates.refresh()
    return recs


def signed_in(client, email, **extra):
    user = User.objects.create_user(email=email, password="x", full_name=email.split("@")[0], **extra)
    client.force_login(user)
    return user


def test_a_new_record_shows_at_the_next_signed_in_request(client, records):
    signed_in(client, "reader@example.org")
    first = client.get(url())
    count = first.context["data"]["totals"]["count"]
    assert client.get(url()).context["data"]["totals"]["count"] == count  # kept
    GivingRecord.objects.create(
        date=date(2025, 1, 1),  # the newest: on the first page
        amount=Decimal("123456.78"),
        support_kind=SupportKind.values[0],
        donor_type=DonorType.COMPANY,
        donor_name="Brand New Donor Ltd",
        donor_name_public=True,
        recipient_type=RecipientType.values[0],
        cause=Cause.values[0],
        beneficiary_group="general",
        geography=Geography.KOSOVO_WIDE,
        source="staff",
        status="verified",
    )
    aggregates.refresh()
    response = client.get(url(), {"date_from": "2025-01-01"})
    assert "Brand New Donor Ltd" in response.content.decode()
    again = client.get(url())
    assert again.context["data"]["totals"]["count"] == count + 1
    assert "Brand New Donor Ltd" in again.content.decode()  # the first page of records too


def test_kept_parts_carry_nothing_personal(client, records):
    staff = signed_in(client, "staff.person@example.org", is_staff=True)
    staff_page = client.get(url()).content.decode()
    assert reverse("giving:moderation") in staff_page
    client.logout()
    member = signed_in(client, "member.person@example.org")
    page = client.get(url()).content.decode()
    assert reverse("giving:moderation") not in page
    assert staff.email not in page and staff.full_name not in page
    client.logout()
    anonymous = client.get(url()).content.decode()
    assert member.email not in anonymous and "csrfmiddlewaretoken" not in anonymous


def test_each_language_gets_its_own_words(client, records):
    signed_in(client, "reader@example.org")
    english = client.get(url("en")).content.decode()
    albanian = client.get(url("sq")).content.decode()
    serbian = client.get(url("sr-latn")).content.decode()
    assert "Total by year" in english and "Total by year" not in albanian + serbian
    assert client.get(url("en")).content.decode().count("Total by year") == english.count("Total by year")
    with translation.override("sq"):
        cause_sq = str(Cause.choices[0][1])
    with translation.override("en"):
        cause_en = str(Cause.choices[0][1])
    assert cause_en != cause_sq
    assert f">{cause_sq}</option>" in albanian and f">{cause_en}</option>" not in albanian
    assert f">{cause_en}</option>" in english


def test_a_second_signed_in_request_does_less(client, records, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, "reader@example.org")
    with CaptureQueriesContext(connection) as first:
        client.get(url(), {"cause": ["health", "education"]})
    with CaptureQueriesContext(connection) as second:
        response = client.get(url(), {"cause": ["health", "education"]})
    assert response.status_code == 200
    # The numbers (their queries), the municipalities of the filter and the page of records
    # come from the cache.
    assert len(second) <= len(first) - 3


def test_an_editors_buttons_ask_for_their_organisations_once(client, records):
    """The buttons "Record a gift" (any organisation they edit) and "Import a file" (a verified one) come
    from one query of the person's organisations (giving.rules), not one each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organizations.models import Membership
    from tests.factories import OrganizationFactory

    user = signed_in(client, "editor@example.org")
    organization = OrganizationFactory(verification_status="verified")
    Membership.objects.create(organization=organization, user=user, role=Membership.Role.EDITOR)
    client.get(url())  # warm: the menu's flags and the permissions are kept once worked out
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url()).content.decode()
    assert "Import a file" in html
    assert len([q for q in ctx.captured_queries if "organizations_membership" in q["sql"]]) == 1


def test_a_kept_page_of_records_reads_no_record(client, records):
    """The table of a page is kept (core.fragments): its records are not read again (the page
    of NewestFirst is read when first used, as a QuerySet's slice is)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def table(html: str) -> str:
        start = html.index('id="records-h"')
        return html[start : html.index("</section>", start)]

    signed_in(client, "reader@example.org")
    first = table(client.get(url(), {"page": 2}).content.decode())
    with CaptureQueriesContext(connection) as ctx:
        again = table(client.get(url(), {"page": 2}).content.decode())
    assert again == first and first.count("<tr") > 10
    assert not [q for q in ctx.captured_queries if '"giving_givingrecord"' in q["sql"]]
