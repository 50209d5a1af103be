"""Confidentiality, as a matrix: every role against every page and file URL of the help desk.
A request, its thread and its files are seen only by the requester side (the requester and
the other members of the requesting organisation), the assigned expert and staff with a
passed second factor; everyone else gets a 404 (visitors too: no login redirect that would
tell the request exists). Staff without the second factor are sent to give it (the kernel's
rule, the same for every id: it tells nothing) and see nothing until they do. Staff pages
send visitors to log in and refuse non-staff (403)."""

import pytest
from django.urls import reverse

from assistance.choices import RequestStatus
from assistance.models import KnowledgeEntry, Message, Rating
from assistance.services import messages as message_services
from assistance.services import requests as services
from organizations.models import Membership
from tests import factories
from tests.assistance.factories import (
    ExpertFactory,
    KnowledgeEntryFactory,
    pdf_upload,
    private_files,  # noqa: F401  (fixture)
    submitted,
)
from tests.factories import member_of
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]

ROLES = [
    "anonymous",
    "citizen",
    "requester",
    "other_member",
    "other_org_member",
    "expert",
    "other_expert",
    "staff",
    "staff_no_2fa",
]
LOGIN, MFA = "login", "mfa"


@pytest.fixture
def world(monkeypatch):
    org = factories.OrganizationFactory()
    requester = member_of(org, Membership.Role.EDITOR)
    expert = ExpertFactory()
    staff = factories.StaffFactory()
    no_2fa = factories.StaffFactory()
    monkeypatch.setattr(
        "accounts.middleware.staff_mfa_satisfied", lambda request: request.user.pk != no_2fa.pk
    )
    help_request = submitted(requester=requester, organization=org, uploads=[pdf_upload()])
    help_request = services.request_assign(actor=staff, request=help_request, expert=expert)
    message = message_services.message_post(
        actor=expert.user, request=help_request, body="Send the statute.", uploads=[pdf_upload("statute.pdf")]
    )
    return {
        "request": help_request,
        "file": help_request.attachments.get(message=None),
        "message_file": message.attachments.get(),
        "roles": {
            "anonymous": None,
            "citizen": factories.UserFactory(),
            "requester": requester,
            "other_member": member_of(org, Membership.Role.VIEWER),
            "other_org_member": member_of(factories.OrganizationFactory(), Membership.Role.OWNER),
            "expert": expert.user,
            "other_expert": ExpertFactory().user,
            "staff": staff,
            "staff_no_2fa": no_2fa,
        },
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and "/2fa/" in response["Location"], response.get("Location")
    else:
        assert response.status_code == expected, (response.status_code, response.content[:400])


def _matrix(**expected):
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


SEES = dict(
    anonymous=404,
    citizen=404,
    requester=200,
    other_member=200,
    other_org_member=404,
    expert=200,
    other_expert=404,
    staff=200,
    staff_no_2fa=MFA,
)


@_matrix(**SEES)
def test_request_page(client, world, role, expected):
    response = login(client, world["roles"][role]).get(
        reverse("assistance:request_detail", args=[world["request"].pk])
    )
    _check(response, expected)
    if expected == 200:
        assert world["request"].title in response.content.decode()
        assert "Send the statute." in response.content.decode()


@_matrix(**SEES)
@pytest.mark.parametrize("which", ["file", "message_file"])
def test_files(client, world, role, expected, which):
    attachment = world[which]
    response = login(client, world["roles"][role]).get(
        reverse("assistance:attachment_download", args=[world["request"].pk, attachment.pk])
    )
    _check(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_file_of_another_request_is_404_even_for_who_sees_this_one(client, world):
    other = submitted(uploads=[pdf_upload()])
    response = login(client, world["roles"]["requester"]).get(
        reverse("assistance:attachment_download", args=[world["request"].pk, other.attachments.get().pk])
    )
    assert response.status_code == 404


@_matrix(
    anonymous=404,
    citizen=404,
    requester=302,
    other_member=302,
    other_org_member=404,
    expert=302,
    other_expert=404,
    staff=403,  # staff read the thread; they do not write in it
    staff_no_2fa=MFA,
)
def test_post_a_message(client, world, role, expected):
    before = Message.objects.count()
    response = login(client, world["roles"][role]).post(
        reverse("assistance:message_post", args=[world["request"].pk]), {"body": "Hello"}
    )
    _check(response, expected)
    assert Message.objects.count() == before + (1 if expected == 302 else 0)


@_matrix(
    anonymous=404,
    citizen=404,
    requester=403,
    other_member=403,
    other_org_member=404,
    expert=302,
    other_expert=404,
    staff=403,
    staff_no_2fa=MFA,
)
def test_start_and_answer(client, world, role, expected):
    user = world["roles"][role]
    pk = world["request"].pk
    response = login(client, user).post(
        reverse("assistance:request_answer", args=[pk]), {"answer": "The answer."}
    )
    _check(response, expected)
    world["request"].refresh_from_db()
    assert (world["request"].status == RequestStatus.ANSWERED) == (expected == 302)


@_matrix(
    anonymous=404,
    citizen=404,
    requester=302,
    other_member=302,
    other_org_member=404,
    expert=403,
    other_expert=404,
    staff=302,
    staff_no_2fa=MFA,
)
def test_close_and_rate(client, world, role, expected):
    help_request = services.request_answer(
        actor=world["roles"]["expert"], request=world["request"], answer="ok"
    )
    response = login(client, world["roles"][role]).post(
        reverse("assistance:request_close", args=[help_request.pk]), {"score": "4", "solved": "yes"}
    )
    _check(response, expected)
    help_request.refresh_from_db()
    assert (help_request.status == RequestStatus.CLOSED) == (expected == 302)
    assert Rating.objects.filter(request=help_request).exists() == (role in ("requester", "other_member"))


@_matrix(
    anonymous=404,
    citizen=404,
    requester=302,
    other_member=302,
    other_org_member=404,
    expert=403,
    other_expert=404,
    staff=403,
    staff_no_2fa=MFA,
)
def test_consent(client, world, role, expected):
    response = login(client, world["roles"][role]).post(
        reverse("assistance:consent", args=[world["request"].pk]), {"consent": "yes"}
    )
    _check(response, expected)
    world["request"].refresh_from_db()
    assert world["request"].consent_to_publish == (expected == 302)


STAFF_ONLY = dict(
    anonymous=LOGIN,
    citizen=403,
    requester=403,
    other_member=403,
    other_org_member=403,
    expert=403,
    other_expert=403,
    staff=302,
    staff_no_2fa=MFA,
)


@_matrix(**STAFF_ONLY)
def test_assign(client, world, role, expected):
    other = ExpertFactory()
    response = login(client, world["roles"][role]).post(
        reverse("assistance:request_assign", args=[world["request"].pk]), {"expert": other.pk}
    )
    _check(response, expected)
    world["request"].refresh_from_db()
    assert (world["request"].expert == other) == (expected == 302)


@_matrix(**STAFF_ONLY)
def test_decline(client, world, role, expected):
    response = login(client, world["roles"][role]).post(
        reverse("assistance:request_decline", args=[world["request"].pk]), {"reason": "Out of scope."}
    )
    _check(response, expected)
    world["request"].refresh_from_db()
    assert (world["request"].status == RequestStatus.DECLINED) == (expected == 302)


@_matrix(**{**STAFF_ONLY, "staff": 200})
def test_publish_page(client, world, role, expected):
    help_request = services.request_answer(
        actor=world["roles"]["expert"], request=world["request"], answer="ok"
    )
    services.consent_set(actor=world["roles"]["requester"], request=help_request, consent=True)
    response = login(client, world["roles"][role]).get(
        reverse("assistance:knowledge_publish", args=[help_request.pk])
    )
    _check(response, expected)


@_matrix(**{**STAFF_ONLY, "staff": 200})
def test_triage(client, world, role, expected):
    response = login(client, world["roles"][role]).get(reverse("assistance:triage"), {"view": "all"})
    _check(response, expected)
    if expected == 200:
        assert list(response.context["requests"]) == [world["request"]]


@_matrix(
    anonymous=LOGIN,
    citizen=403,
    requester=403,
    other_member=403,
    other_org_member=403,
    expert=200,
    other_expert=200,
    staff=403,
    staff_no_2fa=MFA,
)
def test_expert_inbox_shows_only_ones_own(client, world, role, expected):
    response = login(client, world["roles"][role]).get(reverse("assistance:expert_inbox"))
    _check(response, expected)
    if expected == 200:
        shown = list(response.context["requests"])
        assert shown == ([world["request"]] if role == "expert" else [])


@_matrix(
    anonymous=LOGIN,
    citizen=200,
    requester=200,
    other_member=200,
    other_org_member=200,
    expert=200,
    other_expert=200,
    staff=200,
    staff_no_2fa=200,
)
def test_my_requests_lists_only_the_requester_sides(client, world, role, expected):
    response = login(client, world["roles"][role]).get(reverse("assistance:my_requests"))
    _check(response, expected)
    if expected == 200:
        shown = list(response.context["requests"])
        assert shown == ([world["request"]] if role in ("requester", "other_member") else [])


@_matrix(
    anonymous=LOGIN,
    citizen=200,
    requester=200,
    other_member=200,
    other_org_member=200,
    expert=200,
    other_expert=200,
    staff=200,
    staff_no_2fa=200,
)
def test_ask_for_help_page(client, world, role, expected):
    _check(login(client, world["roles"][role]).get(reverse("assistance:request_create")), expected)


@_matrix(**dict.fromkeys(ROLES, 200))
def test_knowledge_base_is_public(client, world, role, expected):
    entry = KnowledgeEntryFactory()
    client = login(client, world["roles"][role])
    _check(client.get(reverse("assistance:knowledge_list")), expected)
    _check(client.get(reverse("assistance:knowledge_detail", args=[entry.pk])), expected)
    _check(client.post(reverse("assistance:knowledge_vote", args=[entry.pk]), {"helpful": "yes"}), 302)


def test_an_unpublished_entry_is_404(client, world):
    entry = KnowledgeEntryFactory(published=False)
    assert client.get(reverse("assistance:knowledge_detail", args=[entry.pk])).status_code == 404
    assert KnowledgeEntry.objects.filter(published=True).count() == 0
