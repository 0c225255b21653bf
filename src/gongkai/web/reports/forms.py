"""The workspace's forms: the three texts (optimistic concurrency), the publication date, the upload."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.web.concurrency import VersionedForm

from .models import ReportDraft

TEXTAREA = {"rows": 12, "class": "report-text"}


class TextsForm(VersionedForm):
    class Meta:
        model = ReportDraft
        fields = ("overview", "problems", "other")
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in fields}


class PublishForm(forms.Form):
    published_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "请填写发布日期。", "invalid": "请按“年-月-日”填写日期。"})

    def __init__(self, *args, signed_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_on = signed_on

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("发布日期不能晚于今天。")
        if self.signed_on is not None and day < self.signed_on:
            raise forms.ValidationError("发布日期不能早于签发日期。")
        return day


class UploadForm(forms.Form):
    document = forms.FileField(label="已发布的年度报告文件",
                               help_text="PDF、Word（DOCX/DOC）、网页（HTML）、Excel（XLSX）或文本文件。",
                               error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。",
                                               "invalid": "未收到文件，请重新选择。"})
    year = forms.IntegerField(label="报告年度", required=False, min_value=2000, max_value=2100,
                              help_text="不填则从文件中读取。",
                              error_messages={"invalid": "请填写四位数的年份。", "min_value": "年份不早于2000年。",
                                              "max_value": "年份不晚于2100年。"})
    published_on = forms.DateField(label="发布日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="不填则从文件中读取。",
                                   error_messages={"invalid": "请按“年-月-日”填写日期。"})

    def clean_published_on(self):
        day = self.cleaned_data.get("published_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("发布日期不能晚于今天。")
        return day
