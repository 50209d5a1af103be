"""Permission matrix of every page of the CSO capacity trainings, the self-assessment and
community mapping: anonymous, citizen, member (viewer) of the organisation, its editor, another
organisation's editor, staff, staff without the second factor."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.models import Stakeholder, TrainingAttendee, TrainingFeedback, TrainingRegistration
from academy.services import mapping
from academy.services import trainings as service
from organizations.models import Membership
from tests.academy.training_factories import (
    PDF,
    make_training,
    organization_with,
    questionnaire,
    register,
    use_temporary_storage,
)
from tests.factories import StaffFactory, UserFactory, member_of
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = ["anonymous", "citizen", "member", "editor", "other_editor", "staff", "staff_no_2fa"]
LOGIN, MFA = "login", "mfa"


@pytest.fixture
def world(monkeypatch, tmp_path):
    use_temporary_storage(tmp_path, monkeypatch)
    staff, no_2fa = StaffFactory(), StaffFactory()
    monkeypatch.setattr(
        "accounts.middleware.staff_mfa_satisfied", lambda request: request.user.pk != no_2fa.pk
    )
    organization, editor = organization_with()
    member = member_of(organization, Membership.Role.VIEWER)
    other, other_editor = organization_with()
    open_training = make_training(phase="open")
    held = make_training(phase="held")
    today = make_training(phase="today")
    register(held, organization, editor)
    register(today, organization, editor)
    material = service.material_add(
        actor=staff, training=held, upload=SimpleUploadedFile("slides.pdf", PDF), title="Slides"
    )
    questionnaire()
    mapping.stakeholder_add(
        actor=editor,
        organization=organization,
        data={"kind": "media", "name": "Radio", "interest": 3, "influence": 4},
    )
    mapping.stakeholder_add(
        actor=other_editor,
        organization=other,
        data={"kind": "group", "name": "Grupi", "interest": 2, "influence": 4},
    )
    mapping.map_settings(actor=other_editor, organization=other, shared=True)
    return {
        "people": {
            "anonymous": None,
            "citizen": UserFactory(),
            "member": member,
            "editor": editor,
            "other_editor": other_editor,
            "staff": staff,
            "staff_no_2fa": no_2fa,
        },
        "organization": organization,
        "other": other,
        "open": open_training,
        "held": held,
        "today": today,
        "material": material,
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and "/2fa/" in response["Location"], response.get("Location")
    else:
        assert response.status_code == expected, response.content[:600]


def _matrix(**expected):
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return pytest.mark.parametrize(("role", "expected"), list(expected.items()))


def _get(client, world, role, name, *args, query=""):
    return login(client, world["people"][role]).get(reverse(f"academy:{name}", args=args) + query)


def _post(client, world, role, name, data, *args):
    return login(client, world["people"][role]).post(reverse(f"academy:{name}", args=args), data)


ALL_200 = dict.fromkeys(ROLES, 200)
SIGNED_200 = {**ALL_200, "anonymous": LOGIN}
STAFF_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "staff": 200, "staff_no_2fa": MFA}
# Pages of an organisation: its members and staff; others are told nothing exists (404).
MEMBERS = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "member": 200, "editor": 200, "staff": 200}
MEMBERS["staff_no_2fa"] = MFA
EDITORS = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "editor": 200, "staff_no_2fa": MFA}


# --- public -----------------------------------------------------------------------------------


@_matrix(**ALL_200)
def test_training_list(client, world, role, expected):
    response = _get(client, world, role, "training_list")
    _check(response, expected)
    assert "Fundraising for CSOs" in response.content.decode()


@_matrix(**ALL_200)
def test_training_page(client, world, role, expected):
    response = _get(client, world, role, "training_detail", world["held"].pk)
    _check(response, expected)
    shows_materials = "Slides" in response.content.decode()
    assert shows_materials == (role in ("member", "editor", "staff"))


@_matrix(**ALL_200)
def test_assessment_public(client, world, role, expected):
    _check(_get(client, world, role, "assessment_public"), expected)


@_matrix(**ALL_200)
def test_shared_map(client, world, role, expected):
    response = _get(client, world, role, "shared_map", world["other"].slug)
    _check(response, expected)
    assert "Grupi" in response.content.decode()


@_matrix(**dict.fromkeys(ROLES, 404))
def test_a_private_map_has_no_public_page(client, world, role, expected):
    _check(_get(client, world, role, "shared_map", world["organization"].pk), expected)


# --- organisations' editors and members --------------------------------------------------------


@_matrix(**{**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "editor": 200, "other_editor": 200})
def test_register_page(client, world, role, expected):
    # Staff without an organisation they edit have nothing to register.
    _check(_get(client, world, role, "training_register", world["open"].pk), expected)


@_matrix(**{**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "editor": 302})
def test_register_post(client, world, role, expected):
    data = {
        "organization": world["organization"].pk,
        "attendee_name": ["Arta", "Blerim"],
        "attendee_email": ["", ""],
    }
    _check(_post(client, world, role, "training_register", data, world["open"].pk), expected)
    registered = TrainingRegistration.objects.filter(training=world["open"]).exists()
    assert registered == (role == "editor")


@_matrix(
    **{
        **dict.fromkeys(ROLES, 404),
        "anonymous": LOGIN,
        "member": 200,
        "editor": 200,
        "staff": 200,
        "staff_no_2fa": MFA,
    }
)
def test_material_download(client, world, role, expected):
    response = _get(client, world, role, "training_material", world["held"].pk, world["material"].pk)
    _check(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@_matrix(**{**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "member": 200, "editor": 200})
def test_feedback_page(client, world, role, expected):
    _check(_get(client, world, role, "training_feedback", world["held"].pk), expected)


@_matrix(**{**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "member": 302, "editor": 302})
def test_feedback_post(client, world, role, expected):
    data = {"content": "5", "facilitation": "4", "apply": "4", "comment": "Faleminderit"}
    _check(_post(client, world, role, "training_feedback", data, world["held"].pk), expected)
    assert TrainingFeedback.objects.count() == (1 if expected == 302 else 0)


@_matrix(**SIGNED_200)
def test_my_trainings(client, world, role, expected):
    response = _get(client, world, role, "my_trainings")
    _check(response, expected)
    if role in ("member", "editor"):
        assert "Fundraising for CSOs" in response.content.decode()


@_matrix(**MEMBERS)
def test_organization_assessment(client, world, role, expected):
    _check(_get(client, world, role, "organization_assessment", world["organization"].pk), expected)


@_matrix(**EDITORS)
def test_assessment_fill_page(client, world, role, expected):
    _check(_get(client, world, role, "assessment_fill", world["organization"].pk, "baseline"), expected)


@_matrix(**MEMBERS)
def test_community_map(client, world, role, expected):
    response = _get(client, world, role, "community_map", world["organization"].pk)
    _check(response, expected)
    if expected == 200:
        assert "Radio" in response.content.decode()
        assert ("Add a stakeholder" in response.content.decode()) == (role == "editor")


@_matrix(**{**EDITORS, "editor": 302})
def test_stakeholder_add(client, world, role, expected):
    data = {"kind": "business", "name": "Furra", "interest": "2", "influence": "5", "relation": "ally"}
    _check(_post(client, world, role, "stakeholder_add", data, world["organization"].pk), expected)
    assert Stakeholder.objects.filter(name="Furra").exists() == (role == "editor")


@_matrix(**{**EDITORS, "editor": 302})
def test_stakeholder_remove(client, world, role, expected):
    stakeholder = Stakeholder.objects.get(name="Radio")
    _check(
        _post(
            client,
            world,
            role,
            "stakeholder_remove",
            {"stakeholder": stakeholder.pk},
            world["organization"].pk,
        ),
        expected,
    )
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists() == (role != "editor")


@_matrix(**{**EDITORS, "editor": 302})
def test_map_settings(client, world, role, expected):
    _check(_post(client, world, role, "map_settings", {"shared": "on"}, world["organization"].pk), expected)
    assert world["organization"].academy_map.__class__.objects.get(
        organization=world["organization"]
    ).shared == (role == "editor")


# --- staff ------------------------------------------------------------------------------------


@_matrix(**STAFF_ONLY)
def test_staff_trainings(client, world, role, expected):
    _check(_get(client, world, role, "staff_trainings"), expected)


@_matrix(**STAFF_ONLY)
def test_staff_training_new(client, world, role, expected):
    _check(_get(client, world, role, "staff_training_new"), expected)


@_matrix(**STAFF_ONLY)
def test_staff_training_edit(client, world, role, expected):
    _check(_get(client, world, role, "staff_training_edit", world["open"].pk), expected)


@_matrix(**STAFF_ONLY)
def test_staff_training(client, world, role, expected):
    _check(_get(client, world, role, "staff_training", world["held"].pk), expected)


@_matrix(**{**STAFF_ONLY, "staff": 302})
def test_staff_material_add(client, world, role, expected):
    upload = SimpleUploadedFile("agenda.pdf", PDF, content_type="application/pdf")
    _check(
        _post(
            client, world, role, "staff_material_add", {"title": "Agenda", "file": upload}, world["open"].pk
        ),
        expected,
    )
    assert world["open"].materials.exists() == (role == "staff")


@_matrix(**{**STAFF_ONLY, "staff": 302})
def test_staff_material_remove(client, world, role, expected):
    material = world["material"]
    _check(
        _post(client, world, role, "staff_material_remove", {"material": material.pk}, world["held"].pk),
        expected,
    )
    assert world["held"].materials.exists() == (role != "staff")


@_matrix(**STAFF_ONLY)
def test_staff_attendance(client, world, role, expected):
    _check(_get(client, world, role, "staff_attendance", world["today"].pk), expected)


@_matrix(**{**STAFF_ONLY, "staff": 302})
def test_staff_attendance_mark(client, world, role, expected):
    attendee = TrainingAttendee.objects.filter(training=world["today"]).first()
    _check(
        _post(
            client,
            world,
            role,
            "staff_attendance_mark",
            {"attendee": attendee.pk, "present": "1"},
            world["today"].pk,
        ),
        expected,
    )
    attendee.refresh_from_db()
    assert attendee.present == (role == "staff")
