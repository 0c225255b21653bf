"""Draft texts of sections 一、五、六 from the figures: every number from a cell, X3 silent on a draft and firing
when a cell changes after drafting, blanks and unknown facts as placeholders that rule D1 lists."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from answer_keys import CORPUS, expected
from hypothesis import given, settings
from hypothesis import strategies as st
from render import reports as complete_reports
from strategies import distinct_report, reports

from gongkai.report import Report
from gongkai.report.drafting import APPLICANT_ORGS, draft_texts, fee_sentence, with_drafts
from gongkai.report.placeholders import placeholder, unfilled
from gongkai.report.rules import check

X3_CELLS = ("requests.new_received.total", "requests.carried_over.total", "requests.carried_forward.total",
            "appeals.review.total", "appeals.lawsuit_direct.total", "appeals.lawsuit_after_review.total")


def x3(report: Report, previous: Report | None = None) -> list:
    return [f for f in check(report, previous) if f.rule == "X3"]


@settings(max_examples=150, deadline=None)
@given(reports(), st.none() | reports(), st.none() | st.decimals(0, 10**6, places=2))
def test_x3_finds_nothing_on_the_draft_of_a_random_report(report, previous, fees):
    drafted = with_drafts(report, fees, previous)
    assert x3(drafted, previous) == []


@settings(max_examples=60, deadline=None)
@given(complete_reports, complete_reports)
def test_x3_finds_nothing_on_the_draft_of_a_complete_report(report, previous):
    assert x3(with_drafts(report, Decimal("0"), previous), previous) == []


@pytest.mark.parametrize("key", X3_CELLS)
@settings(max_examples=25, deadline=None)
@given(report=reports(blanks=False), delta=st.sampled_from([1, 7, -1]))
def test_changing_a_quoted_cell_after_drafting_makes_x3_fire(key, report, delta):
    drafted = with_drafts(report, Decimal("0"))
    assert x3(drafted) == []
    if drafted.values[key] + delta < 0:
        delta = -delta
    drafted.values[key] += delta
    fired = x3(drafted)
    assert len(fired) == 1 and key in fired[0].keys
    assert fired[0].found == sum(report.values[k] for k in fired[0].keys)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", text)]


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_every_number_in_the_overview_is_a_cell_or_a_sum_of_one_group(edition):
    r = distinct_report(edition)
    v = r.values
    result_rows = [row.key for row in r.template.result_rows]
    sums = {sum(v[f"requests.{row}.total"] for row in result_rows if row.split(".")[0] == group)
            for group in ("withheld", "unavailable", "not_handled", "other_handling")}
    sums.add(sum(v[f"requests.new_received.{c}"] for c in APPLICANT_ORGS))
    sums.add(v["appeals.lawsuit_direct.total"] + v["appeals.lawsuit_after_review.total"])
    cells = {x for x in v.values() if isinstance(x, int)}
    change_magnitudes = {abs(x) for k, x in v.items() if k.endswith(".change")}
    overview = draft_texts(r, Decimal("0"))["overview"]
    numbers = _numbers(overview)
    assert numbers[0] == r.year
    assert set(numbers[1:]) <= cells | sums | change_magnitudes
    for key in X3_CELLS[:4]:
        assert str(v[key]) in overview
    for key in (k for k in v if k.startswith("proactive.")):  # every table-2 cell is quoted
        value = v[key]
        assert (format(value, "f") if isinstance(value, Decimal) else str(value)) in overview
    assert f"新收政府信息公开申请{v['requests.new_received.total']}件" in overview
    assert f"结转下年度继续办理{v['requests.carried_forward.total']}件" in overview
    assert f"被申请行政复议{v['appeals.review.total']}件" in overview
    assert not unfilled(overview.split("（三）")[0].replace(placeholder("本年度政府信息公开工作的总体部署和主要做法"), "")
                        .replace(placeholder("重点领域信息公开、政策解读和回应关切等情况"), ""))


def test_the_outcome_mix_names_each_group_with_its_own_sum():
    r = distinct_report()
    v = r.values
    overview = draft_texts(r, Decimal("0"))["overview"]
    groups = {"予以公开": "granted", "部分公开": "partially_granted", "不予公开": "withheld.",
              "无法提供": "unavailable.", "不予处理": "not_handled.", "其他处理": "other_handling."}
    for name, prefix in groups.items():
        rows = [k for k in v if k.startswith(f"requests.{prefix}") and k.endswith(".total")]
        assert re.search(f"(，|其中){name}{sum(v[k] for k in rows)}件", overview), name
    orgs = sum(v[f"requests.new_received.{c}"] for c in APPLICANT_ORGS)
    assert f"自然人提出{v['requests.new_received.natural_person']}件，法人或其他组织提出{orgs}件" in overview
    review = "，".join(f"{label}{v[f'appeals.review.{key}']}件" for key, label in
                      (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")))
    assert review in overview


def test_a_2019_table_two_reads_its_signed_change_as_increase_or_decrease():
    r = distinct_report("2019")
    r["proactive.licensing.change"], r["proactive.punishment.change"] = -5, 0
    overview = draft_texts(r, Decimal("0"))["overview"]
    assert f"行政许可上一年项目{r['proactive.licensing.prior_items']}项，本年减少5项" in overview
    assert "行政处罚上一年项目" in overview and "本年无增减" in overview
    assert f"本年增加{r['proactive.coercion.change']}项" in overview
    assert f"政府集中采购项目{r['proactive.procurement.projects']}个" in overview


@pytest.mark.parametrize("key", sorted(CORPUS.glob("*/*.expected.json")), ids=lambda p: p.stem)
def test_drafts_of_the_real_reports_agree_with_their_tables(key):
    report = Report.from_flat(expected(key))
    drafted = with_drafts(report, Decimal("0"))
    assert x3(drafted) == []
    assert f"{report.year}年，{report.agency}" in drafted.texts["overview"]
    assert any(f.rule == "D1" for f in check(drafted))


def test_the_overview_has_its_customary_sub_headings_in_order():
    lines = draft_texts(distinct_report(), None)["overview"].split("\n")
    headings = [line for line in lines if re.fullmatch(r"（[一二三四五]）\S+", line)]
    assert headings == ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]


def test_the_outcome_mix_uses_the_collapsed_row_of_a_collapsed_report():
    r = distinct_report()
    r.collapse_other_handling()
    for key in r.template.collapsed_cells:
        r.values[key] = 7
    for key in [k for k in r.values if k.startswith("requests.other_handling.") and k.count(".") == 3]:
        r.values[key] = None
    assert "其他处理7件" in draft_texts(r, Decimal("0"))["overview"]


def test_a_blank_cell_gives_a_placeholder_never_a_number():
    r = distinct_report()
    r["requests.new_received.total"] = None
    r["requests.withheld.state_secret.total"] = None  # the 不予公开 sum cannot be known
    drafted = with_drafts(r, Decimal("0"))
    sentence = next(s for s in re.split(r"[。\n]", drafted.texts["overview"]) if "新收政府信息公开申请" in s)
    assert sentence.startswith("本年度新收政府信息公开申请【请填写：")
    assert "不予公开【请填写：" in drafted.texts["overview"]
    d1 = [f for f in check(drafted) if f.rule == "D1"]
    assert any("本年新收申请总计" in f.quote for f in d1)


def test_comparisons_with_last_year():
    r, last = distinct_report(), distinct_report()
    r["requests.new_received.total"], last["requests.new_received.total"] = 120, 100
    r["requests.total_handled.total"], last["requests.total_handled.total"] = 90, 100
    r["appeals.review.total"], last["appeals.review.total"] = 3, 3
    r["appeals.lawsuit_direct.total"], r["appeals.lawsuit_after_review.total"] = 2, 0
    last["appeals.lawsuit_direct.total"], last["appeals.lawsuit_after_review.total"] = 0, 0
    overview = draft_texts(r, None, last)["overview"]
    assert "新收政府信息公开申请120件，同比增长20.0%" in overview
    assert "办结政府信息公开申请90件，同比下降10.0%" in overview
    assert "被申请行政复议3件，与上年持平" in overview
    assert "被提起行政诉讼2件，上年为0件" in overview
    assert "同比" not in draft_texts(r, None)["overview"]  # no last year, no comparison


@pytest.mark.parametrize(("fees", "sentence"), [
    (Decimal("0"), "本年度未收取信息处理费。"),
    (Decimal("0.00"), "本年度未收取信息处理费。"),
    (Decimal("300"), "本年度共收取信息处理费300元。"),
    (Decimal("1200.00"), "本年度共收取信息处理费1200元。"),
    (Decimal("12.5"), "本年度共收取信息处理费12.50元。"),
])
def test_processing_fees_in_section_six(fees, sentence):
    assert fee_sentence(fees) == sentence
    assert draft_texts(distinct_report(), fees)["other"].startswith(sentence)


def test_unknown_processing_fees_are_a_placeholder_and_a_negative_amount_is_refused():
    assert unfilled(fee_sentence(None)) == [fee_sentence(None)]
    with pytest.raises(ValueError, match="信息处理费"):
        fee_sentence(Decimal("-1"))


def test_section_six_names_the_publication_deadline_of_article_49():
    r = distinct_report()  # year 2023
    assert "第四十九条" in draft_texts(r, Decimal("0"))["other"]
    assert "应于2024年1月31日前向社会公布" in draft_texts(r, Decimal("0"))["other"]
    assert "应于2024年3月31日前向社会公布" in draft_texts(r, Decimal("0"), government=True)["other"]


def test_section_five_is_a_skeleton_of_placeholders_only():
    problems = draft_texts(distinct_report(), Decimal("0"))["problems"]
    assert not re.search(r"\d", problems)
    assert len(unfilled(problems)) == 3
    assert re.sub(r"【请填写[:：][^】]*】|（[一二三]）[^\n]*|\n", "", problems) == ""


def test_d1_lists_every_placeholder_and_is_silent_once_they_are_filled():
    drafted = with_drafts(distinct_report(), Decimal("0"))
    marks = [m for key in ("overview", "problems", "other") for m in unfilled(drafted.texts[key])]
    d1 = [f for f in check(drafted) if f.rule == "D1"]
    assert [f.quote for f in d1] == marks and len(marks) >= 8
    assert all(f.severity == "error" and f.message_zh.endswith(f.quote) for f in d1)
    assert {f.labels[0] for f in d1} == {"一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}
    for key in ("overview", "problems", "other"):
        drafted.texts[key] = re.sub(r"【请填写[:：][^】]*】", "本机关已按要求开展相关工作。", drafted.texts[key])
    assert [f for f in check(drafted) if f.rule == "D1"] == []


def test_a_placeholder_cannot_hold_a_digit():
    with pytest.raises(ValueError):
        placeholder("第3项")


def test_a_report_without_agency_or_year_is_drafted_without_inventing_them():
    r = distinct_report()
    r.agency, r.year = None, None
    texts = draft_texts(r, Decimal("0"))
    assert texts["overview"].startswith("本年度，本机关政府信息公开工作情况如下。")
    assert "第四十九条" not in texts["other"]  # no year, no deadline to name
