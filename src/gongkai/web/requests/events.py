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
from gongkai.ledger.fees import FeeMethod, quote_fee

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
    EventKind.DECIDED: ledger.Decided,
    EventKind.WITHDRAWN: ledger.Withdrawn,
}


def ledger_event(row: RequestEvent) -> ledger.Event:
    """The ledger's typed event for one database row; ``ValueError`` when the row lacks what its kind needs."""
    kind = EventKind(row.kind)
    if kind is EventKind.SUPPLEMENT_REQUESTED:
        return ledger.SupplementRequested(row.occurred_on, supplement_by=row.supplement_by)
    if kind is EventKind.FEE_NOTICE_SENT:
        if row.fee_method is None or row.fee_units is None:
            raise ValueError("a fee notice needs its fee method and units (the request's ordinal or the pages)")
        units = "ordinal_in_month" if row.fee_method == FeeMethod.PER_REQUEST else "pages"
        quote = quote_fee(**{units: row.fee_units})
        return ledger.FeeNoticeSent(row.occurred_on, quote=quote, delivered_on=row.delivered_on)
    if kind is EventKind.DECIDED:
        return ledger.Decided(row.occurred_on, outcome=row.outcome)
    return LEDGER_TYPES[kind](row.occurred_on)


def ledger_events(request: Request) -> list[ledger.Event]:
    """A request's timeline as the ledger's typed events, in recorded order (date, then entry)."""
    return [ledger_event(row) for row in request.events.all()]
