"""Permission matrix of volunteering: every page × anonymous / citizen / volunteer (the one who
applied) / viewer member / editor member / another organisation's editor / staff, asserting
the status and what changed (or did not) in the database."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from organizations.models import Membership, Organization
from tests import factories
from tests.factories import member_of
from tests.helpers import login
from tests.volunteering.factories import OpportunityFactory, ProfileFactory
from volunteering.models import Application, Engagement, HoursEntry, Opportunity
from volunteering.services import applications, engagements

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "volunteer", "viewer", "editor", "other_editor", "staff"]
LOGIN = "login"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    org = factories.OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    other = factories.OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    opportunity = OpportunityFactory(organization=org, places=3)
    profile = ProfileFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    application = applications.application_submit(actor=profile.user, opportunity=opportunity, message="Hi")
    return {
        "org": org,
        "opportunity": opportunity,
        "application": application,
        "profile": profile,
        "anonymous": None,
        "citizen": factories.UserFactory(),
        "volunteer": profile.user,
        "viewer": member_of(org, Membership.Role.VIEWER),
        "editor": editor,
        "other_editor": member_of(other, Membership.Role.EDITOR),
        "staff": factories.StaffFactory(),
    }


def _accepted(world):
    application = applications.application_decide(
        actor=world["editor"], application=world["application"], accept=True
    )
    return application.engagement


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:400]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize(("role", "expected"), list(expected.items()))


# --- public --------------------------------------------------------------------------------


@_matrix(anonymous=200, citizen=200, volunteer=200, viewer=200, editor=200, other_editor=200, staff=200)
def test_public_list(client, world, role, expected):
    OpportunityFactory(organization=world["org"], status="draft", title="Secret draft")
    response = login(client, world[role]).get(reverse("volunteering:opportunity_list"))
    _check(response, expected)
    assert "Secret draft" not in response.content.decode()
    assert world["opportunity"].title in response.content.decode()


@_matrix(anonymous=200, citizen=200, volunteer=200, viewer=200, editor=200, other_editor=200, staff=200)
def test_open_opportunity_page(client, world, role, expected):
    _check(login(client, world[role]).get(world["opportunity"].get_absolute_url()), expected)


@_matrix(anonymous=404, citizen=404, volunteer=404, viewer=200, editor=200, other_editor=404, staff=200)
def test_draft_page_only_for_members(client, world, role, expected):
    draft = OpportunityFactory(organization=world["org"], status="draft")
    _check(login(client, world[role]).get(draft.get_absolute_url()), expected)


# --- a volunteer ------------------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=200, volunteer=200, viewer=200, editor=200, other_editor=200, staff=200)
def test_profile_page(client, world, role, expected):
    _check(login(client, world[role]).get(reverse("volunteering:profile_edit")), expected)


@_matrix(anonymous=LOGIN, citizen=302, volunteer=200, viewer=302, editor=302, other_editor=302, staff=302)
def test_my_matches_needs_a_profile(client, world, role, expected):
    response = login(client, world[role]).get(reverse("volunteering:my_matches"))
    _check(response, expected)
    if expected == 302:
        assert response["Location"].endswith(reverse("volunteering:profile_edit"))


@_matrix(anonymous=LOGIN, citizen=200, volunteer=200, viewer=200, editor=200, other_editor=200, staff=200)
def test_my_volunteering(client, world, role, expected):
    _check(login(client, world[role]).get(reverse("volunteering:my_volunteering")), expected)


@_matrix(anonymous=LOGIN, citizen=400, volunteer=400, viewer=400, editor=400, other_editor=400, staff=400)
def test_apply(client, world, role, expected):
    """The volunteer applied already (400, 'already applied'); the others have no profile (400)."""
    before = Application.objects.count()
    response = login(client, world[role]).post(
        reverse("volunteering:apply", kwargs={"pk": world["opportunity"].pk}), {"message": "Me too"}
    )
    _check(response, expected)
    assert Application.objects.count() == before


def test_apply_with_a_profile_works(client, world):
    other = ProfileFactory()
    response = login(client, other.user).post(
        reverse("volunteering:apply", kwargs={"pk": world["opportunity"].pk}), {"message": "Me"}
    )
    assert response.status_code == 302
    assert Application.objects.filter(profile=other).exists()


@_matrix(anonymous=LOGIN, citizen=404, volunteer=302, viewer=404, editor=404, other_editor=404, staff=404)
def test_withdraw(client, world, role, expected):
    response = login(client, world[role]).post(
        reverse("volunteering:withdraw", kwargs={"pk": world["application"].pk})
    )
    _check(response, expected)
    world["application"].refresh_from_db()
    assert (world["application"].status == "withdrawn") == (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, volunteer=200, viewer=200, editor=200, other_editor=404, staff=200)
def test_engagement_page(client, world, role, expected):
    engagement = _accepted(world)
    response = login(client, world[role]).get(engagement.get_absolute_url())
    _check(response, expected)
    if role in ("viewer", "editor"):
        assert world["profile"].user.email in response.content.decode()  # accepted: contact shown


@_matrix(anonymous=LOGIN, citizen=404, volunteer=302, viewer=403, editor=403, other_editor=404, staff=403)
def test_log_hours(client, world, role, expected):
    engagement = _accepted(world)
    response = login(client, world[role]).post(
        reverse("volunteering:hours_log", kwargs={"pk": engagement.pk}),
        {"date": timezone.localdate().isoformat(), "hours": "2", "description": "Class"},
    )
    _check(response, expected)
    assert HoursEntry.objects.count() == (1 if expected == 302 else 0)


def test_bad_hours_are_a_400_with_the_reason(client, world):
    engagement = _accepted(world)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = login(client, world["volunteer"]).post(
        reverse("volunteering:hours_log", kwargs={"pk": engagement.pk}),
        {"date": tomorrow, "hours": "25", "description": ""},
    )
    assert response.status_code == 400
    assert not HoursEntry.objects.exists()


def _entry(world):
    engagement = _accepted(world)
    return engagements.hours_log(
        actor=world["volunteer"], engagement=engagement, date=timezone.localdate(), hours="2", description="x"
    )


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=302, other_editor=403, staff=403)
def test_confirm_hours(client, world, role, expected):
    entry = _entry(world)
    _check(
        login(client, world[role]).post(reverse("volunteering:hours_confirm", kwargs={"pk": entry.pk})),
        expected,
    )
    entry.refresh_from_db()
    assert (entry.status == "confirmed") == (expected == 302)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=302, other_editor=403, staff=403)
def test_dispute_hours(client, world, role, expected):
    entry = _entry(world)
    response = login(client, world[role]).post(
        reverse("volunteering:hours_dispute", kwargs={"pk": entry.pk}), {"reason": "Too many"}
    )
    _check(response, expected)
    entry.refresh_from_db()
    assert (entry.status == "disputed") == (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, volunteer=302, viewer=404, editor=404, other_editor=404, staff=404)
def test_correct_hours(client, world, role, expected):
    entry = engagements.hours_dispute(actor=world["editor"], entry=_entry(world), reason="No")
    response = login(client, world[role]).post(
        reverse("volunteering:hours_correct", kwargs={"pk": entry.pk}),
        {"date": timezone.localdate().isoformat(), "hours": "1", "description": "fixed"},
    )
    _check(response, expected)
    entry.refresh_from_db()
    assert (entry.status == "logged") == (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, volunteer=302, viewer=403, editor=302, other_editor=404, staff=403)
def test_end_engagement(client, world, role, expected):
    engagement = _accepted(world)
    response = login(client, world[role]).post(
        reverse("volunteering:engagement_end", kwargs={"pk": engagement.pk}), {"to": "completed"}
    )
    _check(response, expected)
    engagement.refresh_from_db()
    assert (engagement.status == "completed") == (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, volunteer=200, viewer=403, editor=403, other_editor=404, staff=403)
def test_certificate_download(client, world, role, expected):
    entry = _entry(world)
    engagements.hours_confirm(actor=world["editor"], entry=entry)
    response = login(client, world[role]).get(
        reverse("volunteering:certificate", kwargs={"pk": entry.engagement_id})
    )
    _check(response, expected)
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"


# --- an organisation ----------------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=404, volunteer=404, viewer=200, editor=200, other_editor=404, staff=200)
def test_organization_opportunities(client, world, role, expected):
    url = reverse("volunteering:organization_opportunities", kwargs={"slug": world["org"].slug})
    _check(login(client, world[role]).get(url), expected)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=200, other_editor=403, staff=403)
def test_post_form(client, world, role, expected):
    url = reverse("volunteering:opportunity_create", kwargs={"slug": world["org"].slug})
    _check(login(client, world[role]).get(url), expected)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=302, other_editor=403, staff=403)
def test_post(client, world, role, expected):
    url = reverse("volunteering:opportunity_create", kwargs={"slug": world["org"].slug})
    before = Opportunity.objects.count()
    response = login(client, world[role]).post(
        url,
        {
            "kind": "opportunity",
            "title": "New",
            "description": "d",
            "remote": "on",
            "places": 2,
            "hours_per_week": 2,
        },
    )
    _check(response, expected)
    assert Opportunity.objects.count() == before + (1 if expected == 302 else 0)


def test_an_unverified_organisation_cannot_post(client):
    org = factories.OrganizationFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    url = reverse("volunteering:opportunity_create", kwargs={"slug": org.slug})
    response = login(client, editor).get(url)
    assert response.status_code == 403
    assert "verified" in response.content.decode()


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=200, other_editor=403, staff=403)
def test_edit_form(client, world, role, expected):
    url = reverse("volunteering:opportunity_edit", kwargs={"pk": world["opportunity"].pk})
    _check(login(client, world[role]).get(url), expected)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=302, other_editor=403, staff=403)
def test_close(client, world, role, expected):
    url = reverse("volunteering:opportunity_move", kwargs={"pk": world["opportunity"].pk})
    _check(login(client, world[role]).post(url, {"to": "closed"}), expected)
    world["opportunity"].refresh_from_db()
    assert (world["opportunity"].status == "closed") == (expected == 302)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=200, editor=200, other_editor=403, staff=200)
def test_applicants(client, world, role, expected):
    url = reverse("volunteering:applicants", kwargs={"pk": world["opportunity"].pk})
    response = login(client, world[role]).get(url)
    _check(response, expected)
    if expected == 200:
        assert world["profile"].user.email not in response.content.decode()  # not before acceptance


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=302, other_editor=403, staff=403)
def test_decide(client, world, role, expected):
    url = reverse("volunteering:application_decide", kwargs={"pk": world["application"].pk})
    response = login(client, world[role]).post(url, {"to": "accepted", "message": "Welcome"})
    _check(response, expected)
    assert Engagement.objects.count() == (1 if expected == 302 else 0)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=200, other_editor=403, staff=403)
def test_candidates(client, world, role, expected):
    url = reverse("volunteering:candidates", kwargs={"pk": world["opportunity"].pk})
    _check(login(client, world[role]).get(url), expected)


@_matrix(anonymous=LOGIN, citizen=403, volunteer=403, viewer=403, editor=302, other_editor=403, staff=403)
def test_invite(client, world, role, expected):
    target = ProfileFactory()
    url = reverse("volunteering:invite", kwargs={"pk": world["opportunity"].pk, "profile_pk": target.pk})
    _check(login(client, world[role]).post(url, {"message": "Join"}), expected)
    assert Application.objects.filter(profile=target).exists() == (expected == 302)


def test_profile_privacy_on_the_applicants_page(client, world):
    """Skills-only profiles show no name; a full profile shows name and languages; the email
    only after acceptance."""
    full = ProfileFactory(visibility="full", languages={"sr": 3})
    full.user.full_name = "Milica Jovanović"
    full.user.save()
    applications.application_submit(actor=full.user, opportunity=world["opportunity"])
    url = reverse("volunteering:applicants", kwargs={"pk": world["opportunity"].pk})
    html = login(client, world["viewer"]).get(url).content.decode()
    assert "Milica Jovanović" in html and "Serbian" in html
    assert world["profile"].user.get_full_name() not in html
    assert full.user.email not in html


def test_list_query_count_is_flat(client, world, django_assert_max_num_queries):
    for n in (3, 6):
        for _ in range(n):
            OpportunityFactory()
        with django_assert_max_num_queries(12):
            assert client.get(reverse("volunteering:opportunity_list")).status_code == 200
