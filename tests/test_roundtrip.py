"""Writers → readers give back the report (text, Markdown, HTML), and the HTML is the template."""

from __future__ import annotations

import html5lib
from hypothesis import HealthCheck, given, settings
from lxml import html as lxml_html
from strategies import reports, same

from gongkai.read import read_report
from gongkai.render import WRITERS
from gongkai.render.layout import layout

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(reports())
def test_text_writer_roundtrip(report):
    back = read_report("r.txt", WRITERS["txt"].render(report)).report
    assert same(back, report) == []


@SETTINGS
@given(reports())
def test_markdown_writer_roundtrip(report):
    back = read_report("r.md", WRITERS["md"].render(report)).report
    assert same(back, report) == []


@settings(max_examples=25, deadline=None)
@given(reports())
def test_html_writer_is_valid_html_with_the_template_tables(report):
    page = WRITERS["html"].render(report).decode()
    assert page.startswith("<!DOCTYPE html>")
    html5lib.HTMLParser(strict=True).parse(page)  # valid HTML5: raises on any parse error
    doc = lxml_html.fromstring(page)
    tables = doc.findall(".//table")
    grids = layout(report.template, report)
    assert len(tables) == len(grids) == 3
    for table, grid in zip(tables, grids, strict=True):
        rows = table.findall(".//tr")
        assert len(rows) == len(grid.rows)
        for tr, row in zip(rows, grid.rows, strict=True):
            spans = [(int(c.get("rowspan", 1)), int(c.get("colspan", 1)), c.text_content()) for c in tr]
            assert spans == [(c.rowspan, c.colspan, c.text) for c in row]
        # every row covers exactly the grid's width once spans are expanded
        assert all(sum(c.colspan for _, c in placed) <= grid.width for placed in grid.placed())
    values = {td.get("data-key"): td.text_content() for td in doc.iter("td")}
    hidden = {k for k in report.template.table_keys if k.startswith("requests.other_handling.")} if report.collapsed else set()
    assert set(values) == set(report.keys) - hidden
