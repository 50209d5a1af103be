"""Issue 12, item 2: an upload cannot take a worker down. The request does only the quick
checks and answers 400 at once (an archive bomb, a sheet of millions of empty rows); the
file is read whole by the task, which stops at the limits and runs with time and memory
bounds; only staff and the editors of a verified organisation may import."""

import io
import re
import time
import zipfile

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy
from openpyxl import Workbook

from core import limits, tabular
from giving.models import ImportBatch
from giving.services import imports
from organizations.models import Membership, Organization
from tests.factories import OrganizationFactory, member_of
from tests.giving.test_imports import csv_bytes, row, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

UPLOAD = reverse_lazy("giving:import_upload")


@pytest.fixture
def editor(client):
    organization = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    user = member_of(organization, Membership.Role.EDITOR)
    user.preferred_language = "en"  # the task writes its messages in the uploader's language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return organization


def post(client, capture, data: bytes, name: str, organization, *, run_tasks=True):
    with capture(execute=run_tasks):
        return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), "entered_for": organization.pk})


def shared_strings_bomb(megabytes: int) -> bytes:
    """A workbook of a few hundred KB whose shared strings unpack to `megabytes` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(xlsx_bytes([row()]))) as real:
            for entry in real.infolist():
                if entry.filename != "xl/sharedStrings.xml":
                    archive.writestr(entry.filename, real.read(entry.filename))
        with archive.open("xl/sharedStrings.xml", "w") as stream:
            stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * (1024 * 1024 // 32)
            for _ in range(megabytes):
                stream.write(chunk)
            stream.write(b"</sst>")
    return out.getvalue()


def empty_rows_workbook(empty_rows: int) -> bytes:
    """A workbook written in openpyxl's write-only mode (no <dimension> in the sheet, as
    streaming writers make them): the header, one gift, then `empty_rows` empty rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(imports.COLUMN_NAMES)
    sheet.append([row().get(c, "") for c in imports.COLUMN_NAMES])
    sheet.append([])
    out = io.BytesIO()
    workbook.save(out)
    # The empty rows are spliced into the sheet's XML (what ws.append([]) writes, only
    # faster than appending millions of them one by one).
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                head, tail = re.split(rb'<row r="3"\s*/>|<row r="3"></row>', content)
                empties = b"".join(b'<row r="%d"/>' % n for n in range(3, 3 + empty_rows))
                content = head + empties + tail
            archive.writestr(entry.filename, content)
    return result.getvalue()


def test_an_archive_bomb_is_refused_at_the_request_with_a_400_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    data = shared_strings_bomb(120)  # 120 MB of shared strings
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    response = post(client, django_capture_on_commit_callbacks, data, "gifts.xlsx", editor)
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "far more data than a spreadsheet of this size can" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_three_million_empty_rows_are_not_walked_at_the_request_nor_in_the_task(
    client, editor, django_capture_on_commit_callbacks
):
    data = empty_rows_workbook(3_000_000)
    assert len(data) < tabular.MAX_FILE_BYTES  # a 5 MB file, within every archive limit
    tabular.check_xlsx_archive(data)

    started = time.monotonic()
    response = post(client, django_capture_on_commit_callbacks, data, "gifts.xlsx", editor, run_tasks=False)
    assert response.status_code == 302
    assert time.monotonic() - started < 3  # was 9 s: openpyxl parsed the whole sheet first

    batch = ImportBatch.objects.get()
    started = time.monotonic()
    imports.validate_batch(batch.pk)
    assert time.monotonic() - started < 5  # the data ends after a run of empty rows
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED
    assert batch.rows_total == 1 and batch.rows_valid == 1


def test_rows_over_the_limit_stop_the_task_at_the_limit(
    settings, editor, client, django_capture_on_commit_callbacks
):
    settings.GIVING_IMPORT_MAX_ROWS = 50
    data = csv_bytes([row(amount=str(n + 1)) for n in range(51)])
    post(client, django_capture_on_commit_callbacks, data, "gifts.csv", editor)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED
    assert "more than 50 rows" in batch.status_message


def test_the_request_does_not_parse_big_shared_strings(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """Shared strings above the quick-check budget are parsed by the task only."""
    monkeypatch.setattr(tabular, "XLSX_QUICK_SHARED_STRINGS", 10)
    out = io.BytesIO()  # a workbook with a shared-strings part above the (lowered) budget
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(xlsx_bytes([row()]))) as real:
            for entry in real.infolist():
                archive.writestr(entry.filename, real.read(entry.filename))
        archive.writestr("xl/sharedStrings.xml", "<sst><si><t>Qendra Rinore</t></si></sst>")

    def never(*args, **kwargs):
        raise AssertionError("the request must not open the workbook")

    with monkeypatch.context() as patched:
        patched.setattr("openpyxl.load_workbook", never)
        response = post(
            client, django_capture_on_commit_callbacks, out.getvalue(), "gifts.xlsx", editor, run_tasks=False
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.VALIDATING
    imports.validate_batch(batch.pk)  # the task reads it (and would check its header)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED and batch.rows_valid == 1


def test_a_file_needing_too_much_memory_fails_the_batch_not_the_worker(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    if limits.address_space_bytes() is None:
        pytest.skip("no /proc/self/statm here")
    monkeypatch.setattr(imports, "VALIDATE_MEMORY_MB", 32)
    held = []

    def greedy(**kwargs):
        held.append(bytearray(256 * 1024 * 1024))  # past the 32 MB the task may take
        raise AssertionError("the memory limit did not hold")

    monkeypatch.setattr(imports, "validate_rows", greedy)
    post(client, django_capture_on_commit_callbacks, csv_bytes([row()]), "gifts.csv", editor)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED
    assert "needed too much memory" in batch.status_message
    assert not held
    bytearray(256 * 1024 * 1024)  # the limit is lifted after the task


def test_a_file_taking_too_long_fails_the_batch_with_a_message(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    def slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(imports, "validate_rows", slow)
    post(client, django_capture_on_commit_callbacks, csv_bytes([row()]), "gifts.csv", editor)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED
    assert "took too long" in batch.status_message


def test_the_validation_task_has_time_limits():
    from giving.tasks import import_validate_task

    assert 0 < import_validate_task.soft_time_limit < import_validate_task.time_limit <= 600


# --- Who may import --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.EDITOR])
def test_an_unverified_informal_group_may_not_import(client, role, django_capture_on_commit_callbacks):
    group = OrganizationFactory(
        kind=Organization.Kind.INFORMAL_GROUP,
        registration_number="",
        verification_status=Organization.Verification.PENDING,
    )
    client.force_login(member_of(group, role))
    for url in (UPLOAD, reverse("giving:import_template") + "?format=csv"):
        assert client.get(url).status_code == 403
    response = post(client, django_capture_on_commit_callbacks, csv_bytes([row()]), "gifts.csv", group)
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0
    page = client.get(reverse("giving:dashboard")).content.decode()
    assert reverse("giving:import_upload") not in page
    assert reverse("giving:record_add") in page  # gifts one by one: still open to them


def test_a_verified_organisations_editor_may_import(client, editor):
    assert client.get(UPLOAD).status_code == 200
    assert reverse("giving:import_upload") in client.get(reverse("giving:dashboard")).content.decode()


def test_an_editor_of_both_imports_only_for_the_verified_one(client, editor):
    user = editor.memberships.get().user
    group = OrganizationFactory(kind=Organization.Kind.INFORMAL_GROUP, registration_number="")
    Membership.objects.create(organization=group, user=user, role=Membership.Role.OWNER)
    form = client.get(UPLOAD).context["form"]
    assert list(form.fields["entered_for"].queryset) == [editor]
    with pytest.raises(Exception, match="verified organisations you edit"):
        imports.import_validate(
            actor=user, uploaded_file=SimpleUploadedFile("g.csv", csv_bytes([row()])), entered_for=group
        )
