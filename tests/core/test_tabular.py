"""core.tabular: the one reader of uploaded CSV/XLSX files (encodings, delimiters, header
checks, limits that stop reading early, archive bombs) and the error report."""

import csv
import datetime
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from core import tabular
from core.money import parse_amount
from core.tabular import ErrorReport, TabularFileError

COLUMNS = ["name", "amount", "note"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read(data: bytes, name="f.csv", **kwargs) -> tabular.Table:
    kwargs.setdefault("columns", COLUMNS)
    kwargs.setdefault("required", ["name", "amount"])
    kwargs.setdefault("max_rows", 100)
    return tabular.read_table(name, data, **kwargs)


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- encodings and delimiters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"name,amount\nDrita,1500\n", "Drita"),
        (b"\xef\xbb\xbf" + "name,amount\nZëri,1500\n".encode(), "Zëri"),  # BOM
        ("name,amount\nĐorđe Šćekić,1500\n".encode("cp1250"), "Đorđe Šćekić"),
        ("name,amount\nNdihmë për fëmijët,1500\n".encode("cp1250"), "Ndihmë për fëmijët"),
    ],
)
def test_encodings(data, expected):
    table = read(data)
    assert table.rows[0].cells["name"] == expected


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("name,amount\nx,1\n".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02binary", "CSV"),
        (b"name,amount\nx,1\n\x81\x8d\x81", "UTF-8"),  # no UTF-8, no Windows code page
    ],
)
def test_unreadable_text_is_refused_with_how_to_save_it(data, fragment):
    with pytest.raises(TabularFileError) as excinfo:
        read(data)
    assert fragment in messages(excinfo)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected_on_the_header_line(delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(COLUMNS)
    writer.writerow(["Drita", "1.500,50", "a, b; c"])
    row = read(out.getvalue().encode()).rows[0]
    assert row.cells == {"name": "Drita", "amount": "1.500,50", "note": "a, b; c"}
    assert row.number == 2 and not row.extra


def test_cells_are_stripped_and_short_rows_padded():
    table = read(b"name,amount,note\n  Drita  , 12 \n")
    assert table.rows[0].cells == {"name": "Drita", "amount": "12", "note": None}


def test_malformed_csv_names_the_line():
    data = b'name,amount\n"Drita,12\n' + b"x" * 200_000
    with pytest.raises(TabularFileError):
        read(data)


# --- the header ------------------------------------------------------------------------------


def test_header_is_compared_without_case_and_spaces():
    table = read(b" NAME ,Amount,  Note\nDrita,1,x\n")
    assert table.columns == ["name", "amount", "note"]


def test_header_aliases():
    table = read(b"emri,shuma\nDrita,1\n", aliases={"Emri": "name", "shuma": "amount"})
    assert table.columns == ["name", "amount"] and table.rows[0].cells["amount"] == "1"


def test_missing_and_unknown_columns_are_named():
    with pytest.raises(TabularFileError) as excinfo:
        read(b"name,Phone,colour\nDrita,1,2\n")
    assert excinfo.value.messages == [
        "Unknown columns: phone, colour. Remove them or use the template's column names.",
        "Missing required columns: amount.",
    ]


def test_repeated_columns_are_named():
    with pytest.raises(TabularFileError, match="more than once: amount"):
        read(b"name,amount,Amount\nDrita,1,2\n")


def test_blank_first_row_and_no_data():
    with pytest.raises(TabularFileError, match="first row must hold the column names"):
        read(b",,\nDrita,1\n")
    with pytest.raises(TabularFileError, match="no rows of data"):
        read(b"name,amount\n\n\n")


def test_extra_cells_are_reported_on_the_row():
    table = read(b"name,amount\nDrita,1,surprise\nBesa,2,\n")
    assert table.rows[0].extra == ["surprise"] and table.rows[1].extra == []


def test_comment_rows_are_skipped_and_numbers_are_the_spreadsheets():
    table = read(b"name,amount\n# a note\nDrita,1\n\n\nBesa,2\n")
    assert [(r.number, r.cells["name"]) for r in table.rows] == [(3, "Drita"), (6, "Besa")]
    table = read(b"name,amount\n# a note,1\n", skip_comments=False)
    assert table.rows[0].cells["name"] == "# a note"


# --- the file as a whole ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("f.csv", b"", "empty"),
        ("f.csv", b"  \n \n", "empty"),
        ("f.xlsx", b"not a workbook", "Excel file cannot be read"),
        ("f.xlsx", b"PK\x03\x04garbage", "Excel file cannot be read"),
        ("f.csv", b"PK\x03\x04garbage", "not a CSV file"),
        ("f.xls", b"whatever", "CSV file or an Excel workbook"),
        ("f.pdf", b"%PDF-1.4", "CSV file or an Excel workbook"),
    ],
)
def test_unusable_files(name, data, fragment):
    with pytest.raises(TabularFileError) as excinfo:
        read(data, name=name)
    assert fragment in messages(excinfo)


def test_size_limit():
    with pytest.raises(TabularFileError, match="larger than 1 MB"):
        read(b"name,amount\n" + b"x,1\n" * 300_000, max_bytes=1024 * 1024)
    upload = SimpleUploadedFile("f.csv", b"x" * 2048)
    with pytest.raises(TabularFileError, match="larger than"):
        tabular.read_upload(upload, max_bytes=1024)


def test_row_limit_stops_reading_at_the_limit(monkeypatch):
    walked = []
    real = tabular._csv_rows

    def counting(data, max_columns):
        for row in real(data, max_columns):
            walked.append(row)
            yield row

    monkeypatch.setattr(tabular, "_csv_rows", counting)
    data = b"name,amount\n" + b"Drita,1\n" * 200_000
    with pytest.raises(TabularFileError, match="more than 10 rows"):
        read(data, max_rows=10)
    assert len(walked) <= 12  # the header, 10 rows and the one too many: no more


def test_long_runs_of_empty_rows_end_the_data(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_BLANK_RUN", 50)
    data = b"name,amount\nDrita,1\n" + b",\n" * 100 + b"Late,2\n"
    assert [r.cells["name"] for r in read(data).rows] == ["Drita"]


def test_a_sheet_of_empty_rows_is_not_walked_to_its_end():
    # A sheet "formatted" down to row 60,000: every row is in the XML, all empty.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "amount"])
    sheet.append(["Drita", 1500])
    for number in range(3, 60_003):
        sheet.cell(row=number, column=1).number_format = "0.00"
    sheet.cell(row=60_003, column=1, value="Late")
    out = io.BytesIO()
    workbook.save(out)
    started = time.monotonic()
    table = read(out.getvalue(), name="f.xlsx")
    assert [r.cells["name"] for r in table.rows] == ["Drita"]
    assert time.monotonic() - started < 5


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types():
    when = datetime.datetime(2024, 3, 31)
    data = xlsx([["Name", "amount", "note"], ["  Drita ", 1500.5, when], ["Besa", 2000, None]])
    rows = read(data, name="gifts.xlsx").rows
    assert rows[0].cells == {"name": "Drita", "amount": 1500.5, "note": datetime.date(2024, 3, 31)}
    assert rows[1].cells["amount"] == 2000
    assert parse_amount(rows[0].cells["amount"]) == parse_amount("1500.50")


def _bomb(entry: str, megabytes: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(entry, "w") as stream:
            stream.write(b"<sst>")
            chunk = b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * (1024 * 1024 // 32)
            for _ in range(megabytes):
                stream.write(chunk)
            stream.write(b"</sst>")
    return out.getvalue()


def test_an_archive_bomb_is_refused_fast_before_openpyxl_opens_it(monkeypatch):
    data = _bomb("xl/sharedStrings.xml", 40)  # 40 MB of shared strings in a small file
    assert len(data) < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open an archive bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    started = time.monotonic()
    with pytest.raises(TabularFileError) as excinfo:
        read(data, name="bomb.xlsx")
    assert time.monotonic() - started < 1
    assert "far more data" in messages(excinfo) and excinfo.value.code == "archive"


def test_archive_limits(monkeypatch):
    monkeypatch.setattr(tabular, "XLSX_MAX_ENTRIES", 2)
    with pytest.raises(TabularFileError, match="far more data"):
        tabular.check_xlsx_archive(_bomb("xl/a.xml", 0))
    monkeypatch.setattr(tabular, "XLSX_MAX_ENTRIES", 500)
    monkeypatch.setattr(tabular, "XLSX_MAX_UNCOMPRESSED", 1024)
    with pytest.raises(TabularFileError, match="far more data"):
        tabular.check_xlsx_archive(xlsx([["name", "amount"]]))


def test_a_real_workbook_passes_the_archive_check():
    tabular.check_xlsx_archive(xlsx([["name", "amount"], *[[f"n{i}", i] for i in range(5000)]]))


def test_read_header_reads_only_the_first_row():
    assert tabular.read_header(
        "f.csv", b"name,amount\n" + b'"unclosed\n' * 10, columns=COLUMNS, required=["name"]
    ) == [
        "name",
        "amount",
    ]


def test_cell_text():
    assert tabular.cell_text(None) == ""
    assert tabular.cell_text(2024.0) == "2024"
    assert tabular.cell_text(True) == "1"
    assert tabular.cell_text(datetime.datetime(2024, 3, 31)) == "2024-03-31"
    assert tabular.cell_text("  x ") == "x"


# --- the error report ------------------------------------------------------------------------


def test_error_report():
    report = ErrorReport(limit=2)
    report.add(3, "amount", "bad")
    report.add(3, "date", "bad too")
    report.add(5, "", "row")
    report.add(7, "amount", "not kept")
    assert report.row_count == 3 and len(report) == 3 and bool(report)
    assert [e.row for e in report] == [3, 3, 5]
    assert report.by_row()[3][1].column == "date"
    assert report.as_dicts()[0] == {"row": 3, "column": "amount", "message": "bad"}
    assert not ErrorReport()
