"""The open requests and their next deadline, each derived from the request's events by the ledger's rule.

``open_deadlines`` reads every open request (of an agency and the agencies below it), derives its state with
``gongkai.ledger.timeline.derive_state`` and picks its next deadline with ``gongkai.ledger.deadlines.assess``:
an overdue reply or a lapsed applicant deadline first, else the next one still ahead.  A request with no
running deadline (a consultation open, a supplement awaited without a date) is listed without one.
Personal data is masked (``masking``, the one rule): this is a list, not the request's own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.deadlines import Deadline, assess
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.timeline import RequestState, Status

from .masking import masked
from .models import Request, open_on

COLUMNS = ("request_id", "agency", "received_on", "applicant", "applicant_id_number", "status", "deadline",
           "due", "provisional", "provisional_reason", "working_days_left", "warnings")


@dataclass(frozen=True)
class OpenDeadline:
    request_id: int
    agency: str
    received_on: date
    applicant: str
    applicant_id_number: str
    status: str
    deadline: str | None
    """The kind of the next deadline (``reply``, ``supplement_notice``, ``supplement_from_applicant``,
    ``fee_payment``); None while no deadline runs."""
    due: Due | None
    working_days_left: int | None
    """Working days from ``today`` to the due date: 0 on the day, negative when overdue."""
    warnings: tuple[str, ...]

    def record(self) -> dict[str, object]:
        """The row under the stable column names of ``COLUMNS`` (dates as ISO strings)."""
        due = self.due
        return {
            "request_id": self.request_id,
            "agency": self.agency,
            "received_on": self.received_on.isoformat(),
            "applicant": self.applicant,
            "applicant_id_number": self.applicant_id_number,
            "status": self.status,
            "deadline": self.deadline,
            "due": due.date.isoformat() if due else None,
            "provisional": bool(due and due.provisional),
            "provisional_reason": due.reason if due and due.provisional else "",
            "working_days_left": self.working_days_left,
            "warnings": list(self.warnings),
        }


def next_deadline_of(state: RequestState, today: date, calendar: WorkCalendar) -> Deadline | None:
    """The deadline to act on: the earliest overdue reply or lapsed applicant deadline, else the next ahead."""
    assessment = assess(state.pending_deadlines(), today, calendar=calendar)
    late = [*assessment.overdue, *assessment.lapsed]
    return min(late, key=lambda d: d.due.date) if late else assessment.next


def _days_left(today: date, due: Due, calendar: WorkCalendar) -> tuple[int, Due]:
    """Working days from ``today`` to ``due``; the due date is marked provisional when the count crosses a year
    without a holiday schedule (today's year included)."""
    first, last = sorted((today, due.date))
    missing = [year for year in range(first.year, last.year + 1) if not calendar.has_schedule(year)]
    if missing and not due.provisional:
        due = Due(due.date, provisional=True, reason="no holiday schedule for " + ", ".join(map(str, missing)))
    return calendar.working_days_between(today, due.date), due


def _row(request: Request, today: date, calendar: WorkCalendar) -> OpenDeadline | None:
    """The request as seen on ``today`` (its events up to that day); None when the law has closed it by then."""
    rows = [row for row in request.events.all() if row.occurred_on <= today]
    try:
        state = request.state(today=today, calendar=calendar, rows=rows)
    except (LedgerError, ValueError) as error:  # a record the rule refuses: listed with the reason, never dropped
        return OpenDeadline(request.pk, request.agency.name, request.received_on, masked(request.applicant, "name"),
                            masked(request.applicant, "id_number"), "invalid", None, None, None,
                            (f"记录有误：{error}",))
    if state.status is Status.CLOSED:
        return None
    deadline = next_deadline_of(state, today, calendar)
    left, due = _days_left(today, deadline.due, calendar) if deadline else (None, None)
    applicant = request.applicant
    return OpenDeadline(
        request_id=request.pk,
        agency=request.agency.name,
        received_on=request.received_on,
        applicant=masked(applicant, "name"),
        applicant_id_number=masked(applicant, "id_number"),
        status=state.status.value,
        deadline=deadline.kind.value if deadline else None,
        due=due,
        working_days_left=left,
        warnings=tuple(state.warnings),
    )


def open_deadlines(agency=None, *, today: date, within: int | None = None,
                   calendar: WorkCalendar | None = None) -> list[OpenDeadline]:
    """Open requests (of ``agency`` and its subtree, or all) by due date; requests without a deadline last.

    ``within``: only deadlines due within that many working days of ``today`` (overdue ones always).
    ``calendar`` defaults to ``WorkCalendar.from_directory()``, so administrator-loaded schedules count.
    """
    calendar = calendar or WorkCalendar.from_directory()
    requests = Request.objects.filter(open_on(today), received_on__lte=today)  # closed_on: by the same rule
    if agency is not None:
        requests = requests.filter(agency_id__in=agency.subtree_ids())
    requests = requests.select_related("agency", "applicant").prefetch_related("events").order_by("pk")
    rows = [row for request in requests if (row := _row(request, today, calendar)) is not None]
    if within is not None:
        rows = [row for row in rows if row.working_days_left is not None and row.working_days_left <= within]
    return sorted(rows, key=lambda row: (row.due is None, row.due.date if row.due else row.received_on))
