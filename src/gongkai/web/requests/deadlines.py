"""The open requests and their next deadline, each derived from the request's events by the ledger's rule.

``open_deadlines`` reads every open request (of an agency and the agencies below it), derives its state with
``gongkai.ledger.timeline.derive_state`` and picks its next deadline with ``gongkai.ledger.deadlines.assess``:
an overdue reply or a lapsed applicant deadline first, else the next one still ahead.  A request with no
running deadline (a consultation open, a supplement awaited without a date) is listed without one.
Applicants are masked (``masking``): this is a list, not the request's own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.deadlines import Deadline, assess
from gongkai.ledger.timeline import RequestState

from .masking import mask_id_number, mask_name
from .models import Applicant, Request

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


def _masked_name(applicant: Applicant) -> str:
    """A natural person's name is masked; an organisation's name is not personal data."""
    return mask_name(applicant.name) if applicant.type == "natural_person" else applicant.name


def next_deadline_of(state: RequestState, today: date, calendar: WorkCalendar) -> Deadline | None:
    """The deadline to act on: the earliest overdue reply or lapsed applicant deadline, else the next ahead."""
    assessment = assess(state.pending_deadlines(), today, calendar=calendar)
    late = [*assessment.overdue, *assessment.lapsed]
    return min(late, key=lambda d: d.due.date) if late else assessment.next


def _row(request: Request, today: date, calendar: WorkCalendar) -> OpenDeadline:
    state = request.state(calendar=calendar)
    deadline = next_deadline_of(state, today, calendar)
    applicant = request.applicant
    return OpenDeadline(
        request_id=request.pk,
        agency=request.agency.name,
        received_on=request.received_on,
        applicant=_masked_name(applicant),
        applicant_id_number=mask_id_number(applicant.id_number),
        status=state.status.value,
        deadline=deadline.kind.value if deadline else None,
        due=deadline.due if deadline else None,
        working_days_left=calendar.working_days_between(today, deadline.due.date) if deadline else None,
        warnings=tuple(state.warnings),
    )


def open_deadlines(agency=None, *, today: date, within: int | None = None,
                   calendar: WorkCalendar | None = None) -> list[OpenDeadline]:
    """Open requests (of ``agency`` and its subtree, or all) by due date; requests without a deadline last.

    ``within``: only deadlines due within that many working days of ``today`` (overdue ones always).
    ``calendar`` defaults to ``WorkCalendar.from_directory()``, so administrator-loaded schedules count.
    """
    calendar = calendar or WorkCalendar.from_directory()
    requests = Request.objects.filter(closed_on__isnull=True)  # closed_on is written by the same rule
    if agency is not None:
        requests = requests.filter(agency_id__in=agency.subtree_ids())
    requests = requests.select_related("agency", "applicant").prefetch_related("events").order_by("pk")
    rows = [_row(request, today, calendar) for request in requests]
    if within is not None:
        rows = [row for row in rows if row.working_days_left is not None and row.working_days_left <= within]
    return sorted(rows, key=lambda row: (row.due is None, row.due.date if row.due else row.received_on))
