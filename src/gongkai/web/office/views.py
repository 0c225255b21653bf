"""The office's pages: login, dashboard (工作台), request list with its exports, request page.  Every page
needs a login and shows only what ``accounts/access.py`` lets the user see; another agency's request is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.deadlines import DEADLINE_LABELS, DeadlineKind
from gongkai.ledger.timeline import STATUS_LABELS, Status
from gongkai.web.accounts.access import scoped, visible_agency_ids
from gongkai.web.accounts.throttle import ThrottledLoginForm
from gongkai.web.letters.models import Letter
from gongkai.web.requests.events import ledger_event

from . import listing, metrics
from .actions import labelled, workflow_context
from .charts import last_months, monthly_figures
from .intake import may_register
from .kept import kept, scope_key
from .overview import agency_overview
from .request_page import request_page_context
from .rows import (
    PageMemo,
    open_requests,
    request_row_lists,
    role_label,
    shows_agency,
    visible_agencies,
    visible_requests,
)

PAGE_SIZE = 50
SHOWN = 10
"""Rows shown per dashboard list; each says how many there are and links to the whole list."""


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
    opened = open_requests(requests, today, calendar)
    memo = PageMemo(today, calendar)
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    overdue, due_soon = listing.deadline_filter("overdue", today, memo), listing.deadline_filter("due_soon", today, memo)
    week = listing.deadline_filter("week", today, memo)
    counts = opened.aggregate(open=Count("id"), overdue=Count("id", filter=overdue), due_soon=Count("id", filter=due_soon),
                              week=Count("id", filter=week),
                              **{status.value: Count("id", filter=Q(status=status.value))
                                 for status in STATUS_LABELS if status is not Status.CLOSED})
    by_due = opened.order_by(Coalesce("reply_due", "pause_due"), "pk")
    week_rows, overdue_rows, due_soon_rows = request_row_lists(
        request.user, [by_due.filter(week)[:SHOWN], by_due.filter(overdue)[:SHOWN], by_due.filter(due_soon)[:SHOWN]],
        today, calendar)
    figures = monthly_figures(requests, scope_key(request.user), today, calendar)
    context = _base(
        request, nav="dashboard", today=today, open_count=counts["open"],
        overdue=overdue_rows,
        overdue_count=counts["overdue"],
        due_soon=due_soon_rows,
        due_soon_count=counts["due_soon"],
        paused=[(label, status.value, counts[status.value]) for status, label in STATUS_LABELS.items()
                if status not in (Status.CLOSED, Status.IN_PROGRESS)],
        in_progress=counts[Status.IN_PROGRESS.value],
        week=[(row, *week_deadline(row)) for row in week_rows], week_count=counts["week"], week_end=sunday,
        figures=figures,
        awaiting_signature=labelled(
            scoped(Letter.objects.filter(status=Letter.Status.DRAFT), visible_agency_ids(request.user), "request__agency")
            .select_related("request__agency", "created_by").defer("docx", "pdf")),
    )
    return render(request, "office/dashboard.html", context)


def week_deadline(row) -> tuple[str, Due]:
    """The deadline that puts a request in this week's list: its reply, or the end of the pause it is in."""
    request = row.request
    if row.reply_due is not None:
        return DEADLINE_LABELS[DeadlineKind.REPLY], row.reply_due
    return DEADLINE_LABELS[DeadlineKind(request.pause_kind)], Due(request.pause_due)


def _filter_form(request, requests):
    years = kept(("years", scope_key(request.user), timezone.localdate()), lambda: listing.years_of(requests))
    return listing.RequestFilter(request.GET, years=years,
                                 agencies=kept(("agencies", scope_key(request.user)),
                                               lambda: visible_agencies(request.user))
                                 if shows_agency(request.user) else ())


def _filtered(request, cap: int):
    requests = visible_requests(request.user)
    form = _filter_form(request, requests)
    data = form.cleaned_data if form.is_valid() else {}
    rows = listing.filter_requests(requests, data, request.user, today=timezone.localdate(),
                                   calendar=WorkCalendar.from_directory(), cap=cap)
    return form, data, rows


@login_required
def request_list(request):
    form, data, rows = _filtered(request, cap=listing.LISTED_AT_MOST)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = _base(request, nav="requests", form=form, page=page, total=len(rows), capped=rows.capped,
                    exported_at_most=listing.EXPORTED_AT_MOST,
                    query=query.urlencode(),
                    sort=data.get("sort") or "due", sort_query=sort_query.urlencode(), today=timezone.localdate())
    template = "office/_request_table.html" if request.headers.get("HX-Request") else "office/request_list.html"
    return render(request, template, context)


@login_required
def request_export(request, kind: str):
    _, _, rows = _filtered(request, cap=listing.EXPORTED_AT_MOST)
    if rows.capped:
        messages.error(request, f"符合条件的申请超过 {listing.EXPORTED_AT_MOST:,} 件，一次导出不能超过此数。"
                                "请按年份、办理机关、状态等条件缩小范围后分次导出。")
        return redirect(f"{reverse('office:requests')}?{request.GET.urlencode()}")
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
    rows = found.rows()  # read once for the page
    context = _base(request, nav="requests", **request_page_context(request, found, today, calendar, rows),
                    **workflow_context(request, found, today, calendar, [ledger_event(row) for row in rows]))
    return render(request, "office/request_page.html", context)
