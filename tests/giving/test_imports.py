"""The import service: reading CSV/XLSX, validating every row, duplicates, committing."""

import csv
import io
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from core.models import Municipality
from core.tabular import TabularFileError
from giving.choices import Cause, DonorType, Geography, RecipientType, Source, Status
from giving.models import GivingRecord, ImportBatch
from giving.services import imports
from organizations.models import Membership, Organization
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of
from tests.giving.factories import GivingRecordFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def row(**overrides) -> dict:
    values = {
        "date": "2024-05-10",
        "amount": "1200.50",
        "support_kind": "money",
        "donor_type": "company",
        "donor_name": "Shpresa L.L.C.",
        "donor_name_public": "yes",
        "donor_country": "",
        "diaspora_channel": "",
        "recipient_type": "cso",
        "recipient_name": "Qendra Rinore",
        "recipient_organization": "",
        "cause": "education",
        "beneficiary_group": "youth",
        "geography": "",
        "municipality": "prishtine",
        "recurrence": "",
        "effect": "",
        "description": "Laptops",
        "source_url": "",
    }
    values.update(overrides)
    return values


def csv_bytes(rows, columns=None, encoding="utf-8", delimiter=",") -> bytes:
    columns = columns or imports.COLUMN_NAMES
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, columns=None) -> bytes:
    columns = columns or imports.COLUMN_NAMES
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(c, "") for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name="gifts.csv"):
    return SimpleUploadedFile(name, data)


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def editor():
    # Imports are for verified organisations (issue 12): the editor's organisation is one.
    org = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    return member_of(org, Membership.Role.EDITOR)


def errors_by_row(batch) -> dict:
    found = {}
    for error in batch.errors:
        found.setdefault(error["row"], {})[error["column"]] = error["message"]
    return found


class TestGoodFile:
    def test_csv_validated_then_committed(self, staff):
        rows = [row(), row(amount="80", donor_name="Arta", donor_type="individual", donor_name_public="no")]
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes(rows)))
        assert batch.state == ImportBatch.State.VALIDATED
        assert (batch.rows_total, batch.rows_valid, batch.rows_duplicate, batch.errors) == (2, 2, 0, [])
        assert len(batch.file_hash) == 64
        assert GivingRecord.objects.count() == 0  # validation writes no record

        batch = imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert batch.state == ImportBatch.State.IMPORTED and batch.rows_imported == 2
        first = GivingRecord.objects.get(donor_name="Shpresa L.L.C.")
        assert first.amount == Decimal("1200.50")
        assert first.municipality.slug == "prishtine"
        assert first.geography == Geography.MUNICIPALITY
        assert first.status == Status.REPORTED
        assert first.source == Source.STAFF
        assert first.entered_by == staff
        assert first.fingerprint and first.donor_name_public is True
        assert first.history.count() == 1  # history kept for bulk-created rows
        second = GivingRecord.objects.get(donor_name="Arta")
        assert second.donor_name_public is False

    def test_xlsx(self, staff):
        data = xlsx_bytes([row(), row(amount=99.5, date="11.05.2024")])
        batch = imports.import_validate(actor=staff, uploaded_file=upload(data, "gifts.xlsx"))
        assert batch.errors == [] and batch.rows_valid == 2
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_ALL_OR_NOTHING)
        assert set(GivingRecord.objects.values_list("amount", flat=True)) == {
            Decimal("1200.50"),
            Decimal("99.50"),
        }

    def test_xlsx_with_real_dates_and_numbers(self, staff):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(imports.COLUMN_NAMES)
        values = row()
        values["date"] = timezone.localdate().replace(year=2023)
        values["amount"] = 2500
        sheet.append([values[c] for c in imports.COLUMN_NAMES])
        out = io.BytesIO()
        workbook.save(out)
        batch = imports.import_validate(actor=staff, uploaded_file=upload(out.getvalue(), "g.xlsx"))
        assert batch.errors == []
        assert batch.payload[0]["values"]["amount"] == "2500.00"

    def test_labels_in_every_language_are_accepted(self, staff):
        rows = []
        for language in ("sq", "sr-latn", "en"):
            with translation.override(language):
                rows.append(
                    row(
                        donor_name=f"Donor {language}",
                        support_kind=str(imports.SupportKind.GOODS.label),
                        donor_type=str(DonorType.DIASPORA_INDIVIDUAL.label).upper(),
                        donor_country="DE",
                        recipient_type=str(RecipientType.SCHOOL.label),
                        cause=str(Cause.POVERTY.label),
                        beneficiary_group=str(imports.BeneficiaryGroup.ELDERLY.label),
                    )
                )
        municipality = Municipality.objects.get(slug="peje")
        rows[0]["municipality"] = municipality.name_sq
        rows[1]["municipality"] = municipality.name_sr
        rows[2]["municipality"] = municipality.name_en
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes(rows)))
        assert batch.errors == []
        for entry in batch.payload:
            values = entry["values"]
            assert values["support_kind"] == "goods"
            assert values["donor_type"] == "diaspora_individual" and values["is_diaspora"] is True
            assert values["recipient_type"] == "school"
            assert values["cause"] == "poverty"
            assert values["municipality_id"] == municipality.pk

    def test_semicolons_bom_and_european_amounts(self, staff):
        data = b"\xef\xbb\xbf" + csv_bytes([row(amount="1.234,56")], delimiter=";")
        batch = imports.import_validate(actor=staff, uploaded_file=upload(data))
        assert batch.errors == []
        assert batch.payload[0]["values"]["amount"] == "1234.56"

    def test_windows_1250_is_read(self, staff):
        data = csv_bytes(
            [row(donor_name="Đorđe Šćekić", description="Ndihmë për fëmijët")], encoding="cp1250"
        )
        batch = imports.import_validate(actor=staff, uploaded_file=upload(data))
        assert batch.errors == []
        assert batch.payload[0]["values"]["donor_name"] == "Đorđe Šćekić"
        assert batch.payload[0]["values"]["description"] == "Ndihmë për fëmijët"

    def test_optional_columns_may_be_left_out(self, staff):
        columns = [*imports.REQUIRED_COLUMNS, "municipality"]
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([row()], columns=columns))
        )
        assert batch.errors == [] and batch.rows_valid == 1

    def test_recipient_organisation_by_registration_number_or_slug(self, staff):
        org = OrganizationFactory(slug="qendra", registration_number="51234567")
        rows = [
            row(recipient_organization="51234567"),
            row(recipient_organization="qendra", amount="10"),
            row(recipient_organization="nobody", amount="11"),
        ]
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes(rows)))
        assert [e["values"]["recipient_organization_id"] for e in batch.payload] == [org.pk, org.pk]
        assert list(errors_by_row(batch)[4]) == ["recipient_organization"]

    def test_staff_may_verify_on_import_editors_may_not(self, staff, editor):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY, verify=True)
        record = GivingRecord.objects.get()
        assert record.status == Status.VERIFIED and record.reviewed_by == staff

        org = editor.memberships.get().organization
        batch = imports.import_validate(
            actor=editor, uploaded_file=upload(csv_bytes([row(amount="5")])), entered_for=org
        )
        imports.import_commit(actor=editor, batch=batch, mode=imports.MODE_VALID_ONLY, verify=True)
        record = GivingRecord.objects.get(amount=5)
        assert record.status == Status.REPORTED
        assert record.source == Source.CSO_SELF and record.entered_for == org


class TestBadFile:
    @pytest.mark.parametrize(
        ("data", "name", "fragment"),
        [
            (b"", "a.csv", "empty"),
            ("\ufeffdate,amount".encode("utf-16"), "a.csv", "UTF-16"),
            (b"\x00\x01\x02binary", "a.csv", "CSV"),
            (b"PK\x03\x04garbage", "a.xlsx", "Excel"),
            (b"not a workbook", "a.xlsx", "Excel"),
            (b"whatever", "a.xls", "CSV file or an Excel workbook"),
        ],
    )
    def test_unreadable_files_are_refused_with_a_message(self, staff, data, name, fragment):
        with pytest.raises(TabularFileError) as excinfo:
            imports.import_validate(actor=staff, uploaded_file=upload(data, name))
        assert fragment in " ".join(excinfo.value.messages)
        assert ImportBatch.objects.count() == 0

    def test_undecodable_bytes_name_the_encoding(self, staff):
        # 0x81 and 0x8d are undefined in both Windows-1250 and Windows-1252, and not UTF-8.
        data = csv_bytes([row()]) + b"\x81\x8d\x81"
        with pytest.raises(TabularFileError) as excinfo:
            imports.import_validate(actor=staff, uploaded_file=upload(data))
        assert "UTF-8" in excinfo.value.messages[0]

    def test_missing_columns_are_named(self, staff):
        columns = [c for c in imports.COLUMN_NAMES if c not in ("amount", "cause")]
        with pytest.raises(TabularFileError) as excinfo:
            imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()], columns=columns)))
        assert excinfo.value.messages == ["Missing required columns: amount, cause."]

    def test_extra_and_unknown_columns_are_named(self, staff):
        columns = [*imports.COLUMN_NAMES, "notes", "Phone"]
        with pytest.raises(TabularFileError) as excinfo:
            imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()], columns=columns)))
        message = excinfo.value.messages[0]
        assert "notes" in message and "phone" in message

    def test_repeated_columns_are_refused(self, staff):
        columns = [*imports.COLUMN_NAMES, "amount"]
        with pytest.raises(TabularFileError, match="amount"):
            imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()], columns=columns)))

    def test_header_only(self, staff):
        with pytest.raises(TabularFileError, match="no rows"):
            imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([])))

    def test_oversized_file(self, staff):
        big = SimpleUploadedFile("big.csv", b"x" * (imports.MAX_FILE_BYTES + 1))
        with pytest.raises(TabularFileError, match="10 MB"):
            imports.import_validate(actor=staff, uploaded_file=big)

    @override_settings(GIVING_IMPORT_MAX_ROWS=20_000)
    def test_too_many_rows_refused_fast(self, staff):
        line = ",".join(row()[c] for c in imports.COLUMN_NAMES)
        data = (",".join(imports.COLUMN_NAMES) + "\n" + (line + "\n") * 20_001).encode()
        started = time.monotonic()
        with pytest.raises(TabularFileError, match="more than 20000 rows"):
            imports.import_validate(actor=staff, uploaded_file=upload(data))
        assert time.monotonic() - started < 5
        assert ImportBatch.objects.count() == 0

    @override_settings(GIVING_IMPORT_MAX_ROWS=3)
    def test_row_limit_is_a_setting(self, staff):
        with pytest.raises(TabularFileError, match="more than 3 rows"):
            imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()] * 4)))


class TestRowErrors:
    def test_each_bad_value_is_reported_with_its_row_and_column(self, staff):
        future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
        rows = [
            row(),  # row 2
            row(amount="-5"),  # row 3
            row(amount="abc", cause="gardening"),  # row 4
            row(date=future),  # row 5
            row(municipality="Atlantis"),  # row 6
            row(municipality="", geography=""),  # row 7: local gift without a place
            row(donor_name_public="maybe", source_url="not a url"),  # row 8
            row(date="", donor_type=""),  # row 9
            row(amount="200000000"),  # row 10: absurd
        ]
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes(rows)))
        found = errors_by_row(batch)
        assert 2 not in found
        assert found[3] == {"amount": "The amount must be positive."}
        assert set(found[4]) == {"amount", "cause"}
        assert "gardening" in found[4]["cause"]
        assert set(found[5]) == {"date"} and "future" in found[5]["date"]
        assert set(found[6]) == {"municipality"} and "Atlantis" in found[6]["municipality"]
        assert set(found[7]) == {"municipality"}
        assert set(found[8]) == {"donor_name_public", "source_url"}
        assert set(found[9]) == {"date", "donor_type"}
        assert set(found[10]) == {"amount"}
        assert batch.rows_valid == 1 and batch.rows_total == 9
        assert imports.rows_invalid(batch) == 8

    def test_rows_are_numbered_as_the_spreadsheet_shows_them(self, staff):
        text = (
            csv_bytes([row()]).decode() + "\n\n" + ",".join(row(amount="0")[c] for c in imports.COLUMN_NAMES)
        )
        batch = imports.import_validate(actor=staff, uploaded_file=upload(text.encode()))
        assert [e["row"] for e in batch.errors] == [5]

    def test_template_example_row_is_refused(self, staff):
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([imports.EXAMPLE_ROW, row()]))
        )
        assert list(errors_by_row(batch)) == [2] and batch.rows_valid == 1


class TestDuplicates:
    def test_duplicates_within_the_file(self, staff):
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([row(), row(), row(amount="7")]))
        )
        assert (batch.rows_valid, batch.rows_duplicate) == (2, 1)
        assert batch.payload[1]["duplicate_of_row"] == 2
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert GivingRecord.objects.count() == 2

    def test_duplicates_against_the_database(self, staff):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        existing = GivingRecord.objects.get()
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([row(), row(amount="9")]))
        )
        assert batch.payload[0]["duplicate_of"] == existing.pk
        assert (batch.rows_valid, batch.rows_duplicate) == (1, 1)

    def test_another_organisations_record_is_not_confirmed_but_flagged(self, staff, editor):
        """Issue 12 item 9: an editor's file that repeats a gift only another organisation
        recorded: not called a duplicate (that would confirm a guessed private donor name),
        imported as reported and flagged for the moderators; their own records still count."""
        org = editor.memberships.get().organization
        theirs = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_commit(actor=staff, batch=theirs, mode=imports.MODE_VALID_ONLY)
        existing = GivingRecord.objects.get()
        batch = imports.import_validate(
            actor=editor, uploaded_file=upload(csv_bytes([row(), row(amount="9")])), entered_for=org
        )
        assert batch.payload[0]["duplicate_of"] is None
        assert batch.payload[0]["near_duplicate_of"] == existing.pk
        assert (batch.rows_valid, batch.rows_duplicate) == (2, 0)
        imports.import_commit(actor=editor, batch=batch, mode=imports.MODE_VALID_ONLY)
        mine = GivingRecord.objects.filter(entered_for=org)
        assert mine.count() == 2
        assert mine.get(amount=existing.amount).possible_duplicate_of == existing
        again = imports.import_validate(
            actor=editor, uploaded_file=upload(csv_bytes([row()])), entered_for=org
        )
        assert again.payload[0]["duplicate_of"] in set(mine.values_list("pk", flat=True)) | {existing.pk}
        assert again.rows_duplicate == 1

    def test_reimporting_the_same_file_creates_nothing(self, staff):
        data = csv_bytes([row(), row(amount="33"), row(amount="44")])
        first = imports.import_validate(actor=staff, uploaded_file=upload(data))
        imports.import_commit(actor=staff, batch=first, mode=imports.MODE_VALID_ONLY)
        assert GivingRecord.objects.count() == 3
        second = imports.import_validate(actor=staff, uploaded_file=upload(data))
        assert second.file_hash == first.file_hash
        assert (second.rows_valid, second.rows_duplicate) == (0, 3)
        imports.import_commit(actor=staff, batch=second, mode=imports.MODE_ALL_OR_NOTHING)
        assert GivingRecord.objects.count() == 3

    def test_recorded_between_validation_and_commit_is_skipped(self, staff):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        other = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_commit(actor=staff, batch=other, mode=imports.MODE_VALID_ONLY)
        batch = imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert batch.rows_imported == 0 and GivingRecord.objects.count() == 1

    def test_rejected_records_do_not_count_as_duplicates(self, staff):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        GivingRecord.objects.update(status=Status.REJECTED, rejection_reason="wrong")
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        assert batch.rows_valid == 1

    def test_near_duplicates_are_flagged_and_imported(self, staff):
        near = GivingRecordFactory(
            date=timezone.localdate().replace(year=2024, month=5, day=12),
            amount=Decimal("1210.00"),
            recipient_type=RecipientType.CSO,
            cause=Cause.EDUCATION,
            municipality=Municipality.objects.get(slug="prishtine"),
            donor_name="Someone else",
        )
        GivingRecordFactory(  # other place: not a near duplicate
            date=near.date,
            amount=Decimal("1200.50"),
            recipient_type=RecipientType.CSO,
            cause=Cause.EDUCATION,
            municipality=Municipality.objects.get(slug="peje"),
        )
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([row(), row(amount="5000")]))
        )
        assert batch.payload[0]["near_duplicate_of"] == near.pk
        assert batch.payload[1]["near_duplicate_of"] is None
        assert batch.rows_valid == 2
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert (
            GivingRecord.objects.get(
                donor_name="Shpresa L.L.C.", amount=Decimal("1200.50")
            ).possible_duplicate_of
            == near
        )


class TestCommit:
    def test_all_or_nothing_imports_nothing_when_a_row_is_invalid(self, staff):
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([row(), row(amount="x")]))
        )
        with pytest.raises(ValidationError, match="1 rows have errors"):
            imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_ALL_OR_NOTHING)
        assert GivingRecord.objects.count() == 0
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.VALIDATED  # the user may still choose valid_only

        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert GivingRecord.objects.count() == 1

    def test_committing_twice_imports_once(self, staff):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        again = imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert again.rows_imported == 1 and GivingRecord.objects.count() == 1

    def test_discarded_batch_imports_nothing(self, staff):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        imports.import_discard(actor=staff, batch=batch)
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert GivingRecord.objects.count() == 0

    def test_a_failure_during_commit_leaves_the_database_unchanged(self, staff, monkeypatch):
        batch = imports.import_validate(
            actor=staff, uploaded_file=upload(csv_bytes([row(amount=str(n + 1)) for n in range(7)]))
        )
        monkeypatch.setattr(imports, "CHUNK_SIZE", 3)
        original = imports.bulk_create_with_history
        calls = []

        def failing(objs, model, **kwargs):
            calls.append(len(objs))
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return original(objs, model, **kwargs)

        monkeypatch.setattr(imports, "bulk_create_with_history", failing)
        with pytest.raises(RuntimeError):
            imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert calls == [3, 3]
        assert GivingRecord.objects.count() == 0
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.VALIDATED

    def test_unknown_mode(self, staff):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        with pytest.raises(ValidationError):
            imports.import_commit(actor=staff, batch=batch, mode="some")


class TestPermissions:
    def test_citizen_may_not_import(self):
        with pytest.raises(PermissionDenied):
            imports.import_validate(actor=UserFactory(), uploaded_file=upload(csv_bytes([row()])))

    def test_editor_imports_only_for_own_organisation(self, editor):
        with pytest.raises(PermissionDenied):
            imports.import_validate(
                actor=editor, uploaded_file=upload(csv_bytes([row()])), entered_for=OrganizationFactory()
            )
        with pytest.raises(ValidationError):
            imports.import_validate(actor=editor, uploaded_file=upload(csv_bytes([row()])))

    def test_viewer_may_not_import(self):
        viewer = member_of(OrganizationFactory(), Membership.Role.VIEWER)
        with pytest.raises(PermissionDenied):
            imports.import_validate(
                actor=viewer,
                uploaded_file=upload(csv_bytes([row()])),
                entered_for=viewer.memberships.get().organization,
            )

    def test_someone_elses_batch_cannot_be_committed(self, staff, editor):
        batch = imports.import_validate(actor=staff, uploaded_file=upload(csv_bytes([row()])))
        with pytest.raises(PermissionDenied):
            imports.import_commit(actor=editor, batch=batch, mode=imports.MODE_VALID_ONLY)
        assert GivingRecord.objects.count() == 0


class TestTemplate:
    def test_csv_template_is_importable_once_the_example_is_replaced(self, staff):
        out = io.BytesIO()
        imports.write_template_csv(out)
        text = out.getvalue().decode("utf-8-sig")
        assert text.splitlines()[0] == ",".join(imports.COLUMN_NAMES)
        assert "# cause" in text  # the codes section
        batch = imports.import_validate(actor=staff, uploaded_file=upload(out.getvalue()))
        assert list(errors_by_row(batch)) == [2]  # only the example row, the notes are skipped

    def test_xlsx_template_has_codes_sheet_in_the_language(self, staff):
        out = io.BytesIO()
        with translation.override("en"):
            imports.write_template_xlsx(out)
        workbook = load_workbook(io.BytesIO(out.getvalue()))
        records, codes = workbook.worksheets
        assert [c.value for c in records[1]] == imports.COLUMN_NAMES
        labels = {(r[0], r[1]): r[2] for r in codes.iter_rows(values_only=True)}
        assert labels[("cause", "poverty")] == "Poverty relief"
        assert ("municipality", "prishtine") in labels
