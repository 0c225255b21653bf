"""各机关办理情况: for a supervisor, each agency of the subtree with its open, overdue and due-soon requests (as
the dashboard judges them, on every load), this year's receipts and closings (kept a minute: ``kept``), and last
year's annual report as recorded (published with its date, a draft, or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from gongkai.calendar import WorkCalendar
from gongkai.web.reports.models import ReportDraft

from .kept import kept, scope_key
from .listing import deadline_filter
from .rows import PageMemo, open_requests, visible_agencies, visible_requests


@dataclass(frozen=True)
class AgencyRow:
    agency: object
    open: int
    overdue: int
    due_soon: int
    received: int
    closed: int
    report: str


def agency_overview(user, today: date, calendar: WorkCalendar) -> list[AgencyRow]:
    requests = visible_requests(user)
    memo = PageMemo(today, calendar)
    opened = {row["agency_id"]: row for row in open_requests(requests, today, calendar).order_by().values("agency_id")
              .annotate(open=Count("id"), overdue=Count("id", filter=deadline_filter("overdue", today, memo)),
                        due_soon=Count("id", filter=deadline_filter("due_soon", today, memo)))}
    year = today.year
    received, closed = Q(received_on__year=year), Q(closed_on__year=year, closed_on__lte=today)

    def count() -> dict:  # only this year's receipts and closings, not every request of the subtree
        return {row["agency_id"]: row for row in requests.filter(received | closed).values("agency_id").annotate(
            received=Count("id", filter=received), closed=Count("id", filter=closed)).order_by()}

    counts = kept(("agency_year_counts", scope_key(user), today), count)  # a city's year: 125,000 requests
    reports = {draft.agency_id: draft for draft in ReportDraft.objects.filter(year=year - 1)}
    rows = []
    for agency in visible_agencies(user):
        draft = reports.get(agency.pk)
        report = (f"已发布（{draft.published_on:%Y-%m-%d}）" if draft and draft.published_on
                  else "草稿" if draft else "—")
        found = counts.get(agency.pk, {})
        now = opened.get(agency.pk, {})
        rows.append(AgencyRow(agency, now.get("open", 0), now.get("overdue", 0), now.get("due_soon", 0),
                              found.get("received", 0), found.get("closed", 0), report))
    return rows
