"""Deadline rules of 条例第三十、三十三条 and the fee 办法: periods as data, counts through the calendar.

``reply_due`` is the one computation of the reply clock (the timeline and the CLI both call it);
``next_deadline`` and ``assess`` read a request's pending deadlines against a given day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.outcomes import FEE_UNPAID_OUTCOME, NO_SUPPLEMENT_OUTCOME


@dataclass(frozen=True)
class StatutoryPeriods:
    """Periods in working days."""

    reply: int = 20  # 条例第三十三条第二款
    extension: int = 20  # 条例第三十三条第二款, once
    supplement_notice: int = 7  # 条例第三十条
    consultation: int = 15  # 条例第三十二、三十四条: the consultee answers within 15 WD
    fee_payment: int = 20  # 信息处理费管理办法第七条: from the day after the notice is received
    max_extensions: int = 1


PERIODS = StatutoryPeriods()


class DeadlineKind(StrEnum):
    REPLY = "reply"  # the agency must reply
    SUPPLEMENT_NOTICE = "supplement_notice"  # last day the agency may ask for a supplement
    SUPPLEMENT_FROM_APPLICANT = "supplement_from_applicant"  # the date the 补正 notice gave the applicant
    FEE_PAYMENT = "fee_payment"  # the applicant must pay
    CONSULTATION = "consultation"  # the consultee's 15 WD run out: the pause ends by itself


DEADLINE_LABELS = {
    DeadlineKind.REPLY: "答复期限",
    DeadlineKind.SUPPLEMENT_NOTICE: "告知补正期限",
    DeadlineKind.SUPPLEMENT_FROM_APPLICANT: "申请人补正期限",
    DeadlineKind.FEE_PAYMENT: "缴费期限",
    DeadlineKind.CONSULTATION: "征求意见期限",
}


LAPSE_OUTCOMES = {
    DeadlineKind.SUPPLEMENT_FROM_APPLICANT: NO_SUPPLEMENT_OUTCOME,
    DeadlineKind.FEE_PAYMENT: FEE_UNPAID_OUTCOME,
}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: Due

    @property
    def lapse_outcome(self) -> str | None:
        """The outcome that closes the request when this applicant deadline passes unanswered."""
        return LAPSE_OUTCOMES.get(self.kind)


def reply_due(
    received: date,
    *,
    supplement_received: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extension_days: int = 0,
    delayed_to: date | None = None,
    calendar: WorkCalendar | None = None,
    convention: CountingConvention = SPEC_CONVENTION,
) -> Due:
    """The reply due date: the 20th WD (plus ``extension_days``) from receipt or from the supplement's arrival.

    ``pauses`` are (start, end) pairs of days not counted: a consultation (letter sent, answer received or
    the consultee's time ran out) or a fee notice (sent, paid); ``convention`` says which of their days
    count.  ``delayed_to`` is a later reply date set under 条例第三十五条.
    """
    if supplement_received is not None and supplement_received < received:
        raise LedgerError("supplement_before_receipt",
                          f"收到补正日期 {supplement_received} 早于收到申请日期 {received}")
    calendar = calendar or WorkCalendar.from_directory()
    clock_start = supplement_received or received
    spans = [span for s, e in pauses if (span := convention.excluded_span(s, e)) is not None]
    due = calendar.add_working_days(convention.day_zero(clock_start), PERIODS.reply + extension_days, spans)
    if delayed_to is not None and delayed_to > due.date:
        return Due(delayed_to)
    return due


def working_days_after(
    start: date,
    days: int,
    *,
    calendar: WorkCalendar | None = None,
    convention: CountingConvention = SPEC_CONVENTION,
) -> Due:
    """The ``days``-th working day of a clock started on ``start`` (no pauses)."""
    calendar = calendar or WorkCalendar.from_directory()
    return calendar.add_working_days(convention.day_zero(start), days)


def next_deadline(deadlines: Sequence[Deadline], today: date | None = None) -> Deadline | None:
    """The earliest pending deadline (on or after ``today`` when given)."""
    upcoming = [d for d in deadlines if today is None or d.due.date >= today]
    return min(upcoming, key=lambda d: d.due.date, default=None)


@dataclass(frozen=True)
class Assessment:
    today: date
    next: Deadline | None
    overdue: tuple[Deadline, ...]
    """Agency deadlines (reply) already passed."""
    at_risk: tuple[Deadline, ...]
    """Agency deadlines (reply) falling within the warning window."""
    lapsed: tuple[Deadline, ...]
    """Applicant deadlines passed: the request is to be closed with ``lapse_outcome``."""


AT_RISK_WORKING_DAYS = 5
"""A reply due within this many working days is at risk (due soon)."""


def at_risk_through(today: date, calendar: WorkCalendar, at_risk_working_days: int = AT_RISK_WORKING_DAYS) -> date:
    """The last due date that is at risk on ``today``: a reply due from ``today`` through this day."""
    return calendar.add_working_days(today, at_risk_working_days).date


def assess(
    deadlines: Sequence[Deadline],
    today: date,
    *,
    at_risk_working_days: int = AT_RISK_WORKING_DAYS,
    calendar: WorkCalendar | None = None,
) -> Assessment:
    """Overdue, at-risk and lapsed deadlines as seen on ``today``: a reply is overdue when its due date is before
    ``today``, at risk from ``today`` through ``at_risk_through``."""
    calendar = calendar or WorkCalendar.from_directory()
    horizon = at_risk_through(today, calendar, at_risk_working_days)
    replies = [d for d in deadlines if d.kind is DeadlineKind.REPLY]
    return Assessment(
        today=today,
        next=next_deadline(deadlines, today),
        overdue=tuple(d for d in replies if d.due.date < today),
        at_risk=tuple(d for d in replies if today <= d.due.date <= horizon),
        lapsed=tuple(d for d in deadlines if d.lapse_outcome and d.due.date < today),
    )
