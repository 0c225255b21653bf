"""Build ledgers through the same code paths the application uses."""

from __future__ import annotations

from datetime import date, timedelta


def add_request(agency, applicant_type: str, received_on: date, closed_on: date | None = None,
                outcome: str | None = None, *, withdrawn: bool = False):
    """A request received on ``received_on``; closed by a decision (or a withdrawal) if ``closed_on``.

    A closing outcome that needs a precondition (``no_supplement``, ``still_unclear``) gets it recorded first;
    ``fee_unpaid`` closes on a day the fee law decides, so it is built by its events, not here.
    """
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive, record_event

    applicant = Applicant.objects.create(type=applicant_type, name="申请人", id_number="320102199001011234")
    request = receive(agency, applicant, received_on, Channel.IN_PERSON)
    if closed_on is None:
        return request
    if withdrawn:
        record_event(request, EventKind.WITHDRAWN, closed_on)
        return request
    if outcome == "other_handling.no_supplement":  # its precondition: a 补正 deadline the day before
        record_event(request, EventKind.SUPPLEMENT_REQUESTED, received_on, supplement_by=closed_on - timedelta(days=1))
    elif outcome == "unavailable.still_unclear":  # its precondition: a supplement received
        record_event(request, EventKind.SUPPLEMENT_REQUESTED, received_on, supplement_by=closed_on)
        record_event(request, EventKind.SUPPLEMENT_RECEIVED, received_on)
    record_event(request, EventKind.DECIDED, closed_on, outcome)
    return request
