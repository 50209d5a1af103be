"""Writers of tabular exports (CSV, XLSX, PDF), reusable by reports, admin actions and views.

Every writer has the same shape::

    write_csv(out, columns, rows) -> int      # rows written
    write_xlsx(out, columns, rows, title="") -> int
    write_pdf(out, columns, rows, title="") -> int   # a titled table, A4 landscape

`html_to_pdf(out, html)` turns any HTML rendered from a template into a PDF (WeasyPrint),
for documents that are more than one table.

`out` is a binary file object (a temporary file, `io.BytesIO`, an HTTP response);
`columns` are the header labels (lazy translations are fine); `rows` is any iterable of
row sequences, consumed once, so a generator over `queryset.iterator()` keeps memory
flat. Cell values may be str, int, Decimal, float, bool, date, datetime (aware datetimes
are shown in the current time zone), None or lazy strings. Call a writer inside
`translation.override()` to get labels and values in that language.

Both writers defuse spreadsheet formula injection: a text cell that starts like a
formula (`=`, `@`, or `+`/`-` not followed by a plain number) is written as text.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

_NUMBER_LIKE = re.compile(r"^[+-]?[\d\s().,/-]*$")  # phone numbers, signed amounts


def _local(value: datetime) -> datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _is_formula_like(text: str) -> bool:
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and not _NUMBER_LIKE.match(text)


def text_value(value) -> str:
    """A cell as text (CSV): the same rendering every export uses."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str | Promise) and _is_formula_like(text):
        return "'" + text
    return text


def write_csv(out: BinaryIO, columns: Sequence, rows: Iterable[Sequence]) -> int:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs read ë, ç, š, đ."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow([str(c) for c in columns])
        count = 0
        for row in rows:
            writer.writerow([text_value(v) for v in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave `out` open for the caller
    return count


def csv_chunks(columns: Sequence, rows: Iterable[Sequence], rows_per_chunk: int = 500) -> Iterable[bytes]:
    """The CSV `write_csv` writes (UTF-8 with a byte-order mark, formulas defused), as
    chunks of bytes for a StreamingHttpResponse: the first byte leaves at once and memory
    stays flat whatever the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c) for c in columns])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([text_value(v) for v in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(out: BinaryIO, columns: Sequence, rows: Iterable[Sequence], title: str = "") -> int:
    """XLSX written as a stream: the sheet's XML is produced row by row straight into the
    zip (constant memory, about 10x faster than openpyxl's write-only workbook, which spent
    most of a million-row export building a cell object and an element tree per cell).
    Bold, frozen header; dates as dates; text is always text (never a formula)."""
    sheet_title = re.sub(r"[\[\]:*?/\\]", " ", _xml_safe(str(title or "Sheet"))).strip()[:31] or "Sheet"
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, xml in _xlsx_package(sheet_title).items():
            archive.writestr(name, xml)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            width = len(columns)
            head = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            )
            if width:
                head += f'<cols><col min="1" max="{width}" width="22" customWidth="1"/></cols>'
            head += (
                '<sheetData><row r="1">' + "".join(_xlsx_text(str(c), ' s="1"') for c in columns) + "</row>"
            )
            sheet.write(head.encode("utf-8"))
            chunk: list[str] = []
            for row in rows:
                count += 1
                chunk.append(f'<row r="{count + 1}">{"".join(map(_xlsx_xml_cell, row))}</row>')
                if len(chunk) == 1000:
                    sheet.write("".join(chunk).encode("utf-8"))
                    chunk = []
            chunk.append("</sheetData></worksheet>")
            sheet.write("".join(chunk).encode("utf-8"))
    return count


_EXCEL_EPOCH = date(1899, 12, 30)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# What XML 1.0 cannot hold (control characters but tab, LF, CR; lone surrogates; U+FFFE/U+FFFF):
# one of them in a donor's name would make the whole file unreadable (or fail to encode).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_CELL_MAX = 32_767  # characters in a cell: Excel "repairs" a file with more


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _xlsx_text(text: str, style: str = "") -> str:
    cached = _TEXT_CELLS.get(text) if not style else None
    if cached is not None:
        return cached
    escaped = _xml_safe(text)[:EXCEL_CELL_MAX]
    if "&" in escaped or "<" in escaped or ">" in escaped:
        escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    cell = f'<c t="inlineStr"{style}><is><t xml:space="preserve">{escaped}</t></is></c>'
    if not style and len(text) < 64:  # labels and short values repeat: kept, up to a bound
        if len(_TEXT_CELLS) >= 50_000:
            _TEXT_CELLS.clear()
        _TEXT_CELLS[text] = cell
    return cell


_TEXT_CELLS: dict[str, str] = {}


def _xlsx_xml_cell(value) -> str:
    """One cell of the sheet's XML: text always as text (a formula-like text is never
    evaluated), booleans as Yes/No in the active language, dates with a date format."""
    if value is None:
        return "<c/>"
    if isinstance(value, str):
        return _xlsx_text(value)
    if isinstance(value, bool):
        return _xlsx_text(gettext("Yes") if value else gettext("No"))
    if isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite()):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, Decimal):
        return "<c/>"  # NaN, Infinity: no number a spreadsheet holds
    if isinstance(value, float):
        return f"<c><v>{value!r}</v></c>" if value == value and abs(value) != float("inf") else "<c/>"
    if isinstance(value, datetime):
        local = _local(value)
        serial = (local.date() - _EXCEL_EPOCH).days + (
            local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        ) / 86400
        return f'<c s="3"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c s="2"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    return _xlsx_text(str(value))


def _xlsx_package(sheet_title: str) -> dict[str, str]:
    """The parts of the workbook besides the sheet."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    title = sheet_title.translate(_XML_ESCAPES).replace('"', "&quot;")
    return {
        "[Content_Types].xml": head + f'<Types xmlns="{pkg}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        "</Types>",
        "_rels/.rels": head + f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": head + f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head + f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": head + f'<styleSheet xmlns="{main}">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }


# The page of `write_pdf`. DejaVu Sans carries every letter of Albanian (ë, ç) and Serbian
# Latin (š, đ, č, ć, ž); the @page margin boxes do not inherit the body font, so it is set
# there too. Autoescaped: cell values are never markup.
PDF_TABLE_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
@page { size: A4 landscape; margin: 14mm 12mm 16mm;
  @bottom-left { content: string(doctitle); font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #111; }
h1 { font-size: 14pt; margin: 0 0 2mm; string-set: doctitle content(); }
p.meta { color: #555; margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th { background: #e9eef5; text-align: left; }
th, td { border: 0.5pt solid #999; padding: 1.2mm 1.5mm; vertical-align: top; overflow-wrap: anywhere; }
tr { page-break-inside: avoid; }
</style></head>
<body><h1>{{ title }}</h1><p class="meta">{{ generated }}</p>
<table><thead><tr>{% for c in columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody>
</table></body></html>"""


def html_to_pdf(out: BinaryIO, html: str, base_url: str | None = None) -> None:
    """Write the PDF of an HTML document (rendered from a template) to `out`. Imported
    lazily: WeasyPrint loads Pango, which only the processes that make PDFs need."""
    from weasyprint import HTML

    HTML(string=html, base_url=base_url).write_pdf(out)


def _pdf_text(value) -> str:
    if isinstance(value, str | Promise):
        return str(value)
    if isinstance(value, datetime):
        return date_format(_local(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return text_value(value)


def write_pdf(out: BinaryIO, columns: Sequence, rows: Iterable[Sequence], title: str = "") -> int:
    """A titled table in A4 landscape. The rows are read into memory (a PDF is laid out as
    a whole), so keep PDF reports to a few thousand rows."""
    from django.template import Context, Engine
    from django.utils import translation

    # No formula defusing here: a PDF cell is never evaluated. Dates as the language writes
    # them (a PDF is read by people; CSV and XLSX keep ISO dates for programs).
    cells = [[_pdf_text(v) for v in row] for row in rows]
    html = (
        Engine()
        .from_string(PDF_TABLE_TEMPLATE)
        .render(
            Context(
                {
                    "lang": translation.get_language() or "sq",
                    "title": str(title or ""),
                    "generated": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
                    "columns": [str(c) for c in columns],
                    "rows": cells,
                },
                autoescape=True,
            )
        )
    )
    html_to_pdf(out, html)
    return len(cells)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}


def write(fmt: str, out: BinaryIO, columns: Sequence, rows: Iterable[Sequence], title: str = "") -> int:
    """Write `rows` in format `fmt` ("csv", "xlsx" or "pdf")."""
    if fmt in ("xlsx", "pdf"):
        return WRITERS[fmt](out, columns, rows, title=title)
    return WRITERS[fmt](out, columns, rows)
