"""How a request's reply due date was counted, step by step and day by day, for the request page.

The ledger (``gongkai.ledger.timeline.derive_state``) decides the law: when the clock starts (receipt, or the
supplement's arrival: 条例第三十条), which days are paused (``RequestState.consultations`` — ended by the answer or
by the consultee's 15 WD running out, 条例第三十二、三十四条 — and ``RequestState.fee_pauses``, from the fee notice
to the payment, 办法第七条), how long the extension is (``extension_days``: 0 when it came after the first
deadline, 条例第三十三条第二款) and the 延迟答复 date (``delayed_to``, 条例第三十五条).  This module reads those
fields, walks the calendar day by day under the same ``CountingConvention`` and says what each day was; the
events are read only for the words (who approved what on which day).  It decides nothing: the request page shows
the ledger's date, and shows these steps only when they arrive at the same date (``ReplyCount.due``; a test
replays many timelines against the ledger).  Pure: no Django.
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
from gongkai.ledger.timeline import LAPSE_REASONS, RequestState, Status

ONE_DAY = timedelta(days=1)
LONGEST_COUNT = timedelta(days=3 * 366)  # a bound on the walk; no reply clock runs this long


class DayKind(StrEnum):
    START = "start"  # day 0: the clock starts after it
    COUNTED = "counted"  # a working day, counted
    MAKEUP = "makeup"  # a weekend day named a working day (调休上班), counted
    REST = "rest"  # a weekend day
    HOLIDAY = "holiday"  # a public holiday on a weekday
    PAUSED = "paused"  # taken out of the count (consultation, fee notice until payment)
    DELAYED = "delayed"  # after the counted period, up to the 延迟答复 date (条例第三十五条)


DAY_LABELS = {DayKind.START: "起算日", DayKind.COUNTED: "计入", DayKind.MAKEUP: "调休上班，计入",
              DayKind.REST: "休息日", DayKind.HOLIDAY: "法定节假日", DayKind.PAUSED: "暂停计时，不计入",
              DayKind.DELAYED: "延迟答复期间"}


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
    """The date this count arrives at; None while the clock is stopped (awaiting a supplement or a payment,
    consulting), or when the request closed while it was stopped."""
    first_due: date | None = None
    """With an extension: the 20th working day, before which the extension had to be approved and notified."""
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


def _pause_steps(events: Sequence[ledger.Event], state: RequestState,
                 convention: CountingConvention) -> tuple[list[DateSpan], list[Step]]:
    """The paused spans the ledger derived, with a step naming each."""
    answered = {event.on for event in _of(events, ledger.ConsultationEnded)}
    spans, steps = [], []
    for started, ended in state.consultations:
        span = convention.excluded_span(started, ended)
        how = (f"{ended:%Y-%m-%d} 收到意见" if ended in answered
               else f"{ended:%Y-%m-%d} 被征求意见方 {PERIODS.consultation} 个工作日期满，暂停自行结束")
        paused = f"{span.first:%Y-%m-%d} 至 {span.last:%Y-%m-%d} 暂停计时" if span else "无暂停的日子"
        steps.append(Step(started, f"征求意见暂停（条例第三十二、三十四条）：{started:%Y-%m-%d} 发函，{paused}，{how}"))
        if span is not None:
            spans.append(span)
    for sent, paid in state.fee_pauses:
        span = convention.excluded_span(sent, paid)
        paused = f"{span.first:%Y-%m-%d} 至 {span.last:%Y-%m-%d} 暂停计时" if span else "无暂停的日子"
        steps.append(Step(sent, f"收费通知至缴费暂停（办法第七条）：{sent:%Y-%m-%d} 发出收费通知，{paused}，"
                                f"{paid:%Y-%m-%d} 缴费后继续计算"))
        if span is not None:
            spans.append(span)
    return spans, steps


def _open_pause(state: RequestState) -> tuple[date, str, str] | None:
    """The pause still open when the ledger gives no reply date: its first day, a step, why the clock stopped."""
    if state.consulting_since is not None:
        ends = f"，最迟 {state.consultation_ends_by.date:%Y-%m-%d} 期满" if state.consultation_ends_by else ""
        return (state.consulting_since, f"征求意见暂停（条例第三十二、三十四条）：自次日起暂停计时，意见收到或期满后"
                                        f"继续计算{ends}", "征求意见中")
    if state.fee_notice_on is not None and state.fee_paid_on is None:
        by = f"，缴费期限 {state.fee_payment_due.date:%Y-%m-%d}" if state.fee_payment_due else ""
        return (state.fee_notice_on, f"收费通知至缴费暂停（办法第七条）：自次日起暂停计时，缴费后继续计算{by}",
                "待缴费")
    return None


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
            return _finish(count, events, state)
        steps.append(Step(state.supplement_received_on,
                          "补正后重新起算：收到补正，答复期限自该日起重新计算，此前经过的工作日不再计算（条例第三十条）"))
    start = state.supplement_received_on or state.received
    count.period = PERIODS.reply + state.extension_days
    steps.append(Step(start, f"自次日起计算 {PERIODS.reply} 个工作日的答复期限（条例第三十三条第二款）"))
    spans, pause_steps = _pause_steps(events, state, convention)
    steps.extend(pause_steps)
    open_pause = _open_pause(state) if state.reply_due is None else None
    open_from = None
    if open_pause is not None:
        open_from = open_pause[0] + (ONE_DAY if convention.pause_start_day_counts else timedelta(0))

    day = convention.day_zero(start)
    if day == start:
        count.days.append(Day(start, DayKind.START, 0))
    ordinal = 0
    extended = bool(_of(events, ledger.ExtensionApproved))
    while ordinal < count.period:
        day += ONE_DAY
        if day - start > LONGEST_COUNT:
            raise ValueError(f"the reply count from {start} does not end within {LONGEST_COUNT.days} days")
        if open_from is not None and day >= open_from:
            break
        if any(day in span for span in spans):
            count.days.append(Day(day, DayKind.PAUSED))
            continue
        working, provisional = _is_working(day, calendar)
        if working:
            ordinal += 1
            kind = DayKind.MAKEUP if day.weekday() >= 5 else DayKind.COUNTED
            count.days.append(Day(day, kind, ordinal, provisional))
            if ordinal == PERIODS.reply and extended:
                count.first_due = day
        else:
            count.days.append(Day(day, DayKind.REST if day.weekday() >= 5 else DayKind.HOLIDAY, None, provisional))

    if state.reply_due is None:  # the ledger has no reply date: the clock stands still (or stood when it closed)
        if open_pause is not None:
            steps.append(Step(open_pause[0], open_pause[1]))
            count.stopped = f"{open_pause[2]}：已计入 {ordinal} 个工作日，暂停结束后继续计算"
        if state.status is Status.CLOSED and state.closed_on is not None:
            why = LAPSE_REASONS.get(state.outcome or "", "") if state.lapsed else ""
            steps.append(Step(state.closed_on, f"办结{'：' + why if why else ''}"))
        return _finish(count, events, state)

    unknown = sorted({d.date.year for d in count.days if d.provisional})
    reason = "no holiday schedule for " + ", ".join(map(str, unknown)) if unknown else ""
    count.due = Due(day, provisional=bool(unknown), reason=reason)
    if unknown:
        steps.append(Step(None, f"{'、'.join(map(str, unknown))} 年的节假日安排尚未载入：暂按周一至周五计算，"
                                "结果为暂定日期"))
    steps.append(Step(day, f"第 {count.period} 个工作日：答复期限"))
    if state.delayed_to is not None and state.delayed_to > day:
        while day < state.delayed_to:
            day += ONE_DAY
            count.days.append(Day(day, DayKind.DELAYED))
        count.due = Due(state.delayed_to)
        steps.append(Step(state.delayed_to, "延迟答复确定的答复日期（条例第三十五条）：答复期限"))
    if state.status is Status.CLOSED and state.closed_on is not None:
        on_time = "在答复期限内" if state.closed_on <= count.due.date else "已超过答复期限"
        steps.append(Step(state.closed_on, f"办结，{on_time}"))
    return _finish(count, events, state)


def _finish(count: ReplyCount, events: Sequence[ledger.Event], state: RequestState) -> ReplyCount:
    for extension in _of(events, ledger.ExtensionApproved):
        notified = extension.applicant_notified_on
        told = "同日告知申请人" if notified == extension.on else f"{notified:%Y-%m-%d} 告知申请人"
        text = f"延期{extension.working_days}个工作日（条例第三十三条第二款）：{extension.on:%Y-%m-%d} 批准，{told}"
        if state.extension_days == 0:
            first = f" {count.first_due:%Y-%m-%d}" if count.first_due else ""
            text += f"；晚于首个答复期限{first}，不计入，答复自首个期限次日起已逾期"
        count.steps.append(Step(extension.on, text))
    delays = _of(events, ledger.DelayedReply)
    effective = max((i for i, delay in enumerate(delays) if delay.reply_by == state.delayed_to), default=None)
    for i, delay in enumerate(delays):
        text = f"延迟答复至 {delay.reply_by:%Y-%m-%d}（条例第三十五条），{delay.on:%Y-%m-%d} 告知申请人"
        if effective is not None and i < effective:
            text += "；由其后的延迟答复取代"
        elif effective is None or i > effective:
            text += "；告知晚于答复期限，不计入"
        elif count.due is not None and count.due.date != delay.reply_by:
            text += "；不晚于按工作日计算的答复期限，仍以该期限为准"
        count.steps.append(Step(delay.on, text))
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
