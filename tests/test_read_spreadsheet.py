"""A supervisor's own workbook laid out like the template (not written by gongkai) reads through the matcher."""

from __future__ import annotations

import io
import json

import openpyxl
from hypothesis import given, settings
from strategies import reports, same

from gongkai.read import ReadError, read_report
from gongkai.render.layout import document_title, layout
from gongkai.report import Report


def supervisor_workbook(report: Report, merged: bool = True) -> bytes:
    """One sheet: a title row, then each table under its heading, numbers as numbers, merged label cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "年报汇总"
    sheet.append([document_title(report)])
    sheet.append([report.template.section("overview").heading])
    sheet.append([report.texts["overview"]])
    for grid in layout(report.template, report):
        sheet.append([])
        sheet.append([grid.title])
        top = sheet.max_row + 1
        for r, placed in enumerate(grid.placed()):
            for col, cell in placed:
                value = cell.value if cell.kind == "value" else cell.text
                target = sheet.cell(top + r, col + 1, float(value) if hasattr(value, "as_tuple") else value)
                if merged and (cell.rowspan > 1 or cell.colspan > 1):
                    sheet.merge_cells(start_row=target.row, start_column=target.column,
                                      end_row=target.row + cell.rowspan - 1, end_column=target.column + cell.colspan - 1)
    for key in ("problems", "other"):
        sheet.append([report.template.section(key).heading])
        sheet.append([report.texts[key]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_collapsed_2024_report_in_a_supervisor_sheet(corpus):
    expected = Report.from_flat(json.loads((corpus / "real/huaian-hongze-2024.expected.json").read_text("utf-8")))
    extraction = read_report("汇总.xlsx", supervisor_workbook(expected))
    assert same(extraction.report, expected) == []
    assert extraction.findings == []


@settings(max_examples=10, deadline=None)
@given(reports(blanks=False))
def test_random_reports_in_a_supervisor_sheet(report):
    report.published = None
    assert same(read_report("sheet.xlsx", supervisor_workbook(report)).report, report) == []


def test_a_huge_sheet_is_refused():
    book = openpyxl.Workbook()
    book.active.cell(5000, 3, 1)
    out = io.BytesIO()
    book.save(out)
    try:
        read_report("huge.xlsx", out.getvalue())
    except ReadError as exc:
        assert "huge.xlsx" in str(exc) and "not a report" in str(exc)
    else:
        raise AssertionError("a 5000-row sheet was read as a report")
