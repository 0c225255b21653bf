"""A request's state on a given day, derived from its timeline of events; nothing here is stored.

``derive_state(events, today=D)`` replays the events in date order (events of one day in the order given,
which is the order they were recorded) and answers what the law says on day D: the status, the due dates,
the closing.  Besides the closing events (decision, withdrawal) the law closes a request by itself
(第三十条, 办法第七条): no supplement by the 补正 deadline, or no payment within 20 WD of receiving the fee
notice, closes it on the day after that deadline (``lapsed``).  ``today=UNBOUNDED`` gives the state the
recorded events lead to once every running deadline has passed: the closing the database stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.deadlines import PERIODS, Deadline, DeadlineKind, reply_due, working_days_after
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.events import (
    ConsultationEnded,
    ConsultationStarted,
    Decided,
    DelayedReply,
    Event,
    ExtensionApproved,
    FeeNoticeSent,
    FeePaid,
    Received,
    SupplementReceived,
    SupplementRequested,
    Withdrawn,
)
from gongkai.ledger.fees import FeeMethod
from gongkai.ledger.outcomes import FEE_UNPAID_OUTCOME, NO_SUPPLEMENT_OUTCOME, WITHDRAWN_OUTCOME
from gongkai.ledger.receipt import receipt_warning

UNBOUNDED = date.max
"""``today`` for the state once every running deadline has passed (what the database stores)."""
ONE_DAY = timedelta(days=1)
STILL_UNCLEAR_OUTCOME = "unavailable.still_unclear"


class TimelineError(LedgerError):
    """Events that cannot happen in this order under the rules (e.g. a second extension)."""


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    CONSULTING = "consulting"
    AWAITING_PAYMENT = "awaiting_payment"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.IN_PROGRESS: "办理中",
    Status.AWAITING_SUPPLEMENT: "待补正",
    Status.CONSULTING: "征求意见中",
    Status.AWAITING_PAYMENT: "待缴费",
    Status.CLOSED: "已办结",
}

KIND_NAMES = {
    "Received": "收到申请", "SupplementRequested": "告知补正", "SupplementReceived": "收到补正",
    "ConsultationStarted": "开始征求意见", "ConsultationEnded": "征求意见结束", "ExtensionApproved": "批准延期",
    "DelayedReply": "延迟答复", "FeeNoticeSent": "发出收费通知", "FeePaid": "缴纳费用", "Decided": "作出答复",
    "Withdrawn": "申请人撤回",
}
LAPSE_REASONS = {NO_SUPPLEMENT_OUTCOME: "申请人逾期未补正，视为放弃申请（条例第三十条）",
                 FEE_UNPAID_OUTCOME: "申请人逾期未缴纳信息处理费，视为放弃申请（办法第七条）"}


@dataclass(frozen=True)
class Lapse:
    """An applicant deadline that, passed without an answer, closes the request on ``on`` with ``outcome``."""

    on: date
    outcome: str


@dataclass
class RequestState:
    received: date
    today: date = UNBOUNDED
    status: Status = Status.IN_PROGRESS
    supplement_notice_due: Due | None = None
    supplement_requested_on: date | None = None
    supplement_by: date | None = None
    supplement_received_on: date | None = None
    consultations: list[tuple[date, date]] = field(default_factory=list)
    consulting_since: date | None = None
    consultation_ends_by: Due | None = None
    """The day the open consultation's 15 WD run out (条例第三十二、三十四条)."""
    extensions: int = 0
    extension_days: int = 0
    """The working days the one extension adds (0 when none, or when it came after the first deadline)."""
    delayed_to: date | None = None
    fee_method: FeeMethod | None = None
    fee_notice_on: date | None = None
    fee_pauses: list[tuple[date, date]] = field(default_factory=list)
    fee_payment_due: Due | None = None
    fee_paid_on: date | None = None
    fees_charged: Decimal = Decimal(0)
    payments: list[tuple[date, Decimal | None]] = field(default_factory=list)
    reply_due: Due | None = None
    """None while the clock is paused: awaiting a supplement or a payment, or in an open consultation."""
    outcome: str | None = None
    closed_on: date | None = None
    lapsed: bool = False
    """Closed by law (no supplement, no payment by the deadline) rather than by a recorded event."""
    warnings: list[str] = field(default_factory=list)

    @property
    def pauses(self) -> list[tuple[date, date]]:
        return [*self.consultations, *self.fee_pauses]

    @property
    def pending_lapse(self) -> Lapse | None:
        """The lapse the running applicant deadlines lead to if nothing else happens."""
        if self.status is Status.CLOSED:
            return None
        lapses = []
        if self.supplement_requested_on is not None and self.supplement_received_on is None:
            lapses.append(Lapse(self.supplement_by + ONE_DAY, NO_SUPPLEMENT_OUTCOME))
        if self.fee_payment_due is not None and self.fee_paid_on is None:
            lapses.append(Lapse(self.fee_payment_due.date + ONE_DAY, FEE_UNPAID_OUTCOME))
        return min(lapses, key=lambda lapse: lapse.on, default=None)

    @property
    def changes_on(self) -> date | None:
        """The first day on which the passing of time alone changes this state, if no event comes first: the day
        after an open consultation's 15 WD run out (条例第三十二、三十四条: the clock restarts), or the day an
        applicant deadline lapses (``pending_lapse``: 条例第三十条, 办法第七条).  None: nothing changes until the
        next event.  Until then, ``derive_state`` on any later day gives this state with only ``today`` changed,
        so a stored copy of it holds through the day before (``web/requests/stored_state.py``)."""
        if self.status is Status.CLOSED:
            return None
        days = []
        if self.consulting_since is not None and self.consultation_ends_by is not None:
            days.append(self.consultation_ends_by.date + ONE_DAY)
        if (lapse := self.pending_lapse) is not None:
            days.append(lapse.on)
        return min(days, default=None)

    def pending_deadlines(self) -> list[Deadline]:
        """The deadlines still running; none once the request is closed."""
        if self.status is Status.CLOSED:
            return []
        pending = []
        if self.reply_due is not None:
            pending.append(Deadline(DeadlineKind.REPLY, self.reply_due))
        if self.supplement_requested_on is None and self.supplement_notice_due is not None:
            pending.append(Deadline(DeadlineKind.SUPPLEMENT_NOTICE, self.supplement_notice_due))
        if self.status is Status.AWAITING_SUPPLEMENT:
            pending.append(Deadline(DeadlineKind.SUPPLEMENT_FROM_APPLICANT, Due(self.supplement_by)))
        if self.fee_payment_due is not None and self.fee_paid_on is None:
            pending.append(Deadline(DeadlineKind.FEE_PAYMENT, self.fee_payment_due))
        if self.consulting_since is not None and self.consultation_ends_by is not None:
            pending.append(Deadline(DeadlineKind.CONSULTATION, self.consultation_ends_by))
        return pending


def _ordered(events: Iterable[Event], today: date) -> list[Event]:
    # Stable: events of one day keep their recorded order, the receipt first (it starts the timeline).
    ordered = sorted(events, key=lambda event: (event.on, not isinstance(event, Received)))
    if not ordered or not isinstance(ordered[0], Received):
        raise TimelineError("no_receipt", "办理记录须以“收到申请”开始")
    if sum(isinstance(event, Received) for event in ordered) > 1:
        raise TimelineError("received_twice", "一件申请只能收到一次")
    for event in ordered:
        for day in (event.on, getattr(event, "delivered_on", None), getattr(event, "notified_on", None)):
            if day is not None and day > today:
                name = KIND_NAMES[type(event).__name__]
                raise TimelineError("future_event", f"“{name}”的日期 {day} 晚于今天 {today}：不能记录未来的日期")
    return ordered


class _Deriver:
    def __init__(self, received: Received, calendar: WorkCalendar, convention: CountingConvention):
        self.calendar, self.convention = calendar, convention
        self.state = RequestState(received=received.on)
        self.state.supplement_notice_due = self._after(received.on, PERIODS.supplement_notice)
        self.consultation_unanswered = False  # the last consultation ended by running out of time
        if (warning := receipt_warning(received.on, received.channel, calendar)) is not None:
            self.state.warnings.append(warning)

    def _after(self, start: date, days: int) -> Due:
        return working_days_after(start, days, calendar=self.calendar, convention=self.convention)

    def _reply_due(self, *, extension_days: int | None = None) -> Due:
        state = self.state
        return reply_due(
            state.received,
            supplement_received=state.supplement_received_on,
            pauses=state.pauses,
            extension_days=state.extension_days if extension_days is None else extension_days,
            delayed_to=state.delayed_to,
            calendar=self.calendar,
            convention=self.convention,
        )

    # -- what the passing of time does by itself ------------------------------------------------------------

    def _settle(self, day: date) -> None:
        """Apply what happens by itself before ``day``: an open consultation's 15 WD run out (lapses are checked
        by ``_lapse``, as they depend on the event that comes next)."""
        state = self.state
        if state.status is Status.CLOSED:
            return
        if state.consulting_since is not None and state.consultation_ends_by.date < day:
            state.consultations.append((state.consulting_since, state.consultation_ends_by.date))
            state.consulting_since, state.consultation_ends_by = None, None
            self.consultation_unanswered = True
            self._refresh()

    def _lapse(self, day: date) -> Lapse | None:
        lapse = self.state.pending_lapse
        return lapse if lapse is not None and lapse.on <= day else None

    def _close_by_lapse(self, lapse: Lapse) -> None:
        state = self.state
        state.status, state.outcome, state.closed_on, state.lapsed = Status.CLOSED, lapse.outcome, lapse.on, True

    # -- events ---------------------------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        state = self.state
        self._settle(event.on)
        lapse = self._lapse(event.on)
        if lapse is not None and not self._answers(lapse, event):
            self._close_by_lapse(lapse)
        if state.status is Status.CLOSED:
            why = f"（{LAPSE_REASONS[state.outcome]}）" if state.lapsed else ""
            raise TimelineError(
                "after_closing",
                f"申请已于 {state.closed_on} 办结{why}，不能再记录 {event.on} 的“{KIND_NAMES[type(event).__name__]}”",
            )
        getattr(self, f"_on_{type(event).__name__}")(event)
        self._refresh()

    def _answers(self, lapse: Lapse, event: Event) -> bool:
        """Whether ``event``, on or after the lapse day, is the one thing that may still come: a late supplement
        or payment the agency accepts, or the decision that records the lapse itself."""
        if isinstance(event, Decided) and event.outcome == lapse.outcome:
            return True
        if lapse.outcome == NO_SUPPLEMENT_OUTCOME and isinstance(event, SupplementReceived):
            if not event.good_reason:
                raise TimelineError(
                    "supplement_late",
                    f"补正期限 {self.state.supplement_by} 已过：逾期补正须记录申请人有正当理由，"
                    f"否则申请已于 {lapse.on} 视为放弃（条例第三十条）",
                )
            self.state.warnings.append(f"逾期补正（{event.on}），已记录正当理由：重新计算答复期限（条例第三十条）")
            return True
        if lapse.outcome == FEE_UNPAID_OUTCOME and isinstance(event, FeePaid):
            if not event.accepted_late:
                raise TimelineError(
                    "payment_late",
                    f"缴费期限 {self.state.fee_payment_due} 已过：逾期缴费须记录机关同意接受，"
                    f"否则申请已于 {lapse.on} 视为放弃（办法第七条）",
                )
            self.state.warnings.append(f"逾期缴费（{event.on}），机关已同意接受（办法第七条）")
            return True
        return False

    def _refresh(self) -> None:
        state = self.state
        if state.status is Status.CLOSED:
            return
        if state.supplement_requested_on is not None and state.supplement_received_on is None:
            state.status = Status.AWAITING_SUPPLEMENT
        elif state.consulting_since is not None:
            state.status = Status.CONSULTING
        elif state.fee_notice_on is not None and state.fee_paid_on is None:
            state.status = Status.AWAITING_PAYMENT
        else:
            state.status = Status.IN_PROGRESS
        state.reply_due = self._reply_due() if state.status is Status.IN_PROGRESS else None

    def _on_Received(self, event: Received) -> None:
        pass

    def _on_SupplementRequested(self, event: SupplementRequested) -> None:
        state = self.state
        if state.supplement_requested_on is not None:
            raise TimelineError("supplement_twice",
                                f"补正只能告知一次（已于 {state.supplement_requested_on} 告知，条例第三十条）")
        state.supplement_requested_on, state.supplement_by = event.on, event.supplement_by
        if event.on > state.supplement_notice_due.date:
            state.warnings.append(
                f"告知补正日期 {event.on} 晚于收到申请后 7 个工作日的期限 {state.supplement_notice_due}（条例第三十条）"
            )

    def _on_SupplementReceived(self, event: SupplementReceived) -> None:
        state = self.state
        if state.supplement_requested_on is None:
            raise TimelineError("supplement_not_requested", f"{event.on} 收到补正，但未告知补正")
        if state.supplement_received_on is not None:
            raise TimelineError("supplement_received_twice", f"已于 {state.supplement_received_on} 收到补正")
        state.supplement_received_on = event.on

    def _on_ConsultationStarted(self, event: ConsultationStarted) -> None:
        state = self.state
        if state.consulting_since is not None:
            raise TimelineError("consultation_open",
                                f"{event.on} 开始征求意见，但自 {state.consulting_since} 起的征求意见尚未结束")
        state.consulting_since = event.on
        state.consultation_ends_by = self._after(event.on, PERIODS.consultation)
        self.consultation_unanswered = False

    def _on_ConsultationEnded(self, event: ConsultationEnded) -> None:
        state = self.state
        if state.consulting_since is None:
            if self.consultation_unanswered:  # the answer came after the consultee's 15 WD: the clock already ran
                self.consultation_unanswered = False
                state.warnings.append(
                    f"征求意见的答复（{event.on}）晚于 15 个工作日的期限：计时已于 {state.consultations[-1][1]} 之后恢复"
                    "（条例第三十二、三十四条）"
                )
                return
            raise TimelineError("consultation_not_started", f"{event.on} 征求意见结束，但未开始征求意见")
        state.consultations.append((state.consulting_since, event.on))
        state.consulting_since, state.consultation_ends_by = None, None

    def _first_deadline(self) -> Due | None:
        """The reply due date without an extension, as far as the clock is known on the day of an event."""
        if self.state.status is not Status.IN_PROGRESS:
            return None
        return self._reply_due(extension_days=0)

    def _on_ExtensionApproved(self, event: ExtensionApproved) -> None:
        state = self.state
        if state.extensions >= PERIODS.max_extensions:
            raise TimelineError("extension_twice", f"{event.on} 批准延期：答复期限只能延长一次（条例第三十三条）")
        state.extensions += 1
        first = self._first_deadline()
        late = max(event.on, event.applicant_notified_on)
        if first is not None and late > first.date:
            state.warnings.append(
                f"延期于 {event.on} 批准、{event.applicant_notified_on} 告知申请人，晚于首个答复期限 {first}："
                "延期不能使逾期答复变为按时，答复已逾期（条例第三十三条）"
            )
            return
        state.extension_days = event.working_days

    def _on_DelayedReply(self, event: DelayedReply) -> None:
        state = self.state
        current = self._reply_due() if state.status is Status.IN_PROGRESS else None
        if current is not None and event.on > current.date:
            state.warnings.append(
                f"延迟答复于 {event.on} 告知，晚于答复期限 {current}：不能使逾期答复变为按时（条例第三十五条）"
            )
            return
        state.delayed_to = event.reply_by

    def _on_FeeNoticeSent(self, event: FeeNoticeSent) -> None:
        state = self.state
        method = event.quote.method if event.quote is not None else state.fee_method
        if state.fee_method is not None and state.fee_method is not method:
            method = "件" if state.fee_method is FeeMethod.PER_REQUEST else "量"
            raise TimelineError("fee_methods_mixed", f"本申请已按{method}收费：每件申请只能选择一种收费方式（办法第三条）")
        if state.fee_notice_on is not None and state.fee_paid_on is None:
            raise TimelineError("fee_notice_unpaid", f"{state.fee_notice_on} 的收费通知尚未缴费，不能再发出收费通知")
        current = self._reply_due() if state.status is Status.IN_PROGRESS else None
        if current is not None and event.on > current.date:
            state.warnings.append(f"收费通知于 {event.on} 发出，晚于答复期限 {current}（办法第七条：在答复期限内发出）")
        state.fee_method, state.fee_notice_on = method, event.on
        state.fee_payment_due = self._after(event.applicant_received_on, PERIODS.fee_payment)
        state.fee_paid_on = None
        state.fees_charged += event.quote.total if event.quote is not None else 0

    def _on_FeePaid(self, event: FeePaid) -> None:
        state = self.state
        if state.fee_notice_on is None or state.fee_paid_on is not None:
            raise TimelineError("payment_without_notice", f"{event.on} 缴纳费用，但没有待缴费的收费通知")
        state.fee_paid_on = event.on
        state.fee_pauses.append((state.fee_notice_on, event.on))
        state.payments.append((event.on, event.amount))

    def _close(self, event: Event, outcome: str) -> None:
        state = self.state
        if state.status is Status.IN_PROGRESS and state.reply_due is not None and event.on > state.reply_due.date:
            state.warnings.append(f"{event.on} 办结，晚于答复期限 {state.reply_due}")
        state.status, state.outcome, state.closed_on = Status.CLOSED, outcome, event.on

    def _on_Decided(self, event: Decided) -> None:
        state = self.state
        lapse = self._lapse(event.on)
        if lapse is not None and lapse.outcome == event.outcome:  # the decision records the lapse: closed that day
            self._close_by_lapse(lapse)
            state.lapsed = False
            return
        self._check_precondition(event)
        self._close(event, event.outcome)

    def _check_precondition(self, event: Decided) -> None:
        state = self.state
        if event.outcome == NO_SUPPLEMENT_OUTCOME:
            if state.supplement_requested_on is None or state.supplement_received_on is not None:
                raise TimelineError("no_supplement_without_notice",
                                    "“申请人无正当理由逾期不补正”须先告知补正且未收到补正（条例第三十条）")
            raise TimelineError("no_supplement_too_early",
                                f"补正期限 {state.supplement_by} 未过，不能以“申请人无正当理由逾期不补正”办结")
        if event.outcome == FEE_UNPAID_OUTCOME:
            if state.fee_notice_on is None or state.fee_paid_on is not None:
                raise TimelineError("fee_unpaid_without_notice",
                                    "“申请人逾期未按收费通知要求缴纳费用”须先发出收费通知且未缴费（办法第七条）")
            raise TimelineError("fee_unpaid_too_early",
                                f"缴费期限 {state.fee_payment_due} 未过，不能以“申请人逾期未按收费通知要求缴纳费用”办结")
        if event.outcome == STILL_UNCLEAR_OUTCOME and state.supplement_received_on is None:
            raise TimelineError("still_unclear_without_supplement",
                                "“补正后申请内容仍不明确”须先收到补正（条例第三十条）")

    def _on_Withdrawn(self, event: Withdrawn) -> None:
        self._close(event, WITHDRAWN_OUTCOME)

    def finish(self, today: date) -> None:
        """Let time pass up to ``today``: consultations run out, applicant deadlines lapse.  A lapse closes the
        request on its day, and nothing runs out after that: a consultation still open then stays as it was, on
        whatever later day the state is derived (条例第三十条: the request is treated as withdrawn)."""
        lapse = self._lapse(today)
        if lapse is not None and self.state.status is not Status.CLOSED:
            self._settle(lapse.on)
            self._close_by_lapse(lapse)
        else:
            self._settle(today)
        self._refresh()


def derive_state(
    events: Iterable[Event],
    *,
    today: date,
    calendar: WorkCalendar | None = None,
    convention: CountingConvention = SPEC_CONVENTION,
) -> RequestState:
    """The request's state on ``today`` (``UNBOUNDED``: once every running deadline has passed).

    Events dated after ``today`` are refused.  Events of one day are applied in the order given.
    """
    ordered = _ordered(events, today)
    deriver = _Deriver(ordered[0], calendar or WorkCalendar.from_directory(), convention)
    for event in ordered:
        deriver.apply(event)
    deriver.finish(today)
    deriver.state.today = today
    return deriver.state
