"""The annual report screens: the workspace of an agency-year (compile, texts, findings, preview, exports, 签发,
publication, versions), the upload of a published report, the supervisor's overview.

Who may do what is ``accounts/access.py``'s: the agency's office staff and head edit, only its office head signs,
a supervisor reads its subtree; an agency the user does not see is a 404, a change the user may not make to an
agency they see is a 403 (as everywhere: the authorization matrix's rules).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from gongkai.render import WRITERS
from gongkai.render.html_document import html_document
from gongkai.report.publication import ARTICLE
from gongkai.report.rules import RULES
from gongkai.web.accounts.access import (
    EDITORS,
    decides_as_head,
    editable_agency_ids,
    profile_of,
    visible_agency_ids,
)
from gongkai.web.agencies.models import Agency
from gongkai.web.concurrency import STALE_MESSAGE, StaleEdit
from gongkai.web.office.rows import role_label, shows_agency

from . import workspace
from .compile import FIRST_YEAR
from .forms import PublishForm, TextsForm, UploadForm
from .models import ReportDraft
from .overview import aggregated_report, figures, overview_context
from .upload import UploadRefused, read_upload

EXPORTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _base(request, **context) -> dict:
    return {"role": role_label(request.user), "show_agency": shows_agency(request.user), "nav": "reports", **context}


def _agency(request) -> Agency:
    """The agency the page is about: ``?agency=`` if the user sees it (else 404), otherwise the user's own."""
    visible = visible_agency_ids(request.user)
    wanted = request.GET.get("agency") or request.POST.get("agency")
    if wanted:
        if not str(wanted).isdigit() or (visible is not None and int(wanted) not in visible):
            raise Http404("没有这个机关，或您无权查看。")
        return get_object_or_404(Agency, pk=int(wanted))
    profile = profile_of(request.user)
    if profile is None or profile.agency is None:
        raise Http404("请从年度报告总览中选择机关。")
    return profile.agency


def _may_edit(user, agency: Agency) -> bool:
    ids = editable_agency_ids(user)
    return ids is None or agency.pk in ids


def _may_sign(user, agency: Agency) -> bool:
    """The 签发 of the agency's report, as of a 答复书 on the request page: by someone of the agency's own office
    (an administrator without a profile in it signs for no agency) who takes the head's decisions."""
    profile = profile_of(user)
    return (profile is not None and profile.role in EDITORS and profile.agency_id == agency.pk
            and decides_as_head(user))


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404("没有这个报告年度。")


def _workspace_url(agency: Agency, year: int, request) -> str:
    url = reverse("reports:workspace", args=[year])
    own = profile_of(request.user)
    return url if own is not None and own.agency_id == agency.pk else f"{url}?agency={agency.pk}"


@login_required
def index(request):
    if profile_of(request.user) is None or shows_agency(request.user):
        return redirect("reports:overview")
    return redirect("reports:workspace", year=timezone.localdate().year - 1)


@login_required
def report_workspace(request, year: int, bound_form: TextsForm | None = None):
    """The workspace; ``bound_form``: the texts a refused save brings back, with its errors."""
    _check_year(year)
    agency = _agency(request)
    draft = ReportDraft.objects.filter(agency=agency, year=year).select_related("signed_by").first()
    editable = _may_edit(request.user, agency)
    years = sorted({*range(max(FIRST_YEAR, timezone.localdate().year - 4), timezone.localdate().year + 1),
                    *ReportDraft.objects.filter(agency=agency).values_list("year", flat=True)}, reverse=True)
    context = _base(request, agency=agency, year=year, draft=draft, years=years, editable=editable,
                    agency_query="" if _workspace_url(agency, year, request).endswith("/") else f"?agency={agency.pk}",
                    status=workspace.status_of(draft), rules=RULES, article=ARTICLE)
    if year < FIRST_YEAR and not (draft and draft.uploaded):
        return render(request, "reports/workspace.html", {**context, "too_early": True})
    report = workspace.current_report(agency, year, draft, request.user)
    previous, previous_source = workspace.previous_report(agency, year)
    generated = None
    if draft is None or not any(getattr(draft, name) for name in workspace.TEXT_FIELDS) \
            or request.GET.get("regenerate"):
        generated = workspace.generated_texts(agency, year, report, previous)
        if not (draft and draft.signed) and not (draft and draft.uploaded):
            report.texts.update(generated)  # the preview and the findings read the draft the form shows
    found = workspace.findings(report, previous)
    blocking = workspace.blocking(found)
    locked = draft is not None and (draft.signed or draft.uploaded)
    form = None
    if bound_form is not None:
        form = bound_form
    elif editable and not locked:
        form = TextsForm(instance=draft or ReportDraft(agency=agency, year=year), initial=generated or None)
    publication = workspace.publication(draft, agency, year)
    context.update(
        report=report, previous=previous, previous_source=previous_source,
        findings=workspace.finding_rows(found), show_previous_note=True, blocking=blocking,
        errors=sum(f.severity == "error" for f in found), warnings=sum(f.severity == "warning" for f in found),
        form=form, generated=generated is not None, locked=locked, publication=publication,
        can_sign=draft is not None and not locked and _may_sign(request.user, agency),
        head_of_agency=_may_sign(request.user, agency),
        publish_form=PublishForm() if editable and draft and draft.signed and not draft.uploaded else None,
        versions=workspace.version_history(draft) if draft and draft.signed else [],
        exports=[(name, name.upper()) for name in EXPORTS],
        key_figures=list(zip(("本年新收申请", "办结"), figures(report)[0:3:2], strict=True)),
        texts=[(key, report.template.section(key).heading, report.texts.get(key) or "")
               for key in workspace.TEXT_FIELDS],
    )
    return render(request, "reports/workspace.html", context)


def _editable_draft(request, year: int) -> tuple[Agency, ReportDraft | None]:
    _check_year(year)
    agency = _agency(request)
    if not _may_edit(request.user, agency):
        raise PermissionDenied("您无权修改这个机关的年度报告（监督人员为只读）。")
    return agency, ReportDraft.objects.filter(agency=agency, year=year).first()


@login_required
@require_POST
def save_texts(request, year: int):
    agency, draft = _editable_draft(request, year)
    back = _workspace_url(agency, year, request)
    if draft is not None and (draft.signed or draft.uploaded):
        messages.error(request, "该年度报告已签发（或为上传的已发布报告），正文不能再修改。")
        return redirect(back)
    form = TextsForm(request.POST, instance=draft or ReportDraft(agency=agency, year=year))
    try:
        with transaction.atomic():
            if form.is_valid():
                form.save()
                messages.success(request, "正文已保存。")
                return redirect(back)
    except StaleEdit:
        form.add_error(None, STALE_MESSAGE)
    # the typed texts come back in the form, with the reason, so that nothing the clerk wrote is lost
    return report_workspace(request, year, bound_form=form)


@login_required
@require_POST
def sign(request, year: int):
    agency, draft = _editable_draft(request, year)
    back = _workspace_url(agency, year, request)
    if not _may_sign(request.user, agency):
        raise PermissionDenied("只有本机关公开办负责人可以签发年度报告。")
    if draft is None or draft.signed or draft.uploaded:
        messages.error(request, "请先保存年度报告正文；已签发的报告不能重复签发。")
        return redirect(back)
    report = workspace.compiled(agency, year)
    previous, _ = workspace.previous_report(agency, year)
    blocking = workspace.blocking(workspace.findings(report, previous))
    if blocking:
        messages.error(request, f"还有{len(blocking)}个问题须先处理，未签发：" + "；".join(f.message_zh for f in blocking[:3]))
        return redirect(back)
    if str(draft.version) != request.POST.get("edit_version"):
        messages.error(request, STALE_MESSAGE)
        return redirect(back)
    workspace.sign(draft, request.user, report)
    messages.success(request, f"{year}年度报告已签发，该年度数据已锁定：此后台账的变更将形成新的报告版本。")
    return redirect(back)


@login_required
@require_POST
def publish(request, year: int):
    agency, draft = _editable_draft(request, year)
    back = _workspace_url(agency, year, request)
    if draft is None or not draft.signed or draft.uploaded:
        messages.error(request, "年度报告须先签发，才能登记发布。")
        return redirect(back)
    form = PublishForm(request.POST, signed_on=timezone.localdate(draft.signed_at))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    draft.published_on = form.cleaned_data["published_on"]
    try:
        draft.save()
    except StaleEdit:
        messages.error(request, STALE_MESSAGE)
        return redirect(back)
    messages.success(request, "已登记发布。" + workspace.publication(draft, agency, year).message_zh)
    return redirect(back)


def _report_for_output(request, year: int):
    _check_year(year)
    agency = _agency(request)
    draft = ReportDraft.objects.filter(agency=agency, year=year).first()
    if year < FIRST_YEAR and not (draft and draft.uploaded):
        raise Http404("2021年以前的年度报告无法由台账编制。")
    report = workspace.current_report(agency, year, draft, request.user)
    if not (draft and (draft.signed or draft.uploaded)) and not any(
            getattr(draft, name, "") for name in workspace.TEXT_FIELDS):
        previous, _ = workspace.previous_report(agency, year)
        report.texts.update(workspace.generated_texts(agency, year, report, previous))
    return agency, report


@login_required
@xframe_options_sameorigin
def preview(request, year: int):
    _, report = _report_for_output(request, year)
    return HttpResponse(html_document(report), content_type="text/html; charset=utf-8")


@login_required
def export(request, year: int, fmt: str):
    if fmt not in EXPORTS:
        raise Http404("不支持的导出格式。")
    agency, report = _report_for_output(request, year)
    response = HttpResponse(WRITERS[fmt].render(report), content_type=EXPORTS[fmt])
    name = f"{agency.name}{year}年政府信息公开工作年度报告{WRITERS[fmt].suffix}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def upload(request):
    profile = profile_of(request.user)
    if profile is None or not _may_edit(request.user, profile.agency):
        raise PermissionDenied("只有机关公开办工作人员可以上传本机关的年度报告。")
    agency = profile.agency
    context = _base(request, agency=agency)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method != "POST" or not form.is_valid():
        return render(request, "reports/upload.html", {**context, "form": form})
    try:
        extraction = read_upload(form.cleaned_data["document"])
    except UploadRefused as refused:
        form.add_error("document", refused.message)
        return render(request, "reports/upload.html", {**context, "form": form})
    report = extraction.report
    year = form.cleaned_data.get("year") or report.year
    if year is None:
        form.add_error("year", "未能从文件中读出报告年度，请填写“报告年度”后重新上传。")
    elif report.year is not None and form.cleaned_data.get("year") and report.year != year:
        form.add_error("year", f"文件中的报告年度是{report.year}年，与填写的{year}年不一致。")
    elif year >= timezone.localdate().year:
        form.add_error("year", "只能上传已经结束的年度的报告。")
    if form.errors:
        return render(request, "reports/upload.html", {**context, "form": form})
    report.year = year
    report.published = form.cleaned_data.get("published_on") or report.published
    existing = ReportDraft.objects.filter(agency=agency, year=year).first()
    if existing is not None and existing.signed:
        form.add_error(None, f"{year}年度报告已在本系统签发，不能用上传的报告替换。")
        return render(request, "reports/upload.html", {**context, "form": form})
    previous, previous_source = workspace.previous_report(agency, year)
    found = extraction.check(previous)
    draft = existing or ReportDraft(agency=agency, year=year)
    draft.source = ReportDraft.Source.UPLOADED
    draft.published_report = report.flat()
    draft.published_on = report.published
    draft.uploaded_name = (form.cleaned_data["document"].name or "")[:255]
    try:
        draft.save()
    except StaleEdit:
        form.add_error(None, STALE_MESSAGE)
        return render(request, "reports/upload.html", {**context, "form": form})
    context.update(form=UploadForm(), saved=draft, report=report, findings=workspace.finding_rows(found),
                   show_previous_note=True, previous_source=previous_source,
                   errors=sum(f.severity == "error" for f in found), rules=RULES,
                   warnings=sum(f.severity == "warning" for f in found),
                   other_agency=report.agency and report.agency != agency.name,
                   publication=workspace.publication(draft, agency, year))
    return render(request, "reports/upload.html", context)


@login_required
def overview(request):
    if not shows_agency(request.user):
        raise Http404("年度报告总览供监督人员查看下属各机关。")
    context = overview_context(request.user, request.GET.get("year"), request.GET.get("root"))
    return render(request, "reports/overview.html", _base(request, **context))


@login_required
def aggregate_export(request, year: int, fmt: str):
    """The subtree's aggregated report, for a supervisor."""
    if not shows_agency(request.user) or fmt not in EXPORTS:
        raise Http404("没有这个导出。")
    report = aggregated_report(request.user, year, request.GET.get("root"))
    response = HttpResponse(WRITERS[fmt].render(report), content_type=EXPORTS[fmt])
    name = f"{report.agency}（含下属机关）{year}年政府信息公开工作年度报告汇总{WRITERS[fmt].suffix}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
