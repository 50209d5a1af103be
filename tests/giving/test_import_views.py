"""Import pages: who may use them, someone else's batch, the review and the commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy
from openpyxl import load_workbook

from giving.choices import Status
from giving.models import GivingRecord, ImportBatch
from giving.services import imports
from organizations.models import Organization
from tests.giving.test_imports import csv_bytes, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

UPLOAD = reverse_lazy("giving:import_upload")
TEMPLATE = reverse_lazy("giving:import_template")


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def review_url(batch):
    return reverse("giving:import_review", kwargs={"pk": batch.pk})


def commit_url(batch):
    return reverse("giving:import_commit", kwargs={"pk": batch.pk})


_capture = None


@pytest.fixture
def org_roles(org_roles):
    """The permission matrix with its organisation verified: imports are for the editors of
    verified organisations (issue 12; an unverified one is tested below)."""
    organization = org_roles["organization"]
    organization.verification_status = Organization.Verification.VERIFIED
    organization.save(update_fields=["verification_status"])
    return org_roles


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """The pages queue Celery tasks after commit; Celery is eager in tests, so running
    the on-commit callbacks runs the tasks."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def post_file(client, data: bytes, name="gifts.csv", **extra):
    with _capture(execute=True):
        return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **extra})


def post_commit(client, batch, data, **kwargs):
    with _capture(execute=True):
        return client.post(commit_url(batch), data, **kwargs)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", None),
        ("citizen", False),
        ("viewer", False),
        ("editor", True),
        ("owner", True),
        ("staff", True),
    ],
)
def test_who_may_open_the_import_pages(client, org_roles, role, allowed):
    login(client, org_roles[role])
    for url in (UPLOAD, TEMPLATE + "?format=csv"):
        response = client.get(url)
        if allowed is None:
            assert response.status_code == 302 and "login" in response["Location"]
        elif allowed:
            assert response.status_code == 200
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", ["citizen", "viewer"])
def test_refused_roles_cannot_upload(client, org_roles, role):
    login(client, org_roles[role])
    response = post_file(client, csv_bytes([row()]), entered_for=org_roles["organization"].pk)
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_editor_uploads_for_own_organisation_and_commits(client, org_roles):
    org = org_roles["organization"]
    login(client, org_roles["editor"])
    response = post_file(client, csv_bytes([row(), row(amount="x")]), entered_for=org.pk)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == review_url(batch)
    assert batch.entered_for == org and batch.uploaded_by == org_roles["editor"]

    page = client.get(review_url(batch))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="rows-valid">1<' in html and 'id="rows-invalid">1<' in html
    assert "<td>3</td>" in html and "<code>amount</code>" in html  # row 3, column amount
    assert 'name="verify"' not in html  # only staff verify on import

    response = post_commit(client, batch, {"mode": "all_or_nothing"})
    assert response.status_code == 302 and GivingRecord.objects.count() == 0
    response = post_commit(client, batch, {"mode": "valid_only", "verify": "on"})
    assert response.status_code == 302
    record = GivingRecord.objects.get()
    assert record.entered_for == org and record.status == Status.REPORTED


def test_editor_may_not_upload_for_another_organisation(client, org_roles):
    from tests.factories import OrganizationFactory

    login(client, org_roles["editor"])
    response = post_file(client, csv_bytes([row()]), entered_for=OrganizationFactory().pk)
    assert response.status_code == 400  # not among the form's choices
    assert ImportBatch.objects.count() == 0


def test_staff_verifies_on_import(client, org_roles):
    login(client, org_roles["staff"])
    post_file(client, csv_bytes([row()]))
    batch = ImportBatch.objects.get()
    assert 'name="verify"' in client.get(review_url(batch)).content.decode()
    post_commit(client, batch, {"mode": "valid_only", "verify": "on"})
    assert GivingRecord.objects.get().status == Status.VERIFIED


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "empty.csv", "invalid-feedback"),  # Django's own "the submitted file is empty"
        (b"%PDF-1.4", "report.pdf", "CSV file or an Excel workbook"),
        (csv_bytes([row()], columns=[*imports.COLUMN_NAMES, "extra"]), "x.csv", "extra"),
        (csv_bytes([row()], columns=imports.COLUMN_NAMES[1:]), "x.csv", "Missing required columns: date"),
    ],
)
def test_bad_files_get_400_with_a_message(client, org_roles, data, name, fragment):
    login(client, org_roles["staff"])
    response = post_file(client, data, name)
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_oversized_upload_is_400(client, org_roles, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 100)
    login(client, org_roles["staff"])
    response = post_file(client, csv_bytes([row()] * 3))
    assert response.status_code == 400 and "MB" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "citizen", "viewer", "editor", "owner"])
def test_someone_elses_batch_is_404(client, org_roles, role):
    batch = imports.import_validate(
        actor=org_roles["staff"], uploaded_file=SimpleUploadedFile("g.csv", csv_bytes([row()]))
    )
    login(client, org_roles[role])
    response = client.get(review_url(batch))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
        assert post_commit(client, batch, {"mode": "valid_only"}).status_code == 404
    assert GivingRecord.objects.count() == 0


def test_staff_sees_any_batch(client, org_roles):
    org = org_roles["organization"]
    batch = imports.import_validate(
        actor=org_roles["editor"],
        uploaded_file=SimpleUploadedFile("g.csv", csv_bytes([row()])),
        entered_for=org,
    )
    login(client, org_roles["staff"])
    assert client.get(review_url(batch)).status_code == 200


def test_double_commit_imports_once(client, org_roles):
    login(client, org_roles["staff"])
    post_file(client, csv_bytes([row(), row(amount="3")]))
    batch = ImportBatch.objects.get()
    post_commit(client, batch, {"mode": "valid_only"})
    response = post_commit(client, batch, {"mode": "valid_only"}, follow=True)
    assert GivingRecord.objects.count() == 2
    assert "already handled" in response.content.decode() or "tashmë" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED and batch.rows_imported == 2


def test_discard(client, org_roles):
    login(client, org_roles["staff"])
    post_file(client, csv_bytes([row()]))
    batch = ImportBatch.objects.get()
    response = post_commit(client, batch, {"mode": "discard"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DISCARDED
    post_commit(client, batch, {"mode": "valid_only"})
    assert GivingRecord.objects.count() == 0


def test_commit_needs_post(client, org_roles):
    login(client, org_roles["staff"])
    post_file(client, csv_bytes([row()]))
    assert client.get(commit_url(ImportBatch.objects.get())).status_code == 405


def test_reimport_is_flagged_on_the_review_page(client, org_roles):
    login(client, org_roles["staff"])
    data = csv_bytes([row()])
    post_file(client, data)
    first = ImportBatch.objects.get()
    post_commit(client, first, {"mode": "valid_only"})
    post_file(client, data)
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    html = client.get(review_url(second), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="rows-duplicate">1<' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_download(client, org_roles, fmt):
    login(client, org_roles["editor"])
    response = client.get(TEMPLATE, {"format": fmt})
    assert response.status_code == 200
    assert f"giving-import-template.{fmt}" in response["Content-Disposition"]
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(response.content))
        assert len(workbook.worksheets) == 2
        assert [c.value for c in workbook.worksheets[0][1]] == imports.COLUMN_NAMES
    else:
        assert response.content.decode("utf-8-sig").startswith(",".join(imports.COLUMN_NAMES))


def test_template_unknown_format_is_400(client, org_roles):
    login(client, org_roles["staff"])
    assert client.get(TEMPLATE, {"format": "pdf"}).status_code == 400


# --- background tasks -------------------------------------------------------------------------


def test_upload_stores_the_file_and_enqueues_validation(
    client, org_roles, django_capture_on_commit_callbacks
):
    from unittest import mock

    login(client, org_roles["staff"])
    with (
        mock.patch("giving.tasks.import_validate_task.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(UPLOAD, {"file": SimpleUploadedFile("g.csv", csv_bytes([row()]))})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == review_url(batch)
    delay.assert_called_once_with(batch.pk, "en")  # the amount format, by default the page's
    assert batch.state == ImportBatch.State.VALIDATING and batch.file and batch.progress == 0
    page = client.get(review_url(batch)).content.decode()
    assert 'id="import-progress"' in page and 'hx-trigger="every 1s"' in page
    assert reverse("giving:import_progress", kwargs={"pk": batch.pk}) in page


def _queued_batch(client, user):
    from unittest import mock

    login(client, user)
    with mock.patch("giving.tasks.import_validate_task.delay"):
        post_file(client, csv_bytes([row(), row(amount="3"), row(amount="x")]))
    return ImportBatch.objects.get()


def test_validate_task_fills_the_batch_and_runs_once(client, org_roles):
    from giving.tasks import import_validate_task

    batch = _queued_batch(client, org_roles["staff"])
    assert import_validate_task(batch.pk) == ImportBatch.State.VALIDATED
    batch.refresh_from_db()
    assert (batch.rows_total, batch.rows_valid, batch.progress) == (3, 2, 100)
    assert len(batch.payload) == 2 and batch.errors and not batch.file
    updated = batch.updated_at
    assert import_validate_task(batch.pk) is None  # a second run does nothing
    batch.refresh_from_db()
    assert batch.updated_at == updated and batch.state == ImportBatch.State.VALIDATED


def test_commit_task_imports_once(client, org_roles):
    from giving.tasks import import_commit_task, import_validate_task

    batch = _queued_batch(client, org_roles["staff"])
    import_validate_task(batch.pk)
    assert imports.import_commit_start(actor=org_roles["staff"], batch=batch, mode="valid_only")
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTING
    assert import_commit_task(batch.pk, "valid_only", False) == ImportBatch.State.IMPORTED
    assert import_commit_task(batch.pk, "valid_only", False) is None  # a second run does nothing
    batch.refresh_from_db()
    assert GivingRecord.objects.count() == 2 and batch.rows_imported == 2
    assert not imports.import_commit_start(actor=org_roles["staff"], batch=batch, mode="valid_only")


def test_commit_button_enqueues_the_task(client, org_roles):
    from unittest import mock

    login(client, org_roles["staff"])
    post_file(client, csv_bytes([row()]))
    batch = ImportBatch.objects.get()
    with mock.patch("giving.tasks.import_commit_task.delay") as delay:
        post_commit(client, batch, {"mode": "valid_only", "verify": "on"})
    delay.assert_called_once_with(batch.pk, "valid_only", True, org_roles["staff"].pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTING and GivingRecord.objects.count() == 0


def test_a_file_that_fails_in_the_task_is_shown_as_failed(client, org_roles, settings):
    settings.GIVING_IMPORT_MAX_ROWS = 1
    login(client, org_roles["staff"])
    post_file(client, csv_bytes([row(), row(amount="3")]))
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED and batch.status_message  # in the uploader's language
    assert batch.status_message in client.get(review_url(batch)).content.decode()


def test_progress_partial(client, org_roles):
    batch = _queued_batch(client, org_roles["staff"])
    url = reverse("giving:import_progress", kwargs={"pk": batch.pk})
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert (response.status_code == 200 and html.startswith("<div")) or 'id="import-progress"' in html
    assert "<html" not in html and 'hx-trigger="every 1s"' in html and "HX-Refresh" not in response
    assert client.get(url)["Location"] == review_url(batch)  # without htmx: the page

    imports.validate_batch(batch.pk)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in response.content.decode() and response["HX-Refresh"] == "true"


@pytest.mark.parametrize("role", ["citizen", "editor"])
def test_someone_elses_progress_is_404(client, org_roles, role):
    batch = _queued_batch(client, org_roles["staff"])
    login(client, org_roles[role])
    url = reverse("giving:import_progress", kwargs={"pk": batch.pk})
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(review_url(batch)).status_code == 404
