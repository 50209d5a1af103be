"""The organisation pages: directory, profile, registration, members' page, invitations."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import EmailOutbox, Municipality, Sector
from organizations.models import Invitation, Membership, Organization
from tests import factories
from tests.factories import member_of
from tests.organizations.helpers import org_form_data, png_bytes

pytestmark = pytest.mark.django_db


def en(name, **kwargs):
    """The English URL, so that messages can be compared with the English source strings."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def text(response) -> str:
    return response.content.decode()


# --- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_directory_in_each_language(client, lang):
    factories.OrganizationFactory()
    response = client.get(f"/{lang}/organizations/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in text(response)


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_detail_in_each_language(client, lang):
    org = factories.OrganizationFactory()
    response = client.get(f"/{lang}/organizations/{org.slug}/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in text(response)
    municipality = org.municipality
    expected = {"sq": municipality.name_sq, "sr-latn": municipality.name_sr, "en": municipality.name_en}[lang]
    assert expected in text(response)


# --- directory ---------------------------------------------------------------------------


def test_directory_shows_the_cards(client):
    sector = Sector.objects.order_by("pk").first()
    verified = factories.OrganizationFactory(
        name="Alpha Verified",
        verification_status=Organization.Verification.VERIFIED,
        logo=SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"),
        sectors=[sector],
    )
    pending = factories.OrganizationFactory(name="Beta Pending")
    factories.OrganizationFactory(name="Gamma Inactive", is_active=False)
    html = text(client.get(en("organizations:directory")))
    assert "Alpha Verified" in html and "Beta Pending" in html
    assert "Gamma Inactive" not in html
    assert verified.logo.url in html
    assert sector.name_en in html
    assert verified.municipality.name_en in html
    assert "Registered CSO" in html
    # the verified badge only on the verified card
    cards = html.split('<article class="card')
    alpha = next(c for c in cards if "Alpha Verified" in c)
    beta = next(c for c in cards if "Beta Pending" in c)
    assert "Verified by KCSF" in alpha and "Verified by KCSF" not in beta
    assert pending.get_absolute_url() in html


def test_directory_filters(client):
    prishtine = Municipality.objects.get(slug="prishtine")
    other = Municipality.objects.exclude(slug="prishtine").first()
    health, youth = Sector.objects.order_by("pk")[:2]
    a = factories.OrganizationFactory(
        name="Health Prishtine",
        municipality=prishtine,
        sectors=[health],
        verification_status=Organization.Verification.VERIFIED,
    )
    b = factories.OrganizationFactory(name="Youth Elsewhere", municipality=other, sectors=[youth])
    c = factories.OrganizationFactory(
        name="Media Prishtine",
        municipality=prishtine,
        sectors=[health, youth],
        kind=Organization.Kind.MEDIA,
        registration_number="",
    )
    url = en("organizations:directory")

    def names(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {o.name for o in response.context["organizations"]}

    assert names({"q": "prishtine"}) == {a.name, c.name}
    assert names({"q": b.registration_number}) == {b.name}
    assert names({"municipality": "prishtine"}) == {a.name, c.name}
    assert names({"sector": health.slug}) == {a.name, c.name}
    assert names({"sector": youth.slug, "municipality": "prishtine"}) == {c.name}
    assert names({"kind": "media"}) == {c.name}
    assert names({"verified": "on"}) == {a.name}
    assert names({"q": "nothing-like-this"}) == set()


def test_directory_paginates_and_keeps_filters(client):
    prishtine = Municipality.objects.get(slug="prishtine")
    for i in range(25):
        factories.OrganizationFactory(name=f"Org {i:02d}", municipality=prishtine, sectors=[])
    factories.OrganizationFactory(
        name="Elsewhere", municipality=Municipality.objects.exclude(pk=prishtine.pk)[0]
    )
    url = en("organizations:directory")
    first = client.get(url, {"municipality": "prishtine"})
    assert len(first.context["organizations"]) == 20
    assert first.context["page_obj"].paginator.count == 25
    assert "municipality=prishtine&amp;page=2" in text(first)
    second = client.get(url, {"municipality": "prishtine", "page": 2})
    assert [o.name for o in second.context["organizations"]] == [f"Org {i:02d}" for i in range(20, 25)]
    # a page that is not a number or out of range is not an error: first / last page
    assert client.get(url, {"page": "abc"}).context["page_obj"].number == 1
    assert client.get(url, {"page": "999"}).context["page_obj"].number == 2


def test_directory_malformed_filters_are_400_with_the_errors(client):
    factories.OrganizationFactory()
    response = client.get(
        en("organizations:directory"), {"municipality": "nope", "page": "abc", "kind": "zzz"}
    )
    assert response.status_code == 400
    html = text(response)
    assert "Some filters are not valid" in html
    assert html.count("Select a valid choice") == 2
    assert response.context["organizations"] == []
    response = client.get(en("organizations:directory"), {"sector": "no-such-sector"})
    assert response.status_code == 400


def test_directory_export_buttons_only_for_staff(client, staff_user, user):
    factories.OrganizationFactory()
    include = "core/includes/_export_buttons.html"
    url = en("organizations:directory")
    assert include not in [t.name for t in client.get(url).templates]
    client.force_login(user)
    assert include not in [t.name for t in client.get(url).templates]
    client.force_login(staff_user)
    assert include in [t.name for t in client.get(url).templates]


@pytest.mark.parametrize("as_staff", [False, True])
def test_directory_query_count_does_not_grow(client, as_staff):
    if as_staff:
        client.force_login(factories.StaffFactory())
    municipalities = list(Municipality.objects.all()[:5])
    sectors = list(Sector.objects.all()[:3])

    def seed(n):
        for i in range(n):
            factories.OrganizationFactory(municipality=municipalities[i % 5], sectors=sectors[: 1 + i % 3])

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(en("organizations:directory"), params)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["organizations"])

    count({})  # the filter form's choices are listed once per process (core.widgets.MemoSelect)
    seed(4)
    few, shown_few = count({})
    few_filtered, _ = count({"sector": sectors[0].slug, "verified": ""})
    seed(8)
    many, shown_many = count({})
    many_filtered, _ = count({"sector": sectors[0].slug, "verified": ""})
    assert (shown_few, shown_many) == (4, 12)
    assert few == many
    assert few_filtered == many_filtered
    assert many <= 8


@pytest.mark.parametrize("role", ["viewer", "editor", "owner", "staff"])
def test_manage_page_has_unique_ids(client, org_roles, role):
    org = org_roles["organization"]
    factories.InvitationFactory(organization=org)
    client.force_login(org_roles[role])
    ids = re.findall(r'\sid="([^"]+)"', text(client.get(en("organizations:manage", slug=org.slug))))
    assert ids and len(ids) == len(set(ids))


def test_manage_page_query_count_does_not_grow(client, org_roles):
    org = org_roles["organization"]
    client.force_login(org_roles["owner"])
    url = en("organizations:manage", slug=org.slug)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    factories.InvitationFactory(organization=org)
    count()  # warm: the menu's flags are worked out once, then kept
    few = count()
    for _ in range(6):
        member_of(org, Membership.Role.VIEWER)
        factories.InvitationFactory(organization=org)
    assert count() == few


def test_detail_page(client):
    org = factories.OrganizationFactory(
        name="Detail Org",
        phone="+383 44 000 000",
        website="https://detail.example.org",
        address="Rr. Agim Ramadani 5",
        founded_year=2004,
        description="We work with young people.",
        verification_status=Organization.Verification.VERIFIED,
    )
    html = text(client.get(en("organizations:detail", slug=org.slug)))
    for value in (
        org.name,
        org.registration_number,
        org.email,
        "+383 44 000 000",
        "https://detail.example.org",
        "Rr. Agim Ramadani 5",
        "2004",
        "We work with young people.",
        "Verified by KCSF",
        "Registered CSO",
        org.municipality.name_en,
    ):
        assert value in html
    assert client.get(en("organizations:detail", slug="no-such-org")).status_code == 404


# --- registration: bad input --------------------------------------------------------------


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def test_create_with_logo_and_sectors(logged_in, user):
    data = org_form_data(logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"))
    response = logged_in.post(en("organizations:create"), data)
    org = Organization.objects.get(registration_number="7100001")
    assert response.status_code == 302
    assert org.logo.name.startswith("logos/")
    assert set(org.sectors.values_list("pk", flat=True)) == set(data["sectors"])
    assert org.verification_status == Organization.Verification.PENDING
    follow = logged_in.get(response["Location"])
    assert "is registered" in text(follow)


def test_create_non_cso_without_registration_number(logged_in):
    response = logged_in.post(
        en("organizations:create"), org_form_data(kind="informal", registration_number="")
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Zëri i të Rinjve").kind == "informal"


def test_create_duplicate_registration_number(logged_in):
    factories.OrganizationFactory(registration_number="7100001")
    response = logged_in.post(en("organizations:create"), org_form_data())
    assert response.status_code == 400
    assert "An organisation with this registration number is already registered." in text(response)
    assert Organization.objects.filter(registration_number="7100001").count() == 1
    # what was typed is kept
    assert 'value="Zëri i të Rinjve"' in text(response)
    assert "Youth voice in Prishtinë." in text(response)


def test_create_cso_without_registration_number(logged_in):
    response = logged_in.post(en("organizations:create"), org_form_data(registration_number=""))
    assert response.status_code == 400
    assert "A registered CSO needs its registration number" in text(response)
    assert not Organization.objects.filter(name="Zëri i të Rinjve").exists()


def test_create_logo_that_is_not_an_image(logged_in):
    fake = SimpleUploadedFile("logo.png", b"this is text, not a PNG" * 10, content_type="image/png")
    response = logged_in.post(en("organizations:create"), org_form_data(logo=fake))
    assert response.status_code == 400
    assert "Upload a valid image" in text(response)
    assert not Organization.objects.filter(name="Zëri i të Rinjve").exists()


def test_create_logo_too_large(logged_in, settings):
    settings.LOGO_MAX_BYTES = 50
    logo = SimpleUploadedFile("logo.png", png_bytes((64, 64)), content_type="image/png")
    response = logged_in.post(en("organizations:create"), org_form_data(logo=logo))
    assert response.status_code == 400
    assert "The file is too large" in text(response)
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"name": ""}, "This field is required."),
        ({"kind": "zzz"}, "Select a valid choice."),
        ({"municipality": "999999"}, "Select a valid choice."),
        ({"sectors": ["999999"]}, "Select a valid choice."),
        ({"website": "not a url"}, "Enter a valid URL."),
        ({"founded_year": "1700"}, "Enter a year between 1900 and"),
        ({"founded_year": "abc"}, "Enter a whole number."),
    ],
)
def test_create_other_bad_input(logged_in, overrides, message):
    response = logged_in.post(en("organizations:create"), org_form_data(**overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert not Organization.objects.exists()


# --- members' page: bad input and other organisations' ids ---------------------------------


def test_profile_update_bad_input_keeps_what_was_typed(client, org_roles):
    org = org_roles["organization"]
    other = factories.OrganizationFactory()
    client.force_login(org_roles["editor"])
    response = client.post(
        en("organizations:manage", slug=org.slug),
        org_form_data(name="Typed name", registration_number=other.registration_number),
    )
    assert response.status_code == 400
    html = text(response)
    assert "An organisation with this registration number is already registered." in html
    assert 'value="Typed name"' in html
    org.refresh_from_db()
    assert org.name != "Typed name"


def test_profile_update_keeps_and_clears_logo(client, org_roles):
    org = org_roles["organization"]
    client.force_login(org_roles["owner"])
    url = en("organizations:manage", slug=org.slug)
    base = org_form_data(registration_number=org.registration_number)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    assert client.post(url, {**base, "logo": logo}).status_code == 302
    org.refresh_from_db()
    stored = org.logo.name
    assert stored
    assert client.post(url, {**base, "description": "Changed"}).status_code == 302
    org.refresh_from_db()
    assert org.logo.name == stored and org.description == "Changed"
    assert client.post(url, {**base, "logo-clear": "on"}).status_code == 302
    org.refresh_from_db()
    assert not org.logo


def test_invite_bad_input(client, org_roles):
    org = org_roles["organization"]
    client.force_login(org_roles["owner"])
    url = en("organizations:invite", slug=org.slug)
    response = client.post(url, {"email": org_roles["editor"].email.upper(), "role": "viewer"})
    assert response.status_code == 400
    assert "This person is already a member of the organisation." in text(response)
    response = client.post(url, {"email": "not-an-email", "role": "viewer"})
    assert response.status_code == 400
    assert "Enter a valid email address." in text(response)
    assert 'value="not-an-email"' in text(response)
    response = client.post(url, {"email": "x@example.org", "role": "king"})
    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert not Invitation.objects.exists()


def test_invite_replaces_a_pending_invitation_and_sends_the_link(
    client, org_roles, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    org = org_roles["organization"]
    old = factories.InvitationFactory(organization=org, email="someone@example.org")
    client.force_login(org_roles["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            en("organizations:invite", slug=org.slug), {"email": "someone@example.org", "role": "viewer"}
        )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Invitation.Status.REVOKED
    new = Invitation.objects.get(organization=org, status=Invitation.Status.PENDING)
    assert new.role == "viewer"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["someone@example.org"]
    assert org.name in message.subject
    with translation.override("sq"):  # no account for this address: the default language
        path = reverse("organizations:invitation_accept", kwargs={"token": new.token})
    assert f"https://portal.example.org{path}" in message.body
    assert "&amp;" not in message.body


def test_invitation_email_of_an_organisation_with_ampersand(org_roles):
    from organizations import services

    org = org_roles["organization"]
    Organization.objects.filter(pk=org.pk).update(name="Ana & Co")
    org.refresh_from_db()
    services.invitation_create(
        actor=org_roles["owner"], organization=org, email="x@example.org", role="viewer"
    )
    outbox = EmailOutbox.objects.get(to="x@example.org")
    assert "Ana & Co" in outbox.subject and "Ana & Co" in outbox.body_text


def test_member_role_bad_input(client, org_roles):
    org = org_roles["organization"]
    client.force_login(org_roles["owner"])
    viewer = org.memberships.get(user=org_roles["viewer"])
    response = client.post(en("organizations:member_role", slug=org.slug, pk=viewer.pk), {"role": "king"})
    assert response.status_code == 400
    assert "Choose a valid role." in text(response)
    viewer.refresh_from_db()
    assert viewer.role == "viewer"
    own = org.memberships.get(user=org_roles["owner"])
    response = client.post(en("organizations:member_role", slug=org.slug, pk=own.pk), {"role": "viewer"})
    assert response.status_code == 400
    assert "An organisation must keep at least one owner." in text(response)
    own.refresh_from_db()
    assert own.role == "owner"


def test_owner_cannot_remove_the_last_owner_as_staff_either(client, org_roles):
    org = org_roles["organization"]
    client.force_login(org_roles["staff"])
    own = org.memberships.get(user=org_roles["owner"])
    response = client.post(en("organizations:member_remove", slug=org.slug, pk=own.pk))
    assert response.status_code == 400
    assert "An organisation must keep at least one owner." in text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_revoke_an_invitation_that_is_not_pending(client, org_roles):
    org = org_roles["organization"]
    invitation = factories.InvitationFactory(organization=org, status=Invitation.Status.ACCEPTED)
    client.force_login(org_roles["owner"])
    response = client.post(en("organizations:invitation_revoke", slug=org.slug, pk=invitation.pk))
    assert response.status_code == 400
    assert "Only a pending invitation can be withdrawn." in text(response)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_other_organisations_ids_are_404(client, org_roles):
    org = org_roles["organization"]
    other = factories.OrganizationFactory()
    other_member = member_of(other, Membership.Role.VIEWER)
    other_membership = other.memberships.get(user=other_member)
    other_invitation = factories.InvitationFactory(organization=other)
    client.force_login(org_roles["owner"])
    responses = [
        client.post(
            en("organizations:member_role", slug=org.slug, pk=other_membership.pk), {"role": "owner"}
        ),
        client.post(en("organizations:member_remove", slug=org.slug, pk=other_membership.pk)),
        client.post(en("organizations:invitation_revoke", slug=org.slug, pk=other_invitation.pk)),
        client.post(en("organizations:member_role", slug=org.slug, pk=999999), {"role": "owner"}),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    other_membership.refresh_from_db()
    other_invitation.refresh_from_db()
    assert other_membership.role == "viewer"
    assert other_invitation.status == Invitation.Status.PENDING


def test_owner_of_another_organisation_is_403_here(client, org_roles):
    org = org_roles["organization"]
    other = factories.OrganizationFactory()
    client.force_login(member_of(other, Membership.Role.OWNER))
    viewer = org.memberships.get(user=org_roles["viewer"])
    assert client.get(en("organizations:manage", slug=org.slug)).status_code == 403
    response = client.post(en("organizations:member_role", slug=org.slug, pk=viewer.pk), {"role": "owner"})
    assert response.status_code == 403
    assert "You do not have permission to do this." in text(response)
    viewer.refresh_from_db()
    assert viewer.role == "viewer"


# --- invitations -------------------------------------------------------------------------


@pytest.fixture
def invitee(client, user):
    client.force_login(user)
    return user


def _accept_url(invitation):
    return en("organizations:invitation_accept", token=invitation.token)


def test_invitation_accept_flow(client, invitee):
    invitation = factories.InvitationFactory(email=invitee.email.upper(), role="viewer")
    page = client.get(_accept_url(invitation))
    assert page.status_code == 200
    assert invitation.organization.name in text(page)
    assert "Viewer" in text(page)
    assert 'method="post"' in text(page)
    response = client.post(_accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organizations:manage", kwargs={"slug": invitation.organization.slug}
    )
    membership = Membership.objects.get(user=invitee, organization=invitation.organization)
    assert membership.role == "viewer"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == invitee


def test_invitation_accept_anonymous_goes_to_login_with_next(client):
    invitation = factories.InvitationFactory()
    url = _accept_url(invitation)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"] and invitation.token in response["Location"]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


@pytest.mark.parametrize(
    "state,status,message",
    [
        ("expired", 410, "This invitation has expired. Ask the organisation for a new one."),
        ("used", 410, "This invitation has already been used."),
        ("revoked", 410, "This invitation was withdrawn."),
        ("foreign", 400, "This invitation was sent to another email address."),
    ],
)
def test_invitation_that_cannot_be_accepted(client, invitee, state, status, message):
    invitation = factories.InvitationFactory(email=invitee.email)
    if state == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    elif state == "used":
        invitation.status = Invitation.Status.ACCEPTED
    elif state == "revoked":
        invitation.status = Invitation.Status.REVOKED
    else:
        invitation.email = "someone.else@example.org"
    invitation.save()
    response = client.post(_accept_url(invitation))
    assert response.status_code == status
    assert message in text(response)
    assert not Membership.objects.filter(user=invitee).exists()
    if state != "foreign":  # the page already says so, without an Accept button
        page = client.get(_accept_url(invitation))
        assert page.status_code == status
        assert message in text(page)
        assert not re.search(r"<form method=\"post\">", text(page))


def test_invitation_to_an_unverified_address_says_confirm_it_first(client, invitee):
    """Issue 12, item 7: the invited address was added on /accounts/email/ but never confirmed."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=invitee, email="second@example.org", verified=False)
    invitation = factories.InvitationFactory(email="second@example.org", role="owner")
    response = client.post(_accept_url(invitation))
    assert response.status_code == 400
    assert "Confirm second@example.org first" in text(response)
    assert f'href="{en("account_email")}"' in text(response)
    assert not Membership.objects.filter(user=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_invitation_reused_by_someone_else(client, invitee):
    invitation = factories.InvitationFactory(email=invitee.email)
    assert client.post(_accept_url(invitation)).status_code == 302
    client.force_login(factories.UserFactory())
    response = client.post(_accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation has already been used." in text(response)
    assert invitation.organization.memberships.count() == 1


def test_invitation_unknown_token_is_404(client, invitee):
    assert client.get(en("organizations:invitation_accept", token="no-such-token")).status_code == 404
    assert client.post(en("organizations:invitation_accept", token="no-such-token")).status_code == 404


def test_verification_email(org_roles):
    from organizations import services

    org = org_roles["organization"]
    services.organization_verify(
        actor=org_roles["staff"], organization=org, verified=False, note="Send the statute."
    )
    outbox = EmailOutbox.objects.get(to=org_roles["owner"].email)
    assert org.name in outbox.subject
    assert "Send the statute." in outbox.body_text
    assert reverse("organizations:manage", kwargs={"slug": org.slug}).split("/", 2)[2] in outbox.body_text
