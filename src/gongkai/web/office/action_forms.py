"""The forms of the actions on a request page (``actions.py``): what each step asks the clerk, in Chinese.

Each form carries the request's ``version`` as the clerk saw it (optimistic concurrency: ``actions.perform``
refuses a stale one) and the date of the step (default today; the ledger refuses a future one).  The forms
check only what a form can (a number in range, a field filled); whether the step is lawful is the ledger's
rule, applied when it is recorded.
"""

from __future__ import annotations

from django import forms

from gongkai.ledger.deadlines import PERIODS
from gongkai.ledger.fees import FeeMethod
from gongkai.web.requests.models import FEE_METHODS, OUTCOMES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED = "请填写此项。"


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_INPUT, help_text=help_text,
                           error_messages={"required": REQUIRED, "invalid": "请按 年-月-日 填写日期。"})


def _text(label: str, rows: int = 3, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": REQUIRED})


def _doc_number() -> forms.CharField:
    return forms.CharField(label="文号", max_length=60, required=False, help_text="可留空，打印后手填。")


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    occurred_on = _date("日期")

    def __init__(self, *args, today=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "occurred_on" in self.fields and today is not None:
            self.fields["occurred_on"].initial = today
        for field in self.fields.values():
            field.error_messages.setdefault("required", REQUIRED)
            field.error_messages["required"] = REQUIRED


class SupplementForm(ActionForm):
    items = _text("需要补正的事项", rows=4, help_text="每行一项，写明申请人需要补充或说明的内容。")
    supplement_by = _date("补正期限", help_text="告知申请人的补正期限（不早于告知之日，条例第三十条）。")
    doc_number = _doc_number()

    def items_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip())


class SupplementReceivedForm(ActionForm):
    good_reason = forms.BooleanField(label="逾期补正，申请人有正当理由", required=False,
                                     help_text="补正期限已过时勾选：机关认可申请人的正当理由（条例第三十条）。")


class ConsultForm(ActionForm):
    THIRD_PARTY, AGENCY = "third_party", "agency"
    consultee_kind = forms.ChoiceField(label="征求对象", widget=forms.RadioSelect, initial=THIRD_PARTY, choices=[
        (THIRD_PARTY, "第三方（条例第三十二条）"), (AGENCY, "其他机关（条例第三十四条）")])
    consultee = forms.CharField(label="被征求意见方名称", max_length=200)
    doc_number = _doc_number()


class ConsultationEndedForm(ActionForm):
    note = _text("意见摘要", required=False)


class ExtensionForm(ActionForm):
    extension_days = forms.IntegerField(
        label="延长工作日数", min_value=1, max_value=PERIODS.extension, initial=PERIODS.extension,
        error_messages={"min_value": f"延长期限为 1 至 {PERIODS.extension} 个工作日。",
                        "max_value": f"延长期限最长不超过 {PERIODS.extension} 个工作日（条例第三十三条）。"})
    reasons = _text("延期理由", required=False, help_text="写入告知书：“因……，本机关不能在规定期限内作出答复。”")
    notified_on = _date("告知申请人日期", required=False, help_text="不填即批准之日。须在首个答复期限之前告知。")
    doc_number = _doc_number()


class ApproveExtensionForm(ActionForm):
    notified_on = _date("告知申请人日期", required=False, help_text="不填即批准之日。")


class FeeForm(ActionForm):
    fee_method = forms.ChoiceField(label="收费方式", choices=FEE_METHODS, widget=forms.RadioSelect,
                                   initial=FeeMethod.PER_PAGE.value)
    pages = forms.IntegerField(label="页数（按量收费）", min_value=1, required=False,
                               help_text="按件收费的件次由台账按同一申请人同月的申请自动计算。")
    delivered_on = _date("通知送达日期", required=False, help_text="不填即发出之日。")
    fee_payment = forms.CharField(label="缴纳方式", max_length=300, required=False,
                                  help_text="收款单位、账号或缴费地点。")
    doc_number = _doc_number()
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)
    quoted = forms.DecimalField(widget=forms.HiddenInput, required=False, decimal_places=2, max_digits=12)
    """The amount the clerk was shown; a notice is sent only when the amount computed again is the same."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fee_method") == FeeMethod.PER_PAGE and not cleaned.get("pages"):
            self.add_error("pages", "按量收费须填写页数。")
        if cleaned.get("fee_method") == FeeMethod.PER_REQUEST:
            cleaned["pages"] = None
        return cleaned


class FeePaidForm(ActionForm):
    amount = forms.DecimalField(label="缴费金额（元）", min_value=0.01, max_digits=10, decimal_places=2,
                                error_messages={"min_value": "缴费金额须大于 0 元。", "invalid": "请填写金额。"})
    good_reason = forms.BooleanField(label="逾期缴费，机关同意接受", required=False)


class DelayForm(ActionForm):
    reply_by = _date("延迟答复日期", help_text="告知申请人的答复日期（条例第三十五条）。")
    reasons = _text("具体情况", required=False)
    doc_number = _doc_number()


class DecideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    outcome = forms.ChoiceField(label="办理结果（年度报告表三）", choices=[("", "请选择")] + OUTCOMES,
                                error_messages={"required": "请选择办理结果。"})
    reasons = _text("具体理由", rows=4, required=False,
                    help_text="本申请的事实和理由；法律依据和标准表述由答复理由库按办理结果给出。")
    doc_number = _doc_number()


class WithdrawForm(ActionForm):
    note = _text("说明", required=False)


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    letter_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    signed_on = _date("签发日期", help_text="答复日期即签发之日（记为“作出答复”的日期）。")
    notified_on = _date("告知申请人日期", required=False, help_text="仅延期：不填即批准之日。")
