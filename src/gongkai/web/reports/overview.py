"""年度报告总览 for a supervisor: the agencies of its subtree × the last report years with each report's
publication status (草稿, 已签发, 已发布, 逾期发布, 未发布/缺失) and findings; the subtree's aggregated report
(``compile_report(..., subtree=True)``: the same GROUP BY counts over the agency tree) and each agency's own
figures against it — the departments' totals and the government's own add up to the subtree's."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongkai.report import Report
from gongkai.report.publication import Publication
from gongkai.web.accounts.access import profile_of, visible_agency_ids
from gongkai.web.agencies.models import Agency

from . import workspace
from .compile import FIRST_YEAR, compile_report, compile_reports
from .models import ReportDraft

YEARS_SHOWN = 3
# (label, the report keys summed): the figures the comparison of the agencies shows
KEY_FIGURES = (
    ("本年新收申请", ("requests.new_received.total",)),
    ("上年结转", ("requests.carried_over.total",)),
    ("办结", ("requests.total_handled.total",)),
    ("结转下年度", ("requests.carried_forward.total",)),
    ("行政复议", ("appeals.review.total",)),
    ("行政诉讼", ("appeals.lawsuit_direct.total", "appeals.lawsuit_after_review.total")),
    ("制发规范性文件", ("proactive.normative_documents.issued",)),
)


@dataclass(frozen=True)
class Cell:
    year: int
    status: str
    url: str
    publication: Publication
    errors: int | None = None  # None: no report to check
    warnings: int | None = None


@dataclass
class AgencyRow:
    agency: Agency
    cells: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class FigureRow:
    label: str
    agency: Agency | None
    figures: tuple[int, ...]
    kind: str = ""  # "own", "sum", "subtree"


def figures(report: Report) -> tuple[int, ...]:
    return tuple(sum(report.values.get(key) or 0 for key in keys) for _, keys in KEY_FIGURES)


def _root(user, wanted: str | None, visible: list[int] | None) -> Agency:
    if wanted:
        if not wanted.isdigit() or (visible is not None and int(wanted) not in visible):
            raise Http404("没有这个机关，或您无权查看。")
        return Agency.objects.get(pk=int(wanted))
    profile = profile_of(user)
    if profile is not None and profile.agency is not None:
        return profile.agency
    root = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise Http404("还没有任何机关。")
    return root


def agency_rows(tree: list[Agency], years: list[int]) -> list[AgencyRow]:
    """Each agency's cells over ``years``: the report each stands by (stored, or compiled from the ledger for a
    draft not yet signed) checked against the year before, read and compiled together per year: the query
    count does not grow with the agencies."""
    drafts = {(draft.agency_id, draft.year): draft for draft in ReportDraft.objects.filter(
        agency__in=tree, year__in=years).select_related("agency")}
    stored = workspace.stored_reports(list(drafts.values()))
    rows = {agency.pk: AgencyRow(agency) for agency in tree}
    for year in years:
        found = {agency.pk: (draft, stored[draft.pk]) for agency in tree
                 if (draft := drafts.get((agency.pk, year))) is not None}
        compiled = compile_reports([agency for agency in tree if agency.pk in found and found[agency.pk][1] is None
                                    and not found[agency.pk][0].uploaded], year)
        reports = {pk: report if report is not None else compiled.get(pk) for pk, (_, report) in found.items()}
        previous = workspace.previous_reports([agency for agency in tree if reports.get(agency.pk)], year)
        for agency in tree:
            draft, report = drafts.get((agency.pk, year)), reports.get(agency.pk)
            rows[agency.pk].cells.append(_cell(agency, year, draft, report, previous.get(agency.pk, (None, ""))[0]))
    return list(rows.values())


def _cell(agency: Agency, year: int, draft: ReportDraft | None, report: Report | None,
          previous: Report | None) -> Cell:
    url = f"{reverse('reports:workspace', args=[year])}?agency={agency.pk}"
    errors = warnings = None
    if report is not None:
        found = workspace.findings(report, previous)
        errors = sum(f.severity == "error" for f in found)
        warnings = sum(f.severity == "warning" for f in found)
    return Cell(year, workspace.status_of(draft), url, workspace.publication(draft, agency, year), errors, warnings)


def aggregated_report(user, year: int, wanted_root: str | None) -> Report:
    """The subtree's report of ``year`` for export (the same compile the overview shows)."""
    visible = visible_agency_ids(user)
    if visible == [] or not FIRST_YEAR <= year < timezone.localdate().year:
        raise Http404("没有这个报告年度。")
    return compile_report(_root(user, wanted_root, visible), year, subtree=True)


def overview_context(user, wanted_year: str | None, wanted_root: str | None = None) -> dict:
    visible = visible_agency_ids(user)
    if visible == []:
        raise Http404("您没有可查看的机关。")
    last = timezone.localdate().year - 1
    years = [y for y in range(last, last - YEARS_SHOWN, -1) if y >= FIRST_YEAR]
    year = int(wanted_year) if wanted_year and wanted_year.isdigit() and FIRST_YEAR <= int(wanted_year) <= last \
        else last
    root = _root(user, wanted_root, visible)
    tree = list(Agency.objects.filter(pk__in=root.subtree_ids()).order_by("pk"))
    rows = agency_rows(tree, years)

    aggregate = compile_report(root, year, subtree=True)
    compiled = compile_reports(tree, year)
    own = [FigureRow(agency.name, agency, figures(compiled[agency.pk]), "own" if agency.pk == root.pk else "")
           for agency in tree]
    departments = [r for r in own if r.agency.pk != root.pk]
    summed = tuple(map(sum, zip(*(r.figures for r in own), strict=True))) if own else ()
    comparison = [
        *own,
        FigureRow("下属机关合计", None, tuple(map(sum, zip(*(r.figures for r in departments), strict=True)))
                  if departments else tuple(0 for _ in KEY_FIGURES), "sum"),
        FigureRow(f"{root.name}（含下属机关）汇总", None, figures(aggregate), "subtree"),
    ]
    found = workspace.finding_rows(workspace.findings(aggregate, None))
    return {
        "years": years, "year": year, "rows": rows, "root": root, "aggregate": aggregate,
        "figure_labels": [label for label, _ in KEY_FIGURES], "comparison": comparison,
        "adds_up": summed == figures(aggregate),
        "aggregate_errors": sum(f.severity == "error" for f in found), "exports": [("docx", "DOCX"), ("pdf", "PDF"),
                                                                                ("html", "HTML"), ("xlsx", "XLSX")],
        "aggregate_warnings": sum(f.severity == "warning" for f in found),
        "aggregate_findings": found,
        "all_years": list(range(last, FIRST_YEAR - 1, -1)),
    }
