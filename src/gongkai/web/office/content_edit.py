"""修改申请内容: the handling office corrects what was asked for (条例第二十九条第二款第二项) after 登记.

The request's other facts are the ledger's (the receipt date and channel start the clock: 条例第三十一条) and are
not changed here.  Only the handling agency's office staff and head edit, as they act on the request
(``actions.may_act``); a supervisor reads (403), another agency's request is a 404.  The form carries the version
the clerk saw (``concurrency.VersionedForm``): an edit that starts from an older page than the last change (an
edit, or a step recorded since) comes back with what was typed and the stale-edit message, nothing overwritten.
Once the request is closed (办结, by a decision, a withdrawal or a lapse) its content is what was answered and is
not changed.  The audit log records the change, old and new text, through the model's save (``audit.recording``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.web.concurrency import STALE_MESSAGE, StaleEdit, VersionedForm
from gongkai.web.requests.models import Request

from .actions import may_act
from .rows import role_label, visible_requests

CLOSED = "此申请已办结，申请内容不能再修改。"


class ContentForm(VersionedForm):
    class Meta:
        model = Request
        fields = ["content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content"].required = True
        self.fields["content"].error_messages["required"] = "请填写申请内容。"

    def clean_content(self) -> str:
        return self.cleaned_data["content"].strip()


def _editing(request, pk: int) -> Request:
    found = get_object_or_404(visible_requests(request.user).select_related("agency", "applicant"), pk=pk)
    if not may_act(request.user, found):
        raise PermissionDenied("只有办理机关的公开办工作人员和负责人可以修改申请内容。")
    return found


def _refused_if_closed(request, found: Request):
    if found.state().closed_on is not None:
        messages.error(request, CLOSED)
        return redirect("office:request", pk=found.pk)
    return None


@login_required
def edit_content(request, pk: int):
    found = _editing(request, pk)
    if (refused := _refused_if_closed(request, found)) is not None:
        return refused
    form = ContentForm(request.POST or None, instance=found)
    if request.method == "POST":
        try:
            with transaction.atomic():
                if form.is_valid():
                    form.save()
                    messages.success(request, "已修改申请内容。")
                    return redirect("office:request", pk=found.pk)
        except StaleEdit:  # another save landed between the form's check and the write
            form = ContentForm(request.POST, instance=Request.objects.get(pk=found.pk))
            form.add_error(None, STALE_MESSAGE)
    return render(request, "office/action.html", {
        "role": role_label(request.user), "show_agency": False, "nav": "requests", "may_register": True,
        "found": found, "action_label": "修改申请内容", "form": form,
        "hint": "更正登记时记录的申请内容（申请公开的政府信息的名称、文号或者便于查询的其他特征性描述）；修改记入审计日志。"})
