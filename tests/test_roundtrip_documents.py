"""gongkai's own HTML and DOCX documents read back to the identical report (both editions)."""

from __future__ import annotations

import pytest
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


# A font set without the metric-compatible fonts (Liberation for Times New Roman): LibreOffice then sets
# the digits in the wider DejaVu Serif and they wrap inside the DOCX's number cells, as in agencies' own
# Word/WPS exports with narrow columns.
WITHOUT_METRIC_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*/liberation*</glob><glob>*/Liberation*</glob></rejectfont></selectfont>
</fontconfig>
"""


@pytest.mark.parametrize("fonts", ["installed", "without-metric-compatible"])
def test_word_exported_pdf_of_gongkai_docx_reads_back(tmp_path, fonts):
    """The way most agencies publish: the Word file saved as PDF (here by LibreOffice)."""
    import os
    import random
    import subprocess

    from conftest import require_tool
    from render import random_report

    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    env = dict(os.environ)
    if fonts != "installed":
        (tmp_path / "fonts.conf").write_text(WITHOUT_METRIC_FONTS, encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(tmp_path / "fonts.conf")
    rng = random.Random(7)
    reports = [random_report(rng) for _ in range(3)]
    for i, report in enumerate(reports):
        (tmp_path / f"r{i}.docx").write_bytes(WRITERS["docx"].render(report))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *sorted(str(p) for p in tmp_path.glob("r*.docx"))],
                   check=True, capture_output=True, timeout=240, env=env)
    fonts_used = subprocess.run(["pdffonts", str(tmp_path / "r0.pdf")], capture_output=True, text=True).stdout
    assert ("Liberation" in fonts_used) == (fonts == "installed"), fonts_used
    for i, report in enumerate(reports):
        back = read_report(tmp_path / f"r{i}.pdf")
        assert same(back.report, report) == [], f"r{i}.pdf"
