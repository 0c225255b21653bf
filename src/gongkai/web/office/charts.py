"""Monthly counts for the dashboard and their bar charts, drawn as inline SVG (no script, no chart library: a
government intranet loads nothing from outside).

``monthly_counts`` asks the database (one ``GROUP BY`` each for receipts and closings), ``monthly_reply_days``
reads the closings' two dates and counts working days between them; ``bar_chart`` turns counts into rectangles
and labels (pure).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.html import format_html, format_html_join

from gongkai.calendar import WorkCalendar
from gongkai.web.requests import clock

from .kept import kept
from .labels import OUTCOME_GROUPS, outcome_group_key

RECEIVED = "received"
REPLY_DAYS = "reply_days"
SERIES_COLOURS = {RECEIVED: "#2f6f9f", REPLY_DAYS: "#5b5f97", "granted": "#3c8d5a", "partially_granted": "#8cbf6a",
                  "withheld": "#c2553d", "unavailable": "#d99a3a", "not_handled": "#8a6fb0",
                  "other_handling": "#8c8c8c"}


def last_months(today: date, count: int = 12) -> list[date]:
    """The first days of the ``count`` months up to and including ``today``'s, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly_counts(requests: QuerySet, months: list[date]) -> dict[date, Counter]:
    """Per month: ``received`` and, per outcome group (``granted``, ``withheld``, …), the requests closed."""
    first = months[0]
    counts: dict[date, Counter] = {month: Counter() for month in months}
    received = (requests.filter(received_on__gte=first).annotate(month=TruncMonth("received_on"))
                .values("month").annotate(n=Count("*")))
    for row in received:
        if row["month"] in counts:
            counts[row["month"]][RECEIVED] += row["n"]
    closed = (requests.filter(closed_on__gte=first, closed_on__lte=clock.today()).annotate(month=TruncMonth("closed_on"))
              .values("month", "outcome").annotate(n=Count("*")))
    for row in closed:
        if row["month"] in counts:
            counts[row["month"]][outcome_group_key(row["outcome"])] += row["n"]
    return counts


def monthly_reply_days(requests: QuerySet, months: list[date], calendar: WorkCalendar) -> dict[date, Counter]:
    """Per month of closing: ``reply_days``, the mean working days from receipt to closing (one decimal).

    Counted from the receipt date, pauses and a 补正 restart included: the time the applicant waited.
    ``working_days_between(received, closed)`` is ``index(closed) - index(received)``, where ``index(d)`` counts
    the working days from a day before them all up to ``d``; so the database sums the closings per month by
    closing day and by receipt day (two ``GROUP BY``), and the calendar is asked once per distinct day."""
    closings = requests.filter(closed_on__gte=months[0], closed_on__lte=clock.today()).annotate(
        month=TruncMonth("closed_on"))
    by_closing = list(closings.values("month", "closed_on").annotate(n=Count("*")).values_list("month", "closed_on", "n"))
    by_receipt = list(closings.values("month", "received_on").annotate(n=Count("*"))
                      .values_list("month", "received_on", "n"))
    days = sorted({day for _, day, _ in by_closing} | {day for _, day, _ in by_receipt})
    index, previous, counted = {}, None, 0
    for day in days:
        counted += calendar.working_days_between(previous, day) if previous else 0
        index[day], previous = counted, day
    total: Counter = Counter()
    closed: Counter = Counter()
    for month, day, n in by_closing:
        total[month] += n * index[day]
        closed[month] += n
    for month, day, n in by_receipt:
        total[month] -= n * index[day]
    return {month: Counter({REPLY_DAYS: round(total[month] / closed[month], 1)} if closed[month] else {})
            for month in months}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, float, str]]  # x, y, text: month names under the axis, totals above the bars
    legend: list[tuple[str, str]]  # colour, label
    baseline: float
    empty: bool
    caption: str = ""

    @cached_property
    def html(self) -> str:
        """The chart as a ``<figure>`` with inline SVG, escaped (``format_html``): drawn once per chart, and the
        charts are kept with the figures they draw (``monthly_figures``), not drawn on every load."""
        if self.empty:
            return format_html('<figure class="chart">\n<figcaption>{}</figcaption>\n'
                               '<p class="muted">这段时间没有记录。</p>\n</figure>', self.caption)
        bars = format_html_join("\n", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                                ((b.x, b.y, b.width, b.height, b.colour, b.title) for b in self.bars))
        labels = format_html_join("\n", '<text x="{}" y="{}" text-anchor="middle">{}</text>', self.labels)
        legend = format_html('<ul class="legend">{}</ul>', format_html_join(
            "", '<li><span style="background:{}"></span>{}</li>', self.legend)) if len(self.legend) > 1 else ""
        return format_html('<figure class="chart">\n<figcaption>{}</figcaption>\n'
                           '<svg viewBox="0 0 {} {}" role="img" aria-label="{}">\n'
                           '<line x1="0" x2="{}" y1="{}" y2="{}" class="axis"/>\n{}\n{}\n</svg>\n{}\n</figure>',
                           self.caption, self.width, self.height, self.caption, self.width, self.baseline,
                           self.baseline, bars, labels, legend)


def bar_chart(counts: dict[date, Counter], series: list[str], *, unit: str = "件", caption: str = "",
              width: int = 560, height: int = 180) -> Chart:
    """One (stacked) bar per month of the ``series`` keys; the tallest bar fills the plot."""
    names = {RECEIVED: "收到申请", REPLY_DAYS: "平均用时", **OUTCOME_GROUPS}
    months = list(counts)
    top, bottom = 16, 22
    plot = height - top - bottom
    slot = width / max(len(months), 1)
    bar_width = slot * 0.6
    tallest = max((sum(counts[m][s] for s in series) for m in months), default=0)
    bars, labels = [], []
    for index, month in enumerate(months):
        x = index * slot + (slot - bar_width) / 2
        y = top + plot
        for key in series:
            value = counts[month][key]
            if not value:
                continue
            h = plot * value / tallest
            y -= h
            bars.append(Bar(round(x, 1), round(y, 1), round(bar_width, 1), round(h, 1), SERIES_COLOURS[key],
                            f"{month.year}年{month.month}月 {names[key]} {value:g} {unit}"))
        total = sum(counts[month][s] for s in series)
        if total:
            labels.append((round(x + bar_width / 2, 1), round(y - 4, 1), f"{total:g}"))
        labels.append((round(x + bar_width / 2, 1), height - 6, f"{month.month}月"))
    legend = [(SERIES_COLOURS[key], names[key]) for key in series]
    return Chart(width, height, bars, labels, legend, top + plot, tallest == 0, caption)



@dataclass(frozen=True)
class MonthlyFigures:
    months: list[date]
    counts: dict[date, Counter]
    reply_days: dict[date, Counter]
    counted_at: datetime

    @cached_property
    def charts(self) -> list[Chart]:
        """The dashboard's three charts: requests received, closed by outcome, and the mean reply time."""
        return [bar_chart(self.counts, [RECEIVED], caption="每月收到申请（件）"),
                bar_chart(self.counts, list(OUTCOME_GROUPS), caption="每月办结申请及办理结果（件）"),
                bar_chart(self.reply_days, [REPLY_DAYS], unit="个工作日",
                          caption="每月办结申请的平均用时（收到至办结，工作日）")]

    @property
    def received_total(self) -> int:
        return sum(c[RECEIVED] for c in self.counts.values())

    @property
    def closed_total(self) -> int:
        return sum(sum(c[g] for g in OUTCOME_GROUPS) for c in self.counts.values())


def monthly_figures(requests: QuerySet, scope: tuple | None, today: date, calendar: WorkCalendar) -> MonthlyFigures:
    """The last 12 months' counts and reply times of ``requests`` (the user's ``scope``, ``kept.scope_key``),
    counted at most once a minute per process and scope (``kept``), with their charts: these are a year of
    closings (for a city, 170,000 rows grouped), while a minute changes at most this month's bar."""
    from django.utils import timezone

    def count() -> MonthlyFigures:
        months = last_months(today)
        return MonthlyFigures(months, monthly_counts(requests, months),
                              monthly_reply_days(requests, months, calendar), timezone.localtime())

    return kept(("monthly", scope, today), count)
