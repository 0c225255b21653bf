"""HTML reader: the real Shanghai page, pages built from the seed report, hostile input."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape

import pytest
from answer_keys import CORPUS, differences, expected

from gongkai.read import ReadError, read_document, read_report
from gongkai.read.html import declared_charset, parse_html
from gongkai.read.matcher import match
from gongkai.report.model import Report

SHANGHAI = CORPUS / "real/shanghai-gov-office-2019.html"
SEED = CORPUS / "seed/000_db8b9a3c8d2b1499.expected.json"
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def seed() -> Report:
    return Report.from_flat(expected(SEED))


def numbered() -> Report:
    """The seed with a different number in every cell, so a misplaced cell shows."""
    report = seed()
    for i, key in enumerate(report.keys):
        report[key] = Decimal("1234.5678") if key == "proactive.fees.amount" else 1000 + 37 * i
    return report


def assert_same(found: Report, source: Report) -> None:
    assert differences(found.flat(), source.flat(), text_ratio_min=1.0) == []


# -- building a page from a report ---------------------------------------------------------------
def td(text: str, rowspan: int = 1, colspan: int = 1, cell: Callable[[str], str] = escape) -> str:
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{spans}>{cell(text)}</td>"


def value(v: int | Decimal | None, number: Callable[[int | Decimal], str]) -> str:
    return "&nbsp;" if v is None else number(v)


def table2(r: Report, number, cell) -> list[str]:
    rows = []
    for block in r.template.proactive:
        span = 4 - len(block.columns)
        rows.append(td(block.caption, colspan=4, cell=cell))
        rows.append(td("信息内容", cell=cell) + "".join(td(c.label, colspan=span, cell=cell) for c in block.columns))
        for row in block.rows:
            rows.append(td(row.label, cell=cell) + "".join(
                f'<td colspan="{span}">{value(r[f"proactive.{row.key}.{c.key}"], number)}</td>'
                for c in block.columns))
    return ["<table border=1>" + "".join(f"<tr>{row}</tr>" for row in rows) + "</table>"]


def table3(r: Report, number, cell, split: bool) -> list[str]:
    ed = r.template
    head = [td(ed.request_note, 3, 3, cell) + td("申请人情况", colspan=7, cell=cell),
            td("自然人", rowspan=2, cell=cell) + td("法人或其他组织", colspan=5, cell=cell) + td("总计", rowspan=2, cell=cell),
            "".join(td(c.label, cell=cell) for c in ed.request_columns[1:6])]
    rows = []
    for i, row in enumerate(ed.request_rows):
        before = ed.request_rows[i - 1] if i else None
        labels = ""
        if row.group and (before is None or before.group != row.group):
            labels += td(row.group, rowspan=sum(1 for x in ed.request_rows if x.group == row.group), cell=cell)
        if row.subgroup and before.subgroup != row.subgroup:
            labels += td(row.subgroup, rowspan=sum(1 for x in ed.request_rows if x.subgroup == row.subgroup), cell=cell)
        width = 3 - (1 if row.group else 0) - (1 if row.subgroup else 0)
        labels += td(row.label, colspan=width, cell=cell)
        rows.append(labels + "".join(f"<td>{value(r[f'requests.{row.key}.{c.key}'], number)}</td>"
                                     for c in ed.request_columns))
    parts = [head + rows[:12], rows[12:]] if split else [head + rows]
    return ["<table border=1>" + "".join(f"<tr>{row}</tr>" for row in part) + "</table>" for part in parts]


def table4(r: Report, number, cell) -> list[str]:
    ed = r.template
    head = [td("行政复议", colspan=5, cell=cell) + td("行政诉讼", colspan=10, cell=cell),
            "".join(td(c.label, rowspan=2, cell=cell) for c in ed.appeal_columns)
            + td("未经复议直接起诉", colspan=5, cell=cell) + td("复议后起诉", colspan=5, cell=cell),
            "".join(td(c.label, cell=cell) for c in ed.appeal_columns) * 2]
    data = "".join(f"<td>{value(r[f'appeals.{g.key}.{c.key}'], number)}</td>"
                   for g in ed.appeal_groups for c in ed.appeal_columns)
    return ["<table border=1>" + "".join(f"<tr>{row}</tr>" for row in [*head, data]) + "</table>"]


def report_body(r: Report, number=str, cell=escape, split=False, published: str | None = None) -> str:
    out = [f"<h1>{r.agency}{r.year}年政府信息公开工作年度报告</h1>"]
    if published:
        out.append(f"<p>发布日期：{published}</p>")
    tables = {"proactive": table2(r, number, cell), "requests": table3(r, number, cell, split),
              "appeals": table4(r, number, cell)}
    for section in r.template.sections:
        out.append(f"<p><strong>{section.heading}</strong></p>")
        if section.key in tables:
            out += tables[section.key]
        else:
            out += [f"<p>&nbsp;&nbsp;<span>{escape(line)}</span></p>"
                    for line in (r.texts[section.key] or "").splitlines() if line.strip()]
    return "\n".join(out)


def page(body: str, charset: str = "utf-8") -> str:
    """A site page: navigation, breadcrumb, a layout table with a sidebar, the report, a footer."""
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>政府信息公开年度报告</title><style>td {{ color: red }}</style><script>var h = "一、总体情况";</script></head>
<body><header><a href="/">首页</a> 政府信息公开</header><nav><ul><li>政府信息公开指南</li><li>年度报告</li></ul></nav>
<table width="100%"><tr><td colspan="2">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年度报告</td></tr>
<tr><td width="200"><table><tr><td>政策文件</td></tr><tr><td>机构职能</td></tr></table></td>
<td><div class="article"><!-- 正文 -->{body}</div></td></tr></table>
<footer>版权所有 2022 主办单位：某某区人民政府办公室</footer></body></html>"""


# -- the real page ----------------------------------------------------------------------------------
def test_shanghai_page_matches_its_answer_key():
    extraction = read_report(SHANGHAI)
    assert differences(extraction.report.flat(), expected(SHANGHAI.with_suffix("").with_suffix(".expected.json"))) == []
    assert extraction.report.published == date(2020, 1, 31)


def test_shanghai_tables_on_their_grid():
    rows = [b for b in read_document(SHANGHAI).blocks if b.is_row]
    assert rows[1].cells == ("信息内容", "本年新制作数量", "本年新公开数量", None, "对外公开总数量")
    assert ("行政许可", "0", None, "0", "0") in [b.cells for b in rows]


# -- pages built from the seed report ---------------------------------------------------------------
@pytest.mark.parametrize("make", [seed, numbered])
def test_report_inside_a_site_page(make):
    source = make()
    assert_same(read_report("r.html", page(report_body(source)).encode()).report, source)


def test_gbk_page_with_meta_charset():
    source = numbered()
    data = page(report_body(source), charset="gb2312").encode("gbk")
    assert declared_charset(data) == "gb18030"
    assert_same(read_report("r.html", data).report, source)


@pytest.mark.parametrize(("head", "charset"), [
    (b'<meta charset="GBK">', "gb18030"),
    (b"<meta http-equiv=Content-Type content='text/html; charset=gb2312'>", "gb18030"),
    (b'<?xml version="1.0" encoding="GB18030"?>', "gb18030"),
    (b'<meta charset="utf-8">', "utf-8"),
    (b"<p>no declaration</p>", None),
])
def test_declared_charset(head, charset):
    assert declared_charset(b"<html><head>" + head) == charset


def test_full_width_digits_and_thousands_separators():
    source = numbered()
    for number in (lambda v: str(v).translate(FULL_WIDTH), lambda v: f"{v:,}"):
        assert_same(read_report("r.html", page(report_body(source, number=number)).encode()).report, source)


def test_table_3_split_over_two_tables_and_cells_in_nested_markup():
    source = numbered()
    body = report_body(source, split=True, cell=lambda s: f"<p><span>{escape(s[:3])}</span><br/>{escape(s[3:])}</p>")
    assert_same(read_report("r.html", page(body).encode()).report, source)


def test_blank_cells_stay_blank_and_publication_date_is_read():
    source = numbered()
    source["requests.granted.research"] = None
    source["appeals.review.total"] = None
    extraction = read_report("r.html", page(report_body(source, published="2022-01-28")).encode())
    assert extraction.report["requests.granted.research"] is None
    assert extraction.report["appeals.review.total"] is None
    assert extraction.report.published == date(2022, 1, 28)


def test_several_template_tables_in_one_table():
    source = numbered()
    body = report_body(source).replace("</table>\n<p><strong>三、收到和处理政府信息公开申请情况</strong></p>\n<table border=1>",
                                       "<tr><td colspan=4>三、收到和处理政府信息公开申请情况</td></tr>")
    assert body.count("<table") == 2
    assert_same(read_report("r.html", page(body).encode()).report, source)


# -- hostile input -----------------------------------------------------------------------------------
# How long these take is measured in bench/limits.py, not asserted here.
def outcome(call: Callable[[], object]) -> object:
    """What a read gives: its result, or the ReadError it raised."""
    try:
        return call()
    except ReadError as exc:
        return exc


@pytest.mark.parametrize("data", [os.urandom(4096) + b"\x00", b"", b"   \n"])
def test_junk_and_empty_are_refused(data):
    with pytest.raises(ReadError) as info:
        read_report("junk.html", data)
    assert "junk.html" in str(info.value)
    with pytest.raises(ReadError):
        parse_html(data, "junk.html")


def test_ten_thousand_levels_of_nesting():
    body = "<div><span>" * 5000 + report_body(seed()) + "</span></div>" * 5000
    result = outcome(lambda: read_report("deep.html", page(body).encode()))
    assert isinstance(result, ReadError) and "nested too deeply" in result.problem


def test_a_large_page_that_is_not_a_report():
    line = "<p>这是一个普通网页的段落，用来测试一个很大的页面，它不是年度报告。</p>\n"
    data = ("<html><body>" + line * (5_000_000 // len(line.encode())) + "</body></html>").encode()
    result = outcome(lambda: read_report("big.html", data))
    assert isinstance(result, ReadError) and "not an annual report" in result.problem


def test_huge_spans_are_bounded():
    cells = '<td rowspan="1000" colspan="1000">1</td>' * 50
    data = f"<html><body><table>{('<tr>' + cells + '</tr>') * 2000}</table></body></html>".encode()
    result = outcome(lambda: read_report("spans.html", data))
    assert isinstance(result, ReadError)


def test_an_amount_headed_in_yuan_is_converted_to_wanyuan_by_value(corpus):
    page = (corpus / "real/shanghai-gov-office-2019.html").read_text("utf-8")
    assert "251000元" in page
    converted = page.replace("采购总金额", "采购总金额（元）").replace("251000元", "8810055")
    extraction = match(parse_html(converted.encode("utf-8"), "yuan.html"))
    assert extraction.report.values["proactive.procurement.amount"] == Decimal("881.0055")
    assert not [f for f in extraction.findings if f.rule == "READ-UNIT"]


def test_a_page_whose_body_is_a_link_to_an_attachment_is_refused_naming_it():
    page = ("<html><head><title>某某局2023年政府信息公开工作年度报告_年报_某某网</title></head><body>"
            "<h1>某某局2023年政府信息公开工作年度报告</h1><p>时间：2024-01-20</p>"
            "<p><a href='/files/a.pdf'>附件：某某局2023年政府信息公开工作年度报告.pdf</a></p></body></html>")
    with pytest.raises(ReadError, match=r"attachment 某某局2023年政府信息公开工作年度报告\.pdf"):
        match(parse_html(page.encode("utf-8"), "attachment.html"))


def test_the_title_outside_the_body_names_the_agency_not_the_preamble():
    page = ("<html><head><title>某某区某某局2023年度政府信息公开工作年度报告_政府信息公开年报_某某区政府</title></head>"
            "<body><nav>首页</nav><div class='article'><p>根据《中华人民共和国政府信息公开条例》要求，现向社会公布"
            "某某区某某局2023年度政府信息公开工作年度报告。</p><p>一、总体情况</p><p>总体。</p>"
            "<p>五、存在的主要问题及改进情况</p><p>无。</p></div></body></html>")
    report = match(parse_html(page.encode("utf-8"), "page.html")).report
    assert (report.agency, report.year) == ("某某区某某局", 2023)
