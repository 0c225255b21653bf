"""The annual report of an agency-year as the workspace shows it: the report (compiled from the ledger, or the
signed version, or the uploaded one), last year's report for X1–X3, the findings, the publication status and the
versions after 签发.

Locking after 签发 (issue #11: "a later change makes a new report version with its diff"): the ledger stays
editable — a request decided late or a case recorded after the report was signed is a fact the office must be
able to record — and the signed report is never rewritten.  Instead, whenever the agency-year is looked at
(workspace, exports, overview), the report is compiled again and, if it differs from the latest version,
``sync_versions`` keeps the new report as the next version; ``gongkai.report.versions`` gives each diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from gongkai.report import Report, ReportFormatError
from gongkai.report.drafting import draft_texts
from gongkai.report.findings import Finding
from gongkai.report.publication import Publication, assess
from gongkai.report.rules import RULES, check
from gongkai.report.versions import ReportDiff, diff_html, diff_reports
from gongkai.web.agencies.models import Agency
from gongkai.web.requests.models import Request

from .compile import FIRST_YEAR, SUBTREE, compile_report, compile_reports, processing_fees_collected
from .models import ReportDraft, ReportVersion

TEXT_FIELDS = ("overview", "problems", "other")


class Status:
    """Publication status of an agency-year, as the supervisor's overview shows it."""

    MISSING = "未发布/缺失"
    DRAFT = "草稿"
    SIGNED = "已签发"
    PUBLISHED = "已发布"
    LATE = "逾期发布"


def is_government(agency: Agency) -> bool:
    """Whether the agency's own report falls under 第四十九条's 3月31日 (a county-level-or-above government)."""
    return agency.kind == Agency.Kind.GOVERNMENT and agency.county_level_or_above


def publication(draft: ReportDraft | None, agency: Agency, year: int) -> Publication:
    return assess(year, draft.published_on if draft else None, government=is_government(agency))


def status_of(draft: ReportDraft | None) -> str:
    if draft is None:
        return Status.MISSING
    if draft.published_on is not None:
        return Status.LATE if publication(draft, draft.agency, draft.year).late else Status.PUBLISHED
    if draft.uploaded:
        return Status.PUBLISHED  # an uploaded report was published, even when its date could not be read
    return Status.SIGNED if draft.signed else Status.DRAFT


def uploaded_report(draft: ReportDraft) -> Report | None:
    try:
        return Report.from_flat(draft.published_report) if draft.published_report else None
    except ReportFormatError:
        return None


def latest_version(draft: ReportDraft) -> ReportVersion | None:
    return draft.versions.order_by("-number").first()


def compiled(agency: Agency, year: int) -> Report:
    """The report of the agency-year compiled from the ledger now, with the draft's texts."""
    return compile_report(agency, year)


def stored_report(draft: ReportDraft | None) -> Report | None:
    """The report an agency-year stands by without compiling: the uploaded one, or the latest signed version."""
    return None if draft is None else stored_reports([draft])[draft.pk]


def stored_reports(drafts: list[ReportDraft]) -> dict[int, Report | None]:
    """``stored_report`` of each draft (by its id), the latest versions of all read in one query."""
    signed = [draft.pk for draft in drafts if not draft.uploaded]
    newest = ReportVersion.objects.filter(draft=OuterRef("draft")).order_by("-number").values("number")[:1]
    latest = {version.draft_id: version for version in ReportVersion.objects.filter(
        draft_id__in=signed, number=Subquery(newest))} if signed else {}
    return {draft.pk: uploaded_report(draft) if draft.uploaded
            else Report.from_flat(latest[draft.pk].flat) if draft.pk in latest else None for draft in drafts}


def previous_report(agency: Agency, year: int) -> tuple[Report | None, str]:
    """Last year's report of the agency for X1/X2 and the 同比 sentences, and where it comes from: uploaded or
    signed first; else compiled from the ledger when the ledger reaches back into that year; else none."""
    return previous_reports([agency], year)[agency.pk]


def previous_reports(agencies: list[Agency], year: int) -> dict[int, tuple[Report | None, str]]:
    """``previous_report`` of each agency (by id), read and compiled together (``compile_reports``)."""
    before = year - 1
    drafts = {draft.agency_id: draft for draft in ReportDraft.objects.filter(agency__in=agencies, year=before)}
    stored = stored_reports(list(drafts.values()))
    found: dict[int, tuple[Report | None, str]] = {}
    for pk, draft in drafts.items():
        if stored[draft.pk] is not None:
            found[pk] = stored[draft.pk], ("上传的已发布报告" if draft.uploaded else "已签发的报告")
    rest = [agency for agency in agencies if agency.pk not in found]
    if before >= FIRST_YEAR and rest:
        reaching = set(Agency.objects.filter(pk__in=[agency.pk for agency in rest]).filter(Exists(
            Request.objects.filter(agency=OuterRef("pk"), received_on__lte=date(before, 12, 31))))
            .values_list("pk", flat=True))
        for pk, report in compile_reports([agency for agency in rest if agency.pk in reaching], before).items():
            found[pk] = report, "本系统台账编制"
    return {agency.pk: found.get(agency.pk, (None, "")) for agency in agencies}


def generated_texts(agency: Agency, year: int, report: Report, previous: Report | None) -> dict[str, str]:
    """The draft texts of sections 一、五、六 written from the figures (``gongkai.report.drafting``)."""
    fees = processing_fees_collected([agency.pk], year).get(SUBTREE, Decimal(0))
    return draft_texts(report, Decimal(fees), previous, government=is_government(agency))


def findings(report: Report, previous: Report | None) -> list[Finding]:
    return check(report, previous)


@dataclass(frozen=True)
class FindingRow:
    rule: str
    severity: str
    message_zh: str
    title: str  # what the rule checks


def finding_rows(found: list[Finding]) -> list[FindingRow]:
    """Findings as the panel lists them: errors first, each with what its rule checks."""
    ordered = sorted(found, key=lambda f: f.severity != "error")
    return [FindingRow(f.rule, f.severity, f.message_zh, RULES.get(f.rule, ("",))[0]) for f in ordered]


def blocking(found: list[Finding]) -> list[Finding]:
    """What stops a 签发: a placeholder of the draft left unfilled (D1) and every error of R1–R6."""
    return [f for f in found if f.severity == "error" and (f.rule == "D1" or f.rule.startswith("R"))]


@transaction.atomic
def sign(draft: ReportDraft, user, report: Report) -> ReportVersion:
    """签发: the report as it stands becomes version 1 and the draft is locked."""
    draft.signed_by, draft.signed_at = user, timezone.now()
    draft.save()
    return ReportVersion.objects.create(draft=draft, number=1, reason=ReportVersion.Reason.SIGNED,
                                        flat=report.flat(), created_by=user)


def sync_versions(draft: ReportDraft, user=None) -> ReportVersion | None:
    """After 签发: compile the agency-year again and keep it as a new version if the ledger changed it.  Returns
    the new version, or ``None`` when the report is unchanged (or not signed)."""
    if not draft.signed or draft.uploaded:
        return None
    with transaction.atomic():
        locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
        latest = latest_version(locked)
        now = compile_report(locked.agency, locked.year)
        if latest is not None:
            signed = Report.from_flat(latest.flat)
            now.texts.update(signed.texts)  # the signed texts stay as signed
            now.published = signed.published
            if diff_reports(latest.flat, now).empty:
                return None
        return ReportVersion.objects.create(
            draft=locked, number=(latest.number if latest else 0) + 1, reason=ReportVersion.Reason.LEDGER_CHANGED,
            flat=now.flat(), created_by=user if user is not None and user.is_authenticated else None)


@dataclass(frozen=True)
class VersionEntry:
    version: ReportVersion
    diff: ReportDiff | None  # against the version before; None for version 1

    @property
    def diff_html(self) -> str:
        """The diff as escaped HTML (``versions.diff_html`` escapes every text)."""
        return diff_html(self.diff) if self.diff is not None else ""


def version_history(draft: ReportDraft) -> list[VersionEntry]:
    versions = list(draft.versions.order_by("number"))
    entries = []
    for before, version in zip([None, *versions], versions, strict=False):
        diff = None if before is None else diff_reports(before.flat, version.flat, old_label=f"第{before.number}版",
                                                        new_label=f"第{version.number}版")
        entries.append(VersionEntry(version, diff))
    return entries


def current_report(agency: Agency, year: int, draft: ReportDraft | None, user=None) -> Report:
    """What the workspace shows and exports: the uploaded report, the latest version of a signed report (after
    recording any change of the ledger as a new version), else the compile with the draft's texts."""
    if draft is not None and draft.uploaded:
        report = uploaded_report(draft)
        if report is not None:
            return report
    if draft is not None and draft.signed:
        sync_versions(draft, user)
        report = Report.from_flat(latest_version(draft).flat)
        report.published = draft.published_on
        return report
    report = compiled(agency, year)
    if draft is not None and draft.published_on:
        report.published = draft.published_on
    return report
