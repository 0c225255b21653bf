"""Every input in tests/fuzz/ (what a mutation fuzzer broke the reader with, issue #13) and what it gives now.

Each file either reads as a report whose findings, flat form and round trip through ``Report.from_flat`` all
work, or raises one ``ReadError`` naming the file and the problem below; always within a few seconds.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from gongkai.read import ReadError, read_report
from gongkai.report.model import MAX_DIGITS, Report

FUZZ = Path(__file__).parent / "fuzz"
# how long each input takes is measured by bench/fuzz.py and bench/line_length.py, not asserted here

READ = "read"  # a report comes out
DIGITS = f"more than {MAX_DIGITS} digits"
DAMAGED_UTF16 = "damaged UTF-16 text (its BOM says UTF-16)"
DAMAGED_ZIP = "damaged or truncated zip archive"
EXPECTED = {
    "exc_docx_041.docx": "damaged Word document (negative seek",
    "exc_docx_044.docx": "damaged Word document (That compression method is not supported)",
    "exc_docx_045.docx": "damaged Word document (File 'word/document.xml' is encrypted",
    "exc_html_024.html": DAMAGED_UTF16,
    "exc_html_025.html": DAMAGED_UTF16 + ": illegal UTF-16 surrogate",
    "exc_html_026.html": READ,  # a UTF-8 BOM in front of GBK text: read as GB18030
    "exc_html_027.html": READ,
    "exc_html_029.html": READ,
    "exc_html_030.html": "binary data, not text",
    "exc_html_031.html": "binary data, not text",
    "exc_html_032.html": DAMAGED_UTF16,
    "exc_html_033.html": DAMAGED_UTF16,
    "exc_html_034.html": DAMAGED_UTF16,
    "exc_html_035.html": READ,  # control characters dropped before lxml sees them
    "exc_html_036.html": "damaged UTF-32 text",
    "exc_html_037.html": "not an annual report",  # its title is inside a mangled <h1…> tag: no title, not a report
    "exc_html_038.html": READ,
    "exc_md_014.md": DAMAGED_UTF16,
    "exc_md_015.md": READ,
    "exc_md_016.md": READ,
    "exc_md_017.md": READ,
    "exc_md_018.md": READ,
    "exc_md_019.md": DAMAGED_UTF16 + ": illegal encoding",
    "exc_md_021.md": DAMAGED_UTF16,
    "exc_md_023.md": READ,
    "exc_pdf_061.pdf": "damaged PDF: page 5 cannot be loaded",
    "exc_txt_001.txt": READ,
    "exc_txt_002.txt": READ,
    "exc_txt_003.txt": "binary data, not text",
    "exc_txt_004.txt": DAMAGED_UTF16,
    "exc_txt_005.txt": READ,
    "exc_txt_006.txt": "damaged UTF-32 text",  # a UTF-32 BOM, no longer taken for a UTF-16 one
    "exc_txt_007.txt": DAMAGED_UTF16,
    "exc_txt_008.txt": "neither UTF-8 nor GB18030",
    "exc_txt_009.txt": "neither UTF-8 nor GB18030",
    "exc_txt_011.txt": "neither UTF-8 nor GB18030",
    "exc_txt_012.txt": DAMAGED_UTF16,
    "exc_txt_013.txt": READ,
    "exc_xlsx_046.xlsx": DAMAGED_ZIP,
    "exc_xlsx_047.xlsx": DAMAGED_ZIP + " (ValueError: negative seek",
    "exc_xlsx_048.xlsx": DAMAGED_ZIP,
    "exc_xlsx_049.xlsx": "is damaged (CRC mismatch)",
    "exc_xlsx_050.xlsx": DAMAGED_ZIP,
    "exc_xlsx_051.xlsx": DAMAGED_ZIP,
    "exc_xlsx_052.xlsx": "cell C8 (proactive.normative_documents.issued): a number of " + DIGITS,
    "exc_xlsx_053.xlsx": "overview: 12345 is not text",
    "exc_xlsx_054.xlsx": "meta.year: 'abc' is not a year",
    "exc_xlsx_055.xlsx": "problems: True is not text",
    "exc_xlsx_056.xlsx": "meta.year: datetime.datetime(2024, 1, 1, 0, 0) is not a year",
    "exc_xlsx_057.xlsx": "keys that are not text: 12345",
    "exc_xlsx_058.xlsx": "cell C14 (proactive.fees.amount): a number of " + DIGITS,
    "exc_xlsx_059.xlsx": READ,
    "extract_traceback_decimal_count.txt": READ,
    "hang_md_020.md": READ,
    "hang_pdf_062.pdf": "not an annual report",
    "hang_txt_010.txt": READ,
    "hang_xlsx_060.xlsx": "refused: the workbook has more than 200,000 cells",
    "hang_xlsx_063.xlsx": "sheet 'flat' spans 9,999,999,999,999,999,999,999,999 rows × 3 columns",
    "memory_html_039.html": "HTML tables span more than 200,000 grid positions",
    "memory_html_040.html": "HTML tables span more than 200,000 grid positions",
    "numbers_cells.txt": READ,
    "skipped_empty.html": "empty file",
    "skipped_notzip.xlsx": "not a XLSX file",
}
# inputs whose table cells print numbers of thousands of digits: each such cell is a finding, never a crash
HUGE_NUMBERS = ("exc_txt_005.txt", "exc_md_018.md", "exc_xlsx_059.xlsx")


def test_every_input_is_pinned_and_has_its_readme_line():
    names = sorted(p.name for p in FUZZ.iterdir() if p.name != "README.md")
    assert names == sorted(EXPECTED)
    readme = (FUZZ / "README.md").read_text("utf-8")
    assert [n for n in names if f"- {n} |" not in readme] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_input(name):
    path = FUZZ / name
    if EXPECTED[name] != READ:
        with pytest.raises(ReadError) as caught:
            read_report(path)
        assert caught.value.path == str(path)
        assert EXPECTED[name] in caught.value.problem
    else:
        extraction = read_report(path)
        extraction.check(extraction.report)  # the cross-year rules too, against itself
        flat = json.loads(json.dumps(extraction.report.flat()))
        assert Report.from_flat(flat).flat() == flat


@pytest.mark.parametrize("name", HUGE_NUMBERS)
def test_a_number_of_too_many_digits_is_a_finding(name):
    findings = [f for f in read_report(FUZZ / name).check() if f.rule == "READ-VALUE"]
    assert any(f"more than {MAX_DIGITS} digits" in f.message_en for f in findings)


def test_a_refused_value_has_the_same_finding_in_every_table():
    extraction = read_report(FUZZ / "numbers_cells.txt")
    refused = {(f.keys[0], f.found) for f in extraction.findings if f.rule == "READ-VALUE"}
    assert refused == {("proactive.coercion.decisions", "一百"), ("proactive.fees.amount", "约10"),
                       ("requests.new_received.research", "一百"), ("requests.new_received.other_org", "约10")}
    values = extraction.report.values
    assert values["proactive.regulations.issued"] == 1234 and values["proactive.regulations.repealed"] == 123
    assert values["proactive.punishment.decisions"] == 10
    assert values["proactive.licensing.decisions"] is None  # "/" is a blank mark, not a refused value
    r5 = {f.keys[0] for f in extraction.check() if f.rule == "R5" and f.severity == "error"}
    assert {"proactive.regulations.in_force", "proactive.normative_documents.issued"} <= r5  # -3 and 3.5


def test_a_count_printed_with_decimals_survives_the_flat_form():
    report = read_report(FUZZ / "extract_traceback_decimal_count.txt").report
    flat = report.flat()
    assert flat["proactive.licensing.decisions"] == "3.5"
    assert Report.from_flat(flat).flat() == flat


def _xlsx_with_merge(ref: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "一、总体情况"
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/>'
                                                      "</mergeCells>".encode())
            z.writestr(info, data)
    return patched.getvalue()


@pytest.mark.parametrize("ref", ["A1:ZZ20000", "A1:B99999999999", "A1:XFD1048576"])
def test_a_huge_merged_range_is_refused_before_openpyxl_expands_it(tmp_path, ref):
    path = tmp_path / "merged.xlsx"
    path.write_bytes(_xlsx_with_merge(ref))
    with pytest.raises(ReadError, match="more than 200,000 cells"):
        read_report(path)


def test_many_wide_word_cells_are_refused_before_the_grid_is_built(tmp_path):
    row = "<w:tr>" + '<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>' * 300 + "</w:tr>"
    document = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                f"<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p><w:tbl>{row * 10}</w:tbl></w:body></w:document>")
    path = tmp_path / "wide.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", document)
    with pytest.raises(ReadError, match="Word tables span more than 200,000 grid positions"):
        read_report(path)


def test_control_characters_in_workbook_cells_are_dropped():
    # openpyxl turns a shared string's _x0001_ into the character; the readers drop it, as decoded text does
    from gongkai.read.spreadsheet import _text
    from gongkai.read.xlsx import _meta

    assert _text(" 总体\x01情况\x1b ") == "总体情况"
    assert _meta("overview", "第一段\x0c第二段\x00") == "第一段\n第二段"
