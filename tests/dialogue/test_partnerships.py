"""Partnerships: the service's checks (two kinds of members at least, who may create and
edit, workflow with history), the public pages, the profile snippet and the permission
matrix of every new view."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import StatusChange
from dialogue.choices import EventStatus, PartnershipStatus
from dialogue.models import Partnership
from dialogue.services import partnerships as services
from organizations.models import Membership, Organization
from tests import factories
from tests.dialogue.factories import CommitmentFactory, EventFactory, editor_of, verified_org
from tests.factories import member_of
from tests.helpers import login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "viewer", "editor", "owner", "other_editor", "staff"]
LOGIN = "login"


def institution():
    return verified_org(kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number="")


def make(actor, members, **kwargs):
    fields = {"name": "Budget partnership", "goal": "Open budgets", "started_on": date(2026, 1, 10)}
    return services.partnership_create(actor=actor, members=members, **{**fields, **kwargs})


# --- service --------------------------------------------------------------------------


def test_members_of_two_kinds_needed(english):
    cso, other_cso = verified_org(), verified_org()
    staff = factories.StaffFactory()
    with pytest.raises(ValidationError) as exc:
        make(staff, [cso, other_cso])
    assert exc.value.code == "one_sector" and "two different kinds" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        make(staff, [cso])
    assert exc.value.code == "too_few_members"
    partnership = make(staff, [cso, institution()])
    assert partnership.members.count() == 2 and partnership.status == PartnershipStatus.FORMING


def test_editor_creates_only_with_own_organisation():
    cso, public = verified_org(), institution()
    editor = editor_of(cso)
    outsider = editor_of(verified_org())
    with pytest.raises(PermissionDenied):
        make(outsider, [cso, public])
    with pytest.raises(PermissionDenied):
        make(factories.UserFactory(), [cso, public])
    assert make(editor, [cso, public]).created_by == editor


def test_update_moves_status_with_history_and_keeps_own_member():
    cso, public, media = verified_org(), institution(), verified_org(kind="media", registration_number="")
    editor = editor_of(cso)
    partnership = make(editor, [cso, public])
    fields = {"name": "Renamed", "goal": "Goal", "started_on": date(2026, 2, 1)}
    services.partnership_update(
        partnership=partnership, actor=editor, members=[cso, public, media], status="active", **fields
    )
    partnership.refresh_from_db()
    assert partnership.name == "Renamed" and partnership.status == "active"
    assert partnership.members.count() == 3
    assert StatusChange.objects.filter(object_id=partnership.pk, workflow="dialogue.partnership").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.partnership_update(partnership=partnership, actor=editor, members=[public, media], **fields)
    assert exc.value.code == "own_member_removed"
    with pytest.raises(PermissionDenied):
        services.partnership_move(partnership=partnership, actor=editor_of(verified_org()), status="ended")
    services.partnership_move(partnership=partnership, actor=editor, status="completed")
    with pytest.raises(ValidationError):  # completed is final
        services.partnership_move(partnership=partnership, actor=editor, status="active")


def test_links_only_public_events():
    staff = factories.StaffFactory()
    draft = EventFactory(status=EventStatus.DRAFT)
    with pytest.raises(ValidationError):
        make(staff, [verified_org(), institution()], events=[draft])
    event = EventFactory()
    commitment = CommitmentFactory(event=event)
    partnership = make(staff, [verified_org(), institution()], events=[event], commitments=[commitment])
    assert list(partnership.commitments.all()) == [commitment]


# --- pages ----------------------------------------------------------------------------


def test_list_and_detail_public_and_query_count(client, django_assert_max_num_queries):
    staff = factories.StaffFactory()
    for n in range(5):
        make(staff, [verified_org(), institution()], name=f"P{n}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dialogue:partnership_list"))
    assert response.status_code == 200 and len(response.context["partnerships"]) == 5
    partnership = Partnership.objects.first()
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200 and partnership.name in response.content.decode()
    assert client.get(reverse("dialogue:partnership_list") + "?status=nonsense").status_code == 200
    assert client.get(reverse("dialogue:partnership_detail", kwargs={"pk": 99999})).status_code == 404


def test_partnership_on_member_profile(client):
    cso = verified_org()
    partnership = make(factories.StaffFactory(), [cso, institution()])
    response = client.get(cso.get_absolute_url())
    assert response.status_code == 200 and partnership.get_absolute_url() in response.content.decode()


def test_create_by_form_one_sector_is_400_with_message(client, english):
    cso = verified_org()
    editor = editor_of(cso)
    other = verified_org()
    data = {"name": "X", "goal": "Y", "started_on": "2026-03-01", "members": [cso.pk, other.pk]}
    response = login(client, editor).post(reverse("dialogue:partnership_create"), data)
    assert response.status_code == 400
    assert "at least two different kinds" in response.content.decode()
    assert not Partnership.objects.exists()
    data["members"] = [cso.pk, institution().pk]
    response = client.post(reverse("dialogue:partnership_create"), data)
    assert response.status_code == 302 and Partnership.objects.count() == 1
    bad = {**data, "started_on": "not a date", "members": ["x"]}
    assert client.post(reverse("dialogue:partnership_create"), bad).status_code == 400


# --- permission matrix ----------------------------------------------------------------


@pytest.fixture
def world(org_roles):
    org = org_roles["organization"]
    org.verification_status = "verified"
    org.save(update_fields=["verification_status"])
    roles = {**org_roles, "other_editor": member_of(verified_org(), Membership.Role.EDITOR)}
    partnership = make(factories.StaffFactory(), [org, institution()])
    return {"roles": roles, "partnership": partnership, "org": org}


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


@pytest.mark.parametrize("name", ["partnership_list", "trust_barometer"])
@_matrix(**dict.fromkeys(ROLES, 200))
def test_public_pages(client, world, role, expected, name):
    _check(login(client, world["roles"][role]).get(reverse(f"dialogue:{name}")), expected)


@_matrix(**dict.fromkeys(ROLES, 200))
def test_detail(client, world, role, expected):
    url = world["partnership"].get_absolute_url()
    _check(login(client, world["roles"][role]).get(url), expected)


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=200, owner=200, other_editor=200, staff=200)
def test_create_page(client, world, role, expected):
    _check(login(client, world["roles"][role]).get(reverse("dialogue:partnership_create")), expected)


@_matrix(anonymous=LOGIN, citizen=404, viewer=404, editor=302, owner=302, other_editor=404, staff=302)
def test_edit(client, world, role, expected):
    partnership = world["partnership"]
    url = reverse("dialogue:partnership_edit", kwargs={"pk": partnership.pk})
    client = login(client, world["roles"][role])
    if expected == 302:
        assert client.get(url).status_code == 200
    data = {
        "name": "Changed",
        "goal": "Goal",
        "started_on": "2026-01-10",
        "members": [m.pk for m in partnership.members.all()],
        "status": "active",
    }
    _check(client.post(url, data), expected)
    partnership.refresh_from_db()
    assert (partnership.name == "Changed") == (expected == 302)
    assert (partnership.status == "active") == (expected == 302)


# --- API ------------------------------------------------------------------------------


def test_api_lists_partnerships(client, django_assert_max_num_queries):
    staff = factories.StaffFactory()
    event = EventFactory()
    for n in range(3):
        make(staff, [verified_org(), institution()], name=f"P{n}", events=[event])
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/dialogue/partnerships/")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) == 3 and rows[0]["events"] == [event.pk]
    assert {m["kind"] for m in rows[0]["members"]} == {"cso", "public"}
    one = client.get(f"/api/v1/dialogue/partnerships/{rows[0]['id']}/")
    assert one.status_code == 200 and one.json()["status"] == "forming"
    assert client.get("/api/v1/dialogue/partnerships/99999/").status_code == 404
