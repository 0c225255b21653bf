"""The requests a user may see, as rows for the screens: applicant masked for the viewer, status and reply
due date derived from the events by the ledger (``Request.state``), overdue and due-soon as the ledger's
``assess`` judges them (the reply deadline; the at-risk window is its five working days).

Who sees what is decided in ``accounts/access.py`` (the same rules as the admin); how personal data looks, in
``requests/masking.py``.  In a list, identity numbers are always masked; names of natural persons are shown
only to the staff of the handling agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.deadlines import DeadlineKind, assess
from gongkai.ledger.timeline import STATUS_LABELS, RequestState, Status
from gongkai.web.accounts.access import profile_of, scoped, sees_personal_data, visible_agency_ids
from gongkai.web.requests.masking import applicant_name as masked_applicant_name
from gongkai.web.requests.masking import mask_id_number
from gongkai.web.requests.models import Applicant, Request

from .labels import APPLICANT_TYPE_LABELS, OUTCOME_LABELS

CLOSED = Status.CLOSED.value


def visible_requests(user) -> QuerySet[Request]:
    """The requests the user may see: their agency's (staff, head), their subtree's (supervisor), all (superuser)."""
    return scoped(Request.objects.all(), visible_agency_ids(user), "agency")


def applicant_name(user, applicant: Applicant, agency_id: int) -> str:
    """A natural person's name in full only for the handling agency's staff; an organisation's name as it is."""
    return masked_applicant_name(applicant, full=sees_personal_data(user, [agency_id]))


def applicant_type_label(applicant: Applicant) -> str:
    label = APPLICANT_TYPE_LABELS.get(applicant.type, applicant.type)
    return "其他组织" if applicant.type == "other_org" else label


@dataclass(frozen=True)
class RequestRow:
    request: Request
    applicant: str
    applicant_type: str
    id_number: str
    status: str
    state: RequestState | None
    """None for a closed request (its closing date and outcome are on the row)."""
    reply_due: Due | None
    days_left: int | None
    """Working days from today to the reply due date: 0 on the day, negative when overdue."""
    overdue: bool
    due_soon: bool
    closed_on: date | None = None
    outcome: str | None = None
    """The closing as of the row's day: a lapse still ahead (``closed_on`` stored in the future) is not one yet."""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "")


def request_row(user, request: Request, today: date, calendar: WorkCalendar) -> RequestRow:
    applicant = request.applicant
    common = dict(request=request, applicant=applicant_name(user, applicant, request.agency_id),
                  applicant_type=applicant_type_label(applicant), id_number=mask_id_number(applicant.id_number))
    closed_on, outcome = request.closing_on(today)  # written by the ledger's rule (``sync_closing``)
    if closed_on is not None:
        return RequestRow(**common, status=CLOSED, state=None, reply_due=None, days_left=None, overdue=False,
                          due_soon=False, closed_on=closed_on, outcome=outcome)
    state = request.state(calendar=calendar)
    replies = [d for d in state.pending_deadlines() if d.kind is DeadlineKind.REPLY]
    judged = assess(replies, today, calendar=calendar)
    due = replies[0].due if replies else None
    return RequestRow(**common, status=state.status.value, state=state, reply_due=due,
                      days_left=calendar.working_days_between(today, due.date) if due else None,
                      overdue=bool(judged.overdue), due_soon=bool(judged.at_risk))


def request_rows(user, requests: QuerySet[Request], today: date, calendar: WorkCalendar) -> list[RequestRow]:
    requests = requests.select_related("agency", "applicant").prefetch_related("events")
    return [request_row(user, request, today, calendar) for request in requests]


def visible_agencies(user) -> list:
    from gongkai.web.agencies.models import Agency

    ids = visible_agency_ids(user)
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    return list(agencies.order_by("pk"))


def shows_agency(user) -> bool:
    """Whether lists need an agency column: not for the staff of one agency."""
    ids = visible_agency_ids(user)
    return ids is None or len(ids) > 1


def role_label(user) -> str:
    profile = profile_of(user)
    if profile is not None:
        return f"{profile.agency} · {profile.get_role_display()}"
    return "系统管理员" if user.is_superuser else "未分配机关和角色"
