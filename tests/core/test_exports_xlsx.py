"""Hostile text in the streamed XLSX writer (core.exports.write_xlsx): the file always opens."""

import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl

from core import exports

HOSTILE = "A\x00b\x01c\x08d\x0be\x0cf\x0eg\x1fh\ud800i\udfffj\ufffek\uffffl"


def _workbook(columns, rows, title=""):
    out = io.BytesIO()
    exports.write_xlsx(out, columns, rows, title=title)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        for name in archive.namelist():  # every part is well-formed XML 1.0
            ElementTree.fromstring(archive.read(name))
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def test_characters_illegal_in_xml_are_removed_from_cells_headers_and_title():
    ws = _workbook([HOSTILE], [[HOSTILE], ["=cmd|' /C calc'!A0" + HOSTILE]], title=HOSTILE)
    assert ws["A1"].value == "Abcdefghijkl"
    assert ws["A2"].value == "Abcdefghijkl"
    assert ws["A3"].data_type == "s" and ws["A3"].value.startswith("=cmd")  # text, never a formula
    assert ws.title == "Abcdefghijkl"


def test_text_longer_than_excel_allows_is_cut_to_32767_characters():
    ws = _workbook(["a"], [["x" * 40_000], ["ë" * 40_000]])
    assert len(ws["A2"].value) == 32_767
    assert len(ws["A3"].value) == 32_767


def test_numbers_that_are_not_finite_are_left_empty():
    ws = _workbook(
        ["a", "b", "c"], [[Decimal("NaN"), Decimal("Infinity"), Decimal("-sNaN")], [Decimal("1.50"), 2, 0.5]]
    )
    assert [c.value for c in ws[2]] == [None, None, None]
    assert [c.value for c in ws[3]] == [1.5, 2, 0.5]
