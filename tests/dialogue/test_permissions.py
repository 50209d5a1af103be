"""Permission matrix of dialogue: every page × anonymous / citizen / viewer / editor /
owner of the organising (and committed) organisation / another verified organisation's
editor / staff, asserting the status (and, for writes, what changed)."""

import pytest
from django.urls import reverse

from dialogue.choices import EventStatus, RegistrationStatus
from dialogue.services import registrations as services
from organizations.models import Membership
from tests import factories
from tests.dialogue.factories import CommitmentFactory, EventFactory, sector, verified_org
from tests.factories import member_of
from tests.helpers import login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "viewer", "editor", "owner", "other_editor", "staff"]
LOGIN = "login"


@pytest.fixture
def world(org_roles, english):
    org = org_roles["organization"]
    org.verification_status = "verified"
    org.save(update_fields=["verification_status"])
    roles = {**org_roles, "other_editor": member_of(verified_org(), Membership.Role.EDITOR)}
    event = EventFactory(organization=org)
    draft = EventFactory(organization=org, status=EventStatus.DRAFT)
    cso = sector(event)
    person = factories.UserFactory()
    registration = services.registration_create(event=event, sector=cso, actor=person, user=person)
    commitment = CommitmentFactory(event=event, organization=org)
    return {
        "roles": roles,
        "event": event,
        "draft": draft,
        "registration": registration,
        "commitment": commitment,
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
ORGANISER = {
    "anonymous": LOGIN,
    "citizen": 404,
    "viewer": 404,
    "editor": 200,
    "owner": 200,
    "other_editor": 404,
    "staff": 200,
}
ANY_ORGANISER = {**ORGANISER, "citizen": 403, "viewer": 403, "other_editor": 200}
HIDDEN_DRAFT = {**ORGANISER, "anonymous": 404}


def _get(client, world, role, name, **kwargs):
    return login(client, world["roles"][role]).get(reverse(f"dialogue:{name}", kwargs=kwargs))


@pytest.mark.parametrize("name", ["event_list", "events_feed", "tracker"])
@_matrix(**EVERYONE)
def test_public_lists(client, world, role, expected, name):
    _check(_get(client, world, role, name), expected)


@pytest.mark.parametrize("name", ["event_detail", "event_ics"])
@_matrix(**EVERYONE)
def test_published_event(client, world, role, expected, name):
    _check(_get(client, world, role, name, pk=world["event"].pk), expected)


@pytest.mark.parametrize("name", ["event_detail", "event_ics"])
@_matrix(**HIDDEN_DRAFT)
def test_draft_event_is_seen_by_its_organiser_only(client, world, role, expected, name):
    _check(_get(client, world, role, name, pk=world["draft"].pk), expected)


@_matrix(**SIGNED_IN)
def test_register_page(client, world, role, expected):
    _check(_get(client, world, role, "register", pk=world["event"].pk), expected)


@_matrix(**SIGNED_IN)
def test_my_registrations(client, world, role, expected):
    _check(_get(client, world, role, "my_registrations"), expected)


@_matrix(**EVERYONE)
def test_ticket_by_code(client, world, role, expected):
    _check(_get(client, world, role, "registration_confirmation", code=world["registration"].code), expected)
    _check(_get(client, world, role, "registration_confirmation", code="NOSUCHCODE"), 404)


@_matrix(**{**ORGANISER, "editor": 302, "owner": 302, "staff": 302})
def test_cancel_someone_elses_registration(client, world, role, expected):
    registration = world["registration"]
    response = login(client, world["roles"][role]).post(
        reverse("dialogue:registration_cancel", kwargs={"pk": registration.pk})
    )
    _check(response, expected)
    registration.refresh_from_db()
    cancelled = registration.status == RegistrationStatus.CANCELLED
    assert cancelled == (expected == 302)


@pytest.mark.parametrize("name", ["my_events", "event_create"])
@_matrix(**ANY_ORGANISER)
def test_organiser_start_pages(client, world, role, expected, name):
    _check(_get(client, world, role, name), expected)


@pytest.mark.parametrize("name", ["event_edit", "event_registrations", "check_in"])
@_matrix(**ORGANISER)
def test_organiser_pages_of_an_event(client, world, role, expected, name):
    _check(_get(client, world, role, name, pk=world["event"].pk), expected)


@_matrix(**{**ORGANISER, "editor": 302, "owner": 302, "staff": 302})
def test_publish_a_draft(client, world, role, expected):
    draft = world["draft"]
    response = login(client, world["roles"][role]).post(
        reverse("dialogue:event_move", kwargs={"pk": draft.pk}), {"target": "published"}
    )
    _check(response, expected)
    draft.refresh_from_db()
    assert (draft.status == EventStatus.PUBLISHED) == (expected == 302)


@_matrix(**{**ANY_ORGANISER, "citizen": 404, "viewer": 404})
def test_record_a_commitment_page(client, world, role, expected):
    _check(_get(client, world, role, "commitment_create", pk=world["event"].pk), expected)


@_matrix(**EVERYONE)
def test_commitment_page(client, world, role, expected):
    _check(_get(client, world, role, "commitment_detail", pk=world["commitment"].pk), expected)


@_matrix(**{**ORGANISER, "staff": 404})
def test_update_a_commitment_is_for_the_committed_organisations_editors(client, world, role, expected):
    _check(_get(client, world, role, "commitment_update", pk=world["commitment"].pk), expected)


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, owner=403, other_editor=403, staff=200)
def test_comment_moderation_is_for_staff(client, world, role, expected):
    _check(_get(client, world, role, "comment_moderation"), expected)


def test_every_dialogue_url_is_in_this_matrix():
    from dialogue.urls import urlpatterns
    from tests.dialogue.test_followup_permissions import NEW_URLS

    covered = {
        "event_list", "events_feed", "tracker", "event_detail", "event_ics", "register", "my_registrations",
        "registration_confirmation", "registration_cancel", "my_events", "event_create", "event_edit",
        "event_registrations", "check_in", "event_move", "commitment_create", "commitment_detail",
        "commitment_update", "comment_moderation",
        # in test_partnerships.py (matrix) and test_trust.py (survey page)
        "partnership_list", "partnership_detail", "partnership_create", "partnership_edit",
        "trust_barometer", "trust_survey",
        # in test_consultation_views.py (matrix)
        "consultation_list", "consultation_detail", "consultation_comment", "comment_support",
        "consultation_manage", "consultation_create", "consultation_edit", "consultation_move",
        "section_create", "section_edit", "comment_answer", "answer_queue",
    } | NEW_URLS  # NEW_URLS: in test_followup_permissions.py  # fmt: skip
    assert {p.name for p in urlpatterns} == covered
