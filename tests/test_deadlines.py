import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import any_event

from gongkai.calendar import Due, WorkCalendar
from gongkai.ledger.convention import CountingConvention
from gongkai.ledger.deadlines import DeadlineKind, assess, next_deadline, reply_due
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.events import (
    ConsultationEnded,
    ConsultationStarted,
    Decided,
    DelayedReply,
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
from gongkai.ledger.receipt import earliest_receipt_date
from gongkai.ledger.timeline import UNBOUNDED, Status, TimelineError, derive_state

CALENDAR = WorkCalendar()  # chinesecalendar only: 2027 unknown
CALENDAR_WITH_2027 = WorkCalendar.from_directory(
    Path(__file__).parent / "fixtures" / "data-dir" / "calendars"
)


def state(*events, **options):
    """The state on ``today`` (default: the day of the last event)."""
    days = [day for e in events for day in (e.on, getattr(e, "delivered_on", None), getattr(e, "notified_on", None))]
    today = options.pop("today", max(day for day in days if day is not None))
    return derive_state(events, today=today, calendar=options.pop("calendar", CALENDAR), **options)


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
        SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 4, 3)),
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
    result = state(Received(date(2026, 3, 2)), SupplementRequested(date(2026, 3, 12), supplement_by=date(2026, 3, 20)))
    assert result.supplement_notice_due == Due(date(2026, 3, 11))
    assert len(result.warnings) == 1 and "7 个工作日的期限 2026-03-11" in result.warnings[0]


def test_supplement_requested_twice_is_an_error():
    with pytest.raises(TimelineError, match="只能告知一次"):
        state(
            Received(date(2026, 3, 2)),
            SupplementRequested(date(2026, 3, 3), supplement_by=date(2026, 3, 10)),
            SupplementReceived(date(2026, 3, 5)),
            SupplementRequested(date(2026, 3, 6), supplement_by=date(2026, 3, 10)),
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
    with pytest.raises(TimelineError, match="未开始征求意见"):
        state(Received(date(2026, 9, 14)), ConsultationEnded(date(2026, 9, 20)))
    with pytest.raises(TimelineError, match="尚未结束"):
        state(*NATIONAL_DAY_EVENTS[:2], ConsultationStarted(date(2026, 9, 23)))


def test_one_extension_gives_the_40th_working_day():
    # 2026-02-10: the 20th WD is 3-16 (above); 3-17..3-20 21-24, 3-23..3-27 25-29, 3-30 30, 3-31 31,
    # 4-01 32, 4-02 33, 4-03 34, 清明 4-04..4-06 off, 4-07 35, 4-08 36, 4-09 37, 4-10 38, 4-13 39, 4-14 Tue 40.
    result = state(Received(date(2026, 2, 10)), ExtensionApproved(date(2026, 3, 10)))
    assert result.reply_due == Due(date(2026, 4, 14))
    assert result.warnings == []
    assert reply_due(date(2026, 2, 10), extension_days=20, calendar=CALENDAR) == Due(date(2026, 4, 14))


def test_second_extension_is_an_error():
    with pytest.raises(TimelineError, match="只能延长一次"):
        state(
            Received(date(2026, 2, 10)),
            ExtensionApproved(date(2026, 3, 2)),
            ExtensionApproved(date(2026, 3, 3)),
        )


def test_extension_after_the_first_deadline_is_a_warning():
    # Approved the day after the first deadline: the reply stays due 3-16, overdue (条例第三十三条).
    result = state(Received(date(2026, 2, 10)), ExtensionApproved(date(2026, 3, 17)))
    assert "晚于首个答复期限 2026-03-16" in result.warnings[0]
    assert result.reply_due == Due(date(2026, 3, 16))
    assert [d.kind for d in assess(result.pending_deadlines(), date(2026, 3, 17), calendar=CALENDAR).overdue] == [
        DeadlineKind.REPLY
    ]
    # Approved in time but notified to the applicant after the first deadline: the same.
    notified_late = state(Received(date(2026, 2, 10)),
                          ExtensionApproved(date(2026, 3, 16), notified_on=date(2026, 3, 17)))
    assert notified_late.reply_due == Due(date(2026, 3, 16)) and notified_late.extension_days == 0


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
    assert result.reply_due is None  # the clock is paused from the notice until payment (办法第七条)
    assert result.fee_payment_due == Due(date(2026, 6, 1))
    # Paid 5-08: 4-21..4-24 1-4, 4-27 5, 4-28 6 (S counts), 4-29..5-08 not counted, 5-09 Sat make-up 7,
    # 5-11..5-15 8-12, 5-18..5-22 13-17, 5-25 18, 5-26 19, 5-27 Wed 20.
    paid = state(*FEE_EVENTS, FeePaid(date(2026, 5, 8)))
    assert paid.status is Status.IN_PROGRESS
    assert paid.reply_due == Due(date(2026, 5, 27))
    assert DeadlineKind.FEE_PAYMENT not in [d.kind for d in paid.pending_deadlines()]


def test_fee_methods_cannot_be_mixed():
    with pytest.raises(TimelineError, match="已按量收费"):
        state(*FEE_EVENTS, FeeNoticeSent(date(2026, 4, 29), quote=quote_per_request(12)))


def test_assessment_next_at_risk_overdue_lapsed():
    deadlines = state(FEE_EVENTS[0]).pending_deadlines()
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
    assert late.next is None
    unpaid = assess(state(*FEE_EVENTS).pending_deadlines(), date(2026, 6, 2), calendar=CALENDAR)
    assert [d.lapse_outcome for d in unpaid.lapsed] == ["other_handling.fee_unpaid"]


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
    assert "晚于答复期限 2026-03-16" in late.warnings[0]
    with pytest.raises(TimelineError, match="申请已于 2026-02-11 办结"):
        state(Received(date(2026, 2, 10)), Withdrawn(date(2026, 2, 11)), FeePaid(date(2026, 2, 12)))
    with pytest.raises(UnknownOutcomeError):
        Decided(date(2026, 3, 1), outcome="approved")


def test_timeline_shape():
    with pytest.raises(TimelineError, match="须以“收到申请”开始"):
        state(SupplementRequested(date(2026, 3, 1), supplement_by=date(2026, 3, 9)))
    with pytest.raises(TimelineError, match="只能收到一次"):
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
        pauses=[(start, start + timedelta(days=pause_length))],
        extension_days=20 if extended else 0,
        calendar=CALENDAR,
    )
    assert paused.date >= reply_due(received, extension_days=20 if extended else 0, calendar=CALENDAR).date


@given(received=known_days, extended=st.booleans())
def test_reply_due_is_a_working_day_after_receipt(received, extended):
    due = reply_due(received, extension_days=20 if extended else 0, calendar=CALENDAR)
    assert not due.provisional and CALENDAR.is_working_day(due.date) and due.date > received
    if extended:
        assert due.date > reply_due(received, calendar=CALENDAR).date


def test_fee_notice_cannot_be_delivered_before_it_is_sent():
    with pytest.raises(ValueError, match="送达日期"):
        FeeNoticeSent(date(2026, 4, 28), quote=quote_per_page(40), delivered_on=date(2026, 4, 27))


# -- The law of issue #10: pauses, lapses, preconditions, extensions, delays, receipt, dates ---------------------

MARCH = Received(date(2026, 3, 2))
PAGES = quote_per_page(120)  # 700 + 400 = 1100 元


def test_the_fee_notice_pauses_the_clock():
    # Spec: received 2026-03-02, notice 3-20 (WD 14: 3-03..3-06 1-4, 3-09..3-13 5-9, 3-16..3-20 10-14),
    # paid 4-16; days after 3-20 up to 4-16 not counted: 4-17 15, 4-20..4-23 16-19, 4-24 Fri 20.
    paid = state(MARCH, FeeNoticeSent(date(2026, 3, 20), quote=PAGES), FeePaid(date(2026, 4, 16), Decimal("1100")))
    assert paid.reply_due == Due(date(2026, 4, 24))
    assert paid.fee_pauses == [(date(2026, 3, 20), date(2026, 4, 16))]
    assert paid.payments == [(date(2026, 4, 16), Decimal("1100"))] and paid.fees_charged == Decimal("1100")
    # Answered on 4-24: on time, no warning.
    answered = state(MARCH, FeeNoticeSent(date(2026, 3, 20), quote=PAGES), FeePaid(date(2026, 4, 16)),
                     Decided(date(2026, 4, 24), outcome="granted"))
    assert answered.warnings == []


# Fee notice 2026-03-10 (received by the applicant that day): 3-11..3-13 1-3, 3-16..3-20 4-8, 3-23..3-27 9-13,
# 3-30..4-03 14-18, 清明 4-04..4-06 off, 4-07 19, 4-08 Wed 20 → payment due 4-08; unpaid, closed on 4-09.
UNPAID = (MARCH, FeeNoticeSent(date(2026, 3, 10), quote=PAGES))


def test_no_payment_within_20_working_days_closes_the_request_the_day_after():
    waiting = state(*UNPAID, today=date(2026, 4, 8))
    assert (waiting.status, waiting.fee_payment_due) == (Status.AWAITING_PAYMENT, Due(date(2026, 4, 8)))
    closed = state(*UNPAID, today=date(2026, 4, 9))
    assert (closed.status, closed.closed_on, closed.outcome, closed.lapsed) == (
        Status.CLOSED, date(2026, 4, 9), "other_handling.fee_unpaid", True)
    assert state(*UNPAID, today=UNBOUNDED).closed_on == date(2026, 4, 9)
    # The decision that records it keeps the closing on the day after the deadline.
    recorded = state(*UNPAID, Decided(date(2026, 4, 15), outcome="other_handling.fee_unpaid"))
    assert (recorded.closed_on, recorded.outcome) == (date(2026, 4, 9), "other_handling.fee_unpaid")
    with pytest.raises(TimelineError, match="申请已于 2026-04-09 办结.*逾期未缴纳"):
        state(*UNPAID, Decided(date(2026, 4, 10), outcome="granted"))


def test_a_late_payment_is_refused_unless_the_agency_accepts_it():
    with pytest.raises(TimelineError, match="缴费期限 2026-04-08 已过"):
        state(*UNPAID, FeePaid(date(2026, 4, 9)))
    accepted = state(*UNPAID, FeePaid(date(2026, 4, 9), Decimal("1100"), accepted_late=True))
    assert accepted.status is Status.IN_PROGRESS and "逾期缴费" in accepted.warnings[0]


def test_a_zero_yuan_fee_notice_is_refused():
    with pytest.raises(LedgerError, match="0 元"):
        FeeNoticeSent(date(2026, 3, 10), quote=quote_per_request(10))
    with pytest.raises(LedgerError, match="0 元"):
        FeeNoticeSent(date(2026, 3, 10), quote=quote_per_page(30))
    with pytest.raises(LedgerError, match="大于 0 元"):
        FeePaid(date(2026, 3, 10), Decimal("0"))


@pytest.mark.parametrize(("events", "message"), [
    ([Decided(date(2026, 3, 20), outcome="other_handling.fee_unpaid")], "须先发出收费通知"),
    ([*UNPAID[1:], FeePaid(date(2026, 3, 20)), Decided(date(2026, 4, 20), outcome="other_handling.fee_unpaid")],
     "须先发出收费通知且未缴费"),
    ([*UNPAID[1:], Decided(date(2026, 4, 8), outcome="other_handling.fee_unpaid")], "缴费期限 2026-04-08 未过"),
    ([Decided(date(2026, 3, 20), outcome="other_handling.no_supplement")], "须先告知补正"),
    ([SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 20)),
      Decided(date(2026, 3, 20), outcome="other_handling.no_supplement")], "补正期限 2026-03-20 未过"),
    ([Decided(date(2026, 3, 20), outcome="unavailable.still_unclear")], "须先收到补正"),
])
def test_closing_outcomes_need_their_precondition(events, message):
    with pytest.raises(TimelineError, match=message):
        state(MARCH, *events)


SUPPLEMENT = (MARCH, SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 20)))


def test_no_supplement_by_the_deadline_closes_the_request_the_day_after():
    assert state(*SUPPLEMENT, today=date(2026, 3, 20)).status is Status.AWAITING_SUPPLEMENT
    closed = state(*SUPPLEMENT, today=date(2026, 3, 21))
    assert (closed.closed_on, closed.outcome, closed.lapsed) == (date(2026, 3, 21), "other_handling.no_supplement",
                                                                 True)
    still_unclear = state(*SUPPLEMENT, SupplementReceived(date(2026, 3, 18)),
                          Decided(date(2026, 3, 25), outcome="unavailable.still_unclear"))
    assert still_unclear.outcome == "unavailable.still_unclear"


def test_a_supplement_notice_needs_a_deadline_not_before_it():
    with pytest.raises(LedgerError, match="须载明补正期限"):
        SupplementRequested(date(2026, 3, 4), supplement_by=None)
    with pytest.raises(LedgerError, match="补正期限 2026-03-03 早于告知补正日期 2026-03-04"):
        SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 3))
    assert SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 4)).supplement_by == date(2026, 3, 4)


def test_a_late_supplement_restarts_the_clock_only_with_a_good_reason():
    with pytest.raises(TimelineError, match="逾期补正须记录申请人有正当理由"):
        state(*SUPPLEMENT, SupplementReceived(date(2026, 4, 1)))
    # With the reason recorded: the clock restarts on 4-01, due 4-30 (as in test_supplement_restarts_the_clock).
    accepted = state(*SUPPLEMENT, SupplementReceived(date(2026, 4, 1), good_reason=True))
    assert accepted.reply_due == Due(date(2026, 4, 30)) and "正当理由" in accepted.warnings[0]


# Consultation from 2026-03-04 (WD 2 of the request received 3-02): the consultee's 15 WD are 3-05, 3-06,
# 3-09..3-13, 3-16..3-20, 3-23, 3-24, 3-25 → ends by 3-25. After it the pause (3-04, 3-25) leaves 18 WD:
# 3-26 3, 3-27 4, 3-30..4-03 5-9, 4-07..4-10 10-13, 4-13..4-17 14-18, 4-20 19, 4-21 Tue 20.
CONSULTING = (MARCH, ConsultationStarted(date(2026, 3, 4), consultee="第三方"))


def test_a_consultation_ends_by_itself_after_15_working_days():
    open_ = state(*CONSULTING, today=date(2026, 3, 25))
    assert (open_.status, open_.reply_due, open_.consultation_ends_by) == (Status.CONSULTING, None,
                                                                         Due(date(2026, 3, 25)))
    assert DeadlineKind.CONSULTATION in [d.kind for d in open_.pending_deadlines()]
    ran_out = state(*CONSULTING, today=date(2026, 3, 26))
    assert (ran_out.status, ran_out.reply_due) == (Status.IN_PROGRESS, Due(date(2026, 4, 21)))
    late_answer = state(*CONSULTING, ConsultationEnded(date(2026, 3, 30)))
    assert late_answer.reply_due == Due(date(2026, 4, 21)) and "晚于 15 个工作日" in late_answer.warnings[0]


def test_an_extension_has_its_length_of_1_to_20_working_days():
    # 2026-02-10: first deadline 3-16; 5 more WD: 3-17, 3-18, 3-19, 3-20, 3-23.
    five = state(Received(date(2026, 2, 10)), ExtensionApproved(date(2026, 3, 10), working_days=5,
                                                                notified_on=date(2026, 3, 11)))
    assert (five.reply_due, five.extension_days) == (Due(date(2026, 3, 23)), 5)
    for days in (0, 21):
        with pytest.raises(LedgerError, match="1 至 20 个工作日"):
            ExtensionApproved(date(2026, 3, 10), working_days=days)


def test_a_delayed_reply_under_article_35_sets_the_due_date():
    delayed = state(Received(date(2026, 2, 10)), DelayedReply(date(2026, 3, 10), reply_by=date(2026, 4, 30)))
    assert delayed.reply_due == Due(date(2026, 4, 30))
    assert assess(delayed.pending_deadlines(), date(2026, 3, 17), calendar=CALENDAR).overdue == ()
    too_late = state(Received(date(2026, 2, 10)), DelayedReply(date(2026, 3, 17), reply_by=date(2026, 4, 30)))
    assert too_late.reply_due == Due(date(2026, 3, 16)) and "第三十五条" in too_late.warnings[0]
    with pytest.raises(LedgerError, match="须晚于告知日期"):
        DelayedReply(date(2026, 3, 10), reply_by=date(2026, 3, 10))


def test_receipt_on_a_non_working_day_by_online_fax_or_ordinary_post():
    sunday = date(2026, 2, 15)  # 春节: the next working day is 2-24
    assert earliest_receipt_date(sunday, "online", CALENDAR) == date(2026, 2, 24)
    assert earliest_receipt_date(sunday, "post_ordinary", CALENDAR) == date(2026, 2, 24)
    assert earliest_receipt_date(date(2026, 2, 14), "fax", CALENDAR) == date(2026, 2, 14)  # make-up working day
    assert earliest_receipt_date(sunday, "in_person", CALENDAR) == sunday
    warned = state(Received(sunday, channel="online"))
    assert "最早为下一个工作日 2026-02-24" in warned.warnings[0]
    assert state(Received(sunday, channel="post_signed")).warnings == []


def test_events_after_today_are_refused():
    with pytest.raises(TimelineError, match="晚于今天 2026-03-05"):
        state(MARCH, Decided(date(2026, 3, 10), outcome="granted"), today=date(2026, 3, 5))
    with pytest.raises(TimelineError, match="2026-03-12 晚于今天"):
        state(MARCH, FeeNoticeSent(date(2026, 3, 10), quote=PAGES, delivered_on=date(2026, 3, 12)),
              today=date(2026, 3, 11))


def test_events_of_one_day_keep_their_recorded_order():
    same_day = state(MARCH, FeeNoticeSent(date(2026, 3, 20), quote=PAGES), FeePaid(date(2026, 3, 20)))
    assert same_day.status is Status.IN_PROGRESS
    with pytest.raises(TimelineError, match="没有待缴费的收费通知"):
        state(MARCH, FeePaid(date(2026, 3, 20)), FeeNoticeSent(date(2026, 3, 20), quote=PAGES))
    consulted = state(MARCH, ConsultationStarted(date(2026, 3, 4)), ConsultationEnded(date(2026, 3, 4)))
    assert consulted.status is Status.IN_PROGRESS


CJK = re.compile(r"[\u4e00-\u9fff]")
@given(data=st.data(), received=st.dates(date(2025, 1, 1), date(2026, 6, 30)), count=st.integers(0, 6),
       later=st.integers(0, 200))
def test_every_message_the_ledger_gives_is_chinese(data, received, count, later):
    messages = []
    events = [Received(received, channel=data.draw(st.sampled_from(["online", "in_person", "fax"])))]
    for _ in range(count):
        try:
            events.append(data.draw(any_event(received)))
        except LedgerError as error:
            messages.append(str(error))
    today = max(e.on for e in events) + timedelta(days=later)
    try:
        messages += state(*events, today=today).warnings
    except LedgerError as error:
        messages.append(str(error))
    for message in messages:
        assert CJK.search(message), message
