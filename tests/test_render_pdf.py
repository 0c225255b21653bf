import re
import subprocess

import pytest
from conftest import require_tool
from strategies import distinct_report

from gongkai.render.html_document import html_document
from gongkai.render.layout import layout
from gongkai.render.pdf import write_pdf


@pytest.fixture(autouse=True)
def _poppler():
    require_tool("pdftotext", "poppler-utils")
    require_tool("pdffonts", "poppler-utils")


def pdf_text(path, *args) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def distinct_pdf(tmp_path_factory):
    report = distinct_report()
    path = tmp_path_factory.mktemp("pdf") / "distinct.pdf"
    write_pdf(report, path)
    return report, path


def test_every_value_and_label_is_printed(distinct_pdf):
    report, path = distinct_pdf
    tokens = set(pdf_text(path, "-layout").split())
    flat = squeeze(pdf_text(path, "-raw"))  # content-stream order keeps a wrapped cell together
    for grid in layout(report.template, report):
        for row in grid.rows:
            for cell in row:
                if cell.kind == "value":
                    assert cell.text in tokens, cell.key
                else:
                    assert squeeze(cell.text) in flat, cell.text
    for section in report.template.sections:
        assert squeeze(section.heading) in flat
    assert squeeze(report.texts["overview"]) in flat


def test_fonts_are_embedded_noto_cjk(distinct_pdf):
    _, path = distinct_pdf
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in out.splitlines()[2:]]
    assert fonts and all("Noto" in f[0] for f in fonts)
    assert all("yes" == f[-5] for f in fonts)  # the emb column


def test_table_3_header_repeats_on_every_page_it_spans(seed, tmp_path):
    path = tmp_path / "seed.pdf"
    write_pdf(seed, path)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout)[1])
    assert 3 <= pages <= 6
    leaves = [squeeze(r.label) for r in seed.template.request_rows]
    spanned = 0
    for page in range(1, pages + 1):
        text = squeeze(pdf_text(path, "-f", str(page), "-l", str(page)))
        if any(label in text for label in leaves):
            spanned += 1
            assert "申请人情况" in text and "法人或其他组织" in text, f"page {page}"
        assert f"-{page}-" in text  # the page number
    assert spanned >= 1


def test_html_is_standalone_with_thead_and_spans(seed):
    html = html_document(seed)
    assert html.startswith("<!DOCTYPE html>") and "<thead>" in html
    assert 'rowspan="22"' in html and 'colspan="3"' in html
    assert "http" not in html and "<link" not in html and "<script" not in html
