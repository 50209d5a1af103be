"""Session materials: the facilitator or staff attach files (checked by content, core.validators)
and links; the cohort's people download them; anyone else gets a 404."""

import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from academy.models import CohortApplication, SessionMaterial
from academy.services import materials
from tests.academy.factories import make_cohort, participant, running_session
from tests.factories import StaffFactory, UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db
LOGIN, MFA = "login", "mfa"


def pdf_bytes() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(SessionMaterial._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def world(monkeypatch):
    staff, no_2fa = StaffFactory(), StaffFactory()
    monkeypatch.setattr(
        "accounts.middleware.staff_mfa_satisfied", lambda request: request.user.pk != no_2fa.pk
    )
    cohort = make_cohort(places=3)
    member = participant(cohort, staff=staff)
    other_cohort = make_cohort(places=3)
    outsider = participant(other_cohort, staff=staff)
    mentor, facilitator = UserFactory(), UserFactory()
    cohort.mentors.add(mentor)
    cohort.facilitators.add(facilitator)
    CohortApplication.objects.filter(pk=member.pk).update(mentor=mentor)
    session = running_session(cohort)
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    material = materials.material_add(actor=facilitator, session=session, title="Plani", upload=upload)
    link = materials.material_add(actor=staff, session=session, title="Video", link="https://example.org/v")
    return {
        "people": {
            "anonymous": None,
            "citizen": UserFactory(),
            "participant": member.applicant,
            "other_participant": outsider.applicant,
            "facilitator": facilitator,
            "mentor": mentor,
            "staff": staff,
            "staff_no_2fa": no_2fa,
        },
        "session": session,
        "material": material,
        "link": link,
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and "/2fa/" in response["Location"], response.get("Location")
    else:
        assert response.status_code == expected, response.content[:300]


SEE = {
    "anonymous": LOGIN,
    "citizen": 404,
    "participant": 200,
    "other_participant": 404,
    "facilitator": 200,
    "mentor": 200,
    "staff": 200,
    "staff_no_2fa": MFA,
}
MANAGE = {**SEE, "participant": 404, "mentor": 404}


@pytest.mark.parametrize(("role", "expected"), SEE.items())
def test_download_matrix(client, world, role, expected):
    response = login(client, world["people"][role]).get(
        reverse("academy:material_download", args=[world["material"].pk])
    )
    _check(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "plan.pdf" in response["Content-Disposition"]
    link = client.get(reverse("academy:material_download", args=[world["link"].pk]))
    if expected == 200:
        assert link.status_code == 302 and link["Location"] == "https://example.org/v"


@pytest.mark.parametrize(("role", "expected"), SEE.items())
def test_list_matrix(client, world, role, expected):
    response = login(client, world["people"][role]).get(
        reverse("academy:materials", args=[world["session"].pk])
    )
    _check(response, expected)
    if expected == 200:
        page = response.content.decode()
        assert "Plani" in page and "Video" in page
        assert ('enctype="multipart/form-data"' in page) == (role in ("facilitator", "staff"))


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_add_matrix(client, world, role, expected):
    before = SessionMaterial.objects.count()
    response = login(client, world["people"][role]).post(
        reverse("academy:materials", args=[world["session"].pk]),
        {"title": "Lidhja", "link": "https://example.org/x"},
    )
    _check(response, 302 if expected == 200 else expected)
    assert SessionMaterial.objects.count() == before + (1 if expected == 200 else 0)


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_delete_matrix(client, world, role, expected):
    response = login(client, world["people"][role]).post(
        reverse("academy:material_delete", args=[world["link"].pk])
    )
    _check(response, 302 if expected == 200 else expected)
    assert SessionMaterial.objects.filter(pk=world["link"].pk).exists() == (expected != 200)


@pytest.mark.parametrize(
    ("data", "files", "message"),
    [
        ({"title": "X"}, {"file": ("evil.pdf", b"MZ\x90\x00 not a pdf")}, "Upload a PDF"),
        ({"title": "X"}, {"file": ("run.exe", b"MZ\x90\x00")}, "Upload a PDF"),
        ({"title": "X"}, {"file": ("empty.pdf", b"")}, "empty"),
        ({"title": "X", "link": "javascript:alert(1)"}, {}, "Enter a valid URL"),
        ({"title": "X"}, {}, "Attach a file or give a link"),
        ({"title": ""}, {}, "This field is required"),
        (
            {"title": "X", "link": "https://example.org"},
            {"file": ("plan.pdf", pdf_bytes())},
            "one of the two",
        ),
    ],
)
def test_hostile_uploads_are_refused_with_the_reason(client, world, data, files, message):
    before = SessionMaterial.objects.count()
    payload = dict(data)
    for name, (filename, content) in files.items():
        payload[name] = SimpleUploadedFile(filename, content)
    with translation.override("en"):
        response = login(client, world["people"]["facilitator"]).post(
            reverse("academy:materials", args=[world["session"].pk]), payload
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SessionMaterial.objects.count() == before


@pytest.mark.parametrize("pk", ["abc", "0", "99999999999999999999"])
def test_junk_ids_are_404(client, world, pk):
    login(client, world["people"]["staff"])
    assert client.get(f"/en/academy/materials/{pk}/").status_code == 404
    assert client.get(f"/en/academy/sessions/{pk}/materials/").status_code == 404


def test_the_sessions_page_links_the_materials(client, world):
    session = world["session"]
    page = login(client, world["people"]["participant"]).get(
        reverse("academy:sessions", args=[session.cohort_id])
    )
    assert reverse("academy:materials", args=[session.pk]) in page.content.decode()
