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
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def _xlsx_cell(ws, value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool):
        value = gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=_local(value))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if value is None or isinstance(value, int | float | Decimal):
        return WriteOnlyCell(ws, value=value)
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def write_xlsx(out: BinaryIO, columns: Sequence, rows: Iterable[Sequence], title: str = "") -> int:
    """XLSX with openpyxl's write-only workbook (constant memory); bold, frozen header."""
    wb = Workbook(write_only=True)
    sheet_title = re.sub(r"[\[\]:*?/\\]", " ", str(title or "Sheet")).strip()[:31] or "Sheet"
    ws = wb.create_sheet(title=sheet_title)
    ws.freeze_panes = "A2"
    for index in range(1, len(columns) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 22
    bold = Font(bold=True)
    header = []
    for label in columns:
        cell = _xlsx_cell(ws, str(label))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in row])
        count += 1
    wb.save(out)
    return count


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
