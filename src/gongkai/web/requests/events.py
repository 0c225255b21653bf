"""The typed events of a request's timeline, and the rule that derives its closing from them.

``closing_of`` is the one rule that says when and how a request closed; ``Request.sync_closing`` is the
one place that writes it to the request's denormalised ``closed_on``/``outcome``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import models

WITHDRAWN_OUTCOME = "other_handling.other"


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


CLOSING_KINDS = (EventKind.DECIDED, EventKind.WITHDRAWN)


def closing_of(events: Iterable[tuple[str, date, str | None]]) -> tuple[date | None, str | None]:
    """(closed_on, outcome) from (kind, occurred_on, outcome) events; (None, None) while open.

    A request closes on its first closing event: a decision (with its outcome; ``no_supplement`` and
    ``fee_unpaid`` are decisions dated the day after the missed deadline) or a withdrawal (outcome
    ``other_handling.other``).
    """
    closing = [(kind, on, outcome) for kind, on, outcome in events if kind in CLOSING_KINDS]
    if not closing:
        return None, None
    kind, on, outcome = min(closing, key=lambda event: event[1])
    return on, WITHDRAWN_OUTCOME if kind == EventKind.WITHDRAWN else outcome
