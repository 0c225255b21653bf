"""The admin of applicants and requests: scoped by ``access``, personal data masked outside the handling
office's own pages, exports masked unless an office head asks for full data (audited)."""

import re

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html

from gongkai.calendar import WorkCalendar
from gongkai.ledger.deadlines import DEADLINE_LABELS
from gongkai.ledger.errors import LedgerError
from gongkai.web.accounts.access import (
    ScopedAdmin,
    is_office_head,
    profile_of,
    sees_personal_data,
    visible_agency_ids,
)
from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.recording import record
from gongkai.web.concurrency import VersionedAdmin, VersionedForm

from . import clock, exports
from .deadlines import next_deadline_of
from .forms import RequestEventFormSet, RequestForm
from .masking import applicant_name, mask_address, mask_id_number, mask_phone
from .models import OUTCOMES, Applicant, Request, RequestEvent, open_on
from .timeline import ensure_received

PERSONAL_FIELDS = ("id_number", "phone", "address")
# Table 3's row labels without the section heading and the counting note: what fits in a column or a select.
SHORT_OUTCOMES = [(key, re.sub(r"（区分处理的[^）]*）", "", label.removeprefix("三、本年度办理结果")))
                  for key, label in OUTCOMES]
MASKED_FIELDS = ("masked_id_number", "masked_phone", "masked_address")


class _Shown:
    """An applicant as a page title names it for a viewer who may not see a natural person's name."""

    def __init__(self, applicant: Applicant) -> None:
        self.pk, self._name = applicant.pk, applicant_name(applicant, full=False)

    def __str__(self) -> str:
        return self._name


class PersonalDataDisplay:
    """Masked read-only stand-ins for the applicant's personal fields (the real value never reaches the page)."""

    @admin.display(description="申请人")
    def masked_name(self, obj) -> str:
        return applicant_name(_applicant(obj), full=False)

    @admin.display(description="证件号码")
    def masked_id_number(self, obj) -> str:
        return mask_id_number(_applicant(obj).id_number)

    @admin.display(description="联系电话")
    def masked_phone(self, obj) -> str:
        return mask_phone(_applicant(obj).phone)

    @admin.display(description="地址")
    def masked_address(self, obj) -> str:
        return mask_address(_applicant(obj).address)


def _name_column(request, handling_agency):
    """The list column of an applicant's name, as this viewer may see it (``masking.applicant_name``)."""
    def name(obj) -> str:
        applicant = _applicant(obj)
        return applicant_name(applicant, full=sees_personal_data(request.user, [handling_agency(obj)]))

    name.short_description = "申请人"
    return name


def _applicant(obj) -> Applicant:
    return obj if isinstance(obj, Applicant) else obj.applicant


def _log_personal_data_view(request, obj) -> None:
    """A display of personal data in full, logged under the viewer's agency (whose staff saw it)."""
    if request.method == "GET":
        profile = profile_of(request.user)
        record(AuditEntry.Action.VIEW_PERSONAL_DATA, obj, obj.pk, agency_id=profile.agency_id if profile else None)


@admin.register(Applicant)
class ApplicantAdmin(VersionedAdmin, ScopedAdmin, PersonalDataDisplay, admin.ModelAdmin):
    agency_path = "agency|requests__agency"  # seen by the registering agency and every agency handling a request
    object_agency_path = "agency"  # changed by the registering agency only
    list_display = ("name", "type", "masked_id_number", "masked_phone", "agency")
    list_filter = ("type",)
    search_fields = ("name",)

    def get_list_display(self, request):
        column = _name_column(request, lambda applicant: applicant.agency_id)  # in full to the registering agency
        return [column if field == "name" else field for field in super().get_list_display(request)]

    def _full(self, request, obj) -> bool:
        """In full on the applicant's page only for the registering agency; another agency handling one of the
        applicant's requests sees the data in full on that request's own page."""
        return obj is not None and sees_personal_data(request.user, [obj.agency_id])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.is_superuser and "agency" in form.base_fields:
            form.base_fields["agency"].required = True  # the registering agency is never cleared
        return form

    def get_fields(self, request, obj=None):
        if obj is None or self._full(request, obj):
            return ("agency", "type", "name", *PERSONAL_FIELDS, "edit_version")
        return ("agency", "type", "masked_name", *MASKED_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None or self._full(request, obj) else ("agency", "type", "masked_name", *MASKED_FIELDS)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self._full(request, obj):
            _log_personal_data_view(request, obj)
        elif obj is not None:  # the page's title and breadcrumbs name the applicant as this viewer may see it
            context.update(original=_Shown(obj), subtitle=str(_Shown(obj)))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and not self._full(request, obj):
            extra_context = {**(extra_context or {}), "object": _Shown(obj), "title": f"变更历史：{_Shown(obj)}"}
        return super().history_view(request, object_id, extra_context)


class OutcomeFilter(admin.SimpleListFilter):
    title, parameter_name = "办理结果", "outcome"

    def lookups(self, request, model_admin):
        return [("open", "办理中"), *SHORT_OUTCOMES]

    def queryset(self, request, queryset):
        today = clock.today()
        if self.value() == "open":
            return queryset.filter(open_on(today))
        return queryset.filter(outcome=self.value(), closed_on__lte=today) if self.value() else queryset


class RequestEventInline(ScopedAdmin, admin.TabularInline):
    model = RequestEvent
    form = VersionedForm
    formset = RequestEventFormSet
    agency_path = "request__agency"
    object_agency_path = "agency"
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}
    fields = ("kind", "occurred_on", "outcome", "supplement_by", "fee_method", "fee_units", "delivered_on",
              "amount", "extension_days", "notified_on", "reply_by", "good_reason", "note", "edit_version")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user  # the head's events (批准延期, 作出答复) are refused to others
        return formset

    def get_fields(self, request, obj=None):
        """The notes are free text about the applicant: not for read-only viewers (supervisors)."""
        fields = super().get_fields(request, obj)
        return fields if self.has_change_permission(request, obj) else [f for f in fields if f != "note"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "outcome":
            kwargs["choices"] = [("", "---------"), *SHORT_OUTCOMES]
            kwargs["widget"] = forms.Select(attrs={"style": "max-width: 18em"})
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Request)
class RequestAdmin(VersionedAdmin, ScopedAdmin, PersonalDataDisplay, admin.ModelAdmin):
    list_display = ("number", "received_on", "agency", "applicant", "applicant_type", "next_deadline", "closed",
                    "outcome_label")  # 提交方式 is a filter: the list keeps room for the deadline and the outcome
    list_display_links = ("number", "received_on")
    list_filter = ("agency", OutcomeFilter, "channel", "applicant__type")
    list_select_related = ("agency", "applicant")
    list_per_page = 30
    search_fields = ("applicant__name", "id")
    date_hierarchy = "received_on"
    inlines = [RequestEventInline]
    form = RequestForm
    actions = ["export_masked", "export_full"]

    class Media:
        css = {"all": ["gongkai/requests-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("events")  # the deadline column reads them

    @admin.display(description="编号", ordering="id")
    def number(self, obj: Request) -> int:
        return obj.pk

    @admin.display(description="申请人类型", ordering="applicant__type")
    def applicant_type(self, obj: Request) -> str:
        return obj.applicant.get_type_display().removeprefix("法人或其他组织—")

    @admin.display(description="办结日期", ordering="closed_on")
    def closed(self, obj: Request) -> str:
        """The closing as known today (a lapse still ahead is not a closing yet)."""
        closed_on, _ = obj.closing_on(clock.today())
        return closed_on.isoformat() if closed_on else "-"

    @admin.display(description="办理结果", ordering="outcome")
    def outcome_label(self, obj: Request) -> str:
        return dict(SHORT_OUTCOMES).get(obj.closing_on(clock.today())[1], "-")

    @admin.display(description="下一期限")
    def next_deadline(self, obj: Request) -> str:
        """The deadline to act on, derived from the request's events (overdue in red), as `gongkai deadlines`."""
        today = clock.today()
        if not obj.is_open_on(today):
            return "-"
        calendar = WorkCalendar.from_directory()
        try:
            state = obj.state(today=today, calendar=calendar, rows=list(obj.events.all()))
        except (LedgerError, ValueError) as error:  # a record the rule refuses: say so, never fail the list
            return format_html('<span style="color:#ba2121">记录有误：{}</span>', str(error))
        deadline = next_deadline_of(state, today, calendar)
        if deadline is None:
            return "暂停计时"
        left = calendar.working_days_between(today, deadline.due.date)
        when = f"{DEADLINE_LABELS[deadline.kind]} {deadline.due.date:%Y-%m-%d}"
        mark = "（暂定）" if deadline.due.provisional else ""
        line = '<span style="white-space:nowrap">{}{}</span><br><span style="white-space:nowrap">{}</span>'
        if left < 0:
            return format_html(f'<strong style="color:#ba2121">{line}</strong>', when, mark, f"已逾期 {-left} 个工作日")
        return format_html(line, when, mark, f"剩 {left} 个工作日")

    @admin.display(description="证件号码")
    def full_id_number(self, obj: Request) -> str:
        return obj.applicant.id_number

    @admin.display(description="联系电话")
    def full_phone(self, obj: Request) -> str:
        return obj.applicant.phone

    @admin.display(description="地址")
    def full_address(self, obj: Request) -> str:
        return obj.applicant.address

    def _full(self, request, obj) -> bool:
        return obj is not None and sees_personal_data(request.user, [obj.agency_id])

    def _one_agency(self, request) -> bool:
        ids = visible_agency_ids(request.user)
        return ids is not None and len(ids) == 1

    def get_list_display(self, request):
        columns = [c for c in self.list_display if c != "agency"] if self._one_agency(request) else self.list_display
        name = _name_column(request, lambda obj: obj.agency_id)  # in full to the handling agency
        return [name if c == "applicant" else c for c in columns]

    def get_list_filter(self, request):
        return [f for f in self.list_filter if f != "agency"] if self._one_agency(request) else self.list_filter

    def get_fields(self, request, obj=None):
        personal = ("full_id_number", "full_phone", "full_address") if self._full(request, obj) else MASKED_FIELDS
        base = ("agency", "applicant", "received_on", "channel")
        if obj is None:
            return (*base, "confirm_receipt_date", "edit_version")
        if not self.has_change_permission(request, obj):  # supervisors: the applicant's name masked too
            return ("agency", "masked_name", "received_on", "channel", *personal, "closed", "outcome_label")
        return (*base, "confirm_receipt_date", *personal, "closed", "outcome_label", "edit_version")

    def get_readonly_fields(self, request, obj=None):
        derived = ("closed", "outcome_label", "full_id_number", "full_phone", "full_address", *MASKED_FIELDS)
        return derived if self.has_change_permission(request, obj) else ("agency", "masked_name", "received_on",
                                                                            "channel", *derived)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self._full(request, obj):
            _log_personal_data_view(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_formset(self, request, form, formset, change):
        """Save the events checked as one list (``RequestEventFormSet``); the closing is written once, after."""
        if formset.model is not RequestEvent:
            return super().save_formset(request, form, formset, change)
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.check_timeline_on_save = False
            row.delete(sync=False)
        for row in rows:
            row.save(sync=False)
        formset.save_m2m()
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        ensure_received(form.instance)  # a request saved without its 收到申请 gets it
        form.instance.sync_closing()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_office_head(request.user):
            actions.pop("export_full", None)
        return actions

    @admin.action(description="导出所选申请（CSV，个人信息已脱敏）")
    def export_masked(self, request, queryset):
        return exports.csv_response(exports.rows(queryset, full=False), "requests")

    @admin.action(description="导出所选申请（CSV，含完整个人信息，将记入审计日志）")
    def export_full(self, request, queryset):
        if not is_office_head(request.user):
            self.message_user(request, "只有公开办负责人可以导出完整个人信息。", messages.ERROR)
            return None
        own = request.user.profile.agency_id
        queryset = queryset.filter(agency_id=own)
        data = exports.rows(queryset, full=True)
        record(AuditEntry.Action.EXPORT, Request, agency_id=own,
               changes={"rows": len(data), "request_ids": [int(row["request_id"]) for row in data]})
        return exports.csv_response(data, "requests-full")
