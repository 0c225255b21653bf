"""The monthly metrics export: per month, requests received, closed (in all and by outcome group), closed after
their reply due date, and still open at the month's end — for the requests the user may see, as CSV or XLSX.

Counts come from the stored columns (``received_on``, ``closed_on``, ``outcome``, written by the ledger's rule);
"closed late" compares each closing with the reply due date the ledger derives from the request's events.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import QuerySet

from gongkai.calendar import WorkCalendar
from gongkai.web.requests import clock
from gongkai.web.requests.models import Request, open_on

from .labels import OUTCOME_GROUPS, outcome_group_key

COLUMNS = ("月份", "收到", "办结", *OUTCOME_GROUPS.values(), "超期办结", "月末未办结")


def months_of_year(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def monthly_metrics(requests: QuerySet[Request], months: list[date], calendar: WorkCalendar) -> list[list]:
    """One row per month under ``COLUMNS``."""
    first, last = months[0], _month_end(months[-1])
    received = Counter(d.replace(day=1) for d in
                       requests.filter(received_on__range=(first, last)).values_list("received_on", flat=True))
    closed = requests.filter(closed_on__range=(first, min(last, clock.today()))).prefetch_related("events")
    by_group: dict[date, Counter] = {month: Counter() for month in months}
    late: Counter = Counter()
    for request in closed:
        month = request.closed_on.replace(day=1)
        by_group[month][outcome_group_key(request.outcome)] += 1
        due = request.state(calendar=calendar, rows=request.events.all()).reply_due  # prefetched above
        late[month] += bool(due and request.closed_on > due.date)
    rows = []
    for month in months:
        end = _month_end(month)
        still_open = requests.filter(open_on(min(end, clock.today())), received_on__lte=end).count()
        groups = by_group[month]
        rows.append([f"{month.year}-{month.month:02d}", received[month], sum(groups.values()),
                     *(groups[key] for key in OUTCOME_GROUPS), late[month], still_open])
    return rows
