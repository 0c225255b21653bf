"""One rule: a request's RequestEvent rows become the ledger's typed events, and ``derive_state`` decides its
closing, outcome and whether a new event is possible at all."""

from __future__ import annotations

import inspect
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.ledger import events as ledger
from gongkai.ledger.fees import FeeMethod
from gongkai.ledger.timeline import Status
from gongkai.web.requests.events import LEDGER_TYPES, EventKind, ledger_events
from gongkai.web.requests.timeline import record_event

from .ledger_builder import add_request


def test_event_kinds_are_the_ledger_event_types():
    ledger_types = {cls for _, cls in inspect.getmembers(ledger, inspect.isclass)
                    if issubclass(cls, ledger.Event) and cls is not ledger.Event}
    assert set(LEDGER_TYPES) == set(EventKind)
    assert set(LEDGER_TYPES.values()) == ledger_types
    for kind, cls in LEDGER_TYPES.items():  # the stored value is the type's name in snake case
        assert kind.value == re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def _closing(request):
    request.refresh_from_db()
    return request.closed_on, request.outcome


def test_rows_become_typed_events(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2))
    record_event(request, EventKind.SUPPLEMENT_REQUESTED, date(2026, 3, 4), supplement_by=date(2026, 3, 20))
    record_event(request, EventKind.SUPPLEMENT_RECEIVED, date(2026, 3, 16))
    record_event(request, EventKind.FEE_NOTICE_SENT, date(2026, 3, 18), fee_method=FeeMethod.PER_PAGE,
                 fee_units=40, delivered_on=date(2026, 3, 19))
    record_event(request, EventKind.DECIDED, date(2026, 4, 1), "granted")
    received, requested, supplied, fee, decided = ledger_events(request)
    assert received == ledger.Received(date(2026, 3, 2), channel="in_person")
    assert requested == ledger.SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 20))
    assert supplied == ledger.SupplementReceived(date(2026, 3, 16))
    assert (fee.quote.method, fee.quote.total, fee.applicant_received_on) == (FeeMethod.PER_PAGE, 100,
                                                                               date(2026, 3, 19))
    assert decided == ledger.Decided(date(2026, 4, 1), outcome="granted")
    assert _closing(request) == (date(2026, 4, 1), "granted")


def test_withdrawal_closes_as_other_handling(county):
    _, education, _ = county
    request = add_request(education, "commercial", date(2026, 3, 2))
    record_event(request, EventKind.EXTENSION_APPROVED, date(2026, 3, 20), extension_days=10)
    assert _closing(request) == (None, None)
    record_event(request, EventKind.WITHDRAWN, date(2026, 3, 25))
    assert _closing(request) == (date(2026, 3, 25), "other_handling.other")
    assert request.state().status is Status.CLOSED


def test_supplement_never_received(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2))
    record_event(request, EventKind.SUPPLEMENT_REQUESTED, date(2026, 3, 4), supplement_by=date(2026, 3, 20))
    state = request.state(today=date(2026, 3, 20))
    assert (state.status, state.reply_due) == (Status.AWAITING_SUPPLEMENT, None)
    [deadline] = state.pending_deadlines()
    assert (deadline.due.date, deadline.lapse_outcome) == (date(2026, 3, 20), "other_handling.no_supplement")
    # Closed by law the day after the supplement date passed without an answer: stored as soon as it is known.
    assert _closing(request) == (date(2026, 3, 21), "other_handling.no_supplement")
    record_event(request, EventKind.DECIDED, date(2026, 3, 25), "other_handling.no_supplement")
    assert _closing(request) == (date(2026, 3, 21), "other_handling.no_supplement")


def test_deleting_the_closing_reopens(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2), date(2026, 3, 10), "granted")
    request.events.get(kind=EventKind.DECIDED).delete()
    assert _closing(request) == (None, None)


@pytest.mark.parametrize(("events", "refused", "message"), [
    ([(EventKind.EXTENSION_APPROVED, date(2026, 3, 5), None, "", {"extension_days": 5})],
     (EventKind.EXTENSION_APPROVED, date(2026, 3, 6), None, "", {"extension_days": 5}), "只能延长一次"),
    ([], (EventKind.SUPPLEMENT_RECEIVED, date(2026, 3, 6)), "未告知补正"),
    ([], (EventKind.CONSULTATION_ENDED, date(2026, 3, 6)), "未开始征求意见"),
    ([(EventKind.WITHDRAWN, date(2026, 3, 5))], (EventKind.DECIDED, date(2026, 3, 5), "granted"), "已于 2026-03-05 办结"),
    ([(EventKind.DECIDED, date(2026, 3, 9), "granted")], (EventKind.FEE_PAID, date(2026, 3, 6), None, "",
                                                          {"amount": 100}), "没有待缴费的收费通知"),
])
def test_the_rule_refuses_impossible_timelines(county, events, refused, message):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2))
    for kind, day, *rest in events:
        record_event(request, kind, day, *rest[:2], **(rest[2] if len(rest) > 2 else {}))
    kind, day, *rest = refused
    with pytest.raises(ValidationError, match=message):
        record_event(request, kind, day, *rest[:2], **(rest[2] if len(rest) > 2 else {}))


def test_event_details_belong_to_their_kind(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2))
    with pytest.raises(ValidationError, match="收费通知须选择收费方式"):
        record_event(request, EventKind.FEE_NOTICE_SENT, date(2026, 3, 5))
    with pytest.raises(ValidationError, match="“补正期限”只用于“告知补正”"):
        record_event(request, EventKind.EXTENSION_APPROVED, date(2026, 3, 5), supplement_by=date(2026, 3, 20),
                     extension_days=5)
    with pytest.raises(ValidationError, match="“收费方式”只用于“发出收费通知”"):
        record_event(request, EventKind.EXTENSION_APPROVED, date(2026, 3, 5), fee_method="per_page", fee_units=40,
                     extension_days=5)
    with pytest.raises(ValidationError, match="须填写延长的工作日数"):
        record_event(request, EventKind.EXTENSION_APPROVED, date(2026, 3, 5))
    with pytest.raises(ValidationError, match="按量收费的收费通知须填写页数"):
        record_event(request, EventKind.FEE_NOTICE_SENT, date(2026, 3, 5), fee_method="per_page")
    with pytest.raises(ValidationError, match="须填写缴费金额"):
        record_event(request, EventKind.FEE_NOTICE_SENT, date(2026, 3, 5), fee_method="per_page", fee_units=40)
        record_event(request, EventKind.FEE_PAID, date(2026, 3, 6))


def test_a_deletion_that_breaks_the_timeline_is_refused(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2))
    asked = record_event(request, EventKind.SUPPLEMENT_REQUESTED, date(2026, 3, 4), supplement_by=date(2026, 3, 10))
    record_event(request, EventKind.SUPPLEMENT_RECEIVED, date(2026, 3, 6))
    with pytest.raises(ValidationError, match="未告知补正"):
        asked.delete()


def test_lapses_of_a_ledger_recorded_before_they_were_derived_are_written_once(county):
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.timeline import write_lapses

    _, education, _ = county
    request = add_request(education, "natural_person", date(2026, 3, 2))
    record_event(request, EventKind.SUPPLEMENT_REQUESTED, date(2026, 3, 4), supplement_by=date(2026, 3, 20))
    Request.objects.filter(pk=request.pk).update(closed_on=None, outcome=None)  # as stored before #10
    open_one = add_request(education, "natural_person", date(2026, 3, 2))
    assert write_lapses() == 1
    assert _closing(request) == (date(2026, 3, 21), "other_handling.no_supplement")
    assert _closing(open_one) == (None, None)
