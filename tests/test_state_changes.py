"""``RequestState.changes_on``: the first day on which the passing of time alone changes a request's state.

The office's pages keep a copy of each open request's state and trust it through the day before
(``web/requests/stored_state.py``); these tests hold the ledger to that promise on random timelines, lawful or
not, and at its edges (a consultation running out, a supplement or payment deadline lapsing, the same day).
"""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_event

from gongkai.calendar import WorkCalendar
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.events import (
    ConsultationStarted,
    Decided,
    FeeNoticeSent,
    Received,
    SupplementRequested,
)
from gongkai.ledger.fees import quote_per_page
from gongkai.ledger.timeline import Status, derive_state

CALENDAR = WorkCalendar()
ONE_DAY = timedelta(days=1)


def derive(events, today):
    return derive_state(events, today=today, calendar=CALENDAR)


def same_but_today(a, b) -> bool:
    return replace(a, today=b.today) == b


@settings(max_examples=300, deadline=None)
@given(data=st.data(), received=st.dates(date(2024, 1, 1), date(2026, 6, 30)), count=st.integers(0, 5),
       later=st.integers(0, 120))
def test_a_state_holds_until_the_day_it_says_it_changes(data, received, count, later):
    events = [Received(received)]
    for _ in range(count):
        try:
            events.append(data.draw(any_event(received)))
        except LedgerError:
            pass
    first = max(event.on for event in events) + timedelta(days=later)
    try:
        state = derive(events, first)
    except LedgerError:
        return
    changes = state.changes_on
    if changes is None:  # nothing happens by itself: the state is the same a year later
        assert same_but_today(state, derive(events, first + timedelta(days=366)))
        return
    assert changes > first
    for day in (first + ONE_DAY, changes - ONE_DAY):
        if first < day < changes:
            assert same_but_today(state, derive(events, day)), day
    assert not same_but_today(state, derive(events, changes))


def test_a_consultation_changes_the_state_the_day_after_its_15_working_days():
    events = [Received(date(2026, 3, 2)), ConsultationStarted(date(2026, 3, 4))]
    state = derive(events, date(2026, 3, 4))
    assert state.status is Status.CONSULTING
    assert state.changes_on == state.consultation_ends_by.date + ONE_DAY
    assert derive(events, state.consultation_ends_by.date).status is Status.CONSULTING
    assert derive(events, state.changes_on).status is Status.IN_PROGRESS


def test_a_supplement_or_payment_deadline_changes_the_state_the_day_it_lapses():
    supplement = [Received(date(2026, 3, 2)), SupplementRequested(date(2026, 3, 3), supplement_by=date(2026, 3, 20))]
    state = derive(supplement, date(2026, 3, 3))
    assert state.changes_on == date(2026, 3, 21)
    assert derive(supplement, date(2026, 3, 20)).status is Status.AWAITING_SUPPLEMENT
    assert derive(supplement, date(2026, 3, 21)).status is Status.CLOSED
    fee = [Received(date(2026, 3, 2)), FeeNoticeSent(date(2026, 3, 10), quote=quote_per_page(120))]
    state = derive(fee, date(2026, 3, 10))
    assert state.changes_on == state.fee_payment_due.date + ONE_DAY


def test_a_state_that_waits_only_for_the_office_never_changes_by_itself():
    events = [Received(date(2026, 3, 2))]
    assert derive(events, date(2026, 3, 2)).changes_on is None
    closed = derive([*events, Decided(date(2026, 3, 2), outcome="granted")], date(2026, 3, 2))
    assert closed.status is Status.CLOSED and closed.changes_on is None


def test_a_lapse_closes_a_request_with_its_consultation_as_it_stood_that_day():
    """A 补正 deadline lapses while a consultation is still open (both begun on the day of receipt, found by the
    random test above): the request closes the day after the deadline, and the consultation's 15 WD running out
    later changes nothing, whichever later day the state is derived on."""
    events = [Received(date(2024, 1, 1)), SupplementRequested(date(2024, 1, 1), supplement_by=date(2024, 1, 1)),
              ConsultationStarted(date(2024, 1, 1))]
    closed = derive(events, date(2024, 1, 2))
    assert closed.status is Status.CLOSED and closed.closed_on == date(2024, 1, 2) and closed.changes_on is None
    assert closed.consultation_ends_by.date > date(2024, 1, 2)
    for later in (closed.consultation_ends_by.date, closed.consultation_ends_by.date + ONE_DAY, date(2025, 1, 2)):
        assert same_but_today(closed, derive(events, later)), later
