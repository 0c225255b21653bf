"""Each rule fires on a broken report and stays silent on a good one."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from gongkai.report import Report
from gongkai.report.rules import check


def _good() -> Report:
    """A consistent 2023 report with non-zero numbers everywhere it matters."""
    r = Report.blank("2021", agency="某某区科学技术局", year=2023)
    cols = ["natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org"]
    for key in r.values:
        r.values[key] = Decimal("1.5") if key.endswith(".amount") else 0
    for i, col in enumerate(cols):
        r[f"requests.new_received.{col}"] = 10 + i
        r[f"requests.carried_over.{col}"] = 3
        r[f"requests.granted.{col}"] = 6 + i
        r[f"requests.withheld.state_secret.{col}"] = 1
        r[f"requests.other_handling.other.{col}"] = 3
        r[f"requests.total_handled.{col}"] = 10 + i
        r[f"requests.carried_forward.{col}"] = 3
    for row in {k.rsplit(".", 1)[0] for k in r.values if k.startswith("requests.")}:
        r[f"{row}.total"] = sum(r[f"{row}.{c}"] for c in cols)
    r["appeals.review.upheld"], r["appeals.review.pending"], r["appeals.review.total"] = 2, 1, 3
    r["proactive.normative_documents.issued"], r["proactive.normative_documents.in_force"] = 4, 10
    r.texts.update(overview="全年收到政府信息公开申请75件。本年度行政复议3件。", problems="无。", other="无。")
    return r


def rules_of(report: Report, previous: Report | None = None, severity: str | None = None) -> set[str]:
    return {f.rule for f in check(report, previous) if severity is None or f.severity == severity}


def test_a_consistent_report_has_no_finding():
    assert check(_good()) == []


def test_r1_fires_on_carry_forward():
    r = _good()
    r["requests.carried_forward.research"] += 1
    r["requests.carried_forward.total"] += 1
    findings = [f for f in check(r) if f.rule == "R1"]
    assert [f.keys[-1] for f in findings] == ["requests.carried_forward.research", "requests.carried_forward.total"]
    assert all(f.severity == "error" for f in findings)
    assert findings[0].labels[0].startswith("一、本年新收政府信息公开申请数量")
    assert (findings[0].expected, findings[0].found) == (16, 15)


def test_one_changed_cell_names_exactly_the_broken_rules_and_cells():
    r = _good()
    r["requests.granted.commercial"] += 1  # breaks R2 for the column and R3 for the row
    findings = [f for f in check(r) if f.severity == "error"]
    assert {f.rule for f in findings} == {"R2", "R3"}
    assert all("requests.granted.commercial" in f.keys for f in findings)
    r2 = next(f for f in findings if f.rule == "R2")
    assert (r2.expected, r2.found) == (12, 11)  # sum of the results vs the printed total


def test_r4_fires_on_appeal_total():
    r = _good()
    r["appeals.lawsuit_direct.total"] = 1
    assert rules_of(r, severity="error") == {"R4"}


def test_r5_negative_count_is_an_error_and_blank_a_warning():
    r = _good()
    r["proactive.licensing.decisions"] = -1
    assert rules_of(r, severity="error") == {"R5"}
    r = _good()
    r["proactive.licensing.decisions"] = None
    assert {(f.rule, f.severity) for f in check(r)} == {("R5", "warning")}


def test_r5_blank_cell_makes_an_equation_a_warning_not_an_error():
    r = _good()
    r["requests.granted.commercial"] = None
    findings = check(r)
    assert all(f.severity == "warning" for f in findings)
    assert {"R2", "R3", "R5"} <= {f.rule for f in findings}


def test_r5_negative_fee_and_negative_change_in_2019():
    r = _good()
    r["proactive.fees.amount"] = Decimal("-0.5")
    assert rules_of(r, severity="error") == {"R5"}
    old = Report.blank("2019", agency="某局", year=2020)
    for key in old.values:
        old.values[key] = Decimal(0) if key.endswith(".amount") else 0
    old.texts.update(overview="a", problems="b", other="c")
    old["proactive.licensing.change"] = -3  # 本年增/减 may be negative
    assert check(old) == []


def test_r6_2019_template_for_a_2021_report_is_an_error():
    old = Report.blank("2019", agency="某局", year=2022)
    for key in old.values:
        old.values[key] = Decimal(0) if key.endswith(".amount") else 0
    old.texts.update(overview="a", problems="b", other="c")
    assert rules_of(old, severity="error") == {"R6"}


def test_r6_missing_table_is_an_error_and_missing_section_a_warning():
    r = _good()
    for key in r.values:
        if key.startswith("appeals."):
            r.values[key] = None
    assert "R6" in rules_of(r, severity="error")
    r = _good()
    r.texts["problems"] = None
    assert {(f.rule, f.severity) for f in check(r)} == {("R6", "warning")}


def test_r6_collapsed_other_handling_is_a_warning_and_r2_uses_the_collapsed_row():
    r = _good()
    r.collapse_other_handling()
    for col in ["natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total"]:
        r[f"requests.other_handling.{col}"] = r[f"requests.other_handling.other.{col}"]
        for sub in ("no_supplement", "fee_unpaid", "other"):
            r[f"requests.other_handling.{sub}.{col}"] = None
    assert {(f.rule, f.severity) for f in check(r)} == {("R6", "warning")}


def test_x1_carry_over_across_years():
    now, before = _good(), _good()
    assert "X1" not in rules_of(now, before)
    before["requests.carried_forward.commercial"] = 9
    assert [f.keys for f in check(now, before) if f.rule == "X1"] == [("requests.carried_over.commercial",)]


def test_x2_in_force_across_years():
    now, before = _good(), _good()
    before["proactive.normative_documents.in_force"] = 6  # 6 + 4 - 0 = 10
    assert rules_of(now, before) == set()
    before["proactive.normative_documents.in_force"] = 7
    assert rules_of(now, before) == {"X2"}


def test_x2_not_across_the_edition_change():
    now = _good()
    before = Report.blank("2019", agency="某局", year=2020)
    assert "X2" not in rules_of(now, before)


@pytest.mark.parametrize("sentence, rule_fires", [
    ("全年收到政府信息公开申请75件。", False),
    ("全年收到政府信息公开申请70件。", True),
    ("本年新收申请80件（含上年结转12件）。", True),
    ("本年度行政复议3件。", False),
    ("本年度发生行政复议4件。", True),
    ("共有1件涉及政府信息公开工作的行政诉讼。", True),
    # a list: each figure belongs to the word before it, never to the next item's word
    ("共有行政诉讼案件0件、行政复议案件3件，均已结案。", False),
    ("因政府信息公开引起的行政复议案件3件、行政诉讼案件0件。", False),
    ("因政府信息公开引起的行政复议案件3件、行政诉讼案件2件。", True),
    ("行政复议3件和行政诉讼0件。", False),
])
def test_x3_numbers_in_the_prose(sentence, rule_fires):
    r = _good()
    r.texts["overview"] = sentence
    findings = [f for f in check(r) if f.rule == "X3"]
    assert bool(findings) is rule_fires
    if rule_fires:
        assert findings[0].quote == sentence.rstrip("。") and findings[0].severity == "warning"


def test_x3_includes_carry_over_when_the_prose_says_so():
    r = _good()
    r.texts["overview"] = "本年共收到政府信息公开申请93件（包括上年结转18件）。"
    assert not [f for f in check(r) if f.rule == "X3" and "new_received" in f.keys[0]]


def test_findings_are_json_and_bilingual():
    r = copy.deepcopy(_good())
    r["requests.granted.total"] += 1
    data = [f.to_json() for f in check(r)]
    assert all(d["message_zh"] and d["message_en"] and d["labels"] for d in data)
