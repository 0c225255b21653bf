"""The annual report as an Excel workbook.

Sheets: one per template table (named by its section heading, laid out as printed with merged
cells), ``flat`` (the flat form: key, 中文标签, value), ``findings`` and ``meta``.

Money is written as a number with the ``0.0000`` format (more decimals if the value has more).
A float holds every decimal of up to 15 significant digits exactly enough that the shortest
``repr`` gives it back, which is how :mod:`gongkai.read.xlsx` reads it; a money value with more
significant digits is written as text so that nothing is ever rounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.report.model import Report, Value

from .layout import MONEY_PLACES, Grid, column_weights, layout

FLAT_SHEET = "flat"
FINDINGS_SHEET = "findings"
META_SHEET = "meta"
FLAT_HEADER = ("key", "中文标签", "value")
FINDINGS_HEADER = ("rule", "severity", "keys", "message")
META_FIELDS = ("agency", "year", "edition", "published", "overview", "problems", "other")
FLOAT_DIGITS = 15  # significant digits a float round-trips through repr

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10.5)
_BOLD = Font(name="宋体", size=10.5, bold=True)


def write_xlsx(report: Report, target: str | Path | IO[bytes], findings: Iterable[Any] = ()) -> None:
    """Write ``report`` (and optional findings with ``rule, severity, keys, message_zh``) as .xlsx."""
    book = Workbook()
    book.remove(book.active)
    for grid in layout(report.template, report):
        _table_sheet(book, grid)
    _flat_sheet(book, report)
    _findings_sheet(book, findings)
    _meta_sheet(book, report)
    book.save(target)


def cell_value(value: Value) -> tuple[Any, str]:
    """The Excel cell value and number format of a report value."""
    if isinstance(value, Decimal):
        digits = value.as_tuple()
        places = max(MONEY_PLACES, -digits.exponent)
        fmt = "0." + "0" * places
        if len(digits.digits) > FLOAT_DIGITS:
            return format(value, "f"), "@"
        return value, fmt
    return value, "0"


def _table_sheet(book: Workbook, grid: Grid) -> None:
    sheet = book.create_sheet(grid.title)
    weights = column_weights(grid)
    for col, weight in enumerate(weights, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = 9 * weight
    for r, row in enumerate(grid.placed(), start=1):
        for c, cell in ((col + 1, cell) for col, cell in row):
            target = sheet.cell(r, c)
            if cell.kind == "value":
                target.value, target.number_format = cell_value(cell.value)
            else:
                target.value = cell.text
                target.data_type = "s"  # a label is text, never a formula
            target.font = _BOLD if cell.kind == "header" else _FONT
            left = cell.kind == "label" and cell.rowspan == 1
            target.alignment = Alignment(horizontal="left" if left else "center", vertical="center",
                                         wrap_text=True)
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    sheet.cell(rr, cc).border = _BORDER
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1,
                                  end_column=c + cell.colspan - 1)
    if grid.header_rows:
        sheet.print_title_rows = f"1:{grid.header_rows}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def _flat_sheet(book: Workbook, report: Report) -> None:
    sheet = book.create_sheet(FLAT_SHEET)
    _append(sheet, FLAT_HEADER)
    ed = report.template
    for key, raw in report.flat().items():
        v, fmt = cell_value(report.values[key]) if key in report.values else (raw, "General")
        _append(sheet, (key, ed.label(key), v))
        sheet.cell(sheet.max_row, 3).number_format = fmt
    for col, width in zip("ABC", (48, 60, 16), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A2"


def _findings_sheet(book: Workbook, findings: Iterable[Any]) -> None:
    sheet = book.create_sheet(FINDINGS_SHEET)
    _append(sheet, FINDINGS_HEADER)
    for f in findings:
        _append(sheet, (f.rule, f.severity, ", ".join(f.keys), f.message_zh))
    for col, width in zip("ABCD", (8, 10, 48, 80), strict=True):
        sheet.column_dimensions[col].width = width


def _meta_sheet(book: Workbook, report: Report) -> None:
    sheet = book.create_sheet(META_SHEET)
    _append(sheet, ("field", "value"))
    published = report.published.isoformat() if report.published else None
    values = (report.agency, report.year, report.edition, published,
              report.texts["overview"], report.texts["problems"], report.texts["other"])
    for name, value in zip(META_FIELDS, values, strict=True):
        _append(sheet, (name, value))
        sheet.cell(sheet.max_row, 2).number_format = "0" if name == "year" else "@"
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 100


def _append(sheet, row) -> None:
    """Append a row; text stays text (a value such as ``=1+1`` from a report is never a formula)."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
