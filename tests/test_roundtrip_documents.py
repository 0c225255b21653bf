"""gongkai's own HTML and DOCX documents read back to the identical report (both editions)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from strategies import reports, same

from gongkai.read import read_report
from gongkai.render import WRITERS

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(reports())
def test_html_writer_roundtrip(report):
    back = read_report("report.html", WRITERS["html"].render(report))
    assert same(back.report, report) == []


@SETTINGS
@given(reports())
def test_docx_writer_roundtrip(report):
    back = read_report("report.docx", WRITERS["docx"].render(report))
    assert same(back.report, report) == []


@settings(max_examples=15, deadline=None)
@given(reports())
def test_xlsx_writer_roundtrip(report):
    back = read_report("report.xlsx", WRITERS["xlsx"].render(report))
    assert same(back.report, report) == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_pdf_writer_roundtrip(report):
    back = read_report("report.pdf", WRITERS["pdf"].render(report))
    assert same(back.report, report) == []
    assert back.findings == []
