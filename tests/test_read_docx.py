"""Word reader: the blank national template filled with a report, random reports, hostile files."""

from __future__ import annotations

import copy
import io
import shutil
import struct
import subprocess
import zipfile
from decimal import Decimal

import docx
import pytest
from answer_keys import CORPUS, differences, expected
from conftest import require_tool
from docx.table import _Cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.read import ReadError, read_document, read_report
from gongkai.read.docx import parse_docx
from gongkai.report.model import Report

TEMPLATE = CORPUS / "template/national-template-2021.docx"
SEED = CORPUS / "seed/000_db8b9a3c8d2b1499.expected.json"
BLANKS = ("", "\u3000", "\u3000\u3000", "无", "—", "／")


def seed() -> Report:
    return Report.from_flat(expected(SEED))


def _set(tc, table, text: str) -> None:
    _Cell(tc, table).text = text


def _replace_paragraph(paragraph, lines: list[str]) -> None:
    for line in lines:
        paragraph.insert_paragraph_before(line)
    paragraph._element.getparent().remove(paragraph._element)


def filled(report: Report, blank: str = "") -> bytes:
    """The national template with the report's title, texts and values written in."""
    document = docx.Document(str(TEMPLATE))
    ed = report.template
    show = {None: blank}
    proactive, requests, appeals = document.tables
    labels = {row.label: (block, row) for block in ed.proactive for row in block.rows}
    for tr in proactive._tbl.tr_lst:
        tcs = tr.tc_lst
        label = _Cell(tcs[0], proactive).text.strip()
        if label in labels:
            block, row = labels[label]
            for tc, column in zip(tcs[1:], block.columns, strict=True):
                v = report[f"proactive.{row.key}.{column.key}"]
                _set(tc, proactive, show.get(v, str(v)))
    for tr, row in zip(requests._tbl.tr_lst[3:], ed.request_rows, strict=True):
        for tc, column in zip(tr.tc_lst[-7:], ed.request_columns, strict=True):
            v = report[f"requests.{row.key}.{column.key}"]
            _set(tc, requests, show.get(v, str(v)))
    cells = appeals._tbl.tr_lst[-1].tc_lst
    for tc, (group, column) in zip(cells, [(g, c) for g in ed.appeal_groups for c in ed.appeal_columns], strict=True):
        v = report[f"appeals.{group.key}.{column.key}"]
        _set(tc, appeals, show.get(v, str(v)))
    placeholders = [p for p in document.paragraphs if p.text.startswith("（文字描述")]
    for paragraph, key in zip(placeholders, ("overview", "problems", "other"), strict=True):
        _replace_paragraph(paragraph, [line for line in (report.texts[key] or "").splitlines() if line.strip()])
    title = next(p for p in document.paragraphs if p.text == "政府信息公开工作年度报告格式模板")
    title.text = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def assert_same(found: Report, source: Report) -> None:
    assert differences(found.flat(), source.flat(), text_ratio_min=1.0) == []


# -- the national template ----------------------------------------------------------------------------
def test_blank_template_rows_on_their_grid():
    rows = [b.cells for b in read_document(TEMPLATE).blocks if b.is_row]
    assert ("行政许可", "", None, None) in rows
    assert (None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None) in rows
    assert ("规章", "", "", "") in rows  # full-width spaces are blanks


def test_seed_written_into_the_template():
    source = seed()
    assert_same(read_report("report.docx", filled(source)).report, source)


def test_table_3_split_over_two_word_tables():
    source = seed()
    for i, key in enumerate(source.keys):
        source[key] = i
    document = docx.Document(io.BytesIO(filled(source)))
    first = document.tables[1]._tbl
    second = copy.deepcopy(first)
    for tr in first.tr_lst[15:]:
        first.remove(tr)
    for tr in second.tr_lst[:15]:
        second.remove(tr)
    first.addnext(second)
    first.addnext(copy.deepcopy(document.paragraphs[-1]._p))  # an empty paragraph between the parts
    out = io.BytesIO()
    document.save(out)
    assert len(docx.Document(io.BytesIO(out.getvalue())).tables) == 4
    assert_same(read_report("split.docx", out.getvalue()).report, source)


amounts = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def reports(draw) -> Report:
    report = seed()
    report.year = draw(st.integers(2021, 2030))
    for key in report.keys:
        value = draw(amounts) if key == "proactive.fees.amount" else draw(st.integers(0, 10**6))
        report[key] = None if draw(st.integers(0, 9)) == 0 else value
    return report


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.sampled_from(BLANKS))
def test_random_reports_round_trip(source, blank):
    extraction = read_report("report.docx", filled(source, blank))
    assert_same(extraction.report, source)


# -- legacy .doc ------------------------------------------------------------------------------------
def test_doc_without_libreoffice_is_refused_clearly(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReadError, match="legacy .doc needs LibreOffice"):
        read_report("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def test_doc_through_libreoffice(tmp_path):
    require_tool("soffice", "libreoffice-writer-nogui")
    source = seed()
    (tmp_path / "report.docx").write_bytes(filled(source))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "report.docx")],
                   check=True, capture_output=True, timeout=180)
    extraction = read_report(tmp_path / "report.doc")
    assert extraction.format == "doc"
    assert_same(extraction.report, source)


# -- hostile files ------------------------------------------------------------------------------------
def test_not_a_zip():
    with pytest.raises(ReadError, match="not a zip file") as info:
        read_report("fake.docx", "这不是一个Word文件".encode())
    assert "fake.docx" in str(info.value)


def test_truncated_zip():
    data = TEMPLATE.read_bytes()
    with pytest.raises(ReadError, match="damaged Word document") as info:
        read_report("cut.docx", data[: len(data) // 2])
    assert "cut.docx" in str(info.value)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_bomb_by_ratio():
    data = _zip({"word/document.xml": b"<" + b"\x00" * 50_000_000})
    with pytest.raises(ReadError, match="zip bomb") as info:
        parse_docx(data, "bomb.docx")
    assert "bomb.docx" in str(info.value)


def test_zip_bomb_by_claimed_size():
    data = bytearray(_zip({"word/document.xml": b"<w:document/>"}))
    entry = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, entry + 24, 0xFFFFFFF0)  # uncompressed size in the central directory
    with pytest.raises(ReadError, match="would unpack to"):
        parse_docx(bytes(data), "claims.docx")


def test_zip_without_a_document():
    with pytest.raises(ReadError, match="no word/document.xml"):
        parse_docx(_zip({"hello.txt": b"hi"}), "other.zip")


def test_docx_that_is_not_a_report():
    document = docx.Document()
    document.add_paragraph("关于召开年度工作会议的通知")
    document.add_paragraph("请各单位于下周一上午九点准时参加。")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(ReadError, match="not an annual report") as info:
        read_report("notice.docx", out.getvalue())
    assert "notice.docx" in str(info.value)


def test_decimal_money_kept_exact():
    source = seed()
    source["proactive.fees.amount"] = Decimal("0.0380")
    assert read_report("r.docx", filled(source)).report["proactive.fees.amount"] == Decimal("0.038")


def test_nested_tables_follow_their_table_and_merges_are_none():
    document = docx.Document()
    document.add_paragraph("第一段")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "竖\n合并"
    table.cell(1, 0).text = "　"
    inner = table.cell(2, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "里", "1,234"
    document.add_paragraph("最后一段")
    out = io.BytesIO()
    document.save(out)
    blocks = parse_docx(out.getvalue(), "n.docx").blocks
    assert [(b.table, b.cells) for b in blocks] == [
        (None, ("第一段",)),
        (1, ("合并", None, "")),
        (1, ("", "", "竖合并")),
        (1, ("", "", None)),
        (2, ("里", "1,234")),
        (None, ("最后一段",)),
    ]
