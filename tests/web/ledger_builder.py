"""Build ledgers through the same code paths the application uses."""

from __future__ import annotations

from datetime import date


def add_request(agency, applicant_type: str, received_on: date, closed_on: date | None = None,
                outcome: str | None = None, *, withdrawn: bool = False):
    """A request received on ``received_on``; closed by a decision (or a withdrawal) if ``closed_on``."""
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive, record_event

    applicant = Applicant.objects.create(type=applicant_type, name="申请人", id_number="320102199001011234")
    request = receive(agency, applicant, received_on, Channel.ONLINE)
    if closed_on is None:
        return request
    if withdrawn:
        record_event(request, EventKind.WITHDRAWN, closed_on)
    else:
        record_event(request, EventKind.DECIDED, closed_on, outcome)
    return request
