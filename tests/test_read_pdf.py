"""The PDF reader: the real corpus report exactly, random reports printed to PDF by WeasyPrint, and
gongkai's own PDFs with blank cells (which print nothing) read back into their columns."""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
import pytest
from answer_keys import CORPUS, assert_matches_expected, differences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render import (
    BORDERLESS,
    COLUMN_RULES_ONLY,
    WRAPPING,
    WRAPPING_MIDDLE,
    random_report,
    render_pdf,
    reports,
)
from strategies import distinct_report, same
from strategies import reports as blank_reports

from gongkai.read import PARSERS, read_report, sniff
from gongkai.read.matcher import match
from gongkai.read.pdf import parse_pdf
from gongkai.render import WRITERS

HONGZE = CORPUS / "real" / "huaian-hongze-2024.pdf"


def test_pdf_is_registered():
    assert PARSERS["pdf"] is parse_pdf
    assert sniff(b"%PDF-1.7\n", "x.bin") == "pdf"


def test_hongze_2024_extracts_exactly():
    extraction = read_report(HONGZE)
    assert extraction.format == "pdf"
    assert_matches_expected(extraction, HONGZE.with_suffix(".expected.json"))


def test_hongze_2024_lines():
    doc = parse_pdf(HONGZE.read_bytes(), str(HONGZE))
    texts = [b.text for b in doc.blocks]
    assert doc.unwrap
    assert not any(t.strip() in {"-1-", "-2-", "-3-", "-4-", "-5-"} for t in texts)  # page numbers dropped
    assert "三、本年度办理结果" in texts  # set vertically in a merged cell: read as one line of its own
    row = next(b for b in doc.blocks if b.is_row and b.cells[0].startswith("行政许可"))
    assert row.cells == ("行政许可", "9487")
    appeals = next(b for b in doc.blocks if b.is_row and len(b.cells) == 15)  # table 4's drifting numbers
    assert appeals.cells[-1] == "3"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports)
def test_round_trip_through_weasyprint(report):
    extraction = match(parse_pdf(render_pdf(report), "random.pdf"))
    assert differences(extraction.report.flat(), report.flat()) == []


def _wrapped_numbers(data: bytes, report) -> int:
    """How many of the report's numbers of three or more digits the PDF prints broken over two lines."""
    pdf = pdfium.PdfDocument(data)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    numbers = {str(v) for k, v in report.flat().items() if isinstance(v, int) and v >= 100}
    return sum(1 for n in numbers for cut in range(1, len(n)) if f"{n[:cut]}\r\n{n[cut:]}" in text)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("css", [WRAPPING, WRAPPING_MIDDLE], ids=["top", "middle"])
def test_numbers_wrapped_inside_ruled_cells_read_whole(css, seed):
    """A cell's text is everything inside its borders: a number wrapped over two lines is one number."""
    report = random_report(random.Random(seed))
    data = render_pdf(report, css)
    assert _wrapped_numbers(data, report) > 0  # the layout really wraps numbers
    extraction = match(parse_pdf(data, "wrapping.pdf"))
    assert differences(extraction.report.flat(), report.flat()) == []


@pytest.mark.parametrize("seed", range(3))
def test_rows_without_horizontal_rules_stay_apart(seed):
    """With column rules only, lines stacked in a column (a header over a value, two short numbers) are
    two rows, never one joined cell."""
    report = random_report(random.Random(seed))
    extraction = match(parse_pdf(render_pdf(report, COLUMN_RULES_ONLY), "columns.pdf"))
    assert differences(extraction.report.flat(), report.flat()) == []


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports)
def test_round_trip_borderless_with_drifting_cells(report):
    extraction = match(parse_pdf(render_pdf(report, BORDERLESS), "borderless.pdf"))
    assert differences(extraction.report.flat(), report.flat()) == []


def _turned(data: bytes, quarters: int) -> bytes:
    """Every page's content turned by ``quarters`` quarter turns onto a page of the turned size."""
    source, out = pdfium.PdfDocument(data), pdfium.PdfDocument.new()
    for i in range(len(source)):
        width, height = source[i].get_size()
        obj = source.page_as_xobject(i, out).as_pageobject()
        matrix = pdfium.PdfMatrix().rotate(90 * quarters)
        corners = [matrix.on_point(x, y) for x, y in ((0, 0), (width, 0), (0, height), (width, height))]
        obj.transform(matrix.translate(-min(c[0] for c in corners), -min(c[1] for c in corners)))
        page = out.new_page(*((width, height) if quarters % 2 == 0 else (height, width)))
        page.insert_obj(obj)
        page.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("quarters", [1, 2, 3])
def test_text_set_sideways_is_read_upright(quarters):
    report = random_report(random.Random(quarters))
    extraction = match(parse_pdf(_turned(render_pdf(report), quarters), "turned.pdf"))
    assert differences(extraction.report.flat(), report.flat()) == []


KINDS = {"any": blank_reports(),
         "2019": blank_reports(editions=("2019",)),
         "collapsed": blank_reports(editions=("2021",), collapsed=True)}


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gongkai_pdf_with_blank_cells_round_trips(kind, data):
    report = data.draw(KINDS[kind])
    back = read_report("report.pdf", WRITERS["pdf"].render(report))
    assert same(back.report, report) == []
    assert back.findings == []


@pytest.mark.parametrize("edition_id", ["2021", "2019"])
def test_blank_cells_keep_their_column(edition_id):
    """Every cell a different number and every fifth one blank: a number one column off would show."""
    report = distinct_report(edition_id)
    for i, key in enumerate(report.values):
        if i % 5 == 2:
            report.values[key] = None
    doc = parse_pdf(WRITERS["pdf"].render(report), "blanks.pdf")
    appeals = next(b for b in doc.blocks if b.is_row and len(b.cells) == 15)
    assert "" in appeals.cells  # the blank cell printed nothing and still has its place
    back = match(doc)
    assert same(back.report, report) == []
    assert back.findings == []


@pytest.mark.parametrize("edition_id", ["2021", "2019"])
def test_borderless_blank_cells_keep_their_column(edition_id):
    """A borderless table prints nothing for a blank cell: the rows around it give its column.

    Every fifth cell of tables 2 and 3 is blank (never a whole row); table 4 is one row with nothing
    to compare it with, so it stays full.  Where two rows of a three-column block each miss a
    different cell (2019's 第二十条第（六）项), no row shows all three columns: that row is reported,
    never guessed.
    """
    report = distinct_report(edition_id)
    for i, key in enumerate(report.values):
        if i % 5 == 2 and not key.startswith("appeals."):
            report.values[key] = None
    doc = parse_pdf(render_pdf(report, BORDERLESS), "borderless-blanks.pdf")
    rows = [b.cells for b in doc.blocks if b.is_row and len(b.cells) >= 8]
    assert sum("" in cells for cells in rows) >= 20  # table 3: the blank cells hold their places
    back = match(doc)
    unread = {f"proactive.{row}.{column}" for row in ("punishment", "coercion")
              for column in ("prior_items", "change", "decisions")} if edition_id == "2019" else set()
    assert [d for d in same(back.report, report) if d.split(":")[0] not in unread] == []
    assert [f.rule for f in back.findings] == ["READ-CELLS"] * (2 if unread else 0)
    assert {k for f in back.findings for k in f.keys} == unread  # the short rows' cells, named
