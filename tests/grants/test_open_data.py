"""The public list of awarded grants: filters, totals, pagination, privacy of individuals,
query counts and the three languages."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from grants.choices import ApplicantType, GrantStatus
from grants.services import assessment
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory, submitted_application, verified_cso
from tests.grants.test_open_data_support import PERSON_NAME, awarded_grant, sent_application
from tests.helpers import t

pytestmark = pytest.mark.django_db


def url(lang="en", **params):
    with translation.override(lang):
        path = reverse("grants:awarded_list")
    if params:
        from urllib.parse import urlencode

        path += "?" + urlencode(params, doseq=True)
    return path


@pytest.fixture
def grants():
    call_a = CallFactory(slug="youth-2026", title_en="Youth initiatives 2026")
    call_b = CallFactory(slug="env-2025", title_en="Environment 2025")
    org = verified_cso(name="Qendra Rinore Pejë")
    return {
        "call_a": call_a,
        "call_b": call_b,
        "org": org,
        "org_grant": awarded_grant(
            call=call_a, organization=org, amount=Decimal("4000.00"), municipality="peje", title="Youth club"
        ),
        "group_grant": awarded_grant(
            call=call_a,
            applicant_type=ApplicantType.GROUP,
            group_name="Miqtë e lumit",
            amount=Decimal("2500.50"),
            municipality="prizren",
            title="River walk",
        ),
        "individual_grant": awarded_grant(
            call=call_b,
            applicant_type=ApplicantType.INDIVIDUAL,
            amount=Decimal("1200.00"),
            municipality="gjilan",
            title="Reading corner",
            summary=f"My name is {PERSON_NAME} and I run a reading corner.",
            awarded_at=timezone.make_aware(datetime(2025, 6, 1, 9, 0)),
        ),
        "terminated": awarded_grant(
            call=call_b,
            amount=Decimal("3000.00"),
            grant_status=GrantStatus.TERMINATED,
            title="Stopped project",
            awarded_at=timezone.make_aware(datetime(2025, 3, 1, 9, 0)),
        ),
    }


def test_list_shows_recipients_and_withholds_individuals(client, grants, english):
    response = client.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    org = grants["org"]
    assert f'href="{org.get_absolute_url()}"' in html
    assert "Qendra Rinore Pejë" in html
    assert "Miqtë e lumit" in html
    assert "Individual (withheld for privacy)" in html
    assert PERSON_NAME not in html
    assert "Zeqiri" not in html
    assert "Youth club" in html and "Reading corner" in html
    assert "Youth initiatives 2026" in html
    assert "Pejë" in html or "Peja" in html
    assert "4,000.00" in html and "2,500.50" in html
    assert grants["org_grant"].identifier in html
    # A terminated grant stays listed, marked as such.
    assert "Stopped project" in html and "Terminated" in html
    assert response.context["totals"] == {"count": 4, "total": Decimal("10700.50")}


def test_a_grant_awarded_through_the_services_is_listed_without_the_persons_name(
    client, english, django_capture_on_commit_callbacks
):
    person = UserFactory(full_name="Agnesa Rrahmani")
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application(applicant=person)
    staff = StaffFactory()
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.application_decide(actor=staff, application=application, decision="approve", amount="4000")
    # Not yet awarded: nothing else is public.
    draft = sent_application(applicant_type=ApplicantType.GROUP, group_name="Not decided yet")
    response = client.get(url())
    html = response.content.decode()
    assert application.title in html
    assert "Individual (withheld for privacy)" in html
    assert "Agnesa" not in html and "Rrahmani" not in html and person.email not in html
    assert draft.group_name not in html
    assert response.context["totals"]["count"] == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"call": "youth-2026"}, {"org_grant", "group_grant"}),
        ({"year": "2025"}, {"individual_grant", "terminated"}),
        ({"municipality": "prizren"}, {"group_grant"}),
        ({"applicant_type": "individual"}, {"individual_grant"}),
        ({"applicant_type": "organization"}, {"org_grant", "terminated"}),
        ({"q": "river walk"}, {"group_grant"}),
        ({"q": "youth volunteers"}, {"org_grant", "group_grant", "terminated"}),
        ({"q": "Qendra Rinore"}, {"org_grant"}),
        ({"q": "Environment 2025"}, {"individual_grant", "terminated"}),
        ({"call": "youth-2026", "municipality": "peje", "year": "2026"}, {"org_grant"}),
    ],
)
def test_filters_and_totals(client, grants, english, params, expected):
    response = client.get(url(**params))
    assert response.status_code == 200
    shown = {row["grant"].pk for row in response.context["rows"]}
    assert shown == {grants[name].pk for name in expected}
    total = sum((grants[name].amount for name in expected), Decimal("0"))
    assert response.context["totals"] == {"count": len(expected), "total": total}


def test_search_never_matches_what_is_withheld(client, grants, english):
    response = client.get(url(q="Zeqiri"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["totals"]["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1999"},
        {"municipality": "atlantis"},
        {"call": "no-such-call"},
        {"applicant_type": "robot"},
        {"format": "pdf"},
        {"q": "x" * 101},
    ],
)
def test_malformed_filters_are_a_400(client, grants, english, params):
    response = client.get(url(**params))
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


def test_odd_page_numbers_never_fail(client, grants):
    for page in ("0", "-1", "abc", "99999", "1" * 40):
        assert client.get(url(page=page)).status_code == 200


def test_pagination_by_50(client, english):
    call = CallFactory()
    organization = verified_cso()
    for _ in range(53):
        awarded_grant(call=call, organization=organization)
    first = client.get(url())
    assert len(first.context["rows"]) == 50
    assert first.context["totals"]["count"] == 53
    second = client.get(url(page=2))
    assert len(second.context["rows"]) == 3


def _seed(n):
    for i in range(n):
        kind = [ApplicantType.ORGANIZATION, ApplicantType.GROUP, ApplicantType.INDIVIDUAL][i % 3]
        awarded_grant(call=CallFactory(), applicant_type=kind)


def _count_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(**params))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"municipality": "prishtine", "q": "river", "year": "2026"}])
def test_query_count_does_not_grow_with_rows(client, params):
    _seed(4)
    few = _count_queries(client, **params)
    _seed(8)
    many = _count_queries(client, **params)
    assert few == many


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_renders_in_each_language(client, grants, lang):
    response = client.get(url(lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert t("Awarded grants", lang) in html
    assert t("Individual (withheld for privacy)", lang) in html
    assert PERSON_NAME not in html


def test_empty_list(client, english):
    response = client.get(url())
    assert response.status_code == 200
    assert "No awarded grant matches these filters." in response.content.decode()
    assert response.context["totals"] == {"count": 0, "total": Decimal("0.00")}


def test_only_get_and_head(client):
    assert client.post(url()).status_code == 405
    assert client.head(url()).status_code == 200


def test_demo_data_has_calls_applications_and_public_grants(client, english):
    from django.core.management import call_command

    from grants.models import Application, Call, Grant

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Call.objects.count(), Application.objects.count(), Grant.objects.count())
    assert counts[0] == 3 and counts[1] >= 8 and counts[2] == 3
    assert Call.objects.get(slug="rinia-ne-veprim-2026").two_stage
    assert {a.status for a in Application.objects.all()} >= {"draft", "submitted", "under_review", "approved"}
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Call.objects.count(), Application.objects.count(), Grant.objects.count()) == counts
    response = client.get(url())
    assert response.context["totals"]["count"] == 3
    html = response.content.decode()
    assert "Individual (withheld for privacy)" in html
    assert "Drita Berisha" not in html
