"""Applicants, requests and the typed events of a request's timeline.

A request's state is derived from its events by the ledger's one rule (``gongkai.ledger.timeline``, through
``events.ledger_events``); an event is accepted only if the timeline it makes is one that rule accepts.
A request's closing date and outcome are part of that state.  They are also stored on the request
(``closed_on``, ``outcome``) because the annual report counts requests by applicant type and outcome with
one ``GROUP BY`` in the database; those two columns are written only by ``Request.sync_closing``, which
runs whenever an event is saved or deleted, and never edited directly.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.calendar import WorkCalendar
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.fees import FeeMethod
from gongkai.ledger.timeline import RequestState, derive_state
from gongkai.report import edition
from gongkai.web.concurrency import Versioned

from .events import EventKind, ledger_event, ledger_events

TEMPLATE = edition("2021")
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


class Channel(models.TextChoices):
    """How a request arrived; decides its receipt date (条例第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（需签收）"
    POST_ORDINARY = "post_ordinary", "平常信函"
    ONLINE = "online", "网络"
    FAX = "fax", "传真"


class Request(Versioned):
    agency = models.ForeignKey("agencies.Agency", verbose_name="办理机关", on_delete=models.PROTECT,
                               related_name="requests")
    applicant = models.ForeignKey(Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="requests")
    received_on = models.DateField("收到日期")
    channel = models.CharField("提交方式", max_length=20, choices=Channel.choices)
    closed_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOMES, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开申请"
        indexes = [
            # The compile's filter (agency, received_on ≤ year end, closed_on ≥ year start) and its GROUP BY
            # columns, so one agency-year is read from the index alone.
            models.Index(fields=["agency", "received_on", "closed_on", "outcome", "applicant"],
                         name="request_compile_idx"),
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
        return f"{self.agency} {self.received_on} {self.applicant}"

    def state(self, *, calendar: WorkCalendar | None = None,
              convention: CountingConvention = SPEC_CONVENTION) -> RequestState:
        """The request's state and due dates, derived from its events by the ledger."""
        return derive_state(ledger_events(self), calendar=calendar, convention=convention)

    def sync_closing(self) -> None:
        """Write the closing date and outcome derived from the events (the only writer of those fields)."""
        state = self.state()
        self.closed_on, self.outcome = state.closed_on, state.outcome
        Request.objects.filter(pk=self.pk).update(closed_on=self.closed_on, outcome=self.outcome)


def _check_timeline(rows) -> None:
    """Refuse a timeline the ledger's rule does not accept (e.g. an event after the closing, a second extension)."""
    try:
        derive_state([ledger_event(row) for row in rows])
    except ValueError as error:
        raise ValidationError({"kind": str(error)}) from None


class RequestEvent(Versioned):
    request = models.ForeignKey(Request, verbose_name="申请", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField("日期")
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOMES, null=True, blank=True,
                               help_text="仅用于“作出答复”：年度报告表三的办理结果。")
    supplement_by = models.DateField("补正期限", null=True, blank=True,
                                     help_text="仅用于“告知补正”：告知申请人的补正期限。")
    fee_method = models.CharField("收费方式", max_length=20, choices=FEE_METHODS, null=True, blank=True,
                                  help_text="仅用于“发出收费通知”。")
    fee_units = models.PositiveIntegerField(
        "计费数量", null=True, blank=True,
        help_text="仅用于“发出收费通知”：按件收费填该申请人当月第几件申请，按量收费填页数。")
    delivered_on = models.DateField("通知送达日期", null=True, blank=True,
                                    help_text="仅用于“发出收费通知”：申请人收到通知的日期（不填即发出日期）。")
    note = models.TextField("备注", blank=True)

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
                violation_error_message="only a supplement notice has a supplement date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=EventKind.FEE_NOTICE_SENT, fee_method__in=[k for k, _ in FEE_METHODS],
                                   fee_units__isnull=False)
                | (~models.Q(kind=EventKind.FEE_NOTICE_SENT)
                   & models.Q(fee_method__isnull=True, fee_units__isnull=True, delivered_on__isnull=True)),
                name="event_fee_details_only_on_fee_notice",
                violation_error_message="a fee notice, and only a fee notice, has a fee method and units",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == EventKind.DECIDED and self.outcome not in OUTCOME_KEYS:
            raise ValidationError({"outcome": "a decision needs an outcome: one result row of table 3"})
        if self.kind != EventKind.DECIDED and self.outcome:
            raise ValidationError({"outcome": "only a decision has an outcome"})
        if self.occurred_on is None or self.request_id is None:
            return  # reported as missing fields
        request = self.request
        if self.occurred_on < request.received_on:
            raise ValidationError({"occurred_on": f"before the receipt date {request.received_on}"})
        others = request.events.exclude(pk=self.pk)
        if self.kind == EventKind.RECEIVED and (self.occurred_on != request.received_on
                                                or others.filter(kind=EventKind.RECEIVED).exists()):
            raise ValidationError({"kind": "one received event, on the request's receipt date"})
        _check_timeline([*others, self])

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.request.sync_closing()

    def delete(self, *args, **kwargs):
        _check_timeline(self.request.events.exclude(pk=self.pk))
        result = super().delete(*args, **kwargs)
        self.request.sync_closing()
        return result
