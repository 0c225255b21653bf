"""How a request's reply due date was counted, step by step and day by day, for the request page.

The ledger (``gongkai.ledger.timeline.derive_state``, through ``ledger.deadlines.reply_due``) computes the due
date but does not expose the steps, so this module replays the same count from the same primitives — the
clock's start (receipt, or the supplement's arrival: 条例第三十条), the period (``PERIODS``: 20 working days, 40
with the extension: 条例第三十三条), the days a consultation takes out (``CountingConvention.excluded_span``:
条例第三十二、三十四条) and the working-day calendar — and says what each day was.  It decides nothing: the
request page shows the ledger's date, and shows these steps only when they arrive at the same date
(``ReplyCount.due``; a test replays many timelines against the ledger).  Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from gongkai.calendar import DateSpan, Due, UnknownScheduleError, WorkCalendar
from gongkai.ledger import events as ledger
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.deadlines import PERIODS
from gongkai.ledger.timeline import RequestState, Status

ONE_DAY = timedelta(days=1)
LONGEST_COUNT = timedelta(days=3 * 366)  # a bound on the walk; no reply clock runs this long


class DayKind(StrEnum):
    START = "start"  # day 0: the clock starts after it
    COUNTED = "counted"  # a working day, counted
    MAKEUP = "makeup"  # a weekend day named a working day (调休上班), counted
    REST = "rest"  # a weekend day
    HOLIDAY = "holiday"  # a public holiday on a weekday
    PAUSED = "paused"  # taken out of the count (consultation)


DAY_LABELS = {DayKind.START: "起算日", DayKind.COUNTED: "计入", DayKind.MAKEUP: "调休上班，计入",
              DayKind.REST: "休息日", DayKind.HOLIDAY: "法定节假日", DayKind.PAUSED: "暂停计时，不计入"}


@dataclass(frozen=True)
class Day:
    date: date
    kind: DayKind
    ordinal: int | None = None
    """The working day's number in the count (1, 2, …) when it is counted."""
    provisional: bool = False
    """Counted as Monday–Friday because the year has no holiday schedule."""


@dataclass(frozen=True)
class Step:
    on: date | None
    text: str


@dataclass
class ReplyCount:
    steps: list[Step] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)
    period: int = PERIODS.reply
    due: Due | None = None
    """The date this count arrives at; None while the clock is stopped (awaiting a supplement, consulting)."""
    first_due: date | None = None
    """With an extension: the 20th working day, before which the extension had to be notified."""
    stopped: str = ""
    """Why the clock is not running now, in Chinese; empty while it runs."""

    def used_by(self, day: date) -> int:
        """Working days of the count already past on ``day``."""
        return max((d.ordinal for d in self.days if d.ordinal and d.date <= day), default=0)


def _is_working(day: date, calendar: WorkCalendar) -> tuple[bool, bool]:
    try:
        return calendar.is_working_day(day), False
    except UnknownScheduleError:
        return day.weekday() < 5, True


def _of(events: Sequence[ledger.Event], kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


def explain_reply_count(events: Sequence[ledger.Event], state: RequestState, *,
                        calendar: WorkCalendar,
                        convention: CountingConvention = SPEC_CONVENTION) -> ReplyCount:
    """The steps and the days of the reply count of a request whose events derived ``state``."""
    count = ReplyCount()
    steps = count.steps
    steps.append(Step(state.received, "收到申请（条例第三十一条），为答复期限的起算日"))
    if state.supplement_requested_on is not None:
        by = f"，补正期限 {state.supplement_by:%Y-%m-%d}" if state.supplement_by else ""
        steps.append(Step(state.supplement_requested_on, f"告知申请人补正（条例第三十条）{by}"))
        if state.supplement_received_on is None:
            count.stopped = "等待申请人补正：收到补正之日起重新计算答复期限"
            return count
        steps.append(Step(state.supplement_received_on,
                          "收到补正：答复期限自该日起重新计算，此前经过的工作日不再计算（条例第三十条）"))
    start = state.supplement_received_on or state.received
    extensions = _of(events, ledger.ExtensionApproved)
    count.period = PERIODS.reply + (PERIODS.extension if state.extensions else 0)
    steps.append(Step(start, f"自次日起计算 {PERIODS.reply} 个工作日的答复期限（条例第三十三条第二款）"))

    pauses: list[tuple[DateSpan, date, date]] = []
    for started, ended in state.consultations:
        span = convention.excluded_span(started, ended)
        if span is not None:
            pauses.append((span, started, ended))
    open_pause_from = None
    if state.consulting_since is not None:
        open_pause_from = state.consulting_since + (ONE_DAY if convention.pause_start_day_counts else timedelta(0))
    for span, started, ended in pauses:
        steps.append(Step(started, f"征求第三方或其他机关意见（条例第三十二、三十四条）：{span.first:%Y-%m-%d} 至 "
                                   f"{span.last:%Y-%m-%d} 暂停计时，{ended:%Y-%m-%d} 意见收到或期满"))

    day = convention.day_zero(start)
    if day == start:
        count.days.append(Day(start, DayKind.START, 0))
    ordinal = 0
    while ordinal < count.period:
        day += ONE_DAY
        if day - start > LONGEST_COUNT:
            raise ValueError(f"the reply count from {start} does not end within {LONGEST_COUNT.days} days")
        if open_pause_from is not None and day >= open_pause_from:
            steps.append(Step(state.consulting_since, "征求第三方或其他机关意见（条例第三十二、三十四条）："
                                                      "自次日起暂停计时，意见收到或期满后继续计算"))
            count.stopped = f"征求意见中：已计入 {ordinal} 个工作日，意见收到或期满后继续计算"
            return _finish(count, extensions)
        if any(day in span for span, _, _ in pauses):
            count.days.append(Day(day, DayKind.PAUSED))
            continue
        working, provisional = _is_working(day, calendar)
        if working:
            ordinal += 1
            kind = DayKind.MAKEUP if day.weekday() >= 5 else DayKind.COUNTED
            count.days.append(Day(day, kind, ordinal, provisional))
            if ordinal == PERIODS.reply and extensions:
                count.first_due = day
        else:
            count.days.append(Day(day, DayKind.REST if day.weekday() >= 5 else DayKind.HOLIDAY, None, provisional))

    unknown = sorted({d.date.year for d in count.days if d.provisional})
    reason = "no holiday schedule for " + ", ".join(map(str, unknown)) if unknown else ""
    count.due = Due(day, provisional=bool(unknown), reason=reason)
    if unknown:
        steps.append(Step(None, f"{'、'.join(map(str, unknown))} 年的节假日安排尚未载入：暂按周一至周五计算，"
                                "结果为暂定日期"))
    steps.append(Step(day, f"第 {count.period} 个工作日：答复期限"))
    if state.status is Status.CLOSED and state.closed_on is not None:
        on_time = "在答复期限内" if state.closed_on <= day else "已超过答复期限"
        steps.append(Step(state.closed_on, f"办结，{on_time}"))
    return _finish(count, extensions)


def _finish(count: ReplyCount, extensions: Sequence[ledger.ExtensionApproved]) -> ReplyCount:
    for extension in extensions:
        text = f"批准延期，答复期限延长 {PERIODS.extension} 个工作日（条例第三十三条第二款）"
        if count.first_due is not None and extension.on > count.first_due:
            text += f"；批准晚于首个答复期限 {count.first_due:%Y-%m-%d}，申请自其次日起已逾期"
        count.steps.append(Step(extension.on, text))
    count.steps.sort(key=lambda step: (step.on is None, step.on or date.min))
    return count


def month_grids(days: Sequence[Day]) -> list[tuple[str, list[list[Day | None]]]]:
    """The days as calendar months (``2026年3月``, weeks Monday to Sunday; None outside the count)."""
    by_date = {d.date: d for d in days}
    months: list[tuple[str, list[list[Day | None]]]] = []
    if not days:
        return months
    first, last = days[0].date, days[-1].date
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        cursor = month - timedelta(days=month.weekday())
        weeks = []
        while cursor < following:
            week = [by_date.get(cursor + timedelta(days=i)) if month <= cursor + timedelta(days=i) < following
                    else None for i in range(7)]
            if any(week):
                weeks.append(week)
            cursor += timedelta(days=7)
        months.append((f"{month.year}年{month.month}月", weeks))
        month = following
    return months
