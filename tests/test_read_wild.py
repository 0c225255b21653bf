"""Real report pages of one region (平潭综合实验区, tests/corpus/wild/), read as a researcher gets them.

No answer keys exist: what is asserted here was checked by hand against each page's text — the
title's agency and year, the publication date in the page header, every printed cell either
filled or named in a finding (run-together digits that more than one split explains), and the
findings that are the publisher's own arithmetic errors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.read import ReadError, read_report

WILD = "wild"

# file -> (agency, year, edition read, publication date): agency and year as the 标题 line says,
# the date from 发布时间 in the page header
PAGES = {
    "pingtan-2019": ("平潭综合实验区", 2019, "2019", date(2020, 1, 20)),
    "pingtan-2020": ("平潭综合实验区", 2020, "2019", date(2021, 3, 5)),
    "pingtan-2021": ("平潭综合实验区", 2021, "2021", date(2022, 2, 8)),
    "pingtan-2022": ("平潭综合实验区", 2022, "2021", date(2023, 2, 20)),
    "pingtan-2023": ("平潭综合实验区", 2023, "2021", date(2024, 3, 8)),
    "pingtan-2024": ("平潭综合实验区", 2024, "2021", date(2025, 3, 10)),
    "pingtan-czj-2019": ("平潭综合实验区财政金融局", 2019, "2019", date(2020, 1, 6)),
    "pingtan-czj-2021": ("平潭综合实验区财政金融局", 2021, "2021", date(2022, 1, 13)),
    "pingtan-gaj-2024": ("平潭综合实验区公安局", 2024, "2021", date(2025, 1, 20)),
    "pingtan-htp-2021": ("平潭综合实验区海坛片区管理局", 2021, "2019", date(2022, 1, 12)),
    "pingtan-htp-2024": ("平潭综合实验区海坛片区管理局", 2024, "2021", date(2025, 1, 23)),
    "pingtan-jjf-2021": ("平潭综合实验区经济发展局", 2021, "2021", date(2022, 1, 19)),
    "pingtan-jtj-2022": ("平潭综合实验区交通与建设局", 2022, "2021", date(2023, 1, 9)),
    "pingtan-scj-2020": ("平潭综合实验区市场监督管理局", 2020, "2019", date(2021, 1, 27)),
    "pingtan-scj-2022": ("平潭综合实验区市场监督管理局", 2022, "2021", date(2023, 1, 5)),
    "pingtan-shs-2021": ("平潭综合实验区社会事业局", 2021, "2019", date(2022, 1, 14)),
    "pingtan-shs-2023": ("平潭综合实验区社会事业局", 2023, "2021", date(2024, 1, 26)),
    "pingtan-zrz-2020": ("平潭综合实验区自然资源与生态环境局", 2020, "2019", date(2021, 1, 28)),
    "pingtan-zrz-2024": ("平潭综合实验区自然资源与生态环境局", 2024, "2021", date(2025, 1, 27)),
}

# The errors each page really holds, checked by hand on its text (rule, first key).  Every other
# page: none.
PUBLISHER_ERRORS = {
    # 予以公开6 + 部分公开6 + 不掌握4 + 仍不明确3 + 重复申请3 + 其他处理4 = 26, the 总计 row prints 20 (21 with 1 org)
    "pingtan-2020": {("R2", "requests.total_handled.natural_person"), ("R2", "requests.total_handled.total")},
    # a 2021 report on the 2019 form; 总计1000000: one request handled that no row and no total shows
    "pingtan-htp-2021": {("R6", "meta.edition"), ("R1", "requests.new_received.natural_person"),
                         ("R2", "requests.total_handled.natural_person"), ("R3", "requests.total_handled.total")},
    # every row prints 0 in 总计 (5100000, 4000000, …); 4 + 1 + 1 = 6 handled against 5 in 总计
    "pingtan-htp-2024": {("R3", f"requests.{row}.total") for row in (
        "new_received", "unavailable.not_held", "unavailable.still_unclear", "other_handling.no_supplement",
        "other_handling.other", "total_handled")} | {("R2", "requests.total_handled.natural_person")},
    # 1.本机关不掌握 1000102 puts a request under 法律服务机构 that 总计 (9000009) does not count
    "pingtan-zrz-2020": {("R2", "requests.total_handled.legal_services"), ("R2", "requests.total_handled.total")},
    # a 2021 report whose table 2 is the 2019 form (本年新制作数量…), table 3 the 2021 one
    "pingtan-shs-2021": {("R6", "meta.edition")},
}

# Cells the page does not print at all (a missing row or section), beyond those a finding names.
UNPRINTED = {
    "pingtan-czj-2021": {"other"},  # no 六、其他需要报告的事项
    "pingtan-htp-2024": {f"proactive.regulations.{c}" for c in ("issued", "repealed", "in_force")},
    "pingtan-shs-2023": {f"proactive.regulations.{c}" for c in ("issued", "repealed", "in_force")},
    "pingtan-scj-2022": {f"requests.other_handling.{r}.{c}" for r in ("fee_unpaid", "other") for c in (
        "natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")},
    # no 其他对外管理服务事项 and no 第二十条第（九）项; （六）其他处理 printed in three rows (2021 form)
    "pingtan-shs-2021": {f"proactive.{r}.{c}" for r in ("other_services",) for c in ("prior_items", "change",
                                                                                    "decisions")}
    | {"proactive.procurement.projects", "proactive.procurement.amount"}
    | {f"requests.other_handling.{c}" for c in ("natural_person", "commercial", "research", "nonprofit",
                                                "legal_services", "other_org")},  # .total: named by READ-AMBIGUOUS
}


def _read(corpus, name: str, suffix: str = ".page.txt"):
    return read_report(corpus / WILD / f"{name}{suffix}")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_agency_year_and_publication_date_come_from_the_page_header(corpus, name):
    report = _read(corpus, name).report
    assert (report.agency, report.year, report.edition, report.published) == PAGES[name]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_printed_cell_is_filled_or_named_in_a_finding(corpus, name):
    extraction = _read(corpus, name)
    named = {k for f in extraction.findings if f.rule.startswith("READ-") for k in f.keys}
    blank = {k for k, v in extraction.report.flat().items() if v is None and k != "meta.published"}
    assert blank - named == UNPRINTED.get(name, set())


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_errors_are_the_publishers_own(corpus, name):
    findings = _read(corpus, name).check()
    errors = {(f.rule, f.keys[0] if f.keys else "") for f in findings if f.severity == "error"}
    assert errors == PUBLISHER_ERRORS.get(name, set())


def test_the_saved_page_and_the_archive_text_agree_cell_by_cell(corpus):
    """pingtan-2024 as a saved page (real <table>s) and as the archive's running text: the same numbers,
    but for the one row whose digits (6233440) several splits explain — blank, the true split listed."""
    page = _read(corpus, "pingtan-2024", ".page.html")
    text = _read(corpus, "pingtan-2024")
    assert page.findings == []
    assert (page.report.agency, page.report.year, page.report.published) == ("平潭综合实验区", 2024, date(2025, 3, 10))
    differ = {k for k, v in text.report.values.items() if page.report.values[k] != v}
    assert differ == {f"proactive.normative_documents.{c}" for c in ("issued", "repealed", "in_force")}
    assert all(text.report.values[k] is None for k in differ)
    [finding] = [f for f in text.findings if f.rule == "READ-AMBIGUOUS"]
    assert finding.found == 15 and "6233440" in finding.quote
    assert [page.report.values[f"proactive.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] \
        == [62, 33, 440]
    assert page.report.values["requests.new_received.natural_person"] == 217
    assert text.report.texts["other"] == page.report.texts["other"] == "2024年，无收取信息处理费情况。"


def test_run_together_digits_read_where_the_count_or_the_arithmetic_decides(corpus):
    values = _read(corpus, "pingtan-2021").report.values
    # 10203120001200000: R4 leaves only 1 0 2 0 3 | 12 0 0 0 12 | 0 0 0 0 0
    assert [values[f"appeals.{g}.{c}"] for g in ("review", "lawsuit_direct") for c in
            ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3, 12, 0, 0, 0, 12]
    # 640020470: R3 leaves 64 0 0 2 0 4 70
    assert [values[f"requests.new_received.{c}"] for c in ("natural_person", "commercial", "research", "nonprofit",
                                                           "legal_services", "other_org", "total")] \
        == [64, 0, 0, 2, 0, 4, 70]
    assert values["proactive.fees.amount"] == Decimal("24252.311082")
    old = _read(corpus, "pingtan-2020").report.values
    # 行政处罚2648-18538: every split starts 2648 (the sign opens the next cell); the rest stays blank
    assert old["proactive.punishment.prior_items"] == 2648
    assert old["proactive.punishment.change"] is None and old["proactive.punishment.decisions"] is None
    assert (old["proactive.fees.prior_items"], old["proactive.fees.change"]) == (35, -15)


def test_a_page_that_is_only_its_title_is_refused_as_an_attachment_page(corpus):
    with pytest.raises(ReadError, match="only the title .*attachment"):
        _read(corpus, "pingtan-gaj-2020")


def test_signature_and_page_links_stay_out_of_the_last_section(corpus):
    report = _read(corpus, "pingtan-czj-2019").report
    assert report.texts["other"] == "无其他需要报告事项。"
    assert _read(corpus, "pingtan-zrz-2020").report.texts["other"] == "暂无。"
