"""Compile an agency's annual report for year N from the ledger (the database half).

Each table is counted by one or two ``GROUP BY`` queries; ``tables.py`` turns the counts into report keys.

Which rows belong to year N (start = N-01-01, end = N-12-31):

- **Table 3**, requests: received on or before ``end`` and not closed before ``start``.  Of those,
  ``new_received`` were received in N, ``carried_over`` before N (so open on N-01-01); those closed in N
  count in their outcome's row, the others (still open after N-12-31) in ``carried_forward``.  Hence
  carried_forward(N) = carried_over(N+1).
- **Table 4**, cases: filed on or before ``end`` and not closed before ``start`` — the cases filed in N
  plus those carried in from earlier years still open on N-01-01.  A case closed in N counts under its
  result; one still open after N-12-31 counts as ``pending`` (尚未审结).  A case filed in 2023 and decided
  in 2024 therefore shows as pending in 2023 and under its result in 2024: each year reports the state
  of the cases it dealt with, and nothing is left out.
- **Table 2**: documents issued / repealed in N; ``in_force`` at N-12-31 = the agency's baseline count at
  ``as_of`` + documents issued − documents repealed from ``as_of`` through N-12-31 (no baseline: counted
  from the first record); decisions and fee income summed over the months of N.

A subtree report sums the same counts over the agency and all its descendants; its texts are the root
agency's draft.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from gongkai.report import Report
from gongkai.web.agencies.models import Agency
from gongkai.web.appeals.models import Case
from gongkai.web.proactive.models import (
    DocumentKind,
    DocumentRecord,
    FeeIncome,
    InForceBaseline,
    MonthlyDecisionCount,
)
from gongkai.web.reports.models import ReportDraft
from gongkai.web.reports.tables import (
    PENDING,
    TEMPLATE,
    CaseCount,
    DocumentFigures,
    ProactiveFigures,
    RequestCount,
    build_report,
)
from gongkai.web.requests import clock
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Request, RequestEvent

FIRST_YEAR = TEMPLATE.first_year  # the compile writes edition 2021: report years 2021 and later


def compile_report(agency: Agency, year: int, *, subtree: bool = False, today: date | None = None) -> Report:
    """The annual report of ``agency`` (with ``subtree``: of it and all its descendants) for ``year``, as the
    ledger stands on ``today`` (default: the local date)."""
    _check_year(year)
    agency_ids = agency.subtree_ids() if subtree else [agency.pk]
    return _reports({SUBTREE: agency}, agency_ids, year, today=today, grouped=False)[SUBTREE]


def compile_reports(agencies: list[Agency], year: int, *, today: date | None = None) -> dict[int, Report]:
    """Each agency's own report for ``year`` (by id), the same as ``compile_report`` gives one by one, counted
    together: each table's query grouped by agency as well, instead of one compile per agency (a city
    supervisor's overview compares 300 agencies)."""
    _check_year(year)
    by_id = {agency.pk: agency for agency in agencies}
    return _reports(by_id, list(by_id), year, today=today, grouped=True) if by_id else {}


SUBTREE = 0
"""The key of the one report of ``_reports`` counted over all its agencies (not grouped by agency)."""


def _check_year(year: int) -> None:
    if year < FIRST_YEAR:
        raise ValueError(f"compiling reports before {FIRST_YEAR} (edition 2019) is not supported: {year}")


def _reports(named: dict[int, Agency], agency_ids: list[int], year: int, *, today: date | None,
             grouped: bool) -> dict[int, Report]:
    """The reports of ``named`` (key: agency id, or ``SUBTREE`` for one report over all ``agency_ids``), each
    with its texts from that agency's draft of the year."""
    requests = count_requests(agency_ids, year, today=today, grouped=grouped)
    cases = count_cases(agency_ids, year, grouped=grouped)
    proactive = proactive_figures(agency_ids, year, grouped=grouped)
    fees = processing_fees_collected(agency_ids, year, grouped=grouped)
    drafts = {draft.agency_id: draft for draft in ReportDraft.objects.filter(
        agency_id__in=[agency.pk for agency in named.values()], year=year)}
    reports = {}
    for key, agency in named.items():
        draft = drafts.get(agency.pk)
        texts = {name: (getattr(draft, name) or None) if draft else None for name in ("overview", "problems", "other")}
        texts["other"] = with_processing_fees(texts["other"], fees.get(key, Decimal(0)))
        reports[key] = build_report(agency.name, year, requests=requests.get(key, []), cases=cases.get(key, []),
                                    proactive=proactive.get(key, ProactiveFigures()), texts=texts)
    return reports


def _by_agency(rows, grouped: bool, make) -> dict[int, list]:
    """Rows of a count grouped by ``agency_id`` (or not: all under ``SUBTREE``), each made into its count."""
    found: dict[int, list] = defaultdict(list)
    for row in rows:
        found[row["agency_id"] if grouped else SUBTREE].extend(make(row))
    return found


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def count_requests(agency_ids: list[int], year: int, *, today: date | None = None,
                   grouped: bool = False) -> dict[int, list[RequestCount]]:
    """Table 3's counts (by agency when ``grouped``, else all under ``SUBTREE``): one GROUP BY applicant type,
    outcome with conditional counts.

    ``closed_on`` is the closing the recorded events lead to, which for a lapse (no supplement, no payment by
    the deadline) may still lie ahead: a request counts as closed only once that day has come (``today``), so
    the table agrees with the ledger's state on any day (``gongkai.ledger.timeline.derive_state``).
    """
    start, end = _year(year)
    as_of = min(end, today or clock.today())
    rows = (
        Request.objects.filter(agency_id__in=agency_ids, received_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values(*_grouping(grouped), "applicant__type", "outcome")
        .annotate(
            new_received=Count("pk", filter=Q(received_on__gte=start)),
            carried_over=Count("pk", filter=Q(received_on__lt=start)),
            closed=Count("pk", filter=Q(closed_on__lte=as_of)),
            carried_forward=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)),
        )
        .order_by()
    )
    return _by_agency(rows, grouped, lambda r: [RequestCount(
        r["applicant__type"], r["outcome"], r["new_received"], r["carried_over"], r["closed"], r["carried_forward"])])


def _grouping(grouped: bool, path: str = "agency_id") -> tuple[str, ...]:
    return (path,) if grouped else ()


def _amount(value: Decimal | int | str) -> Decimal:
    """A sum of money as the same Decimal whatever the database: PostgreSQL gives the column's scale
    (``195.0000``), SQLite does not (``195``), and the report must not say one thing on one and another on the
    other.  Trailing zeros go, never a digit: ``195.0000`` → ``195``, ``0.50`` → ``0.5``."""
    amount = Decimal(value)
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


def processing_fees_collected(agency_ids: list[int], year: int, *, grouped: bool = False) -> dict[int, Decimal]:
    """信息处理费 collected in ``year``: the sum of the payments recorded in the ledger (元), by agency when
    ``grouped`` (an agency that collected nothing is left out), else under ``SUBTREE``."""
    start, end = _year(year)
    rows = _summed(RequestEvent.objects.filter(
        request__agency_id__in=agency_ids, kind=EventKind.FEE_PAID, occurred_on__range=(start, end)),
        grouped, "request__agency_id", total=Sum("amount"))
    return {row["request__agency_id"] if grouped else SUBTREE: _amount(row["total"] or 0) for row in rows}


def _summed(queryset, grouped: bool, path: str = "agency_id", **sums) -> list[dict]:
    """``sums`` of ``queryset`` per agency (rows with ``path``), or one row over all of it."""
    if grouped:
        return list(queryset.values(path).annotate(**sums).order_by())
    return [queryset.aggregate(**sums)]


def with_processing_fees(text: str | None, collected: Decimal) -> str:
    """Section 六's text with the 信息处理费 sentence the spec asks for, unless the draft already speaks of it."""
    if text and "信息处理费" in text:
        return text
    sentence = f"本年度共收取信息处理费{collected.normalize():f}元。" if collected else "本年度未收取信息处理费。"
    return f"{sentence}\n{text}" if text else sentence


def count_cases(agency_ids: list[int], year: int, *, grouped: bool = False) -> dict[int, list[CaseCount]]:
    """Table 4's counts (by agency when ``grouped``): one GROUP BY kind, result; open at year end counts as
    pending."""
    start, end = _year(year)
    rows = (
        Case.objects.filter(agency_id__in=agency_ids, filed_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values(*_grouping(grouped), "kind", "result")
        .annotate(decided=Count("pk", filter=Q(closed_on__lte=end)),
                  pending=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=end)))
        .order_by()
    )
    return _by_agency(rows, grouped, lambda r: [
        *([CaseCount(r["kind"], r["result"], r["decided"])] if r["decided"] else []),
        *([CaseCount(r["kind"], PENDING, r["pending"])] if r["pending"] else [])])


def proactive_figures(agency_ids: list[int], year: int, *, grouped: bool = False) -> dict[int, ProactiveFigures]:
    """Table 2's figures, by agency when ``grouped`` (an agency with nothing recorded is left out)."""
    start, end = _year(year)
    group = _grouping(grouped)
    baseline = InForceBaseline.objects.filter(agency=OuterRef("agency"), kind=OuterRef("kind"))
    since_baseline = Q(baseline_as_of__isnull=True) | Q(issued_on__gte=F("baseline_as_of"))
    repealed_since_baseline = Q(baseline_as_of__isnull=True) | Q(repealed_on__gte=F("baseline_as_of"))
    documents = _keyed(
        DocumentRecord.objects.filter(agency_id__in=agency_ids)
        .annotate(baseline_as_of=Subquery(baseline.values("as_of")[:1]))
        .values(*group, "kind")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__range=(start, end))),
            repealed=Count("pk", filter=Q(repealed_on__range=(start, end))),
            issued_to_date=Count("pk", filter=Q(issued_on__lte=end) & since_baseline),
            repealed_to_date=Count("pk", filter=Q(repealed_on__lte=end) & repealed_since_baseline),
        )
        .order_by(), grouped, "kind")
    baselines = _keyed(InForceBaseline.objects.filter(agency_id__in=agency_ids).values(*group, "kind")
                       .annotate(n=Sum("count")).order_by(), grouped, "kind")
    decisions = _keyed(_summed(MonthlyDecisionCount.objects.filter(agency_id__in=agency_ids, month__range=(start, end)),
                               grouped, licensing=Sum("licensing"), punishment=Sum("punishment"),
                               coercion=Sum("coercion")), grouped)
    fees = _keyed(_summed(FeeIncome.objects.filter(agency_id__in=agency_ids, month__range=(start, end)), grouped,
                          amount=Sum("amount")), grouped)

    def figures(key: int, kind: str) -> DocumentFigures:
        r = documents.get((key, kind), {})
        return DocumentFigures(
            issued=r.get("issued", 0), repealed=r.get("repealed", 0),
            in_force=(baselines.get((key, kind), {}).get("n") or 0) + r.get("issued_to_date", 0)
            - r.get("repealed_to_date", 0),
        )

    keys = {key[0] if isinstance(key, tuple) else key for found in (documents, baselines, decisions, fees)
            for key in found}
    return {key: ProactiveFigures(
        regulations=figures(key, DocumentKind.REGULATION),
        normative_documents=figures(key, DocumentKind.NORMATIVE_DOCUMENT),
        fees=_amount(fees.get(key, {}).get("amount") or 0),
        **{name: decisions.get(key, {}).get(name) or 0 for name in ("licensing", "punishment", "coercion")},
    ) for key in keys}


def _keyed(rows, grouped: bool, *by: str) -> dict:
    """Rows by (agency id, or ``SUBTREE``) followed by the values of ``by``, if any."""
    return {(row["agency_id"] if grouped else SUBTREE, *(row[name] for name in by)) if by
            else row["agency_id"] if grouped else SUBTREE: row for row in rows}
