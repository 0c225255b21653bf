"""The request list: filters, sorting by due date, search, and the masked CSV/XLSX export of what it shows.

Every filter and order runs in the database: on the request's columns (year, applicant type, outcome, open or
closed, search) and on the state the ledger derived and stored for each open request (status, reply due date,
the end of a pause: ``requests/stored_state.py``), brought up to date first.  Closed requests have no running
deadline and follow the open ones, newest closing first.  Rows are built only for the page shown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Max, Min, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone

from gongkai.calendar import WorkCalendar
from gongkai.ledger.timeline import STATUS_LABELS
from gongkai.render.data import spreadsheet_text
from gongkai.web.accounts.access import editable_agency_ids
from gongkai.web.requests.models import Request, closed_by, open_on
from gongkai.web.requests.stored_state import refresh_stale

from .labels import APPLICANT_TYPE_LABELS, OUTCOME_GROUPS, OUTCOME_LABELS
from .rows import CLOSED, PageMemo, RequestRow, iterate_rows, open_requests, request_rows
from .widgets import PlainSelect

OPEN = "open"
SORTS = {"due": "答复期限（先到期在前）", "-received": "收到日期（新在前）", "received": "收到日期（旧在前）",
         "-number": "编号（大在前）"}
DB_ORDER = {"-received": ("-received_on", "-pk"), "received": ("received_on", "pk"), "-number": ("-pk",)}


class RequestFilter(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "编号或申请人", "type": "search"}))
    status = forms.ChoiceField(label="状态", required=False, widget=PlainSelect, choices=[
        ("", "全部"), (OPEN, "未办结"), *[(s.value, label) for s, label in STATUS_LABELS.items()]])
    deadline = forms.ChoiceField(label="期限", required=False, widget=PlainSelect, choices=[
        ("", "全部"), ("due_soon", "5个工作日内到期"), ("overdue", "已逾期"), ("week", "本周到期")])
    outcome = forms.ChoiceField(label="办理结果", required=False, widget=PlainSelect, choices=[
        ("", "全部"), *[(group, label) for group, label in OUTCOME_GROUPS.items()],
        *[(key, f"— {label}") for key, label in OUTCOME_LABELS.items() if key not in OUTCOME_GROUPS]])
    applicant_type = forms.ChoiceField(label="申请人类型", required=False, widget=PlainSelect, choices=[
        ("", "全部"), *[(key, "其他组织" if key == "other_org" else label) for key, label in APPLICANT_TYPE_LABELS.items()]])
    year = forms.TypedChoiceField(label="收到年份", required=False, coerce=int, empty_value=None, widget=PlainSelect)
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORTS.items()), widget=PlainSelect)

    def __init__(self, data, *, years: Sequence[int], agencies: Sequence = ()):
        super().__init__(data)
        self.fields["year"].choices = [("", "全部"), *[(y, f"{y}年") for y in years]]
        if len(agencies) > 1:  # only for users who see several agencies (supervisors)
            self.fields = {"agency": forms.TypedChoiceField(
                label="办理机关", required=False, coerce=int, empty_value=None, widget=PlainSelect,
                choices=[("", "全部"), *[(a.pk, a.name) for a in agencies]]), **self.fields}


def years_of(requests: QuerySet[Request]) -> list[int]:
    """The years in which a request was received, newest first: the first and last receipt from the index, then
    one indexed probe per year between them (no scan of every request of a supervisor's subtree)."""
    span = requests.aggregate(first=Min("received_on"), last=Max("received_on"))
    if span["first"] is None:
        return []
    return [year for year in range(span["last"].year, span["first"].year - 1, -1)
            if year in (span["first"].year, span["last"].year)
            or requests.filter(received_on__range=(date(year, 1, 1), date(year, 12, 31))).exists()]


def _search(requests: QuerySet[Request], text: str, user) -> QuerySet[Request]:
    """By number (digits: no name is digits only, and a number is found by its index, not by reading every
    applicant's name), or by applicant name; a name of a natural person only where the user sees it in full
    (the editors of the handling agency), so that a search never confirms a masked name."""
    text = text.strip()
    if text.isdigit():
        return requests.filter(pk=int(text))
    editable = editable_agency_ids(user)
    by_name = Q(applicant__name__icontains=text)
    if editable is not None:
        by_name &= ~Q(applicant__type="natural_person") | Q(agency_id__in=editable)
    return requests.filter(by_name)


def _stored_filters(requests: QuerySet[Request], data: dict, user, today: date) -> QuerySet[Request]:
    if data.get("q"):
        requests = _search(requests, data["q"], user)
    if data.get("agency"):
        requests = requests.filter(agency_id=data["agency"])
    if data.get("year"):
        requests = requests.filter(received_on__year=data["year"])
    if data.get("applicant_type"):
        requests = requests.filter(applicant_type=data["applicant_type"])  # the copy on the request: an index
    outcome = data.get("outcome")
    if outcome:
        requests = requests.filter(Q(outcome=outcome) | Q(outcome__startswith=f"{outcome}."))
    status, deadline = data.get("status"), data.get("deadline")
    if status == CLOSED or outcome:
        requests = requests.filter(closed_by(today))  # a lapse still ahead is not a closing yet
    elif status or deadline:
        requests = requests.filter(open_on(today))
    return requests


def deadline_filter(kind: str, today: date, memo: PageMemo) -> Q:
    """The open requests whose stored reply due date is overdue or due soon as the ledger's ``assess`` judges on
    ``today`` (before today; from today through ``at_risk_through``), or that have a deadline this week (the
    reply, or the end of the pause they are in)."""
    if kind == "overdue":
        return Q(reply_due__lt=today)
    if kind == "due_soon":
        return Q(reply_due__gte=today, reply_due__lte=memo.due_soon_through)
    monday = today - timedelta(days=today.weekday())
    week = (monday, monday + timedelta(days=6))
    return Q(reply_due__range=week) | Q(pause_due__range=week)


EXPORTED_AT_MOST = 100_000
"""Rows one export writes: a city's million requests would take a worker minutes (and be cut off by the
server's timeout); beyond this the list asks for a narrower filter."""
LISTED_AT_MOST = 10_000
"""Rows a list pages through: counting a supervisor's million closed requests exactly on every page would cost
more than the page; beyond this the list says so and asks for a filter (exports: ``EXPORTED_AT_MOST``)."""


class FilteredRequests(Sequence):
    """Querysets shown one after the other (the open requests by due date, then the closed ones), paged from
    the database: rows are built only for the page asked for.  A sequence Django's ``Paginator`` can page, of
    at most ``LISTED_AT_MOST`` rows (``capped``); iterating it (the exports) goes through every row."""

    def __init__(self, parts: list[QuerySet[Request]], user, today, calendar, cap: int | None = LISTED_AT_MOST):
        room = None if cap is None else cap + 1
        self.parts = []
        for part, count in zip(parts, part_counts(parts, room), strict=True):
            count = count if room is None else min(count, room)
            self.parts.append((part, count))
            room = None if room is None else room - count
        self.capped, self._cap = room == 0, cap
        self._user, self._today, self._calendar = user, today, calendar

    def __len__(self) -> int:
        total = sum(count for _, count in self.parts)
        return total if self._cap is None else min(total, self._cap)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop, _ = index.indices(len(self))
        rows, offset = [], 0
        for part, count in self.parts:
            first, last = max(start - offset, 0), min(stop - offset, count)
            if last > first:
                rows += request_rows(self._user, part[first:last], self._today, self._calendar)
            offset += count
        return rows

    def __iter__(self) -> Iterator[RequestRow]:
        """Every row of every part, in order, read from one cursor per part (the exports)."""
        for part, _ in self.parts:
            yield from iterate_rows(self._user, part, self._today, self._calendar)


def part_counts(parts: list[QuerySet[Request]], limit: int | None) -> list[int]:
    """How many rows each queryset has, each counted up to ``limit`` (None: exactly), in one query."""
    if len(parts) == 1:
        unordered = parts[0].order_by()
        return [unordered.count() if limit is None else unordered[:limit].count()]
    counted, params = [], []
    for n, part in enumerate(parts):
        try:
            query, part_params = part.order_by().values("pk")[:limit].query.get_compiler(using=part.db).as_sql()
        except EmptyResultSet:  # a condition nothing can meet (no agency in scope)
            counted.append("0")
            continue
        counted.append(f"(SELECT COUNT(*) FROM ({query}) part_{n})")
        params += part_params
    with connections[parts[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counted), params)
        return list(cursor.fetchone())


def filter_requests(requests: QuerySet[Request], data: dict, user, *, today: date, calendar: WorkCalendar,
                    cap: int | None = LISTED_AT_MOST) -> FilteredRequests:
    """The rows the list shows for the filter ``data`` (a valid ``RequestFilter``'s cleaned data): the open
    requests first by reply due date (their stored state brought up to date), then the closed ones, newest
    closing first; or all by receipt or number.  ``cap``: see ``LISTED_AT_MOST`` (None: count them all, as the API
    does for its clients paging through everything)."""
    requests = _stored_filters(requests, data, user, today)
    sort = data.get("sort") or "due"
    status, deadline = data.get("status"), data.get("deadline")
    derived = sort == "due" or deadline or status not in ("", None, OPEN, CLOSED)
    if not derived:
        refresh_stale(requests, today, calendar)
        return FilteredRequests([requests.order_by(*DB_ORDER[sort])], user, today, calendar, cap)
    opened = open_requests(requests, today, calendar)
    if status not in ("", None, OPEN, CLOSED):
        opened = opened.filter(status=status)
    if deadline:
        opened = opened.filter(deadline_filter(deadline, today, PageMemo(today, calendar)))
    parts = [opened.order_by(F("reply_due").asc(nulls_last=True), F("pause_due").asc(nulls_last=True), "pk")]
    if not (deadline or status not in ("", None, CLOSED)):
        parts.append(requests.filter(closed_by(today)).order_by("-closed_on", "-pk"))
    return FilteredRequests(parts, user, today, calendar, cap)


EXPORT_COLUMNS = ("编号", "办理机关", "收到日期", "提交方式", "申请人", "申请人类型", "证件号码", "状态",
                  "答复期限", "剩余工作日", "办结日期", "办理结果")


def export_values(row: RequestRow) -> list:
    request = row.request
    due = row.reply_due
    return [request.pk, request.agency.name, request.received_on, request.get_channel_display(), row.applicant,
            row.applicant_type, row.id_number, row.status_label,
            (f"{due.date:%Y-%m-%d}（暂定）" if due.provisional else due.date) if due else None,
            row.days_left, row.closed_on, row.outcome_label]


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def csv_export(rows: Sequence[RequestRow]) -> HttpResponse:
    return csv_response(EXPORT_COLUMNS, (export_values(row) for row in rows), "requests")


def xlsx_export(rows: Sequence[RequestRow]) -> HttpResponse:
    return xlsx_response(EXPORT_COLUMNS, (export_values(row) for row in rows), "requests", "政府信息公开申请",
                         widths=(8, 18, 12, 12, 20, 12, 22, 10, 16, 10, 12, 34))


def csv_response(columns: Sequence[str], values: Iterable[list], name: str) -> HttpResponse:
    """UTF-8 with a byte-order mark (Excel opens the Chinese headers); text that a spreadsheet would run as a
    formula is quoted (``spreadsheet_text``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in values:
        writer.writerow(["" if v is None else spreadsheet_text(v if not isinstance(v, date) else v.isoformat())
                         for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{_stamp()}.csv"'
    return response


def xlsx_response(columns: Sequence[str], values: Iterable[list], name: str, title: str, *,
                  widths: Sequence[int] = ()) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(list(columns))
    for row in values:
        sheet.append([spreadsheet_text(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}-{_stamp()}.xlsx"'
    return response

