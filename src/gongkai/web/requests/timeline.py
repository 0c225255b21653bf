"""A request's state derived from its typed events, and the two ways to add to the timeline.

``closing_of`` is the one rule that says when and how a request closed; ``Request.sync_closing`` is the
one place that writes it to the request's denormalised ``closed_on``/``outcome``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .models import CLOSING_KINDS, WITHDRAWN_OUTCOME, Applicant, EventKind, Request, RequestEvent


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


@transaction.atomic
def receive(agency, applicant: Applicant, received_on: date, channel: str) -> Request:
    """Register a request and its ``received`` event."""
    request = Request(agency=agency, applicant=applicant, received_on=received_on, channel=channel)
    request.full_clean()
    request.save()
    record_event(request, EventKind.RECEIVED, received_on)
    return request


def record_event(request: Request, kind: str, occurred_on: date, outcome: str | None = None,
                 note: str = "") -> RequestEvent:
    """Validate and add one event to a request's timeline (closing fields follow on save)."""
    event = RequestEvent(request=request, kind=kind, occurred_on=occurred_on, outcome=outcome, note=note)
    event.full_clean()
    event.save()
    return event
