"""Writers of tabular exports (CSV, XLSX), reusable by reports, admin actions and views.

Every writer has the same shape::

    write_csv(out, columns, rows) -> int      # rows written
    write_xlsx(out, columns, rows, title="") -> int

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


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def write(fmt: str, out: BinaryIO, columns: Sequence, rows: Iterable[Sequence], title: str = "") -> int:
    """Write `rows` in format `fmt` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        return write_xlsx(out, columns, rows, title=title)
    return WRITERS[fmt](out, columns, rows)
