"""各机关办理情况: for a supervisor, each agency of the subtree with its open, overdue and due-soon requests (as
the dashboard judges them), this year's receipts, closings and late closings, and last year's annual report as
recorded (published with its date, a draft, or nothing)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from gongkai.calendar import WorkCalendar
from gongkai.web.reports.models import ReportDraft
from gongkai.web.requests.models import open_on

from .rows import request_rows, visible_agencies, visible_requests


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
    open_rows = request_rows(user, requests.filter(open_on(today)), today, calendar)
    opened, overdue, due_soon = Counter(), Counter(), Counter()
    for row in open_rows:
        agency = row.request.agency_id
        opened[agency] += 1
        overdue[agency] += row.overdue
        due_soon[agency] += row.due_soon
    year = today.year
    counts = {row["agency_id"]: row for row in requests.values("agency_id").annotate(
        received=Count("id", filter=Q(received_on__year=year)), closed=Count("id", filter=Q(closed_on__year=year, closed_on__lte=today)))}
    reports = {draft.agency_id: draft for draft in ReportDraft.objects.filter(year=year - 1)}
    rows = []
    for agency in visible_agencies(user):
        draft = reports.get(agency.pk)
        report = (f"已发布（{draft.published_on:%Y-%m-%d}）" if draft and draft.published_on
                  else "草稿" if draft else "—")
        found = counts.get(agency.pk, {})
        rows.append(AgencyRow(agency, opened[agency.pk], overdue[agency.pk], due_soon[agency.pk],
                              found.get("received", 0), found.get("closed", 0), report))
    return rows
