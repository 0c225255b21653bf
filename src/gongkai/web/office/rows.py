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
from gongkai.ledger.fees import FeeMethod
from gongkai.ledger.timeline import STATUS_LABELS, RequestState, Status
from gongkai.web.accounts.access import profile_of, scoped, sees_personal_data, visible_agency_ids
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.masking import applicant_name as masked_applicant_name
from gongkai.web.requests.masking import mask_id_number
from gongkai.web.requests.models import Applicant, Request, RequestEvent

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


STATE_MEMO_SIZE = 50_000
_states: dict[tuple, RequestState] = {}


def calendar_key(calendar: WorkCalendar) -> tuple:
    """What a calendar decides with: its loaded schedules (frozen, compared by value) and the built-in data."""
    return calendar._use_chinesecalendar, tuple(sorted(calendar._schedules.items()))


def _event_key(row) -> tuple:
    return (row.pk, row.kind, row.occurred_on, row.outcome, row.supplement_by, row.fee_method, row.fee_units,
            row.delivered_on, row.extension_days, row.notified_on, row.reply_by, row.amount, row.good_reason)


def derived_state(request: Request, rows, today: date, calendar: WorkCalendar, calendar_id: tuple) -> RequestState:
    """``request.state`` on ``today`` from its event ``rows``, remembered in this process by everything it is
    derived from (the rows' fields, the channel, the day, the calendar's schedules): a list page derives only
    the requests whose events changed since, not every open request again.  A per-request fee notice is not
    remembered: its quote depends on the applicant's other requests (办法第四条).  Read-only: never mutate it."""
    rows = list(rows)
    if any(row.kind == EventKind.FEE_NOTICE_SENT and row.fee_method == FeeMethod.PER_REQUEST.value for row in rows):
        return request.state(today=today, calendar=calendar, rows=rows)
    key = (request.pk, request.channel, today, calendar_id, tuple(_event_key(row) for row in rows))
    state = _states.get(key)
    if state is None:
        state = request.state(today=today, calendar=calendar, rows=rows)
        if len(_states) >= STATE_MEMO_SIZE:
            _states.clear()
        _states[key] = state
    return state


class _PageMemo:
    """Within one page: the ledger's assessment of a set of reply deadlines and the working days to a due date
    are the same for every row that has them (pure functions of the deadlines, today and the calendar), so each
    is computed once per distinct value instead of once per row."""

    def __init__(self, today: date, calendar: WorkCalendar):
        self.today, self.calendar = today, calendar
        self._judged: dict[tuple, object] = {}
        self._left: dict[date, int] = {}

    def assess(self, replies: list):
        key = tuple(replies)
        if key not in self._judged:
            self._judged[key] = assess(replies, self.today, calendar=self.calendar)
        return self._judged[key]

    def days_left(self, due: date) -> int:
        if due not in self._left:
            self._left[due] = self.calendar.working_days_between(self.today, due)
        return self._left[due]


def request_row(user, request: Request, today: date, calendar: WorkCalendar,
                calendar_id: tuple | None = None, events=None, memo: _PageMemo | None = None) -> RequestRow:
    """``events``: the request's event rows in recording order when at hand (``request_rows`` reads them for
    the open requests of a list in one query); default, read afresh."""
    applicant = request.applicant
    common = dict(request=request, applicant=applicant_name(user, applicant, request.agency_id),
                  applicant_type=applicant_type_label(applicant), id_number=mask_id_number(applicant.id_number))
    closed_on, outcome = request.closing_on(today)  # written by the ledger's rule (``sync_closing``)
    if closed_on is not None:
        return RequestRow(**common, status=CLOSED, state=None, reply_due=None, days_left=None, overdue=False,
                          due_soon=False, closed_on=closed_on, outcome=outcome)
    state = derived_state(request, request.rows() if events is None else events, today, calendar,
                          calendar_key(calendar) if calendar_id is None else calendar_id)
    memo = memo or _PageMemo(today, calendar)
    replies = [d for d in state.pending_deadlines() if d.kind is DeadlineKind.REPLY]
    judged = memo.assess(replies)
    due = replies[0].due if replies else None
    return RequestRow(**common, status=state.status.value, state=state, reply_due=due,
                      days_left=memo.days_left(due.date) if due else None,
                      overdue=bool(judged.overdue), due_soon=bool(judged.at_risk))


def request_rows(user, requests: QuerySet[Request], today: date, calendar: WorkCalendar) -> list[RequestRow]:
    """The rows of ``requests``: the events are read (one query) only for those open on ``today``, whose state
    the ledger derives; a closed request's row is its stored closing."""
    from gongkai.web.agencies.models import Agency

    requests = list(requests.select_related("applicant"))
    agencies = Agency.objects.in_bulk({request.agency_id for request in requests})  # a few, not one per row
    for request in requests:
        Request.agency.field.set_cached_value(request, agencies[request.agency_id])
    open_requests = {request.pk: request for request in requests if request.is_open_on(today)}
    events: dict[int, list[RequestEvent]] = {pk: [] for pk in open_requests}
    if open_requests:
        for event in RequestEvent.objects.filter(request_id__in=list(open_requests)).order_by(
                "request_id", "occurred_on", "id"):
            RequestEvent.request.field.set_cached_value(event, open_requests[event.request_id])
            events[event.request_id].append(event)
    calendar_id, memo = calendar_key(calendar), _PageMemo(today, calendar)
    return [request_row(user, request, today, calendar, calendar_id, events.get(request.pk), memo)
            for request in requests]


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
