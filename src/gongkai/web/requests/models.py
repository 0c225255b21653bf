"""Applicants, requests and the typed events of a request's timeline.

A request's state is derived from its events by the ledger's one rule (``gongkai.ledger.timeline``, through
``events.ledger_events``); an event is accepted only if the timeline it makes is one that rule accepts (the
whole new list of a save, events of one day in recording order).
A request's closing date and outcome are part of that state.  They are also stored on the request
(``closed_on``, ``outcome``) because the annual report counts requests by applicant type and outcome with
one ``GROUP BY`` in the database; those two columns are written only by ``Request.sync_closing``, which
runs whenever events are saved or deleted, and never edited directly.  They hold the closing the recorded
events lead to, which for a lapse (no supplement, no payment by the deadline) is the day after the deadline,
possibly still ahead: a request is open on day D when ``closed_on`` is empty or after D (``open_on``).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.calendar import WorkCalendar
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.fees import FeeMethod
from gongkai.ledger.identity import IdentityNumberError, validate_identity
from gongkai.ledger.receipt import earliest_receipt_date
from gongkai.ledger.timeline import RequestState, derive_state
from gongkai.report import edition
from gongkai.web.concurrency import Versioned

from . import clock
from .events import EventKind, ledger_event
from .stored_state import STATE_FIELDS, event_values

TEMPLATE = edition("2021")
NOT_OPEN_STATES = ("", "closed")
"""Stored statuses of a request that is not open: never derived (a closed request of an older ledger), closed."""
APPLICANT_TYPES = [
    (c.key, f"{c.group}—{c.label}" if c.group else c.label) for c in TEMPLATE.request_columns if c.key != "total"
]
OUTCOMES = [(row.key, row.full_label) for row in TEMPLATE.result_rows]
OUTCOME_KEYS = [key for key, _ in OUTCOMES]
FEE_METHODS = [(FeeMethod.PER_REQUEST.value, "按件"), (FeeMethod.PER_PAGE.value, "按量")]


class Applicant(Versioned):
    """A person or organisation that files requests.  Identity number, phone and address are personal data.

    ``agency`` is the agency that registered the applicant; the applicant is also seen by every agency that
    handles one of its requests.
    """

    agency = models.ForeignKey("agencies.Agency", verbose_name="登记机关", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="applicants")

    type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPES)
    name = models.CharField("姓名或名称", max_length=200)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请人"
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=[k for k, _ in APPLICANT_TYPES]),
                                   name="applicant_type_is_a_table3_column"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save, and keep the copy of the type on the applicant's requests (``Request.applicant_type``)."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            Request.objects.filter(applicant=self).exclude(applicant_type=self.type).update(applicant_type=self.type)

    def clean(self) -> None:
        """A 身份证号 (natural person) or 统一社会信用代码 (organisation) typed or changed must pass its standard's
        check (``gongkai.ledger.identity``); numbers stored before the check existed stay as they are."""
        if not self.id_number or not self.type:
            return
        stored = Applicant.objects.filter(pk=self.pk).values_list("id_number", "type").first()
        if stored == (self.id_number, self.type):
            return
        try:
            self.id_number = validate_identity(self.type, self.id_number, today=clock.today())
        except IdentityNumberError as error:
            raise ValidationError({"id_number": str(error)}) from None


class Channel(models.TextChoices):
    """How a request arrived; decides its receipt date (条例第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（需签收）"
    POST_ORDINARY = "post_ordinary", "平常信函"
    ONLINE = "online", "网络"
    FAX = "fax", "传真"


class Medium(models.TextChoices):
    """形式要求: the form the applicant wants the information in (条例第二十九条第二款第三项)."""

    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class Delivery(models.TextChoices):
    """获取方式: how the applicant wants to receive it (条例第二十九条第二款第三项)."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICK_UP = "pick_up", "当面领取"
    ONLINE = "online", "网上获取"


class Request(Versioned):
    agency = models.ForeignKey("agencies.Agency", verbose_name="办理机关", on_delete=models.PROTECT,
                               related_name="requests")
    applicant = models.ForeignKey(Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="requests")
    received_on = models.DateField("收到日期")
    channel = models.CharField("提交方式", max_length=20, choices=Channel.choices)
    # The applicant's type (table 3's column), copied here so that the request list filters by it from an index
    # instead of joining a county's 80,000 requests to their applicants: written by ``save`` from the applicant,
    # and by ``Applicant.save`` when the type changes.
    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPES, blank=True, default="",
                                      db_default="", editable=False)
    # 条例第二十九条第二款: what is asked for and in which form.  Blank only on requests recorded before these
    # fields existed; the intake screen (office/intake.py) requires them.
    content = models.TextField("申请内容", blank=True, default="", db_default="",
                               help_text="申请公开的政府信息的名称、文号或者便于查询的其他特征性描述。")
    medium = models.CharField("信息形式", max_length=20, choices=Medium.choices, blank=True, default="", db_default="")
    delivery = models.CharField("获取方式", max_length=20, choices=Delivery.choices, blank=True, default="", db_default="")
    closed_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOMES, null=True, blank=True, editable=False)
    # The ledger's state on the day it was derived, for the office's pages (``stored_state.py``): written only
    # by ``sync_closing`` and ``stored_state.refresh_stale``.
    status = models.CharField("状态", max_length=30, blank=True, default="", db_default="", editable=False)
    reply_due = models.DateField("答复期限", null=True, blank=True, editable=False)
    reply_due_note = models.CharField("答复期限暂定的原因", max_length=200, blank=True, default="", db_default="",
                                      editable=False)
    pause_due = models.DateField("暂停计时事项的期限", null=True, blank=True, editable=False)
    pause_kind = models.CharField("暂停计时事项", max_length=30, blank=True, default="", db_default="",
                                  editable=False)
    state_until = models.DateField("状态有效至", null=True, blank=True, editable=False)
    state_calendar = models.CharField("状态所用日历", max_length=16, blank=True, default="", db_default="",
                                      editable=False)

    confirm_receipt_date = False
    """Set (by a form) when the clerk confirms a receipt date earlier than the ledger suggests."""

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开申请"
        indexes = [
            # The compile's filter (agency, received_on ≤ year end, closed_on ≥ year start) and its GROUP BY
            # columns, so one agency-year is read from the index alone.
            # Its number too (PostgreSQL: INCLUDE), so that a filtered list in number order sorts from the index
            # instead of walking every number backwards.
            models.Index(fields=["agency", "received_on", "closed_on", "outcome", "applicant"], include=["id"],
                         name="request_compile_idx"),
            # The office's pages: the open requests of some agencies (closed_on empty or ahead), the closings
            # of the last months by month and outcome, the closed ones newest first; read from the index alone.
            models.Index(fields=["agency", "closed_on", "received_on", "outcome"], name="request_closing_idx"),
            # The list's filter by applicant type: counted and read in order of receipt from the index.
            models.Index(fields=["agency", "applicant_type", "received_on"], include=["id"],
                         name="request_applicant_type_idx"),
            # The request list's orders across many agencies (a supervisor's): newest received, newest closed.
            models.Index(fields=["received_on", "id"], name="request_received_order_idx"),
            models.Index(fields=["closed_on", "id"], name="request_closed_order_idx"),
            # The open requests by due date (the list's default order): only rows whose stored state is open,
            # so the index stays as small as the open requests.
            models.Index(fields=["reply_due", "pause_due", "id"], name="request_open_due_idx",
                         condition=~models.Q(status__in=NOT_OPEN_STATES)),
            # The office's counts of open requests by status and deadline, and the check for stale stored
            # states, read from the index alone (the number included: COUNT(id), the stale rows' numbers).
            models.Index(fields=["agency", "status", "reply_due", "pause_due", "closed_on", "state_until",
                                 "state_calendar"], include=["id"], name="request_open_state_idx",
                         condition=~models.Q(status__in=NOT_OPEN_STATES)),
            # The open requests whose state was never stored (or is stored closed), however many old closed
            # requests have none: those with a lapse ahead by range of closed_on, those not closed from an index
            # that holds only them (normally empty, so probing it for 300 agencies costs nothing).
            models.Index(fields=["closed_on"], name="request_not_open_state_idx",
                         condition=models.Q(status__in=NOT_OPEN_STATES)),
            models.Index(fields=["agency"], name="request_unstored_open_idx",
                         condition=models.Q(status__in=NOT_OPEN_STATES, closed_on__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, outcome__isnull=True)
                | models.Q(closed_on__isnull=False, outcome__isnull=False, outcome__in=OUTCOME_KEYS),
                name="request_closed_with_an_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("received_on")),
                name="request_closed_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        # never the applicant's name: this text appears wherever a request is named (admin lists, the audit log),
        # also to viewers who may not see a natural person's name (masking.py)
        return f"{self.agency} {self.received_on} 第{self.pk}号申请"

    def clean(self) -> None:
        if self.received_on is None:
            return
        today = clock.today()
        if self.received_on > today:
            raise ValidationError({"received_on": f"收到日期 {self.received_on} 晚于今天 {today}：不能记录未来的日期"})
        stored = Request.objects.filter(pk=self.pk).values_list("received_on", "channel").first()
        if self.channel and not self.confirm_receipt_date and stored != (self.received_on, self.channel):
            suggested = earliest_receipt_date(self.received_on, self.channel, WorkCalendar.from_directory())
            if suggested != self.received_on:
                raise ValidationError({"received_on": (
                    f"{self.received_on} 为非工作日：{Channel(self.channel).label}提交的申请以双方确认之日为收到日期，"
                    f"建议填写 {suggested}；如确于当日确认，请勾选“确认收到日期”（条例第三十一条）")})

    def requested_form(self) -> str:
        """形式要求 as a letter prints it, e.g. ``纸质，邮寄``; empty when not recorded."""
        return "，".join(label for label in (self.get_medium_display() if self.medium else "",
                                            self.get_delivery_display() if self.delivery else "") if label)

    def rows(self) -> list[RequestEvent]:
        """The event rows in recording order, read from the database (never a prefetched, stale list); each row's
        ``request`` is this request (not read again)."""
        rows = list(RequestEvent.objects.filter(request_id=self.pk).order_by("occurred_on", "id"))
        for row in rows:
            RequestEvent.request.field.set_cached_value(row, self)
        return rows

    def state(self, *, today: date | None = None, calendar: WorkCalendar | None = None,
              convention: CountingConvention = SPEC_CONVENTION, rows=None) -> RequestState:
        """The request's state on ``today`` (default: the local date), derived from its events by the ledger.

        ``rows``: the event rows when already at hand (e.g. prefetched for a list); default, read afresh.
        """
        events = [ledger_event(row) for row in (self.rows() if rows is None else rows)]
        return derive_state(events, today=today or clock.today(), calendar=calendar, convention=convention)

    def save(self, *args, **kwargs) -> None:
        """A change of the request never writes the derived columns: they follow the events, written only by
        ``sync_closing`` and ``stored_state.refresh_stale`` (a form holding an older copy cannot put it back).
        It writes the copy of its applicant's type."""
        if self.applicant_id is not None:
            self.applicant_type = self.applicant.type
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                       if not field.primary_key and field.name not in DERIVED_FIELDS]
        super().save(*args, **kwargs)

    def sync_closing(self) -> None:
        """Write what the events lead to (the only writer of those fields, with ``refresh_stale``): the closing
        date and outcome, and the state on today for the office's pages (``stored_state.py``)."""
        values = event_values([ledger_event(row) for row in self.rows()], clock.today(), WorkCalendar.from_directory())
        for name, value in values.items():
            setattr(self, name, value)
        Request.objects.filter(pk=self.pk).update(**values)

    def is_open_on(self, day: date) -> bool:
        return self.closed_on is None or self.closed_on > day

    def closing_on(self, day: date) -> tuple[date | None, str | None]:
        """(closing date, outcome) as known on ``day``: empty while a lapse is still ahead."""
        return (None, None) if self.is_open_on(day) else (self.closed_on, self.outcome)


DERIVED_FIELDS = ("closed_on", "outcome", *STATE_FIELDS)


def closed_by(day: date) -> models.Q:
    """The requests closed on or before ``day`` (the complement of ``open_on``, as the indexes read it)."""
    return models.Q(closed_on__lte=day)


def open_on(day: date) -> models.Q:
    """The requests still open on ``day``: not closed, or closed by a lapse still ahead."""
    return models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day)


def check_timeline(request: Request, rows, *, today: date | None = None) -> None:
    """Refuse a timeline the ledger's rule does not accept (e.g. an event after the closing, a second extension).

    ``rows`` is the whole event list the save would leave, in recording order.
    """
    try:
        derive_state([ledger_event(row) for row in rows], today=today or clock.today(),
                     calendar=WorkCalendar.from_directory())
    except (LedgerError, ValueError) as error:
        raise ValidationError(str(error)) from None


def recording_order(rows) -> list[RequestEvent]:
    """Rows by date, then in the order they were recorded (saved rows by id, new rows after them, as given)."""
    indexed = list(enumerate(rows))
    indexed.sort(key=lambda item: (item[1].occurred_on, item[1].pk is None, item[1].pk or 0, item[0]))
    return [row for _, row in indexed]


ONLY_FOR = {
    "supplement_by": (EventKind.SUPPLEMENT_REQUESTED,),
    "fee_method": (EventKind.FEE_NOTICE_SENT,),
    "fee_units": (EventKind.FEE_NOTICE_SENT,),
    "delivered_on": (EventKind.FEE_NOTICE_SENT,),
    "extension_days": (EventKind.EXTENSION_APPROVED,),
    "notified_on": (EventKind.EXTENSION_APPROVED,),
    "reply_by": (EventKind.DELAYED_REPLY,),
    "amount": (EventKind.FEE_PAID,),
    "good_reason": (EventKind.SUPPLEMENT_RECEIVED, EventKind.FEE_PAID),
}


class RequestEvent(Versioned):
    request = models.ForeignKey(Request, verbose_name="申请", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField("日期")
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOMES, null=True, blank=True,
                               help_text="仅用于“作出答复”：年度报告表三的办理结果。")
    supplement_by = models.DateField("补正期限", null=True, blank=True,
                                     help_text="仅用于“告知补正”（必填）：告知申请人的补正期限。")
    fee_method = models.CharField("收费方式", max_length=20, choices=FEE_METHODS, null=True, blank=True,
                                  help_text="仅用于“发出收费通知”。")
    fee_units = models.PositiveIntegerField(
        "页数", null=True, blank=True,
        help_text="仅用于按量收费的“发出收费通知”：页数。按件收费的件次由台账自动计算（同一申请人、同一机关、同一自然月）。")
    delivered_on = models.DateField("通知送达日期", null=True, blank=True,
                                    help_text="仅用于“发出收费通知”：申请人收到通知的日期（不填即发出日期）。")
    extension_days = models.PositiveSmallIntegerField(
        "延长工作日数", null=True, blank=True, help_text="仅用于“批准延期”（必填）：1 至 20 个工作日。")
    notified_on = models.DateField("告知申请人日期", null=True, blank=True,
                                   help_text="仅用于“批准延期”：告知申请人的日期（不填即批准日期）。")
    reply_by = models.DateField("延迟答复日期", null=True, blank=True,
                                help_text="仅用于“延迟答复”（条例第三十五条，必填）：告知申请人的答复日期。")
    amount = models.DecimalField("缴费金额（元）", max_digits=10, decimal_places=2, null=True, blank=True,
                                 help_text="仅用于“缴纳费用”（必填）。")
    good_reason = models.BooleanField(
        "正当理由/同意逾期", default=False, db_default=False,
        help_text="仅用于逾期的“收到补正”（申请人有正当理由）和逾期的“缴纳费用”（机关同意接受）。")
    note = models.TextField("备注", blank=True)

    check_timeline_on_save = True
    """False while a form set checks the whole new event list of one save (``RequestEventFormSet``)."""

    class Meta:
        verbose_name = verbose_name_plural = "办理事件"
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=EventKind.DECIDED, outcome__isnull=False, outcome__in=OUTCOME_KEYS)
                | (~models.Q(kind=EventKind.DECIDED) & models.Q(outcome__isnull=True)),
                name="event_outcome_only_on_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=EventKind.SUPPLEMENT_REQUESTED) | models.Q(supplement_by__isnull=True),
                name="event_supplement_by_only_on_supplement_notice",
                violation_error_message="只有“告知补正”有补正期限",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=EventKind.FEE_NOTICE_SENT, fee_method__in=[k for k, _ in FEE_METHODS])
                | (~models.Q(kind=EventKind.FEE_NOTICE_SENT)
                   & models.Q(fee_method__isnull=True, fee_units__isnull=True, delivered_on__isnull=True)),
                name="event_fee_details_only_on_fee_notice",
                violation_error_message="收费方式、页数和送达日期只用于“发出收费通知”，且收费通知须有收费方式",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == EventKind.DECIDED and self.outcome not in OUTCOME_KEYS:
            raise ValidationError({"outcome": "“作出答复”须选择办理结果（表三的一行）"})
        if self.kind != EventKind.DECIDED and self.outcome:
            raise ValidationError({"outcome": "只有“作出答复”有办理结果"})
        for name, kinds in ONLY_FOR.items():
            if self.kind not in kinds and getattr(self, name) not in (None, False):
                field = self._meta.get_field(name)
                names = "、".join(f"“{EventKind(k).label}”" for k in kinds)
                raise ValidationError({name: f"“{field.verbose_name}”只用于{names}"})
        if self.occurred_on is None or self.request_id is None:
            return  # reported as missing fields
        request = self.request
        if self.occurred_on < request.received_on:
            raise ValidationError({"occurred_on": f"早于收到日期 {request.received_on}"})
        others = [row for row in request.rows() if row.pk != self.pk]
        if self.kind == EventKind.RECEIVED and (self.occurred_on != request.received_on
                                                or any(row.kind == EventKind.RECEIVED for row in others)):
            raise ValidationError({"kind": "每件申请只有一个“收到申请”，日期即收到日期"})
        if self.check_timeline_on_save:
            check_timeline(request, recording_order([*others, self]))

    def save(self, *args, sync: bool = True, **kwargs) -> None:
        super().save(*args, **kwargs)
        if sync:
            self.request.sync_closing()

    def delete(self, *args, sync: bool = True, **kwargs):
        if self.check_timeline_on_save:
            check_timeline(self.request, [row for row in self.request.rows() if row.pk != self.pk])
        result = super().delete(*args, **kwargs)
        if sync:
            self.request.sync_closing()
        return result


def copy_applicant_types(requests: models.QuerySet) -> int:
    """Write each request's ``applicant_type`` from its applicant (after a restore of a backup made before the
    copy existed); returns how many rows were written."""
    return requests.update(applicant_type=models.Subquery(
        Applicant.objects.filter(pk=models.OuterRef("applicant_id")).values("type")[:1]))
