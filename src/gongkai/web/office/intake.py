"""登记: a clerk registers a request from the paper or online form of 条例第二十九条.

The applicant is found among those the office already knows (registered by it, or with a request to it) or
entered anew, with the identity number checked by its standard (``gongkai.ledger.identity``, through
``Applicant.clean``).  What is asked for (申请内容), in which form (形式要求), how it came and when: the receipt
date follows ``Request.clean`` (no future date; 条例第三十一条's confirmation of a non-working day).  On save the
request, its ``received`` event and the 受理回执 are made in one transaction; the page of the new request then
offers the 回执 to print.  Only the office's staff and head register, for their own agency.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.letters import LetterDataError, LetterKind
from gongkai.web.accounts.access import EDITORS, profile_of
from gongkai.web.letters.issuing import make_letter
from gongkai.web.requests.masking import mask_id_number
from gongkai.web.requests.models import APPLICANT_TYPES, Applicant, Channel, Delivery, Medium
from gongkai.web.requests.timeline import receive

from .rows import role_label

NEW = "new"
SEARCH_SHOWN = 20
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def intake_agency(user):
    """The agency the user registers requests for: their own, if they are its office staff or head."""
    profile = profile_of(user)
    if profile is None or profile.role not in EDITORS:
        raise PermissionDenied("只有公开办工作人员和负责人可以登记申请。")
    return profile.agency


def may_register(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in EDITORS


def known_applicants(agency, query: str = ""):
    """Applicants the office knows: registered by it or with a request to it; matched by name or number."""
    applicants = Applicant.objects.filter(Q(agency=agency) | Q(requests__agency=agency)).distinct()
    if query:
        applicants = applicants.filter(Q(name__icontains=query) | Q(id_number__icontains=query)
                                       | Q(phone__icontains=query))
    return applicants.order_by("name", "pk")


class IntakeForm(forms.Form):
    applicant = forms.CharField(label="申请人", widget=forms.HiddenInput, initial=NEW, required=False)
    type = forms.ChoiceField(label="申请人类型", choices=[("", "请选择")] + APPLICANT_TYPES, required=False,
                             help_text="决定年度报告表三的栏目。")
    name = forms.CharField(label="姓名或名称", max_length=200, required=False)
    id_number = forms.CharField(label="身份证号或统一社会信用代码", max_length=40, required=False,
                                help_text="自然人填写18位身份证号，法人或其他组织填写18位统一社会信用代码。")
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    content = forms.CharField(label="申请内容", widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="申请公开的政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条）。")
    medium = forms.ChoiceField(label="信息形式", choices=Medium.choices, widget=forms.RadioSelect)
    delivery = forms.ChoiceField(label="获取方式", choices=Delivery.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label="提交方式", choices=Channel.choices)
    received_on = forms.DateField(label="收到日期", widget=DATE_INPUT)
    confirm_receipt_date = forms.BooleanField(
        label="确认收到日期", required=False,
        help_text="网络、传真、平常信函的申请在非工作日到达时，以双方确认之日为收到日期；确于所填日期确认的，请勾选（条例第三十一条）。")
    doc_number = forms.CharField(label="回执文号", max_length=60, required=False, help_text="可留空，打印后手填。")

    error_messages = {"required": "请填写此项"}

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        for field in self.fields.values():
            field.error_messages["required"] = "请填写此项。"
            field.error_messages.setdefault("invalid_choice", "请从列表中选择。")
        self.fields["received_on"].error_messages["invalid"] = "请按 年-月-日 填写日期。"
        self.fields["received_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("applicant") or NEW
        if chosen != NEW:
            found = known_applicants(self.agency).filter(pk=chosen if chosen.isdecimal() else None).first()
            if found is None:
                raise ValidationError("所选申请人不存在，请重新查找。")
            cleaned["existing"] = found
            return cleaned
        for name in ("type", "name", "id_number"):
            if not cleaned.get(name):
                self.add_error(name, "登记新申请人须填写此项。")
        if self.errors:
            return cleaned
        applicant = Applicant(agency=self.agency, type=cleaned["type"], name=cleaned["name"].strip(),
                              id_number=cleaned["id_number"], phone=cleaned.get("phone", ""),
                              address=cleaned.get("address", ""))
        try:
            applicant.full_clean(exclude=["agency"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        cleaned["new_applicant"] = applicant
        return cleaned


def register(form: IntakeForm, user):
    """The request, its receipt event and the 受理回执, in one transaction; ``ValidationError`` leaves nothing.

    Returns (request, letter, problem): a 回执 that cannot be made (its due date falls in a year whose holiday
    schedule is not loaded) does not stop the registration — the receipt date starts the clock all the same —
    and ``problem`` says why, for the clerk."""
    data = form.cleaned_data
    with transaction.atomic():
        applicant = data.get("existing")
        if applicant is None:
            applicant = data["new_applicant"]
            applicant.save()
        found = receive(form.agency, applicant, data["received_on"], data["channel"],
                        confirm_receipt_date=data["confirm_receipt_date"], content=data["content"].strip(),
                        medium=data["medium"], delivery=data["delivery"])
        state = found.state()
        try:
            with transaction.atomic():
                letter = make_letter(found, LetterKind.RECEIPT, user=user, issued=timezone.localdate(),
                                     doc_number=data["doc_number"], due=state.reply_due)
        except LetterDataError as error:  # the request is registered all the same; the clerk is told why
            return found, None, f"申请已登记，但受理回执无法生成：{error}"
    return found, letter, ""


@login_required
def intake(request):
    agency = intake_agency(request.user)
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        form = IntakeForm(request.POST, agency=agency)
        if form.is_valid():
            try:
                found, letter, problem = register(form, request.user)
            except ValidationError as error:
                for field, errors in (error.message_dict.items() if hasattr(error, "error_dict")
                                      else [(None, error.messages)]):
                    form.add_error(field if field in form.fields else None, errors)
            else:
                target = reverse("office:request", args=[found.pk])
                if letter is None:
                    messages.warning(request, problem)
                    return redirect(target)
                return redirect(f"{target}?letter={letter.pk}")
    else:
        form = IntakeForm(agency=agency, initial={"applicant": request.GET.get("applicant", NEW)})
    chosen = form["applicant"].value() or NEW
    matches = list(known_applicants(agency, query)[:SEARCH_SHOWN]) if query else []
    selected = known_applicants(agency).filter(pk=chosen).first() if chosen.isdecimal() else None
    for applicant in [*matches, selected]:  # a search result shows identity numbers masked (requests.md)
        if applicant is not None:
            applicant.masked_id = mask_id_number(applicant.id_number)
    return render(request, "office/intake.html", {
        "role": role_label(request.user), "show_agency": False, "nav": "intake", "may_register": True, "form": form, "query": query,
        "matches": matches, "selected": selected, "agency": agency})
