"""A request's state, derived from its timeline of events; nothing here is stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.deadlines import PERIODS, Deadline, DeadlineKind, reply_due, working_days_after
from gongkai.ledger.events import (
    ConsultationEnded,
    ConsultationStarted,
    Decided,
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
from gongkai.ledger.outcomes import WITHDRAWN_OUTCOME


class TimelineError(ValueError):
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


@dataclass
class RequestState:
    received: date
    status: Status = Status.IN_PROGRESS
    supplement_notice_due: Due | None = None
    supplement_requested_on: date | None = None
    supplement_by: date | None = None
    supplement_received_on: date | None = None
    consultations: list[tuple[date, date]] = field(default_factory=list)
    consulting_since: date | None = None
    extensions: int = 0
    fee_method: FeeMethod | None = None
    fee_payment_due: Due | None = None
    fee_paid_on: date | None = None
    reply_due: Due | None = None
    """None while the clock cannot be known: awaiting a supplement or in an open consultation."""
    outcome: str | None = None
    closed_on: date | None = None
    warnings: list[str] = field(default_factory=list)

    def pending_deadlines(self) -> list[Deadline]:
        """The deadlines still running; none once the request is closed."""
        if self.status is Status.CLOSED:
            return []
        pending = []
        if self.reply_due is not None:
            pending.append(Deadline(DeadlineKind.REPLY, self.reply_due))
        if self.supplement_requested_on is None and self.supplement_notice_due is not None:
            pending.append(Deadline(DeadlineKind.SUPPLEMENT_NOTICE, self.supplement_notice_due))
        if self.status is Status.AWAITING_SUPPLEMENT and self.supplement_by is not None:
            pending.append(Deadline(DeadlineKind.SUPPLEMENT_FROM_APPLICANT, Due(self.supplement_by)))
        if self.fee_payment_due is not None and self.fee_paid_on is None:
            pending.append(Deadline(DeadlineKind.FEE_PAYMENT, self.fee_payment_due))
        return pending


def _ordered(events: Iterable[Event]) -> list[Event]:
    ordered = sorted(events, key=lambda event: event.on)  # stable: same-day events keep their order
    if not ordered or not isinstance(ordered[0], Received):
        raise TimelineError("a timeline starts with the Received event")
    if sum(isinstance(event, Received) for event in ordered) > 1:
        raise TimelineError("a request is received once")
    return ordered


class _Deriver:
    def __init__(self, received: date, calendar: WorkCalendar, convention: CountingConvention):
        self.calendar, self.convention = calendar, convention
        self.state = RequestState(received=received)
        self.state.supplement_notice_due = self._after(received, PERIODS.supplement_notice)

    def _after(self, start: date, days: int) -> Due:
        return working_days_after(start, days, calendar=self.calendar, convention=self.convention)

    def _reply_due(self) -> Due:
        return reply_due(
            self.state.received,
            supplement_received=self.state.supplement_received_on,
            consultations=self.state.consultations,
            extended=self.state.extensions > 0,
            calendar=self.calendar,
            convention=self.convention,
        )

    def apply(self, event: Event) -> None:
        state = self.state
        if state.status is Status.CLOSED:
            raise TimelineError(
                f"{type(event).__name__} on {event.on} after the request closed on {state.closed_on}"
            )
        handler = getattr(self, f"_on_{type(event).__name__}")
        handler(event)
        if state.status is not Status.CLOSED:
            state.status = self._open_status()
            running = state.status not in (Status.AWAITING_SUPPLEMENT, Status.CONSULTING)
            state.reply_due = self._reply_due() if running else None

    def _open_status(self) -> Status:
        state = self.state
        if state.supplement_requested_on is not None and state.supplement_received_on is None:
            return Status.AWAITING_SUPPLEMENT
        if state.consulting_since is not None:
            return Status.CONSULTING
        if state.fee_payment_due is not None and state.fee_paid_on is None:
            return Status.AWAITING_PAYMENT
        return Status.IN_PROGRESS

    def _on_Received(self, event: Received) -> None:
        pass

    def _on_SupplementRequested(self, event: SupplementRequested) -> None:
        state = self.state
        if state.supplement_requested_on is not None:
            raise TimelineError(
                f"a supplement is requested once (already on {state.supplement_requested_on})"
            )
        state.supplement_requested_on, state.supplement_by = event.on, event.supplement_by
        if event.on > state.supplement_notice_due.date:
            state.warnings.append(
                f"supplement requested on {event.on}, after the 7-WD limit {state.supplement_notice_due} (条例第三十条)"
            )

    def _on_SupplementReceived(self, event: SupplementReceived) -> None:
        if self.state.supplement_requested_on is None:
            raise TimelineError(f"supplement received on {event.on} but none was requested")
        if self.state.supplement_received_on is not None:
            raise TimelineError(f"supplement already received on {self.state.supplement_received_on}")
        self.state.supplement_received_on = event.on

    def _on_ConsultationStarted(self, event: ConsultationStarted) -> None:
        if self.state.consulting_since is not None:
            raise TimelineError(
                f"consultation started on {event.on} while one is open since {self.state.consulting_since}"
            )
        self.state.consulting_since = event.on

    def _on_ConsultationEnded(self, event: ConsultationEnded) -> None:
        if self.state.consulting_since is None:
            raise TimelineError(f"consultation ended on {event.on} but none was started")
        self.state.consultations.append((self.state.consulting_since, event.on))
        self.state.consulting_since = None

    def _on_ExtensionApproved(self, event: ExtensionApproved) -> None:
        state = self.state
        if state.extensions >= PERIODS.max_extensions:
            raise TimelineError(f"extension on {event.on}: the reply period can be extended once only")
        if state.reply_due is not None and event.on > state.reply_due.date:
            state.warnings.append(
                f"extension approved on {event.on}, after the reply due date {state.reply_due}"
            )
        state.extensions += 1

    def _on_FeeNoticeSent(self, event: FeeNoticeSent) -> None:
        state = self.state
        if state.fee_method is not None and state.fee_method is not event.quote.method:
            raise TimelineError(
                f"fee notice by {event.quote.method}: this request is charged {state.fee_method}"
            )
        if state.reply_due is not None and event.on > state.reply_due.date:
            state.warnings.append(
                f"fee notice sent on {event.on}, after the reply due date {state.reply_due}"
            )
        state.fee_method = event.quote.method
        state.fee_payment_due = self._after(event.applicant_received_on, PERIODS.fee_payment)
        state.fee_paid_on = None

    def _on_FeePaid(self, event: FeePaid) -> None:
        if self.state.fee_payment_due is None:
            raise TimelineError(f"fee paid on {event.on} but no fee notice was sent")
        self.state.fee_paid_on = event.on

    def _close(self, event: Event, outcome: str) -> None:
        state = self.state
        if state.reply_due is not None and event.on > state.reply_due.date:
            state.warnings.append(f"closed on {event.on}, after the reply due date {state.reply_due}")
        state.status, state.outcome, state.closed_on = Status.CLOSED, outcome, event.on

    def _on_Decided(self, event: Decided) -> None:
        self._close(event, event.outcome)

    def _on_Withdrawn(self, event: Withdrawn) -> None:
        self._close(event, WITHDRAWN_OUTCOME)


def derive_state(
    events: Iterable[Event],
    *,
    calendar: WorkCalendar | None = None,
    convention: CountingConvention = SPEC_CONVENTION,
) -> RequestState:
    """Replay the events in date order and return the request's state and due dates."""
    ordered = _ordered(events)
    deriver = _Deriver(ordered[0].on, calendar or WorkCalendar.from_directory(), convention)
    for event in ordered:
        deriver.apply(event)
    return deriver.state
