"""Public funding: records, the CSV/XLSX import (all or nothing, duplicates, re-import) and
the reconciliation flags."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.tabular import TabularFileError
from organizations.models import Organization
from tests import factories
from transparency.choices import FundingProcedure, FundingSource, ReportStatus
from transparency.models import PublicFundingRecord, TransparencyReport
from transparency.selectors import funding as funding_selectors
from transparency.services import funding as funding_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = list(funding_services.IMPORT_COLUMNS)


def institution(**kw):
    kw.setdefault("kind", Organization.Kind.PUBLIC_INSTITUTION)
    return factories.OrganizationFactory(**kw)


@pytest.fixture
def parties():
    return {
        "ministry": institution(
            name="Ministria e Kulturës", slug="ministry-culture", registration_number="9000001"
        ),
        "municipality": institution(
            name="Komuna e Prizrenit", slug="komuna-prizren", registration_number="9000002"
        ),
        "cso": factories.OrganizationFactory(name="Zëri i të Rinjve", registration_number="5100001"),
        "company": factories.OrganizationFactory(
            name="Ndërtimi SH.P.K.", kind=Organization.Kind.COMPANY, registration_number="8100001"
        ),
    }


def row(**kw):
    data = {
        "institution": "9000001",
        "recipient": "5100001",
        "recipient_name": "",
        "year": "2024",
        "amount": "12500.00",
        "programme": "Youth 2024",
        "procedure": "open_call",
        "call_published": "yes",
        "results_published": "no",
        "recipient_reported": "",
        "source": "declared",
        "notes": "",
    }
    data.update(kw)
    return [data[c] for c in HEADER]


def csv_file(rows, header=HEADER, name="funding.csv", encoding="utf-8"):
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in [header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="funding.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_import_good_csv_creates_records_linked_to_registry(parties, staff_user):
    upload = csv_file(
        [
            row(),
            row(
                institution="komuna-prizren",
                recipient="Ndërtimi SH.P.K.",
                amount="1.000,50".replace(".", ""),
                procedure="Direct award",
            ),
            row(recipient="Shoqata e Panjohur", amount="300", procedure="  DIRECT_award "),
        ]
    )
    result = funding_services.funding_import(actor=staff_user, uploaded_file=upload, dry_run=False)
    assert result.ok, result.errors
    assert result.created == 3
    records = {r.recipient_name: r for r in PublicFundingRecord.objects.all()}
    assert records["Zëri i të Rinjve"].recipient == parties["cso"]
    assert records["Zëri i të Rinjve"].call_published is True
    assert records["Ndërtimi SH.P.K."].recipient == parties["company"]
    assert records["Ndërtimi SH.P.K."].amount == Decimal("1000.50")
    assert records["Ndërtimi SH.P.K."].procedure == FundingProcedure.DIRECT_AWARD
    unlinked = records["Shoqata e Panjohur"]
    assert unlinked.recipient is None and unlinked.procedure == FundingProcedure.DIRECT_AWARD
    assert all(r.fingerprint and r.entered_by == staff_user for r in records.values())
    assert records["Zëri i të Rinjve"].history.count() == 1


def test_import_xlsx(parties, staff_user):
    upload = xlsx_file([[*row()[:3], 2023, 5000, *row()[5:]]])
    result = funding_services.funding_import(actor=staff_user, uploaded_file=upload, dry_run=False)
    assert result.ok and result.created == 1
    assert PublicFundingRecord.objects.get().amount == Decimal("5000.00")


def test_dry_run_validates_and_creates_nothing(parties, staff_user):
    result = funding_services.funding_import(
        actor=staff_user, uploaded_file=csv_file([row(), row(amount="7")]), dry_run=True
    )
    assert result.ok and result.to_create == 2 and result.created == 0
    assert not PublicFundingRecord.objects.exists()


def test_one_bad_row_imports_nothing_and_reports_each_row(parties, staff_user):
    upload = csv_file(
        [
            row(),
            row(amount="-5"),
            row(year="1999", procedure="lottery"),
            row(institution="5100001"),  # a CSO, not a public institution
            row(recipient="", recipient_name=""),
            row(call_published="maybe"),
        ]
    )
    result = funding_services.funding_import(actor=staff_user, uploaded_file=upload, dry_run=False)
    assert not result.ok
    assert result.error_count == 5
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7]
    messages = {e.line: " ".join(e.messages) for e in result.errors}
    assert "amount" in messages[3]
    assert "year" in messages[4] and "procedure" in messages[4]
    assert "institution" in messages[5]
    assert "recipient" in messages[6]
    assert "call_published" in messages[7]
    assert not PublicFundingRecord.objects.exists()  # nothing half imported


def test_duplicates_in_file_and_reimport_create_nothing_new(parties, staff_user):
    rows = [row(), row(programme="  youth   2024 "), row(amount="99")]  # line 3 = line 2 (case, spaces)
    first = funding_services.funding_import(actor=staff_user, uploaded_file=csv_file(rows), dry_run=False)
    assert first.created == 2
    assert first.duplicates and first.duplicates[0][0] == 3
    again = funding_services.funding_import(actor=staff_user, uploaded_file=csv_file(rows), dry_run=False)
    assert again.ok and again.created == 0 and len(again.duplicates) == 3
    assert PublicFundingRecord.objects.count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: csv_file([row()], name="funding.txt"), "CSV file or an Excel workbook"),
        (lambda: csv_file([row()[:-1]], header=HEADER[:-1]), "missing required column"),
        (lambda: csv_file([[*row(), "x"]], header=[*HEADER, "colour"]), "unknown column"),
        (lambda: csv_file([]), "no rows"),
        (lambda: SimpleUploadedFile("funding.xlsx", b"not a zip"), "XLSX"),
        (lambda: SimpleUploadedFile("funding.csv", b""), "empty"),
    ],
)
def test_unusable_files_get_a_clear_error(parties, staff_user, upload, message):
    with pytest.raises(TabularFileError) as exc:
        funding_services.funding_import(actor=staff_user, uploaded_file=upload(), dry_run=False)
    assert message.lower() in str(exc.value).lower()
    assert not PublicFundingRecord.objects.exists()


def test_windows_1250_csv_is_read(parties, staff_user):
    # core.tabular: UTF-8, else Windows-1250 (the import used to refuse anything but UTF-8).
    upload = csv_file([row(recipient="", recipient_name="Shoqata Ëndërr")], encoding="cp1250")
    result = funding_services.funding_import(actor=staff_user, uploaded_file=upload, dry_run=False)
    assert result.ok and result.created == 1
    assert PublicFundingRecord.objects.get().recipient_name == "Shoqata Ëndërr"


def test_too_many_rows(parties, staff_user, monkeypatch):
    monkeypatch.setattr(funding_services, "IMPORT_MAX_ROWS", 3)
    with pytest.raises(TabularFileError, match="more than"):
        funding_services.funding_import(
            actor=staff_user, uploaded_file=csv_file([row(amount=str(i)) for i in range(1, 5)])
        )


def test_import_and_create_need_staff_or_token(parties, org_roles):
    with pytest.raises(PermissionDenied):
        funding_services.funding_import(actor=org_roles["editor"], uploaded_file=csv_file([row()]))
    data = {
        "institution": parties["ministry"],
        "recipient": parties["cso"],
        "year": 2024,
        "amount": Decimal("10"),
        "procedure": "open_call",
    }
    with pytest.raises(PermissionDenied):
        funding_services.funding_record_create(actor=org_roles["citizen"], data=data)
    record = funding_services.funding_record_create(actor=org_roles["staff"], data=data)
    assert record.recipient_name == parties["cso"].name
    with pytest.raises(funding_services.DuplicateFundingRecord):
        funding_services.funding_record_create(actor=org_roles["staff"], data=data)


# --- Reconciliation ---------------------------------------------------------------------------


def record(
    inst, recipient=None, name="", amount="1000", source=FundingSource.DECLARED, year=2024, programme="p"
):
    return PublicFundingRecord.objects.create(
        institution=inst,
        recipient=recipient,
        recipient_name=name or (recipient.name if recipient else "?"),
        year=year,
        amount=Decimal(amount),
        procedure=FundingProcedure.OPEN_CALL,
        source=source,
        programme=programme,
    )


def published_report(org, year=2024, national="0", municipal="0"):
    return TransparencyReport.objects.create(
        organization=org,
        year=year,
        status=ReportStatus.PUBLISHED,
        income_national_public=Decimal(national),
        income_municipal_public=Decimal(municipal),
    )


def test_public_income_reported_selector(parties):
    from transparency.selectors.reports import public_income_reported

    published_report(parties["cso"], national="100", municipal="50.50")
    TransparencyReport.objects.create(organization=parties["company"], year=2024, income_national_public=9)
    assert public_income_reported([parties["cso"].pk, parties["company"].pk], 2024) == {
        parties["cso"].pk: Decimal("150.50")
    }


def test_reconciliation_flags_each_case(parties):
    ministry, municipality = parties["ministry"], parties["municipality"]
    consistent = factories.OrganizationFactory(name="A Consistent")
    mismatch = factories.OrganizationFactory(name="B Mismatch")
    small_gap = factories.OrganizationFactory(name="C Small gap")
    no_report = factories.OrganizationFactory(name="D No report")
    monitored = factories.OrganizationFactory(name="E Monitored")

    record(ministry, consistent, amount="6000")
    record(municipality, consistent, amount="4000")
    published_report(consistent, national="6000", municipal="4000")
    record(ministry, mismatch, amount="10000")
    published_report(mismatch, national="2000")
    record(ministry, small_gap, amount="10000")
    published_report(small_gap, national="9950")  # 50 EUR: within the tolerance
    record(ministry, no_report, amount="5000")
    record(ministry, monitored, amount="5000")
    record(ministry, monitored, amount="9000", source=FundingSource.MONITORING)
    published_report(monitored, national="5000")
    record(ministry, parties["company"], amount="7000")
    record(ministry, None, name="Shoqata e Panjohur", amount="800")

    rows = {r.name: r for r in funding_selectors.reconciliation(year=2024)}
    assert rows["A Consistent"].flags == []
    assert rows["A Consistent"].declared == Decimal("10000") and rows["A Consistent"].institutions == 2
    assert rows["B Mismatch"].flags == [funding_selectors.Flag.REPORTED_MISMATCH]
    assert rows["C Small gap"].flags == []
    assert rows["D No report"].flags == [funding_selectors.Flag.MISSING_REPORT]
    assert rows["E Monitored"].flags == [funding_selectors.Flag.MONITORING_MISMATCH]
    assert rows["E Monitored"].monitoring == Decimal("9000")
    assert rows[parties["company"].name].flags == [funding_selectors.Flag.NOT_CSO]
    assert rows["Shoqata e Panjohur"].flags == [funding_selectors.Flag.UNMATCHED]

    flagged = {r.name for r in funding_selectors.reconciliation(year=2024, flag="any")}
    assert "A Consistent" not in flagged and "B Mismatch" in flagged
    only_missing = [
        r.name
        for r in funding_selectors.reconciliation(year=2024, flag=funding_selectors.Flag.MISSING_REPORT)
    ]
    assert only_missing == ["D No report"]
    by_municipality = funding_selectors.reconciliation(year=2024, institution=municipality)
    assert [r.name for r in by_municipality] == ["A Consistent"]
    assert by_municipality[0].declared == Decimal("10000")  # totals from every institution
    assert funding_selectors.reconciliation(year=2023) == []
