"""条例第四十九条: a department's report by 1月31日, a government's own by 3月31日 of the next year."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.report.publication import ARTICLE, assess, deadline


def test_deadlines_are_fixed_calendar_dates_of_the_next_year():
    assert deadline(2023) == date(2024, 1, 31)
    assert deadline(2023, government=True) == date(2024, 3, 31)
    assert deadline(2024, government=True) == date(2025, 3, 31)  # a weekend or holiday does not move it


@pytest.mark.parametrize(("published", "government", "status", "days"), [
    (date(2024, 1, 31), False, "on_time", 0),   # the deadline day itself is on time
    (date(2024, 1, 15), False, "on_time", 0),
    (date(2024, 2, 1), False, "late", 1),
    (date(2024, 3, 31), False, "late", 60),     # 2024 is a leap year: 29 days of February
    (date(2024, 3, 31), True, "on_time", 0),
    (date(2024, 4, 1), True, "late", 1),
    (date(2025, 1, 31), True, "late", 306),
])
def test_on_time_or_late_with_days_late(published, government, status, days):
    result = assess(2023, published, government=government)
    assert (result.status, result.days_late, result.late) == (status, days, status == "late")


def test_an_unknown_date_is_not_assessable_never_a_pass_or_a_fail():
    result = assess(2023, None)
    assert (result.status, result.days_late, result.late) == ("not_assessable", None, None)
    assert "无法判断" in result.message_zh


def test_the_message_cites_the_article_in_chinese():
    late = assess(2023, date(2024, 2, 5))
    assert late.message_zh == (f"按{ARTICLE}，政府部门年度报告应于2024年1月31日前向社会公布；"
                               "实际于2024年2月5日公布，逾期5天。")
    assert ARTICLE == "《中华人民共和国政府信息公开条例》第四十九条"
    assert assess(2023, date(2024, 3, 1), government=True).message_zh.endswith("实际于2024年3月1日公布，按期公布。")
    assert "本级政府年度报告应于2024年3月31日前" in assess(2023, None, government=True).message_zh
