from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.convention import CountingConvention
from gongkai.ledger.deadlines import DeadlineKind, assess, next_deadline, reply_due
from gongkai.ledger.events import (
    ConsultationEnded,
    ConsultationStarted,
    Decided,
    ExtensionApproved,
    FeeNoticeSent,
    FeePaid,
    Received,
    SupplementReceived,
    SupplementRequested,
    Withdrawn,
)
from gongkai.ledger.fees import quote_per_page, quote_per_request
from gongkai.ledger.outcomes import UnknownOutcomeError
from gongkai.ledger.timeline import Status, TimelineError, derive_state

CALENDAR = WorkCalendar()  # chinesecalendar only: 2027 unknown
CALENDAR_WITH_2027 = WorkCalendar.from_directory(
    Path(__file__).parent / "fixtures" / "data-dir" / "calendars"
)


def state(*events, **options):
    return derive_state(events, calendar=options.pop("calendar", CALENDAR), **options)


def test_spec_example():
    # 2026-02-10 (day 0): 2-11 1, 2-12 2, 2-13 3, 2-14 Sat make-up 4, 春节 2-15..2-23 off, 2-24 5 … 2-27 8,
    # 2-28 Sat make-up 9, 3-02..3-06 10-14, 3-09..3-13 15-19, 3-16 20.
    assert state(Received(date(2026, 2, 10))).reply_due == Due(date(2026, 3, 16))
    assert reply_due(date(2026, 2, 10), calendar=CALENDAR) == Due(date(2026, 3, 16))


def test_received_on_the_friday_before_spring_festival():
    # 2026-02-13 Fri (day 0): 2-14 Sat make-up 1, 2-15..2-23 off, 2-24 2, 2-25 3, 2-26 4, 2-27 5,
    # 2-28 Sat make-up 6, 3-02..3-06 7-11, 3-09..3-13 12-16, 3-16 17, 3-17 18, 3-18 19, 3-19 Thu 20.
    # Supplement notice (7 WD): 2-14 1, 2-24 2, 2-25 3, 2-26 4, 2-27 5, 2-28 6, 3-02 7.
    result = state(Received(date(2026, 2, 13)))
    assert result.reply_due == Due(date(2026, 3, 19))
    assert result.supplement_notice_due == Due(date(2026, 3, 2))
    assert next_deadline(result.pending_deadlines()).kind is DeadlineKind.SUPPLEMENT_NOTICE


def test_received_before_national_day_2025():
    # 2025-09-26 Fri (day 0): 9-28 Sun make-up 1, 9-29 2, 9-30 3, 10-01..10-08 off, 10-09 4, 10-10 5,
    # 10-11 Sat make-up 6, 10-13..10-17 7-11, 10-20..10-24 12-16, 10-27 17, 10-28 18, 10-29 19, 10-30 Thu 20.
    assert state(Received(date(2025, 9, 26))).reply_due == Due(date(2025, 10, 30))


def test_supplement_restarts_the_clock():
    # Received 2026-03-02; 补正 notice 3-04; supplement arrives 2026-04-01 Wed (new day 0):
    # 4-02 1, 4-03 2, 清明 4-04..4-06 off, 4-07 3, 4-08 4, 4-09 5, 4-10 6, 4-13..4-17 7-11, 4-20..4-24 12-16,
    # 4-27 17, 4-28 18, 4-29 19, 4-30 Thu 20.
    events = [
        Received(date(2026, 3, 2)),
        SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 20)),
    ]
    waiting = state(*events)
    assert waiting.status is Status.AWAITING_SUPPLEMENT
    assert waiting.reply_due is None
    assert [d.kind for d in waiting.pending_deadlines()] == [DeadlineKind.SUPPLEMENT_FROM_APPLICANT]
    restarted = state(*events, SupplementReceived(date(2026, 4, 1)))
    assert restarted.status is Status.IN_PROGRESS
    assert restarted.reply_due == Due(date(2026, 4, 30))
    assert restarted.warnings == []


def test_late_supplement_notice_is_a_warning():
    # Received 2026-03-02 Mon: 3-03 1, 3-04 2, 3-05 3, 3-06 4, 3-09 5, 3-10 6, 3-11 7 → notice due 3-11.
    result = state(Received(date(2026, 3, 2)), SupplementRequested(date(2026, 3, 12)))
    assert result.supplement_notice_due == Due(date(2026, 3, 11))
    assert len(result.warnings) == 1 and "7-WD limit 2026-03-11" in result.warnings[0]


def test_supplement_requested_twice_is_an_error():
    with pytest.raises(TimelineError, match="once"):
        state(
            Received(date(2026, 3, 2)),
            SupplementRequested(date(2026, 3, 3)),
            SupplementReceived(date(2026, 3, 5)),
            SupplementRequested(date(2026, 3, 6)),
        )


# 2026-09-14 Mon received. Without a pause: 9-15..9-18 1-4, 9-20 Sun make-up 5, 9-21 6, 9-22 7, 9-23 8,
# 9-24 9, 中秋 9-25..9-27 off, 9-28 10, 9-29 11, 9-30 12, 国庆 10-01..10-07 off, 10-08 13, 10-09 14,
# 10-10 Sat make-up 15, 10-12 16, 10-13 17, 10-14 18, 10-15 19, 10-16 Fri 20.
NATIONAL_DAY_EVENTS = (
    Received(date(2026, 9, 14)),
    ConsultationStarted(date(2026, 9, 22), consultee="第三方"),
    ConsultationEnded(date(2026, 10, 12)),
)


def test_consultation_pause_over_national_day_2026():
    # Pause S=9-22 (counts, 7), E=10-12 (excluded with 9-23..10-11). Resume: 10-13 8, 10-14 9, 10-15 10,
    # 10-16 11, 10-19..10-23 12-16, 10-26 17, 10-27 18, 10-28 19, 10-29 Thu 20.
    assert state(NATIONAL_DAY_EVENTS[0]).reply_due == Due(date(2026, 10, 16))
    assert state(*NATIONAL_DAY_EVENTS).reply_due == Due(date(2026, 10, 29))


def test_pause_end_day_convention_is_configurable():
    # Same, but E=10-12 counts: 10-12 8, 10-13 9, 10-14 10, 10-15 11, 10-16 12, 10-19..10-23 13-17,
    # 10-26 18, 10-27 19, 10-28 Wed 20.
    convention = CountingConvention(pause_end_day_counts=True)
    assert state(*NATIONAL_DAY_EVENTS, convention=convention).reply_due == Due(date(2026, 10, 28))


def test_start_day_convention_is_configurable():
    # Receipt day 2026-02-10 counts as 1, so the 20th WD is one working day earlier than 3-16: 3-13 Fri.
    convention = CountingConvention(start_day_counts=True)
    assert state(Received(date(2026, 2, 10)), convention=convention).reply_due == Due(date(2026, 3, 13))


def test_open_consultation_pauses_the_clock():
    result = state(*NATIONAL_DAY_EVENTS[:2])
    assert result.status is Status.CONSULTING
    assert result.reply_due is None


def test_consultation_rules():
    with pytest.raises(TimelineError, match="none was started"):
        state(Received(date(2026, 9, 14)), ConsultationEnded(date(2026, 9, 20)))
    with pytest.raises(TimelineError, match="while one is open"):
        state(*NATIONAL_DAY_EVENTS[:2], ConsultationStarted(date(2026, 9, 23)))


def test_one_extension_gives_the_40th_working_day():
    # 2026-02-10: the 20th WD is 3-16 (above); 3-17..3-20 21-24, 3-23..3-27 25-29, 3-30 30, 3-31 31,
    # 4-01 32, 4-02 33, 4-03 34, 清明 4-04..4-06 off, 4-07 35, 4-08 36, 4-09 37, 4-10 38, 4-13 39, 4-14 Tue 40.
    result = state(Received(date(2026, 2, 10)), ExtensionApproved(date(2026, 3, 10)))
    assert result.reply_due == Due(date(2026, 4, 14))
    assert result.warnings == []
    assert reply_due(date(2026, 2, 10), extended=True, calendar=CALENDAR) == Due(date(2026, 4, 14))


def test_second_extension_is_an_error():
    with pytest.raises(TimelineError, match="once only"):
        state(
            Received(date(2026, 2, 10)),
            ExtensionApproved(date(2026, 3, 2)),
            ExtensionApproved(date(2026, 3, 3)),
        )


def test_extension_after_the_first_deadline_is_a_warning():
    result = state(Received(date(2026, 2, 10)), ExtensionApproved(date(2026, 3, 17)))
    assert "after the reply due date 2026-03-16" in result.warnings[0]


def test_deadline_into_2027_is_provisional_until_the_schedule_is_loaded():
    # 2026-12-10 Thu: 12-11 1, 12-14..12-18 2-6, 12-21..12-25 7-11, 12-28..12-31 12-15; 2027 unknown,
    # Mon–Fri: 1-01 16, 1-04 17, 1-05 18, 1-06 19, 1-07 20. With the 2027 file (1-01..1-03 off): 1-08.
    received = Received(date(2026, 12, 10))
    provisional = state(received).reply_due
    assert str(provisional) == "2027-01-07 (provisional: no holiday schedule for 2027)"
    assert state(received, calendar=CALENDAR_WITH_2027).reply_due == Due(date(2027, 1, 8))


# Fee case: received 2026-04-20 Mon. Reply: 4-21..4-24 1-4, 4-27..4-30 5-8, 劳动节 5-01..5-05 off,
# 5-06 9, 5-07 10, 5-08 11, 5-09 Sat make-up 12, 5-11..5-15 13-17, 5-18 18, 5-19 19, 5-20 Wed 20.
# Fee notice sent 4-28, applicant receives it 4-30 (day 0): 5-06 1, 5-07 2, 5-08 3, 5-09 4, 5-11..5-15 5-9,
# 5-18..5-22 10-14, 5-25..5-29 15-19, 6-01 Mon 20.
FEE_EVENTS = (
    Received(date(2026, 4, 20)),
    FeeNoticeSent(date(2026, 4, 28), quote=quote_per_page(120), delivered_on=date(2026, 4, 30)),
)


def test_fee_payment_window():
    result = state(*FEE_EVENTS)
    assert result.status is Status.AWAITING_PAYMENT
    assert result.reply_due == Due(date(2026, 5, 20))  # the notice does not extend the reply period
    assert result.fee_payment_due == Due(date(2026, 6, 1))
    paid = state(*FEE_EVENTS, FeePaid(date(2026, 5, 8)))
    assert paid.status is Status.IN_PROGRESS
    assert DeadlineKind.FEE_PAYMENT not in [d.kind for d in paid.pending_deadlines()]


def test_fee_methods_cannot_be_mixed():
    with pytest.raises(TimelineError, match="charged per_page"):
        state(*FEE_EVENTS, FeeNoticeSent(date(2026, 4, 29), quote=quote_per_request(12)))


def test_assessment_next_at_risk_overdue_lapsed():
    deadlines = state(*FEE_EVENTS).pending_deadlines()
    # Supplement notice due 4-29 (4-21 1 … 4-29 7) has passed by 5-01; the reply 5-20 is next.
    on_may_day = assess(deadlines, date(2026, 5, 1), calendar=CALENDAR)
    assert on_may_day.next.kind is DeadlineKind.REPLY
    assert on_may_day.overdue == () and on_may_day.at_risk == () and on_may_day.lapsed == ()
    # 5-14 + 5 WD: 5-15 1, 5-18 2, 5-19 3, 5-20 4, 5-21 5 → the reply due 5-20 is at risk.
    assert [d.kind for d in assess(deadlines, date(2026, 5, 14), calendar=CALENDAR).at_risk] == [
        DeadlineKind.REPLY
    ]
    late = assess(deadlines, date(2026, 6, 2), calendar=CALENDAR)
    assert [d.kind for d in late.overdue] == [DeadlineKind.REPLY]
    assert [d.lapse_outcome for d in late.lapsed] == ["other_handling.fee_unpaid"]
    assert late.next is None


def test_closing_events():
    decided = state(Received(date(2026, 2, 10)), Decided(date(2026, 3, 1), outcome="partially_granted"))
    assert (decided.status, decided.outcome, decided.closed_on) == (
        Status.CLOSED,
        "partially_granted",
        date(2026, 3, 1),
    )
    assert decided.pending_deadlines() == []
    withdrawn = state(Received(date(2026, 2, 10)), Withdrawn(date(2026, 2, 11)))
    assert withdrawn.outcome == "other_handling.other"
    late = state(Received(date(2026, 2, 10)), Decided(date(2026, 3, 17), outcome="granted"))
    assert "after the reply due date 2026-03-16" in late.warnings[0]
    with pytest.raises(TimelineError, match="after the request closed"):
        state(Received(date(2026, 2, 10)), Withdrawn(date(2026, 2, 11)), FeePaid(date(2026, 2, 12)))
    with pytest.raises(UnknownOutcomeError):
        Decided(date(2026, 3, 1), outcome="approved")


def test_timeline_shape():
    with pytest.raises(TimelineError, match="starts with the Received"):
        state(SupplementRequested(date(2026, 3, 1)))
    with pytest.raises(TimelineError, match="received once"):
        state(Received(date(2026, 3, 1)), Received(date(2026, 3, 2)))
    # Events are replayed in date order whatever order they are given in.
    shuffled = state(ConsultationEnded(date(2026, 10, 12)), *NATIONAL_DAY_EVENTS[:2])
    assert shuffled.reply_due == Due(date(2026, 10, 29))


known_days = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 8, 31))


@given(
    received=known_days,
    pause_offset=st.integers(min_value=0, max_value=30),
    pause_length=st.integers(min_value=0, max_value=25),
    extended=st.booleans(),
)
def test_a_consultation_never_makes_the_reply_due_earlier(received, pause_offset, pause_length, extended):
    start = received + timedelta(days=pause_offset)
    paused = reply_due(
        received,
        consultations=[(start, start + timedelta(days=pause_length))],
        extended=extended,
        calendar=CALENDAR,
    )
    assert paused.date >= reply_due(received, extended=extended, calendar=CALENDAR).date


@given(received=known_days, extended=st.booleans())
def test_reply_due_is_a_working_day_after_receipt(received, extended):
    due = reply_due(received, extended=extended, calendar=CALENDAR)
    assert not due.provisional and CALENDAR.is_working_day(due.date) and due.date > received
    if extended:
        assert due.date > reply_due(received, calendar=CALENDAR).date


def test_fee_notice_cannot_be_delivered_before_it_is_sent():
    with pytest.raises(ValueError, match="delivered"):
        FeeNoticeSent(date(2026, 4, 28), quote=quote_per_page(40), delivered_on=date(2026, 4, 27))
