"""The requests a user may see, as rows for the screens: applicant masked for the viewer, status and reply
due date as the ledger derived them from the events (stored on the request: ``requests/stored_state.py``),
overdue and due-soon as the ledger's ``assess`` judges that date on today (the at-risk window is its five
working days).

Who sees what is decided in ``accounts/access.py`` (the same rules as the admin); how personal data looks, in
``requests/masking.py``.  In a list, identity numbers are always masked; names of natural persons are shown
only to the staff of the handling agency.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from html import escape

from django.db import connections
from django.db.models import QuerySet, Value
from django.urls import reverse
from django.utils.safestring import mark_safe

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.deadlines import Deadline, DeadlineKind, assess, at_risk_through
from gongkai.ledger.timeline import STATUS_LABELS, Status
from gongkai.web.accounts.access import profile_of, scoped, sees_personal_data, visible_agency_ids
from gongkai.web.requests.masking import applicant_name as masked_applicant_name
from gongkai.web.requests.masking import mask_id_number
from gongkai.web.requests.models import NOT_OPEN_STATES, Applicant, Request, open_on
from gongkai.web.requests.stored_state import UNREADABLE, ensure_fresh, refresh_stale

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
        if self.status == UNREADABLE:
            return "办理记录有误"
        return STATUS_LABELS[Status(self.status)]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "")

    @property
    def url(self) -> str:
        return request_url(self.request.pk)

    @property
    def due_html(self) -> str:
        """The reply due cell: the date (暂定 when the count crossed a year without a holiday schedule) and the
        working days left or overdue; 暂停计时 while the clock is stopped; — once closed.  Built here, not by
        an included template: a list renders it fifty times."""
        due = self.reply_due
        if due is None:
            return mark_safe("—") if self.status == CLOSED else mark_safe('<span class="muted">暂停计时</span>')
        tone = " late" if self.overdue else " soon" if self.due_soon else ""
        provisional = f'<abbr title="{escape(due.reason)}">（暂定）</abbr>' if due.provisional else ""
        left = (f"已逾期 {-self.days_left} 个工作日" if self.overdue else "今日到期" if self.days_left == 0
                else f"剩 {self.days_left} 个工作日")
        return mark_safe(f'<span class="due{tone}">{due.date.isoformat()}{provisional}</span>\n'
                         f'<span class="left">{left}</span>')

    def _agency_cell(self, show_agency: bool) -> str:
        return f"<td>{escape(str(self.request.agency))}</td>" if show_agency else ""

    def short_html(self, show_agency: bool) -> str:
        """The row of a dashboard list (number, agency, applicant, reply due), built as ``list_html`` is."""
        return mark_safe(f'<tr><td><a href="{self.url}">{self.request.pk}</a></td>{self._agency_cell(show_agency)}'
                         f'<td>{escape(self.applicant)}</td><td>{self.due_html}</td></tr>')

    def list_html(self, show_agency: bool) -> str:
        """The row of the request list (``_request_table.html``), built in one pass: the list draws fifty.
        Every text is escaped here (``html.escape``, what Django's ``escape`` does), the numbers and dates are
        ours; a template loop or ``format_html`` per cell cost more than the rest of the page."""
        request, url = self.request, self.url
        tone = "is-late" if self.overdue else "is-soon" if self.due_soon else ""
        closed = self.closed_on.isoformat() if self.closed_on else "—"
        return mark_safe(
            f'<tr class="{tone}">\n<td><a href="{url}">{request.pk}</a></td>\n'
            f'<td class="nowrap">{request.received_on.isoformat()}</td>\n{self._agency_cell(show_agency)}'
            f'<td><a href="{url}">{escape(self.applicant)}</a></td>\n<td class="nowrap">{escape(self.applicant_type)}</td>\n'
            f'<td class="mono">{escape(self.id_number)}</td>\n'
            f'<td class="nowrap"><span class="status s-{escape(self.status)}">{escape(self.status_label)}</span></td>\n'
            f'<td class="nowrap">{self.due_html}</td>\n<td class="nowrap">{closed}</td>\n'
            f'<td>{escape(self.outcome_label or "—")}</td>\n</tr>')


@cache
def _url_pattern() -> str:
    return reverse("office:request", args=[PLACEHOLDER_PK])


PLACEHOLDER_PK = 987654321


def request_url(pk: int) -> str:
    """The request page's address (``office:request``), reversed once per process."""
    return _url_pattern().replace(str(PLACEHOLDER_PK), str(pk))


def open_requests(requests: QuerySet[Request], today: date, calendar: WorkCalendar) -> QuerySet[Request]:
    """The requests of ``requests`` open on ``today``, their stored state brought up to date first
    (``stored_state.refresh_stale``: one query when nothing is stale), so that their state columns can be
    filtered, counted and sorted in the database."""
    refresh_stale(requests, today, calendar)
    return requests.filter(open_on(today)).exclude(status__in=NOT_OPEN_STATES)  # true of each: index conditions


class PageMemo:
    """Within one page: the ledger's assessment of a reply deadline and the working days to a due date are the
    same for every row that has them (pure functions of the date, today and the calendar), so each is computed
    once per distinct date instead of once per row."""

    def __init__(self, today: date, calendar: WorkCalendar):
        self.today, self.calendar = today, calendar
        self._judged: dict[date, object] = {}
        self._left: dict[date, int] = {}

    def assess(self, due: Due):
        if due.date not in self._judged:
            self._judged[due.date] = assess([Deadline(DeadlineKind.REPLY, due)], self.today, calendar=self.calendar)
        return self._judged[due.date]

    def days_left(self, due: date) -> int:
        if due not in self._left:
            self._left[due] = self.calendar.working_days_between(self.today, due)
        return self._left[due]

    @cached_property
    def due_soon_through(self) -> date:
        """The last reply due date the ledger calls at risk on ``today`` (``assess``: within five working days)."""
        return at_risk_through(self.today, self.calendar)


def stored_reply_due(request: Request) -> Due | None:
    if request.reply_due is None:
        return None
    note = request.reply_due_note
    return Due(request.reply_due, provisional=bool(note), reason=note)


def request_row(user, request: Request, today: date, calendar: WorkCalendar) -> RequestRow:
    """The row of one request, its stored state brought up to date."""
    ensure_fresh(request, today, calendar)
    return _row(user, request, today, PageMemo(today, calendar))


def _row(user, request: Request, today: date, memo: PageMemo) -> RequestRow:
    """The row of a request whose stored state holds on ``today``."""
    applicant = request.applicant
    common = dict(request=request, applicant=applicant_name(user, applicant, request.agency_id),
                  applicant_type=applicant_type_label(applicant), id_number=mask_id_number(applicant.id_number))
    closed_on, outcome = request.closing_on(today)  # written by the ledger's rule (``sync_closing``)
    if closed_on is not None:
        return RequestRow(**common, status=CLOSED, reply_due=None, days_left=None, overdue=False,
                          due_soon=False, closed_on=closed_on, outcome=outcome)
    due = stored_reply_due(request)
    judged = memo.assess(due) if due else None
    return RequestRow(**common, status=request.status, reply_due=due,
                      days_left=memo.days_left(due.date) if due else None,
                      overdue=bool(judged and judged.overdue), due_soon=bool(judged and judged.at_risk))


def request_rows(user, requests: QuerySet[Request], today: date, calendar: WorkCalendar) -> list[RequestRow]:
    """The rows of ``requests`` (a page of them), whose stored state was brought up to date when they were
    chosen (``open_requests``, ``listing.filter_requests``)."""
    return request_row_lists(user, [requests], today, calendar)[0]


def request_row_lists(user, lists: list[QuerySet[Request]], today: date,
                      calendar: WorkCalendar) -> list[list[RequestRow]]:
    """The rows of several short lists of requests (a dashboard's), read together: each list's numbers in its
    order (sorted and sliced without joining the applicants), then every request with its applicant and agency
    in one query."""
    orders = _orders(lists)
    found = _with_row_columns(Request.objects.all()).in_bulk({pk for order in orders for pk in order})
    memo = PageMemo(today, calendar)
    return [[_row(user, found[pk], today, memo) for pk in order] for order in orders]


def iterate_rows(user, requests: QuerySet[Request], today: date, calendar: WorkCalendar,
                 chunk: int = 2000) -> Iterator[RequestRow]:
    """The rows of ``requests`` in their order, each with its applicant and agency, read from one cursor (a
    server-side one on PostgreSQL) ``chunk`` at a time: an export of 100,000 rows, without holding them all."""
    memo = PageMemo(today, calendar)
    for request in _with_row_columns(requests).iterator(chunk_size=chunk):
        yield _row(user, request, today, memo)


def _with_row_columns(requests: QuerySet[Request]) -> QuerySet[Request]:
    """What a row reads: the request with its applicant and agency, without the text asked for (never listed)."""
    return requests.select_related("applicant", "agency").defer("content")


def _orders(lists: list[QuerySet[Request]]) -> list[list[int]]:
    """Each list's request numbers in its order: one query for all of them where the database takes a sorted,
    limited part in a ``UNION ALL`` (PostgreSQL), else one query per list."""
    if len(lists) < 2 or not connections[lists[0].db].features.supports_slicing_ordering_in_compound:
        return [list(requests.values_list("pk", flat=True)) for requests in lists]
    tagged = [requests.annotate(shown_in=Value(n)).values_list("shown_in", "pk") for n, requests in enumerate(lists)]
    orders: list[list[int]] = [[] for _ in lists]
    for n, pk in tagged[0].union(*tagged[1:], all=True):
        orders[n].append(pk)
    return orders


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
