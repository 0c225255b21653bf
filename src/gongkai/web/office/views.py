"""The office's pages: login, dashboard (工作台), request list with its exports, request page.  Every page
needs a login and shows only what ``accounts/access.py`` lets the user see; another agency's request is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gongkai.calendar import WorkCalendar
from gongkai.ledger.deadlines import DEADLINE_LABELS, DeadlineKind
from gongkai.ledger.timeline import STATUS_LABELS, Status
from gongkai.web.accounts.throttle import ThrottledLoginForm
from gongkai.web.letters.models import Letter
from gongkai.web.requests.models import open_on

from . import listing, metrics
from .actions import labelled, workflow_context
from .charts import RECEIVED, REPLY_DAYS, bar_chart, last_months, monthly_counts, monthly_reply_days
from .intake import may_register
from .labels import OUTCOME_GROUPS
from .overview import agency_overview
from .request_page import request_page_context
from .rows import request_rows, role_label, shows_agency, visible_agencies, visible_requests

PAGE_SIZE = 50
DUE_SOON_SHOWN = 10


class LoginView(auth_views.LoginView):
    template_name = "office/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


def _base(request, **context) -> dict:
    return {"role": role_label(request.user), "show_agency": shows_agency(request.user),
            "may_register": may_register(request.user), **context}


@login_required
def dashboard(request):
    today = timezone.localdate()
    calendar = WorkCalendar.from_directory()
    requests = visible_requests(request.user)
    open_rows = request_rows(request.user, requests.filter(open_on(today)), today, calendar)
    overdue = sorted((r for r in open_rows if r.overdue), key=lambda r: r.reply_due.date)
    due_soon = sorted((r for r in open_rows if r.due_soon), key=lambda r: r.reply_due.date)
    by_status = {status: sum(r.status == status.value for r in open_rows)
                 for status in STATUS_LABELS if status is not Status.CLOSED}
    monday = today - timedelta(days=today.weekday())
    week = [(row, deadline) for row in open_rows for deadline in row.state.pending_deadlines()
            if monday <= deadline.due.date <= monday + timedelta(days=6)
            and deadline.kind is not DeadlineKind.SUPPLEMENT_NOTICE]  # only if a request is unclear: not a to-do
    week.sort(key=lambda item: (item[1].due.date, item[0].request.pk))
    months = last_months(today)
    counts = monthly_counts(requests, months)
    context = _base(
        request, nav="dashboard", today=today, open_count=len(open_rows), overdue=overdue, due_soon=due_soon[:DUE_SOON_SHOWN],
        due_soon_count=len(due_soon),
        paused=[(STATUS_LABELS[s], s.value, n) for s, n in by_status.items() if s is not Status.IN_PROGRESS],
        in_progress=by_status[Status.IN_PROGRESS],
        week=[(row, DEADLINE_LABELS[d.kind], d.due) for row, d in week], week_end=monday + timedelta(days=6),
        received_chart=bar_chart(counts, [RECEIVED]),
        outcome_chart=bar_chart(counts, list(OUTCOME_GROUPS)),
        reply_chart=bar_chart(monthly_reply_days(requests, months, calendar), [REPLY_DAYS], unit="个工作日"),
        received_total=sum(c[RECEIVED] for c in counts.values()),
        closed_total=sum(sum(c[g] for g in OUTCOME_GROUPS) for c in counts.values()),
        first_month=months[0],
        awaiting_signature=labelled(Letter.objects.filter(status=Letter.Status.DRAFT, request__in=requests)
                                    .select_related("request__agency", "created_by").defer("docx", "pdf")),
    )
    return render(request, "office/dashboard.html", context)


def _filter_form(request, requests):
    return listing.RequestFilter(request.GET, years=listing.years_of(requests),
                                 agencies=visible_agencies(request.user) if shows_agency(request.user) else ())


def _filtered(request):
    requests = visible_requests(request.user)
    form = _filter_form(request, requests)
    data = form.cleaned_data if form.is_valid() else {}
    rows = listing.filter_requests(requests, data, request.user, today=timezone.localdate(),
                                   calendar=WorkCalendar.from_directory())
    return form, data, rows


@login_required
def request_list(request):
    form, data, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = _base(request, nav="requests", form=form, page=page, total=len(rows), query=query.urlencode(),
                    sort=data.get("sort") or "due", sort_query=sort_query.urlencode(), today=timezone.localdate())
    template = "office/_request_table.html" if request.headers.get("HX-Request") else "office/request_list.html"
    return render(request, template, context)


@login_required
def request_export(request, kind: str):
    _, _, rows = _filtered(request)
    return listing.xlsx_export(rows) if kind == "xlsx" else listing.csv_export(rows)


@login_required
def metrics_export(request, kind: str):
    """Monthly metrics of the year chosen in the list's filter, else of the last 12 months."""
    requests = visible_requests(request.user)
    form = _filter_form(request, requests)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    months = metrics.months_of_year(year) if year else last_months(timezone.localdate())
    rows = metrics.monthly_metrics(requests, months, WorkCalendar.from_directory())
    name = f"metrics-{year}" if year else "metrics"
    if kind == "xlsx":
        return listing.xlsx_response(metrics.COLUMNS, rows, name, "月度统计")
    return listing.csv_response(metrics.COLUMNS, rows, name)


@login_required
def agencies(request):
    """各机关办理情况: for users who see several agencies (supervisors, administrators)."""
    if not shows_agency(request.user):
        raise Http404("只有监督人员可以查看各机关的办理情况。")
    today = timezone.localdate()
    context = _base(request, nav="agencies", today=today,
                    rows=agency_overview(request.user, today, WorkCalendar.from_directory()))
    return render(request, "office/agencies.html", context)


@login_required
def request_detail(request, pk: int):
    found = get_object_or_404(visible_requests(request.user).select_related("agency", "applicant"), pk=pk)
    today, calendar = timezone.localdate(), WorkCalendar.from_directory()
    context = _base(request, nav="requests", **request_page_context(request, found, today, calendar),
                    **workflow_context(request, found, today, calendar))
    return render(request, "office/request_page.html", context)
