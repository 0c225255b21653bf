"""The two ways to add to a request's timeline: receive a request, record an event."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .events import EventKind
from .models import Applicant, Request, RequestEvent


@transaction.atomic
def receive(agency, applicant: Applicant, received_on: date, channel: str) -> Request:
    """Register a request and its ``received`` event."""
    request = Request(agency=agency, applicant=applicant, received_on=received_on, channel=channel)
    request.full_clean()
    request.save()
    record_event(request, EventKind.RECEIVED, received_on)
    return request


def record_event(request: Request, kind: str, occurred_on: date, outcome: str | None = None,
                 note: str = "", **details) -> RequestEvent:
    """Validate and add one event to a request's timeline (closing fields follow on save).

    ``details`` are the fields of some kinds: ``supplement_by`` for a supplement notice; ``fee_method``,
    ``fee_units`` and ``delivered_on`` for a fee notice.
    """
    event = RequestEvent(request=request, kind=kind, occurred_on=occurred_on, outcome=outcome, note=note,
                         **details)
    event.full_clean()
    event.save()
    return event
