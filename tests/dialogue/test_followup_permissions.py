"""Permission matrix of the after-event pages and of follows: anonymous / citizen / a
registrant of the event / an editor of the organising organisation / another verified
organisation's editor / staff / staff without a second factor, asserting the status and, for
writes, what changed."""

import pytest
from django.urls import reverse

from dialogue.choices import RegistrationStatus
from dialogue.models import EventFollowUp, Follow, FollowUpDocument, FollowUpPhoto
from dialogue.services import followups as services
from tests import factories
from tests.dialogue.factories import editor_of, ended_event, registrant, upload, use_tmp_storage, verified_org
from tests.helpers import login
from tests.transparency.factories import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "registrant", "editor", "other_editor", "staff", "staff_no_2fa"]
LOGIN, MFA = "login", "mfa"


@pytest.fixture
def world(tmp_path, monkeypatch, english):
    use_tmp_storage(tmp_path, monkeypatch)
    org = verified_org()
    editor = editor_of(org)
    event = ended_event(organization=org)
    no_2fa = factories.StaffFactory()
    monkeypatch.setattr(
        "accounts.middleware.staff_mfa_satisfied", lambda request: request.user.pk != no_2fa.pk
    )
    person = registrant(event, RegistrationStatus.ATTENDED, language="en").user
    services.follow_up_save(event=event, actor=editor, kind="minutes", body_en="Minutes text")
    document = services.document_add(event=event, actor=editor, upload=upload(pdf_bytes(), "m.pdf"))
    photo = services.photo_add(event=event, actor=editor, upload=upload(png_bytes(), "p.png"), caption="Hall")
    return {
        "event": event,
        "editor": editor,
        "document": document,
        "photo": photo,
        "roles": {
            "anonymous": None,
            "citizen": factories.UserFactory(),
            "registrant": person,
            "editor": editor,
            "other_editor": editor_of(verified_org()),
            "staff": factories.StaffFactory(),
            "staff_no_2fa": no_2fa,
        },
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and "/2fa/" in response["Location"], response.get("Location")
    else:
        assert response.status_code == expected, (response.status_code, response.content[:300])


def _matrix(**expected):
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


ORGANISER = dict(
    anonymous=LOGIN, citizen=404, registrant=404, editor=200, other_editor=404, staff=200, staff_no_2fa=MFA
)
ORGANISER_WRITES = {**ORGANISER, "editor": 302, "staff": 302}
EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}


def _url(name, world, **kwargs):
    return reverse(f"dialogue:{name}", kwargs={"pk": world["event"].pk, **kwargs})


@_matrix(**ORGANISER)
def test_follow_up_page(client, world, role, expected):
    _check(login(client, world["roles"][role]).get(_url("follow_up_edit", world)), expected)


@_matrix(**ORGANISER_WRITES)
def test_save_the_text(client, world, role, expected):
    response = login(client, world["roles"][role]).post(
        _url("follow_up_edit", world), {"kind": "report", "body_en": "Changed"}
    )
    _check(response, expected)
    assert (EventFollowUp.objects.get().body_en == "Changed") == (expected == 302)


@_matrix(**ORGANISER_WRITES)
def test_add_a_document(client, world, role, expected):
    response = login(client, world["roles"][role]).post(
        _url("follow_up_document_add", world),
        {"document-title": "New", "document-file": upload(pdf_bytes(), "n.pdf")},
    )
    _check(response, expected)
    assert FollowUpDocument.objects.filter(title="New").exists() == (expected == 302)


@_matrix(**ORGANISER_WRITES)
def test_add_a_photo(client, world, role, expected):
    response = login(client, world["roles"][role]).post(
        _url("follow_up_photo_add", world),
        {"photo-caption": "New", "photo-file": upload(png_bytes(), "n.png")},
    )
    _check(response, expected)
    assert FollowUpPhoto.objects.filter(caption="New").exists() == (expected == 302)


@_matrix(**ORGANISER_WRITES)
def test_remove_a_file(client, world, role, expected):
    response = login(client, world["roles"][role]).post(
        _url("follow_up_file_remove", world, what="photos", item=world["photo"].pk)
    )
    _check(response, expected)
    assert FollowUpPhoto.objects.exists() == (expected != 302)


@_matrix(**ORGANISER_WRITES)
def test_publish(client, world, role, expected):
    response = login(client, world["roles"][role]).post(_url("follow_up_publish", world))
    _check(response, expected)
    assert EventFollowUp.objects.get().is_published == (expected == 302)


HIDDEN_FILE = {**ORGANISER, "anonymous": 404}


@pytest.mark.parametrize("name,item", [("follow_up_document", "document"), ("follow_up_photo", "photo")])
@_matrix(**HIDDEN_FILE)
def test_files_before_publishing_are_the_organisers(client, world, role, expected, name, item):
    _check(login(client, world["roles"][role]).get(_url(name, world, item=world[item].pk)), expected)


@pytest.mark.parametrize("name,item", [("follow_up_document", "document"), ("follow_up_photo", "photo")])
@_matrix(**EVERYONE)
def test_files_once_published_are_public(client, world, role, expected, name, item):
    services.follow_up_publish(event=world["event"], actor=world["editor"])
    _check(login(client, world["roles"][role]).get(_url(name, world, item=world[item].pk)), expected)


@_matrix(**{**SIGNED_IN, **{r: 302 for r in ROLES if r != "anonymous"}})
def test_follow(client, world, role, expected):
    url = reverse("dialogue:follow_toggle", kwargs={"kind": "event", "object_id": world["event"].pk})
    _check(login(client, world["roles"][role]).post(url, {"action": "follow"}), expected)
    assert Follow.objects.filter(kind="event").exists() == (expected == 302)


@_matrix(**SIGNED_IN)
def test_what_i_follow(client, world, role, expected):
    _check(login(client, world["roles"][role]).get(reverse("dialogue:following")), expected)


NEW_URLS = {
    "follow_up_edit", "follow_up_document_add", "follow_up_photo_add", "follow_up_file_remove",
    "follow_up_publish", "follow_up_document", "follow_up_photo", "follow_toggle", "following",
}  # fmt: skip
