"""Two versions of a report: the changed cells with their labels (old → new), the texts as a unified diff of
paragraphs, and the diff rendered as Chinese text and as escaped HTML."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import distinct_report, reports

from gongkai.report.versions import diff_html, diff_reports, diff_text


def _pair():
    old, new = distinct_report(), distinct_report()
    return old, new


def test_identical_versions_have_no_diff():
    old, new = _pair()
    diff = diff_reports(old, new.flat(), old_label="第1版", new_label="第2版")
    assert diff.empty
    assert diff_text(diff) == "第1版 → 第2版：无变化\n"
    assert "无变化" in diff_html(diff)


def test_changed_cells_in_template_order_with_labels_old_and_new():
    old, new = _pair()
    new["requests.granted.total"] = 5
    new["proactive.fees.amount"] = None
    new.published = date(2024, 1, 20)
    diff = diff_reports(old, new)
    assert [(c.key, c.old, c.new) for c in diff.cells] == [
        ("meta.published", None, "2024-01-20"),
        ("proactive.fees.amount", format(old["proactive.fees.amount"], "f"), None),
        ("requests.granted.total", old["requests.granted.total"], 5),
    ]
    assert diff.cells[2].label == "三、本年度办理结果（一）予以公开 / 总计"
    assert diff.cells[0].label == "发布日期"
    assert diff.texts == ()
    text = diff_text(diff)
    assert f"三、本年度办理结果（一）予以公开 / 总计：{old['requests.granted.total']} → 5" in text
    assert "行政事业性收费 / 本年收费金额（单位：万元）：9.0380 → （空白）" in text


def test_the_diff_as_json():
    old, new = _pair()
    new["appeals.review.total"] = None
    new.texts["other"] = "有。"
    data = json.loads(json.dumps(diff_reports(old, new, old_label="第1版", new_label="第2版").to_json()))
    assert data["cells"] == [{"key": "appeals.review.total", "label": "行政复议 总计",
                              "old": old["appeals.review.total"], "new": None}]
    assert data["texts"][0]["key"] == "other" and "+有。" in data["texts"][0]["diff"]
    assert (data["old"], data["new"]) == ("第1版", "第2版")


def test_money_compares_by_value_and_texts_ignore_whitespace():
    old, new = _pair()
    new["proactive.fees.amount"] = Decimal("9.038")
    new.texts["overview"] = "总体情况 第一段。\n\n第二段。 "
    assert diff_reports(old, new).empty


def test_text_changes_are_a_unified_diff_of_paragraphs():
    old, new = _pair()
    old.texts["problems"] = "问题一。\n问题二。\n问题三。"
    new.texts["problems"] = "问题一。\n问题二已整改。\n问题三。\n问题四。"
    diff = diff_reports(old, new, old_label="第1版", new_label="第2版")
    assert diff.cells == ()
    (change,) = diff.texts
    assert change.heading == "五、存在的主要问题及改进情况"
    assert [line for line in change.diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-问题二。", "+问题二已整改。", "+问题四。"]
    assert change.diff[0] == "--- 第1版 五、存在的主要问题及改进情况"
    text = diff_text(diff)
    assert "变更的文字：五、存在的主要问题及改进情况" in text and "  -问题二。" in text


def test_html_is_escaped():
    old, new = _pair()
    new.agency = "<script>alert(1)</script>局"
    new.texts["other"] = "无。<img src=x onerror=alert(1)>"
    html = diff_html(diff_reports(old, new, new_label="第<2>版"))
    assert "<script>" not in html and "<img" not in html and "第<2>版" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in html
    assert "<ins>+无。&lt;img src=x onerror=alert(1)&gt;</ins>" in html
    assert "<del>-无。</del>" in html
    assert html.startswith('<section class="report-diff">') and html.endswith("</section>")


def test_versions_of_different_editions_label_each_key_by_its_own_template():
    old, new = distinct_report("2019"), distinct_report("2021")
    diff = diff_reports(old, new)
    labels = {c.key: c.label for c in diff.cells}
    assert labels["meta.edition"] == "模板版本"
    assert labels["proactive.regulations.issued"].startswith("规章 / 本年制发件数")
    assert labels["proactive.regulations.made"].startswith("规章 / 本年新制作数量")
    assert diff.cells[-1].new is None  # a key only the old edition has: gone in the new version


@settings(max_examples=40, deadline=None)
@given(reports(), st.data())
def test_the_diff_names_exactly_the_cells_that_changed(report, data):
    new = type(report).from_flat(report.flat())
    keys = data.draw(st.sets(st.sampled_from(sorted(new.values)), max_size=5))
    for key in keys:
        value = new.values[key]
        new.values[key] = 1 if value is None else value + (Decimal("0.0001") if isinstance(value, Decimal) else 1)
    diff = diff_reports(report, new)
    assert {c.key for c in diff.cells} == keys
    assert diff.texts == ()
