"""When an annual report must be published, and whether it was (条例第四十九条).

条例第四十九条: a department of a government at county level or above publishes the previous year's report by
**1月31日**; a county-level-or-higher local government's own report is published by **3月31日**.  Fixed calendar
dates, not working days.  A publication date that is unknown is *not assessable* — never on time, never late.

Which agencies count as a government (a 管委会 of a zone at that level does; its 办公室 and bureaus are departments)
is for the caller to say: this module only knows the two dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

ARTICLE = "《中华人民共和国政府信息公开条例》第四十九条"
Status = Literal["on_time", "late", "not_assessable"]


def deadline(year: int, *, government: bool = False) -> date:
    """The last day to publish the report for ``year``: 1月31日 (department) or 3月31日 (government) of year+1."""
    return date(year + 1, 3, 31) if government else date(year + 1, 1, 31)


@dataclass(frozen=True)
class Publication:
    """A report's publication against its deadline."""

    year: int
    government: bool
    deadline: date
    published: date | None
    status: Status
    days_late: int | None  # calendar days after the deadline; 0 when on time; None when not assessable

    @property
    def late(self) -> bool | None:
        return None if self.status == "not_assessable" else self.status == "late"

    @property
    def message_zh(self) -> str:
        who = "本级政府年度报告" if self.government else "政府部门年度报告"
        due = f"{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日"
        rule = f"按{ARTICLE}，{who}应于{due}前向社会公布"
        if self.published is None:
            return f"{rule}；发布日期不详，无法判断是否按期公布。"
        on = f"{self.published.year}年{self.published.month}月{self.published.day}日"
        if self.status == "late":
            return f"{rule}；实际于{on}公布，逾期{self.days_late}天。"
        return f"{rule}；实际于{on}公布，按期公布。"


def assess(year: int, published: date | None, *, government: bool = False) -> Publication:
    """Whether the report for ``year`` published on ``published`` met the 第四十九条 deadline."""
    due = deadline(year, government=government)
    if published is None:
        return Publication(year, government, due, None, "not_assessable", None)
    days = (published - due).days
    status: Status = "late" if days > 0 else "on_time"
    return Publication(year, government, due, published, status, max(days, 0))
