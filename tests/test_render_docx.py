import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx_spans import docx_table_spans
from strategies import distinct_report

from gongkai.render.docx import write_docx
from gongkai.render.layout import layout
from gongkai.report.model import Report


def render(report: Report) -> docx.document.Document:
    out = io.BytesIO()
    write_docx(report, out)
    out.seek(0)
    return docx.Document(out)


def grid_spans(grid):
    return [(r, col, c.rowspan, c.colspan, c.text) for r, row in enumerate(grid.placed()) for col, c in row]


@pytest.mark.parametrize("edition_id", ["2021", "2019"])
def test_tables_have_the_layout_merges_and_values(edition_id):
    report = distinct_report(edition_id)
    doc = render(report)
    grids = layout(report.template, report)
    assert len(doc.tables) == 3
    for table, grid in zip(doc.tables, grids, strict=True):
        assert docx_table_spans(table) == grid_spans(grid)


def test_collapsed_report_prints_one_other_handling_row(distinct):
    distinct.collapse_other_handling()
    doc = render(distinct)
    texts = [c.text for c in doc.tables[1].columns[1].cells]
    assert "（六）其他处理" in texts
    assert docx_table_spans(doc.tables[1]) == grid_spans(layout(distinct.template, distinct)[1])


def test_seed_has_all_175_request_values(seed):
    table = render(seed).tables[1]
    values = [(r, col) for r, row in enumerate(layout(seed.template, seed)[1].placed())
              for col, c in row if c.kind == "value"]
    assert len(values) == 175
    assert all(table.cell(r, col).text == "0" for r, col in values)


def test_rows_do_not_split_and_headers_repeat(seed):
    doc = render(seed)
    for table, grid in zip(doc.tables, layout(seed.template, seed), strict=True):
        for r, tr in enumerate(table._tbl.tr_lst):
            assert tr.trPr.find(qn("w:cantSplit")) is not None
            assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (r < grid.header_rows)


def test_fonts_page_and_sections(seed):
    doc = render(seed)
    fonts = {s.name: s.element.rPr.rFonts for s in doc.styles if s.name.startswith("GK ")}
    assert fonts["GK Title"].get(qn("w:eastAsia")) == "方正小标宋简体"
    assert fonts["GK Heading"].get(qn("w:eastAsia")) == "黑体"
    assert fonts["GK Body"].get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert all(f.get(qn("w:hint")) == "eastAsia" for f in fonts.values())
    assert doc.styles["GK Body"].font.size.pt == 16
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("- ") and footer.text.endswith(" -")
    assert [i.text.strip() for i in footer._p.iter(qn("w:instrText"))] == ["PAGE"]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "科学技术和工业信息化局2021年政府信息公开工作年度报告"
    for heading in (s.heading for s in seed.template.sections):
        assert heading in texts
    for line in seed.texts["overview"].split("\n"):
        assert line.strip() in texts


def test_font_table_names_fallbacks(seed, tmp_path):
    path = tmp_path / "r.docx"
    write_docx(seed, str(path))
    fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts
