"""The two ways to add to a request's timeline: receive a request, record an event."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .events import EventKind
from .models import Applicant, Request, RequestEvent


@transaction.atomic
def receive(agency, applicant: Applicant, received_on: date, channel: str, *,
            confirm_receipt_date: bool = False, **asked) -> Request:
    """Register a request and its ``received`` event.

    A receipt date on a non-working day for a request that came online, by fax or by ordinary post is refused
    (with the date the ledger suggests) unless ``confirm_receipt_date``.  ``asked``: what the applicant asks for
    and in which form (``content``, ``medium``, ``delivery``).
    """
    request = Request(agency=agency, applicant=applicant, received_on=received_on, channel=channel, **asked)
    request.confirm_receipt_date = confirm_receipt_date
    request.full_clean()
    request.save()
    record_event(request, EventKind.RECEIVED, received_on)
    return request


def record_event(request: Request, kind: str, occurred_on: date, outcome: str | None = None,
                 note: str = "", **details) -> RequestEvent:
    """Validate and add one event to a request's timeline (closing fields follow on save).

    ``details`` are the fields of some kinds: ``supplement_by`` for a supplement notice; ``fee_method``,
    ``fee_units`` (pages, per page only) and ``delivered_on`` for a fee notice; ``amount`` and ``good_reason``
    (a late payment accepted) for a payment; ``good_reason`` for a late supplement; ``extension_days`` and
    ``notified_on`` for an extension; ``reply_by`` for a delayed reply (第三十五条).
    """
    event = RequestEvent(request=request, kind=kind, occurred_on=occurred_on, outcome=outcome, note=note,
                         **details)
    event.full_clean()
    event.save()
    return event


def ensure_received(request: Request) -> None:
    """Give a request its ``received`` event, dated its receipt date (a request saved without one gets it)."""
    row = RequestEvent.objects.filter(request=request, kind=EventKind.RECEIVED).first()
    if row is None:
        RequestEvent(request=request, kind=EventKind.RECEIVED, occurred_on=request.received_on).save(sync=False)
    elif row.occurred_on != request.received_on:
        row.occurred_on = request.received_on
        row.save(sync=False)


def write_lapses(request_model=None, event_model=None) -> int:
    """Write the closing of every open request that the law has closed or will close by a lapse (no supplement,
    no payment by the deadline), as ``Request.sync_closing`` would; returns how many were written.

    For ledgers recorded before lapses were derived (migration 0005 runs it once, with its historical models).
    A request whose events the rule now refuses is left as it is: the request list says what is wrong.
    """
    from gongkai.calendar import WorkCalendar
    from gongkai.ledger.errors import LedgerError
    from gongkai.ledger.timeline import UNBOUNDED, derive_state

    from .events import ledger_event

    request_model, event_model = request_model or Request, event_model or RequestEvent
    lapsing = (event_model.objects.filter(request__closed_on__isnull=True,
                                          kind__in=[EventKind.SUPPLEMENT_REQUESTED, EventKind.FEE_NOTICE_SENT])
               .values_list("request_id", flat=True).distinct())
    calendar, written = WorkCalendar.from_directory(), 0
    for request in request_model.objects.filter(pk__in=list(lapsing)):
        rows = event_model.objects.filter(request=request).order_by("occurred_on", "id")
        try:
            state = derive_state([ledger_event(row) for row in rows], today=UNBOUNDED, calendar=calendar)
        except (LedgerError, ValueError):
            continue
        if state.closed_on is not None:
            request_model.objects.filter(pk=request.pk).update(closed_on=state.closed_on, outcome=state.outcome)
            written += 1
    return written
