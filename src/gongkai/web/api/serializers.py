"""What the API reads and writes.  Output is built from the screens' own rows (``office/rows.py``): the same
status, due date and masking; input is checked by the models' own ``clean()`` in the views."""

from __future__ import annotations

from rest_framework import serializers

from gongkai.web.agencies.models import Agency
from gongkai.web.requests.masking import mask_address, mask_id_number, mask_phone
from gongkai.web.requests.models import Applicant, Channel, RequestEvent

EVENT_DETAILS = ("outcome", "supplement_by", "fee_method", "fee_units", "delivered_on", "extension_days",
                 "notified_on", "reply_by", "amount", "good_reason")


class AgencySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "kind_label", "parent", "county_level_or_above"]


class ApplicantOut(serializers.Serializer):
    type = serializers.CharField()
    type_label = serializers.CharField()
    name = serializers.CharField(help_text="自然人姓名仅对办理机关工作人员完整显示，其他人看到“张**”。")
    id_number = serializers.CharField(help_text="证件号码：仅在单件申请中对办理机关工作人员完整显示。")
    phone = serializers.CharField()
    address = serializers.CharField()
    full = serializers.BooleanField(help_text="是否为完整个人信息（查看记入审计日志）。")


def applicant_out(applicant: Applicant, name: str, type_label: str, full: bool) -> dict:
    """The applicant as the viewer sees it: personal data in full only when ``full`` (see ``masking``)."""
    if full:
        return {"type": applicant.type, "type_label": type_label, "name": applicant.name,
                "id_number": applicant.id_number, "phone": applicant.phone, "address": applicant.address,
                "full": True}
    return {"type": applicant.type, "type_label": type_label, "name": name,
            "id_number": mask_id_number(applicant.id_number), "phone": mask_phone(applicant.phone),
            "address": mask_address(applicant.address), "full": False}


class RequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    channel_label = serializers.CharField()
    applicant = ApplicantOut()
    status = serializers.CharField(help_text="in_progress、supplement、consultation、fee、closed 等（台账推算）。")
    status_label = serializers.CharField()
    reply_due = serializers.DateField(allow_null=True, help_text="答复期限（台账推算）。")
    reply_due_provisional = serializers.BooleanField()
    days_left = serializers.IntegerField(allow_null=True, help_text="距答复期限的工作日数，逾期为负。")
    overdue = serializers.BooleanField()
    due_soon = serializers.BooleanField()
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    outcome_label = serializers.CharField()
    edit_version = serializers.IntegerField(help_text="修改时原样提交，用于防止覆盖他人的修改。")


def request_out(row, applicant: dict) -> dict:
    """One request of the screens' rows (``office.rows.RequestRow``) as the API shows it."""
    request = row.request
    due = row.reply_due
    return {"id": request.pk, "agency": request.agency_id, "agency_name": request.agency.name,
            "received_on": request.received_on, "channel": request.channel,
            "channel_label": request.get_channel_display(), "applicant": applicant, "status": row.status,
            "status_label": row.status_label, "reply_due": due.date if due else None,
            "reply_due_provisional": bool(due and due.provisional), "days_left": row.days_left,
            "overdue": row.overdue, "due_soon": row.due_soon, "closed_on": row.closed_on, "outcome": row.outcome,
            "outcome_label": row.outcome_label, "edit_version": request.version}


class EventSerializer(serializers.ModelSerializer):
    """An event of a request's timeline.  ``note`` (free text) is shown only to the handling office."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    edit_version = serializers.IntegerField(source="version", read_only=True)

    class Meta:
        model = RequestEvent
        fields = ["id", "kind", "kind_label", "occurred_on", *EVENT_DETAILS, "note", "edit_version"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full"):
            data["note"] = None
        return data


class RequestDetailOut(RequestOut):
    events = EventSerializer(many=True)


class ApplicantIn(serializers.ModelSerializer):
    class Meta:
        model = Applicant
        fields = ["type", "name", "id_number", "phone", "address"]


class RequestIn(serializers.Serializer):
    """登记 (intake): the applicant, the handling agency, how and when the request arrived."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="办理机关")
    applicant = ApplicantIn(label="申请人")
    received_on = serializers.DateField(label="收到日期")
    channel = serializers.ChoiceField(choices=Channel.choices, label="提交方式")
    confirm_receipt_date = serializers.BooleanField(
        default=False, label="确认收到日期",
        help_text="网络、传真、平常信函的申请在非工作日到达而确于当日确认的（条例第三十一条）。")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class RequestChange(serializers.Serializer):
    """A correction of the receipt: date and channel, from the version the client read (``edit_version``)."""

    edit_version = serializers.IntegerField(min_value=0, label="版本")
    received_on = serializers.DateField(required=False, label="收到日期")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, label="提交方式")
    confirm_receipt_date = serializers.BooleanField(default=False, label="确认收到日期")


class ReportTexts(serializers.Serializer):
    overview = serializers.CharField(allow_blank=True)
    problems = serializers.CharField(allow_blank=True)
    other = serializers.CharField(allow_blank=True)


class ReportDraftOut(serializers.Serializer):
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    texts = ReportTexts(allow_null=True, help_text="年度报告草稿的文字部分（尚无草稿时为空）。")
    published_on = serializers.DateField(allow_null=True)
    edit_version = serializers.IntegerField(allow_null=True)


class ReportOut(ReportDraftOut):
    compiled = serializers.DictField(help_text="由台账汇编的年度报告（平面形式，键见 gongkai keys）。")
    published_report = serializers.DictField(allow_null=True, help_text="已发布报告（平面形式）。")


def draft_out(agency: Agency, year: int, draft) -> dict:
    return {"agency": agency.pk, "agency_name": agency.name, "year": year,
            "texts": {"overview": draft.overview, "problems": draft.problems, "other": draft.other} if draft else None,
            "published_on": draft.published_on if draft else None,
            "edit_version": draft.version if draft else None}



class LetterOut(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    kind = serializers.CharField()
    name = serializers.CharField(help_text="文书名称（受理回执、补正告知书、答复书……）。")
    status = serializers.CharField(help_text="draft（待签发，仅办理机关可见）或 issued（已签发）。")
    status_label = serializers.CharField(source="get_status_display")
    outcome = serializers.CharField(allow_null=True, help_text="答复书的办理结果（表三栏目）。")
    doc_number = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True, help_text="落款日期（签发后）。")
    created_at = serializers.DateTimeField()
    signed_at = serializers.DateTimeField(allow_null=True)
    signed_by = serializers.CharField(source="signed_by.username", allow_null=True, default=None)
    downloadable = serializers.SerializerMethodField(
        help_text="当前用户可否下载 DOCX/PDF：仅办理机关工作人员，且文书已签发。")

    def get_downloadable(self, letter) -> bool:
        return bool(self.context.get("office")) and not letter.is_draft
