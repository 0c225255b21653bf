"""The kinds of a request's events as stored in the database, and the adapter to the ledger's typed events.

The ledger (``gongkai.ledger.timeline.derive_state``) is the one rule that derives a request's state —
closing, outcome, due dates — from its events; the database stores the same events as ``RequestEvent``
rows.  ``EventKind`` is the rows' choice list: one kind per ledger event type (``LEDGER_TYPES``, checked by
a test), and ``ledger_event`` turns a row into the typed event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from gongkai.ledger import events as ledger
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.fees import FeeMethod, Filing, ordinal_in_month, quote_per_page, quote_per_request

if TYPE_CHECKING:
    from .models import Request, RequestEvent


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到申请"
    SUPPLEMENT_REQUESTED = "supplement_requested", "告知补正"
    SUPPLEMENT_RECEIVED = "supplement_received", "收到补正"
    CONSULTATION_STARTED = "consultation_started", "开始征求意见"
    CONSULTATION_ENDED = "consultation_ended", "征求意见结束"
    EXTENSION_APPROVED = "extension_approved", "批准延期"
    FEE_NOTICE_SENT = "fee_notice_sent", "发出收费通知"
    FEE_PAID = "fee_paid", "缴纳费用"
    DELAYED_REPLY = "delayed_reply", "延迟答复"
    DECIDED = "decided", "作出答复"
    WITHDRAWN = "withdrawn", "申请人撤回"


LEDGER_TYPES: dict[EventKind, type[ledger.Event]] = {
    EventKind.RECEIVED: ledger.Received,
    EventKind.SUPPLEMENT_REQUESTED: ledger.SupplementRequested,
    EventKind.SUPPLEMENT_RECEIVED: ledger.SupplementReceived,
    EventKind.CONSULTATION_STARTED: ledger.ConsultationStarted,
    EventKind.CONSULTATION_ENDED: ledger.ConsultationEnded,
    EventKind.EXTENSION_APPROVED: ledger.ExtensionApproved,
    EventKind.FEE_NOTICE_SENT: ledger.FeeNoticeSent,
    EventKind.FEE_PAID: ledger.FeePaid,
    EventKind.DELAYED_REPLY: ledger.DelayedReply,
    EventKind.DECIDED: ledger.Decided,
    EventKind.WITHDRAWN: ledger.Withdrawn,
}


def per_request_ordinal(request: Request) -> int:
    """The request's place among its applicant's requests to the same agency in the same month (办法第四条)."""
    from .models import Request

    received = request.received_on
    same_month = Request.objects.filter(applicant_id=request.applicant_id, agency_id=request.agency_id,
                                        received_on__year=received.year, received_on__month=received.month)
    filings = [Filing(request.applicant_id, request.agency_id, day, pk)
               for pk, day in same_month.values_list("pk", "received_on")]
    order = request.pk if request.pk is not None else float("inf")  # a request being added comes last
    return ordinal_in_month(Filing(request.applicant_id, request.agency_id, received, order), filings)


def ledger_event(row: RequestEvent) -> ledger.Event:
    """The ledger's typed event for one database row; ``LedgerError`` when the row lacks what its kind needs."""
    kind = EventKind(row.kind)
    if kind is EventKind.RECEIVED:
        return ledger.Received(row.occurred_on, channel=row.request.channel)
    if kind is EventKind.SUPPLEMENT_REQUESTED:
        return ledger.SupplementRequested(row.occurred_on, supplement_by=row.supplement_by)
    if kind is EventKind.SUPPLEMENT_RECEIVED:
        return ledger.SupplementReceived(row.occurred_on, good_reason=row.good_reason)
    if kind is EventKind.FEE_NOTICE_SENT:
        if row.fee_method == FeeMethod.PER_PAGE:
            if row.fee_units is None:
                raise LedgerError("fee_pages_missing", "按量收费的收费通知须填写页数")
            quote = quote_per_page(row.fee_units)
        elif row.fee_method == FeeMethod.PER_REQUEST:
            if row.fee_units is not None:
                raise LedgerError("fee_ordinal_typed", "按件收费的件次由台账计算，“页数”须留空")
            quote = quote_per_request(per_request_ordinal(row.request))
        else:
            raise LedgerError("fee_method_missing", "收费通知须选择收费方式：按件或按量（办法第三条）")
        return ledger.FeeNoticeSent(row.occurred_on, quote=quote, delivered_on=row.delivered_on)
    if kind is EventKind.FEE_PAID:
        if row.amount is None:
            raise LedgerError("payment_amount_missing", "“缴纳费用”须填写缴费金额（元）")
        return ledger.FeePaid(row.occurred_on, amount=row.amount, accepted_late=row.good_reason)
    if kind is EventKind.EXTENSION_APPROVED:
        if row.extension_days is None:
            raise LedgerError("extension_length_missing", "“批准延期”须填写延长的工作日数（1 至 20）")
        return ledger.ExtensionApproved(row.occurred_on, working_days=row.extension_days, notified_on=row.notified_on)
    if kind is EventKind.DELAYED_REPLY:
        if row.reply_by is None:
            raise LedgerError("delay_date_missing", "“延迟答复”须填写告知申请人的答复日期（条例第三十五条）")
        return ledger.DelayedReply(row.occurred_on, reply_by=row.reply_by)
    if kind is EventKind.DECIDED:
        return ledger.Decided(row.occurred_on, outcome=row.outcome)
    return LEDGER_TYPES[kind](row.occurred_on)


def ledger_events(request: Request) -> list[ledger.Event]:
    """A request's timeline as the ledger's typed events, in recorded order (date, then entry), read afresh."""
    return [ledger_event(row) for row in request.rows()]
