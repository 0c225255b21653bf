"""The text and Markdown readers on the corpus, and their finer points."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from answer_keys import assert_matches_expected, differences

from gongkai.read import ReadError, read_report
from gongkai.read.markdown import parse_markdown
from gongkai.read.matcher import match
from gongkai.read.text import parse_text
from gongkai.report import Report

SEED = "seed/000_db8b9a3c8d2b1499"
STCSM = "real/shanghai-stcsm-2024"


def test_seed_text_extracts_exactly(corpus):
    extraction = read_report(corpus / f"{SEED}.txt")
    assert_matches_expected(extraction, corpus / f"{SEED}.expected.json")
    assert extraction.findings == []


def test_shanghai_markdown_extracts_exactly(corpus):
    extraction = read_report(corpus / f"{STCSM}.md")
    assert_matches_expected(extraction, corpus / f"{STCSM}.expected.json")
    rules = {f.rule for f in extraction.findings}
    # the stray "1" left by the PDF conversion, and the missing heading of section 五
    assert rules == {"READ-STRAY", "R6"}
    assert extraction.report.values["requests.carried_forward.total"] is None


def test_a_lost_label_row_is_placed_by_template_order():
    text = (SEED_TABLE.replace("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t3", "\t3"))
    report = match(parse_text(text)).report
    assert report.values["requests.partially_granted.natural_person"] == 3


def test_two_lost_labels_in_three_slots_are_left_blank_with_a_finding():
    lines = SEED_TABLE.splitlines()
    lines = [ln for ln in lines if "1.属于国家秘密" not in ln]
    lines = [ln.replace("2.其他法律法规禁止公开", "").replace("3.危及“三安全一稳定”", "") for ln in lines]
    extraction = match(parse_text("\n".join(lines)))
    assert extraction.report.values["requests.withheld.state_secret.total"] is None
    assert extraction.report.values["requests.withheld.prohibited_by_law.total"] is None
    assert any(f.rule == "READ-AMBIGUOUS" for f in extraction.findings)


def test_label_typo_and_variants_are_matched():
    text = SEED_TABLE.replace("2.其他法律法规禁止公开\t0", "2.其他法律行政止公开\t5").replace("“三安全一稳定”", "\"三安全一稳定\"")
    report = match(parse_text(text)).report
    assert report.values["requests.withheld.prohibited_by_law.natural_person"] == 5


def test_blank_and_dash_cells_are_null_never_zero():
    text = SEED_TABLE.replace("规章\t0\t0\t0", "规章\t—\t\t无")
    report = match(parse_text(text)).report
    assert [report.values[f"proactive.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [None] * 3


def test_full_width_digits_and_thousands_separators():
    text = SEED_TABLE.replace("行政许可\t0", "行政许可\t１,２３４")
    assert match(parse_text(text)).report.values["proactive.licensing.decisions"] == 1234


def test_markdown_row_with_a_blank_cell_keeps_it_null():
    md = MD_REPORT.replace("| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 |  |")
    report = match(parse_markdown(md)).report
    assert report.values["requests.carried_forward.total"] is None
    assert report.values["requests.carried_forward.other_org"] == 0


def test_gb18030_text_is_decoded(corpus):
    data = (corpus / f"{SEED}.txt").read_text(encoding="utf-8").encode("gb18030")
    extraction = read_report("seed-gbk.txt", data)
    assert extraction.report.agency == "科学技术和工业信息化局"


@pytest.mark.parametrize("data, problem", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x00\x01\x02binary\xff" * 100, "binary data"),
    ("这是一篇普通的文章，没有任何表格。\n第二段。".encode(), "not an annual report"),
])
def test_unreadable_input_is_a_clear_error(data, problem):
    with pytest.raises(ReadError, match=problem) as info:
        read_report("bad.txt", data)
    assert str(info.value).startswith("bad.txt: ")


def test_flat_form_roundtrips_through_report(corpus):
    import json

    flat = json.loads((corpus / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    assert not differences(Report.from_flat(flat).flat(), flat)


SEED_TABLE = """科学技术和工业信息化局2021年政府信息公开工作年度报告
一、总体情况
总体。
二、主动公开政府信息情况
第二十条第(一)项\t\t\t
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t0\t0\t0
第二十条第(五)项\t\t\t
行政许可\t0\t\t
第二十条第(六)项\t\t\t
行政处罚\t0\t\t
行政强制\t0\t\t
第二十条第(八)项\t\t\t
行政事业性收费\t0\t\t
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t\t3\t0\t0\t0\t0\t0\t3
二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t(一) 予以公开\t0\t0\t0\t0\t0\t0\t0
\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t3\t0\t0\t0\t0\t0\t3
\t(三) 不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t2.其他法律法规禁止公开\t0\t0\t0\t0\t0\t0\t0
\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
\t\t4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
\t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t\t6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
\t(四) 无法提供\t1.本机关不掌握相关政府信息\t0\t0\t0\t0\t0\t0\t0
\t\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
\t\t3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
\t(五) 不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0
\t\t3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
\t\t4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
\t\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
\t\t3.其他\t0\t0\t0\t0\t0\t0\t0
\t\t(七) 总计\t3\t0\t0\t0\t0\t0\t3
四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0
四、政府信息公开行政复议、行政诉讼情况
0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
五、存在的主要问题及改进情况
问题。
六、其他需要报告的事项
无
"""

MD_REPORT = """# 某局2022年政府信息公开工作年度报告
一、总体情况
总体。
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|
| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""


def _with_subtotal(text: str, at: int) -> str:
    """The seed-like table with a 法人或其他组织 subtotal column inserted at value position ``at``."""
    out = []
    for line in text.splitlines():
        cells = line.split("\t")
        numbers = [i for i, c in enumerate(cells) if c.strip().isdigit()]
        if len(numbers) == 7:
            values = [int(cells[i]) for i in numbers]
            org = sum(values[1:6])
            cells.insert(numbers[at], str(org))
        out.append("\t".join(cells))
    return "\n".join(out)


@pytest.mark.parametrize("at", [1, 6])
def test_an_added_subtotal_column_is_accepted_and_checked(at):
    text = SEED_TABLE.replace("二、上年结转政府信息公开申请数量\t\t0\t0\t0", "二、上年结转政府信息公开申请数量\t\t0\t2\t1")
    text = text.replace("一、本年新收政府信息公开申请数量\t\t3\t0\t0", "一、本年新收政府信息公开申请数量\t\t3\t1\t4")
    extraction = match(parse_text(_with_subtotal(text, at)))
    assert [extraction.report.values[f"requests.carried_over.{c}"] for c in ("commercial", "research", "total")] == [2, 1, 0]
    assert extraction.findings == []
    lines = _with_subtotal(text, at).splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转"))
    lines[row] = lines[row].replace("\t2\t1\t", "\t5\t1\t", 1)  # the subtotal no longer adds up
    findings = match(parse_text("\n".join(lines))).findings
    assert [f.rule for f in findings] == ["READ-SUBTOTAL"] and "二、上年结转" in findings[0].quote


def test_an_extra_column_that_arithmetic_cannot_place_is_not_guessed():
    extraction = match(parse_text(_with_subtotal(SEED_TABLE, 1)))  # all zeros: either place fits
    assert any(f.rule == "READ-AMBIGUOUS" for f in extraction.findings)
    assert extraction.report.values["requests.granted.total"] is None


def test_a_heading_run_into_its_paragraph_and_a_title_with_guanyu():
    text = SEED_TABLE.replace("一、总体情况\n总体。", "一、总体情况。2022年，我局认真贯彻条例。")
    text = text.replace("科学技术和工业信息化局2021年政府信息公开工作年度报告", "某某区人民政府办公室关于2021年度政府信息公开工作年度报告")
    report = match(parse_text(text)).report
    assert report.texts["overview"] == "2022年，我局认真贯彻条例。"
    assert (report.agency, report.year) == ("某某区人民政府办公室", 2021)


def test_labels_broken_over_lines_in_text():
    text = SEED_TABLE.replace("\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t3",
                              "\t(二) 部分公开(区分处理的, 只计这一情形,\n不计其他情形)\t3")
    text = text.replace("\t\t5.要求行政机关确认或重新出具已获取信息\t0", "\t\t5.要求行政机关确认或重\n新出具已获取信息\t7")
    report = match(parse_text(text)).report
    assert report.values["requests.partially_granted.natural_person"] == 3
    assert report.values["requests.not_handled.reconfirmation.natural_person"] == 7


def test_a_gigantic_table_is_refused():
    rows = "\n".join("\t".join(["1.属于国家秘密"] + ["0"] * 7) for _ in range(30_000))
    with pytest.raises(ReadError, match="not an annual report"):
        read_report("huge.txt", f"某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{rows}".encode())


def test_year_from_the_statistics_period_when_the_title_has_none():
    text = SEED_TABLE.replace("科学技术和工业信息化局2021年政府信息公开工作年度报告",
                              "政府信息公开工作年度报告\n本报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。")
    assert match(parse_text(text, "report.txt")).report.year == 2021


def test_a_wrapped_label_fragment_places_its_row_when_a_blank_row_prints_nothing():
    # 5.要求…重新出具已获取信息 wrapped, its group label split into the row ("理"), and （六）其他处理 collapsed and
    # left blank, so it prints no number: the fragments still name their rows, order fills nothing blindly
    text = SEED_TABLE.replace("\t\t4.无正当理由大量反复申请\t0", "理\t4.无正当理由大量\t4")
    text = text.replace("\t\t5.要求行政机关确认或重新出具已获取信息\t0", "\t认或重新出具已获\t5")
    lines = [ln for ln in text.splitlines() if not ln.startswith(("\t(六)", "\t\t2.申请人逾期", "\t\t3.其他"))]
    extraction = match(parse_text("\n".join(lines).replace("\t(七) 总计", "（六）其他处理\n\t\t(七) 总计")))
    values = extraction.report.values
    assert values["requests.not_handled.excessive.natural_person"] == 4
    assert values["requests.not_handled.reconfirmation.natural_person"] == 5
    assert extraction.report.collapsed and values["requests.other_handling.total"] is None
    assert not [f for f in extraction.findings if f.rule == "READ-AMBIGUOUS"]


def test_a_number_wrapped_out_of_table_4_is_a_finding_not_dropped():
    text = SEED_TABLE.replace("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n五、",
                              "1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n2\n五、")
    extraction = match(parse_text(text))
    assert extraction.report.values["appeals.review.total"] == 1
    assert [(f.rule, f.quote) for f in extraction.findings] == [("READ-STRAY", "2")]


# -- reports flattened into running text (a site archive's text of a page) -------------------------
FLAT = (Path(__file__).parent / "corpus/wild/pingtan-2024.page.txt").read_text("utf-8")


def test_decoys_in_running_text_never_land_in_a_cell():
    """A stray number in a paragraph, a page number and a date inside the table: none is a cell."""
    clean = match(parse_text(FLAT))
    decoyed = (FLAT.replace("三、收到和处理政府信息公开申请情况", "本表统计 15 个单位。三、收到和处理政府信息公开申请情况")
               .replace("二、上年结转政府信息公开申请数量", " - 3 - 二、上年结转政府信息公开申请数量")
               .replace("（二）部分公开", "统计截至 2024-12-31 （二）部分公开")
               .replace("行政强制65", "行政强制65 共 7 人"))
    assert decoyed.count("本表统计") == decoyed.count(" - 3 - ") == decoyed.count("2024-12-31") == 1
    read = match(parse_text(decoyed))
    assert read.report.values == clean.report.values
    assert [f.rule for f in read.findings] == [f.rule for f in clean.findings]


def test_numbered_parts_of_the_overview_are_not_section_headings():
    text = SEED_TABLE.replace("一、总体情况\n", "一、总体情况\n（一）主动公开政府信息情况\n全年公开 5 条。\n"
                                                    "（二）收到和处理政府信息公开申请情况\n无。\n")
    report = match(parse_text(text)).report
    assert "（一）主动公开政府信息情况" in report.texts["overview"]
    assert "（二）收到和处理政府信息公开申请情况" in report.texts["overview"]
    assert report.values == match(parse_text(SEED_TABLE)).report.values


def test_a_preamble_sentence_is_never_the_title():
    preamble = "根据《条例》要求，现向社会公布某某局2023年政府信息公开工作年度报告。"
    report = match(parse_text(preamble + "\n" + SEED_TABLE.split("\n", 1)[1])).report
    assert report.agency != "现向社会公布某某局" and "根据" not in (report.agency or "")
    titled = match(parse_text("标题: 某某区某某局2023年度政府信息公开工作年度报告\n发布时间: 2024-01-30 10:00\n"
                              + preamble + "\n" + SEED_TABLE.split("\n", 1)[1])).report
    assert (titled.agency, titled.year, titled.published) == ("某某区某某局", 2023, date(2024, 1, 30))


def _flat_with_other_row(total_handled: str) -> str:
    """pingtan-2024's text with （六）3.其他 printed as 1 10 0 0 0 0 11 run together (110000011: R3 allows
    1/10/…/11 and 11/0/…/11) and the 新收 and 总计 rows to match."""
    return (FLAT.replace("3.其他1100002（七）总计21710000218", f"3.其他110000011（七）总计{total_handled}")
            .replace("申请数量21710000218", "申请数量217100000227"))


def test_the_column_equations_decide_between_splits_the_row_total_allows():
    extraction = match(parse_text(_flat_with_other_row("217100000227")))
    values = extraction.report.values
    assert [values[f"requests.other_handling.other.{c}"] for c in ("natural_person", "commercial", "research",
            "nonprofit", "legal_services", "other_org", "total")] == [1, 10, 0, 0, 0, 0, 11]
    assert not [f for f in extraction.findings if f.quote and "110000011" in f.quote]


def test_splits_nothing_decides_leave_the_disputed_cells_blank_and_list_them():
    extraction = match(parse_text(_flat_with_other_row("")))  # no 总计 numbers: R2 cannot be checked
    values = extraction.report.values
    assert [values[f"requests.other_handling.other.{c}"] for c in ("natural_person", "commercial", "research",
            "nonprofit", "legal_services", "other_org", "total")] == [None, None, 0, 0, 0, 0, 11]
    [finding] = [f for f in extraction.findings if f.quote and "110000011" in f.quote]
    assert finding.rule == "READ-AMBIGUOUS" and "1/10/0/0/0/0/11" in finding.message_zh
    assert set(finding.keys) == {"requests.other_handling.other.natural_person",
                                 "requests.other_handling.other.commercial"}


def test_decoys_in_a_tab_separated_table_never_land_in_a_cell():
    clean = match(parse_text(SEED_TABLE))
    decoyed = SEED_TABLE.replace("三、收到和处理政府信息公开申请情况\n",
                                 "三、收到和处理政府信息公开申请情况\n本表数据截至 2024年12月31日，共 12 个单位。\n- 3 -\n"
                                 "统计日期\t2024-12-31\n")
    assert decoyed != SEED_TABLE
    read = match(parse_text(decoyed))
    assert read.report.values == clean.report.values


def test_a_title_without_the_agency_takes_it_from_the_publisher_line():
    body = SEED_TABLE.split("\n", 1)[1]
    report = match(parse_text("标题: 2023年政府信息公开工作年度报告\n发布机构: 某某县市场监督管理局\n" + body)).report
    assert (report.agency, report.year) == ("某某县市场监督管理局", 2023)
    titled = match(parse_text("标题: 某某县科技局2023年政府信息公开工作年度报告\n发布机构: 1\n" + body)).report
    assert titled.agency == "某某县科技局"


def test_a_paragraph_listing_the_sections_is_not_cut_into_headings():
    listing = ("本报告包括一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，"
               "四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，六、其他需要报告的事项。") * 2
    text = SEED_TABLE.replace("一、总体情况\n总体。", listing + "\n一、总体情况\n总体。")
    assert match(parse_text(text)).report.values == match(parse_text(SEED_TABLE)).report.values
    flat = FLAT.replace("本报告共分6个部分：", "本报告包括一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，"
                                              "四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，"
                                              "六、其他需要报告的事项。")
    assert match(parse_text(flat)).report.values == match(parse_text(FLAT)).report.values


# -- empty cells printed as nothing (a page that prints no 0) ---------------------------------------
def test_only_a_page_printing_000_rules_out_blank_cells_as_the_reason_a_row_is_short():
    from gongkai.read.splits import blanks_may_print_nothing

    assert not blanks_may_print_nothing(["规章000 行政规范性文件6233440"])  # a 0 cell run into the next
    assert not blanks_may_print_nothing(["（七）总计 0000000"])
    assert blanks_may_print_nothing(["规章 5 行政规范性文件 93291", "行政事业性收费 0.5"])
    assert blanks_may_print_nothing(["规章 0 0 0 行政规范性文件 93291"])  # 0 printed, but never run on
    assert not blanks_may_print_nothing([FLAT])


def _silent_report(edition_id: str):
    """A generator report whose blank cells print nothing (no 0 anywhere), as one run-together paragraph,
    with 行政规范性文件 / 行政许可 set to 93, blank, 291 (printed ``93291``)."""
    from variants import PREPARE, reports_of

    report = PREPARE["running text: blank cells print nothing, digits run together"](reports_of(edition_id, 1, 7)[0])
    row = report.template.proactive[0].rows[-1].key
    columns = [c.key for c in report.template.proactive[0].columns]
    for column, value in zip(columns, (93, None, 291), strict=True):
        report.values[f"proactive.{row}.{column}"] = value
    return report, [f"proactive.{row}.{c}" for c in columns]


@pytest.mark.parametrize("edition_id", ["2021", "2019"])
def test_a_short_row_that_blanks_or_splits_explain_stays_blank_with_the_explanations(edition_id):
    import random

    from variants import judge, running_digits_together

    report, keys = _silent_report(edition_id)
    _, data = running_digits_together(report, random.Random(0))
    assert "93291" in data.decode()
    read = read_report("report.txt", data)
    assert [read.report.values[k] for k in keys] == [None, None, None]
    [finding] = [f for f in read.findings if f.quote and "93291" in f.quote]
    assert finding.rule == "READ-AMBIGUOUS" and set(finding.keys) == set(keys)
    assert finding.found == 21 and "空/93/291" in finding.message_zh and "空单元格" in finding.message_zh
    assert judge(report, read).kind == "blank-with-finding"


def test_decoys_never_land_in_a_cell_on_a_page_whose_blank_cells_print_nothing():
    import random

    from variants import judge, running_digits_together

    report, _ = _silent_report("2021")
    clean = read_report("report.txt", running_digits_together(report, random.Random(0))[1])
    text = running_digits_together(report, random.Random(0))[1].decode()
    decoyed = (text.replace("三、收到和处理政府信息公开申请情况", "本表统计 15 个单位。三、收到和处理政府信息公开申请情况")
               .replace("二、上年结转政府信息公开申请数量", " - 3 - 二、上年结转政府信息公开申请数量")
               .replace("（二）部分公开", "统计截至 2024-12-31 （二）部分公开"))
    assert decoyed.count("本表统计") == decoyed.count(" - 3 - ") == decoyed.count("2024-12-31") == 1
    read = read_report("report.txt", decoyed.encode())
    assert read.report.values == clean.report.values
    assert judge(report, read).kind != "wrong"


# -- text hard-wrapped at a fixed width (site archives, e-mail) ----------------------------------------
@pytest.mark.parametrize("width", [40, 72])
def test_a_real_archive_text_hard_wrapped_reads_as_the_unwrapped_one(width):
    from variants import _hard_wrapped

    wrapped = _hard_wrapped(FLAT, width)
    assert max(len(line) for line in wrapped.splitlines()) == width and wrapped.count("\n") > 40
    clean, read = match(parse_text(FLAT)), match(parse_text(wrapped))
    assert read.report.values == clean.report.values
    assert (read.report.agency, read.report.year) == (clean.report.agency, clean.report.year)
    assert [(f.rule, f.keys) for f in read.findings] == [(f.rule, f.keys) for f in clean.findings]


def test_text_written_one_paragraph_a_line_is_not_unwrapped():
    from gongkai.read.text import unwrap_fixed_width

    lines = SEED_TABLE.splitlines()
    assert unwrap_fixed_width(lines) == lines
    short = ["一、总体情况", "本年度共公开信息 12 条。", "二、主动公开政府信息情况", "无。"] * 3
    assert unwrap_fixed_width(short) == short
