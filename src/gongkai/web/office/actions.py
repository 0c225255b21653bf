"""The actions on a request page: one button per next lawful step, each a form, an event and its letter.

Which steps are offered is the ledger's answer (``gongkai.ledger.next_steps.lawful_next_steps``); the event is
recorded by ``requests.timeline.record_event``, whose ``check_timeline`` applies the same rule to the real
details.  Each step runs in one transaction that first claims the request's version (optimistic concurrency:
a clerk whose page is older than the last recorded step gets the form back with a message, nothing lost) and
then records the event and makes its letter; a letter that cannot be made (``LetterDataError``, e.g. a due date
in a year whose holiday schedule is not loaded) undoes the event.

Two steps wait for the office head (条例第三十三条第二款, and 签发 of every 答复书): a clerk's 延期 is a proposal
and a 答复 is a draft 答复书, kept as a ``Letter`` in status draft; the head's approval or 签发 (``sign``) records
the event — a decision dated the day it is signed — and renders the letter final.  Only the handling agency's
staff and head act; a supervisor reads; another agency's request is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.calendar import WorkCalendar
from gongkai.ledger import events as ledger
from gongkai.ledger.deadlines import PERIODS, working_days_after
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.next_steps import NextStep, lawful_next_steps
from gongkai.ledger.timeline import RequestState, Status, derive_state
from gongkai.letters import LetterDataError, LetterKind
from gongkai.web.accounts.access import EDITORS, may_record, profile_of
from gongkai.web.letters.issuing import discard, letter_text, make_letter, pending_drafts, sign
from gongkai.web.letters.models import Letter
from gongkai.web.requests.events import EventKind, ledger_event, ledger_events
from gongkai.web.requests.models import Request
from gongkai.web.requests.timeline import record_event

from . import action_forms as f
from .labels import OUTCOME_LABELS
from .rows import role_label, visible_requests

PAUSED = {Status.CONSULTING, Status.AWAITING_PAYMENT}
PAUSED_EXTENSION = ("答复期限正在暂停计时（征求意见或待缴费），延长后的答复期限尚不能确定：请在暂停结束后办理延期"
                    "（条例第三十三条）。")
STALE = "此申请在您打开页面后已有新的办理记录，您的操作未保存。请核对下方最新情况后重新提交（您填写的内容已保留）。"


@dataclass(frozen=True)
class Action:
    key: str
    step: NextStep
    label: str
    form: type
    perform: Callable
    hint: str = ""


def may_act(user, found: Request) -> bool:
    """Office staff and heads of the handling agency."""
    profile = profile_of(user)
    return profile is not None and profile.role in EDITORS and profile.agency_id == found.agency_id


def _calendar() -> WorkCalendar:
    return WorkCalendar.from_directory()


def _claim(found: Request, seen: int) -> None:
    """Take the request's next version, or refuse: another step was recorded since the page was opened."""
    claimed = Request.objects.filter(pk=found.pk, version=seen).update(version=F("version") + 1)
    if not claimed:
        raise ValidationError(STALE, code="stale")
    found.version = seen + 1


def _letter(found, kind, user, issued, *, event=None, doc_number="", draft=False, details=None, **fields):
    try:
        return make_letter(found, kind, user=user, issued=issued, event=event, doc_number=doc_number, draft=draft,
                           details=details, **fields)
    except LetterDataError as error:
        raise ValidationError(f"文书无法生成：{error}") from None


def sentence(text: str) -> str:
    """Free text printed as a sentence of its own (具体理由：…。): ends with a full stop."""
    text = text.strip()
    return text + "。" if text and text[-1] not in "。！？；.!?" else text


def clause(text: str) -> str:
    """Free text printed inside a sentence (因…，本机关…): no closing punctuation of its own."""
    return text.strip().rstrip("。；;，,.")


# -- the steps ----------------------------------------------------------------------------------------------------

def _supplement(found, data, user, form):
    event = record_event(found, EventKind.SUPPLEMENT_REQUESTED, data["occurred_on"],
                         supplement_by=data["supplement_by"])
    return _letter(found, LetterKind.SUPPLEMENT, user, data["occurred_on"], event=event,
                   doc_number=data["doc_number"], supplement_items=form.items_list(),
                   supplement_deadline=data["supplement_by"])


def _supplement_received(found, data, user, form):
    record_event(found, EventKind.SUPPLEMENT_RECEIVED, data["occurred_on"], good_reason=data["good_reason"])


def _consult(found, data, user, form):
    event = record_event(found, EventKind.CONSULTATION_STARTED, data["occurred_on"],
                         note=f"征求意见：{data['consultee']}")
    # the consultee's 15 WD, as the ledger counts them for this consultation (条例第三十二、三十四条)
    ends_by = working_days_after(data["occurred_on"], PERIODS.consultation, calendar=_calendar())
    kind = (LetterKind.CONSULTATION_THIRD_PARTY if data["consultee_kind"] == f.ConsultForm.THIRD_PARTY
            else LetterKind.CONSULTATION_AGENCY)
    return _letter(found, kind, user, data["occurred_on"], event=event, doc_number=data["doc_number"],
                   consultee=data["consultee"], consultation_due=ends_by)


def _consultation_ended(found, data, user, form):
    record_event(found, EventKind.CONSULTATION_ENDED, data["occurred_on"], note=data["note"])


def _as_if(found: Request, event) -> RequestState:
    """The state the ledger derives with ``event`` appended (``ValidationError`` if its rule refuses it)."""
    today = timezone.localdate()
    try:
        return derive_state([*ledger_events(found), event], today=today, calendar=_calendar())
    except (LedgerError, ValueError) as error:
        raise ValidationError(str(error)) from None


def _extension_counts(state: RequestState) -> RequestState:
    if state.extension_days == 0:  # approved or notified after the first deadline: the ledger does not count it
        raise ValidationError("；".join(state.warnings[-1:]) or "延期晚于首个答复期限，不能批准（条例第三十三条）")
    if state.reply_due is None:
        raise ValidationError(PAUSED_EXTENSION)
    return state


def _approve_extension(found, *, user, on: date, days: int, notified_on, reasons: str, doc_number: str,
                       draft: Letter | None = None):
    event = record_event(found, EventKind.EXTENSION_APPROVED, on, extension_days=days, notified_on=notified_on,
                         note=f"批准人：{user.get_username()}")
    state = _extension_counts(found.state())
    fields = {"extension_days": days, "new_due": state.reply_due, "reasons": reasons}
    if draft is not None:
        try:
            return sign(draft, user=user, issued=on, event=event, **fields)
        except LetterDataError as error:
            raise ValidationError(f"文书无法生成：{error}") from None
    return _letter(found, LetterKind.EXTENSION, user, on, event=event, doc_number=doc_number, **fields)


def _extension(found, data, user, form):
    if may_record(user, EventKind.EXTENSION_APPROVED):
        return _approve_extension(found, user=user, on=data["occurred_on"], days=data["extension_days"],
                                  notified_on=data["notified_on"], reasons=clause(data["reasons"]),
                                  doc_number=data["doc_number"])
    if pending_drafts(found).filter(kind=LetterKind.EXTENSION).exists():
        raise ValidationError("已有待负责人批准的延期申请。")
    # a proposal: checked now by the same rule, as if approved today; recorded only when the head approves
    today = timezone.localdate()
    probe = _as_if(found, ledger.ExtensionApproved(today, working_days=data["extension_days"],
                                                   notified_on=data["notified_on"]))
    _extension_counts(probe)
    return _letter(found, LetterKind.EXTENSION, user, today, draft=True,
                   doc_number=data["doc_number"], extension_days=data["extension_days"],
                   new_due=probe.reply_due, reasons=clause(data["reasons"]),
                   details={"extension_days": data["extension_days"], "reasons": clause(data["reasons"]),
                            "proposed_on": data["occurred_on"].isoformat()})


def _fee(found, data, user, form):
    event = record_event(found, EventKind.FEE_NOTICE_SENT, data["occurred_on"], fee_method=data["fee_method"],
                         fee_units=data["pages"], delivered_on=data["delivered_on"])
    quote = ledger_event(event).quote
    if not data.get("confirmed") or data.get("quoted") != quote.total:
        form.quote = quote  # shown to the clerk, who confirms; the transaction is undone
        raise ValidationError("请核对收费金额后确认发出。", code="confirm")
    state = found.state()
    return _letter(found, LetterKind.FEE, user, data["occurred_on"], event=event, doc_number=data["doc_number"],
                   fee=quote, fee_due=state.fee_payment_due, fee_payment=data["fee_payment"])


def _fee_paid(found, data, user, form):
    record_event(found, EventKind.FEE_PAID, data["occurred_on"], amount=data["amount"],
                 good_reason=data["good_reason"])


def _delay(found, data, user, form):
    event = record_event(found, EventKind.DELAYED_REPLY, data["occurred_on"], reply_by=data["reply_by"])
    state = found.state()
    if state.delayed_to != data["reply_by"]:
        raise ValidationError("；".join(state.warnings[-1:]) or "延迟答复未被台账采纳（条例第三十五条）")
    return _letter(found, LetterKind.DELAY, user, data["occurred_on"], event=event, doc_number=data["doc_number"],
                   delay_until=state.delayed_to, reasons=sentence(data["reasons"]))


def _decide(found, data, user, form):
    if pending_drafts(found).filter(kind=LetterKind.DECISION).exists():
        raise ValidationError("已有待签发的答复书：请先签发或作废。")
    # the outcome's preconditions, checked by the rule as if decided today; recorded on 签发
    today = timezone.localdate()
    _as_if(found, ledger.Decided(today, outcome=data["outcome"]))
    return _letter(found, LetterKind.DECISION, user, today, draft=True, doc_number=data["doc_number"],
                   outcome=data["outcome"], reasons=sentence(data["reasons"]),
                   details={"outcome": data["outcome"], "reasons": sentence(data["reasons"])})


def _withdraw(found, data, user, form):
    record_event(found, EventKind.WITHDRAWN, data["occurred_on"], note=data["note"])


ACTIONS = [
    Action("supplement", NextStep.SUPPLEMENT_REQUESTED, "补正告知", f.SupplementForm, _supplement,
           "申请内容不明确：一次性告知需要补正的事项和补正期限（条例第三十条）。"),
    Action("supplement-received", NextStep.SUPPLEMENT_RECEIVED, "收到补正", f.SupplementReceivedForm,
           _supplement_received, "收到补正之日起重新计算答复期限（条例第三十条）。"),
    Action("consult", NextStep.CONSULTATION_STARTED, "征求意见", f.ConsultForm, _consult,
           "征求第三方或其他机关意见，所需时间不计入答复期限；被征求方应在15个工作日内答复。"),
    Action("consultation-ended", NextStep.CONSULTATION_ENDED, "征求意见结束", f.ConsultationEndedForm,
           _consultation_ended, "收到意见之日起恢复计算答复期限。"),
    Action("extension", NextStep.EXTENSION_APPROVED, "延期", f.ExtensionForm, _extension,
           "经政府信息公开工作机构负责人同意，延长不超过20个工作日，并在首个答复期限前告知申请人（条例第三十三条）。"),
    Action("fee", NextStep.FEE_NOTICE_SENT, "收费通知", f.FeeForm, _fee,
           "数量、频次明显超过合理范围的，按办法收取信息处理费；金额由台账计算，确认后发出。"),
    Action("fee-paid", NextStep.FEE_PAID, "缴纳费用", f.FeePaidForm, _fee_paid, "申请人缴费之日起恢复计算答复期限。"),
    Action("delay", NextStep.DELAYED_REPLY, "延迟答复", f.DelayForm, _delay,
           "申请数量、频次明显超过合理范围且理由合理的，确定延迟答复的合理期限并告知申请人（条例第三十五条）。"),
    Action("decide", NextStep.DECIDED, "答复", f.DecideForm, _decide,
           "选择办理结果，生成答复书草稿；经负责人签发后答复并办结。"),
    Action("withdraw", NextStep.WITHDRAWN, "申请人撤回", f.WithdrawForm, _withdraw, "申请人撤回申请，办结。"),
]
BY_KEY = {action.key: action for action in ACTIONS}


def lawful_steps(found: Request, today: date, calendar: WorkCalendar, events=None) -> set[NextStep]:
    """``events``: the request's ledger events when the page has read them already."""
    return set(lawful_next_steps(ledger_events(found) if events is None else events, today=today,
                                 calendar=calendar))


def available_actions(user, found: Request, today: date, calendar: WorkCalendar,
                      lawful: set[NextStep] | None = None, drafts: set[str] | None = None) -> list[Action]:
    """``drafts``: the kinds of the request's letters awaiting 签发, when the page has them already."""
    if not may_act(user, found):
        return []
    lawful = lawful_steps(found, today, calendar) if lawful is None else lawful
    drafts = set(pending_drafts(found).values_list("kind", flat=True)) if drafts is None else drafts
    waiting = {NextStep.EXTENSION_APPROVED: LetterKind.EXTENSION, NextStep.DECIDED: LetterKind.DECISION}
    return [action for action in ACTIONS if action.step in lawful and waiting.get(action.step) not in drafts]


def _paused(found: Request, today: date, calendar: WorkCalendar) -> bool:
    return found.state(today=today, calendar=calendar).status in PAUSED


def proposal_label(user, action: Action) -> str:
    """The button's and the form's title: a 延期 by whoever may not approve it is a proposal to the head."""
    if action.step == NextStep.EXTENSION_APPROVED and not may_record(user, EventKind.EXTENSION_APPROVED):
        return "延期（报负责人批准）"
    return action.label


def labelled(letters) -> list[Letter]:
    """The letters with their outcome as the screens name it (予以公开, 不予公开：…), not table 3's full row label."""
    letters = list(letters)
    for letter in letters:
        letter.outcome_label = OUTCOME_LABELS.get(letter.outcome or "", "")
    return letters


def workflow_context(request, found: Request, today: date, calendar: WorkCalendar, events=None) -> dict:
    """The action buttons, the drafts awaiting the head, the letters kept, for the request page (``events``: the
    request's ledger events when the page has read them already)."""
    acting = may_act(request.user, found)
    letters = labelled(found.letters.defer("docx", "pdf").select_related("created_by", "signed_by"))
    waiting_pks = [letter.pk for letter in letters if letter.status == Letter.Status.DRAFT]
    drafts = [{"letter": letter, "text": letter_text(bytes(letter.docx))} for letter in labelled(
        found.letters.filter(pk__in=waiting_pks).select_related("created_by"))] if waiting_pks else []
    just_made = None
    if (number := request.GET.get("letter", "")).isdecimal():
        just_made = next((letter for letter in letters if letter.pk == int(number) and not letter.is_draft), None)
    lawful = lawful_steps(found, today, calendar, events) if acting else set()
    actions = [replace(action, label=proposal_label(request.user, action)) for action in available_actions(
        request.user, found, today, calendar, lawful, {draft["letter"].kind for draft in drafts})]
    approving = acting and may_record(request.user, EventKind.EXTENSION_APPROVED)
    may_approve = approving and NextStep.EXTENSION_APPROVED in lawful
    waiting = any(draft["letter"].kind == LetterKind.EXTENSION for draft in drafts)
    return {"actions": actions, "may_act": acting,
            "may_sign": acting and may_record(request.user, EventKind.DECIDED), "may_approve": may_approve,
            "approval_paused": approving and waiting and not may_approve and _paused(found, today, calendar),
            "drafts": drafts, "letters": letters,
            "may_download": acting, "just_made": just_made if acting else None}


# -- views --------------------------------------------------------------------------------------------------------

def _acting_on(request, pk: int) -> Request:
    found = get_object_or_404(visible_requests(request.user).select_related("agency", "applicant"), pk=pk)
    if not may_act(request.user, found):
        raise PermissionDenied("只有办理机关的公开办工作人员和负责人可以办理此申请。")
    return found


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields and field != "__all__" else None, messages_)
    else:
        form.add_error(None, error.messages)


def _with_version(form, version: int) -> None:
    """Keep what the clerk typed, with the request's current version: checked, it can be sent again."""
    form.data = form.data.copy()
    form.data["version"] = str(version)


def _page(request, found, action_label, hint, form, template_extra=None):
    return render(request, "office/action.html", {
        "role": role_label(request.user), "show_agency": False, "nav": "requests", "may_register": True,
        "found": found,
        "action_label": action_label, "hint": hint, "form": form, **(template_extra or {})})


@login_required
def act(request, pk: int, key: str):
    action = BY_KEY.get(key)
    if action is None:
        raise Http404("没有这项操作。")
    found = _acting_on(request, pk)
    today = timezone.localdate()
    if action.step not in {a.step for a in available_actions(request.user, found, today, _calendar())}:
        messages.error(request, f"此申请当前不能“{action.label}”。")
        return redirect("office:request", pk=found.pk)
    form = action.form(request.POST or None, today=today, initial={"version": found.version}) \
        if action.form is not f.DecideForm else f.DecideForm(request.POST or None, initial={"version": found.version})
    label = proposal_label(request.user, action)
    if request.method == "POST" and form.is_valid():
        letter = None
        try:
            with transaction.atomic():
                _claim(found, form.cleaned_data["version"])
                letter = action.perform(found, form.cleaned_data, request.user, form)
        except ValidationError as error:
            found.refresh_from_db()
            if getattr(error, "code", None) == "stale" or error.messages == [STALE]:
                _with_version(form, found.version)
            if getattr(form, "quote", None) is not None:  # the fee: shown, to be confirmed
                _with_version(form, found.version)
                form.data["confirmed"] = "True"
                form.data["quoted"] = str(form.quote.total)
                return _page(request, found, label, action.hint, form, {"quote": form.quote})
            _apply_errors(form, error)
        else:
            for warning in found.state().warnings[-1:]:
                messages.warning(request, warning)
            target = reverse("office:request", args=[found.pk])
            if letter is not None and not letter.is_draft:
                return redirect(f"{target}?letter={letter.pk}")
            if letter is not None:
                messages.success(request, f"{letter.name}草稿已提交，待负责人{'批准' if key == 'extension' else '签发'}。")
            else:
                messages.success(request, f"已记录“{action.label}”。")
            return redirect(target)
    return _page(request, found, label, action.hint, form)


@login_required
def sign_letter(request, pk: int, letter_pk: int):
    """The head's 签发 of a 答复书 (records the decision, dated the signing day) or approval of an extension."""
    found = _acting_on(request, pk)
    letter = get_object_or_404(Letter, pk=letter_pk, request=found, status=Letter.Status.DRAFT)
    if not may_record(request.user, EventKind.EXTENSION_APPROVED if letter.kind == LetterKind.EXTENSION
                      else EventKind.DECIDED):
        raise PermissionDenied("只有公开办负责人可以签发文书、批准延期。")
    today = timezone.localdate()
    if letter.kind == LetterKind.EXTENSION and NextStep.EXTENSION_APPROVED not in lawful_steps(found, today,
                                                                                            _calendar()):
        why = (PAUSED_EXTENSION if _paused(found, today, _calendar())
               else "答复期限只能延长一次，已办结的申请也不再延期（条例第三十三条）。")
        messages.error(request, f"此申请当前不能批准延期：{why}")
        return redirect("office:request", pk=found.pk)
    form = f.SignForm(request.POST or None, initial={"version": found.version, "letter_version": letter.version,
                                                     "signed_on": today})
    label = "批准延期" if letter.kind == LetterKind.EXTENSION else "签发答复书"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                _claim(found, data["version"])
                if Letter.objects.filter(pk=letter.pk, version=data["letter_version"]).count() != 1:
                    raise ValidationError(STALE, code="stale")
                letter.version = data["letter_version"]
                if letter.kind == LetterKind.EXTENSION:
                    _approve_extension(found, user=request.user, on=data["signed_on"],
                                       days=letter.details["extension_days"], notified_on=data["notified_on"],
                                       reasons=letter.details.get("reasons", ""), doc_number=letter.doc_number,
                                       draft=letter)
                else:
                    event = record_event(found, EventKind.DECIDED, data["signed_on"], outcome=letter.outcome,
                                         note=f"签发人：{request.user.get_username()}")
                    try:
                        sign(letter, user=request.user, issued=data["signed_on"], event=event,
                             outcome=letter.outcome, reasons=letter.details.get("reasons", ""))
                    except LetterDataError as error:
                        raise ValidationError(f"文书无法生成：{error}") from None
        except ValidationError as error:
            found.refresh_from_db()
            letter.refresh_from_db()
            _with_version(form, found.version)
            form.data["letter_version"] = str(letter.version)
            _apply_errors(form, error)
        else:
            return redirect(f"{reverse('office:request', args=[found.pk])}?letter={letter.pk}")
    return _page(request, found, label, OUTCOME_LABELS.get(letter.outcome or "", ""), form,
                 {"draft": letter, "preview": letter_text(bytes(letter.docx))})


@login_required
def discard_letter(request, pk: int, letter_pk: int):
    """作废 a draft (the clerk's own proposal or 答复书 before 签发); POST only."""
    found = _acting_on(request, pk)
    letter = get_object_or_404(Letter, pk=letter_pk, request=found, status=Letter.Status.DRAFT)
    if request.method != "POST":
        return redirect("office:request", pk=found.pk)
    discard(letter, user=request.user)
    messages.success(request, f"{letter.name}草稿已作废。")
    return redirect("office:request", pk=found.pk)
