"""How the request page explains a reply due date (``web/office/counting.py``): the same date as the ledger's
for every timeline, each counted day numbered, pauses (consultation, fee notice until payment), restarts,
extensions of their recorded length and 延迟答复 named."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from gongkai.calendar import WorkCalendar
from gongkai.ledger import events as ev
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.fees import quote_fee
from gongkai.ledger.timeline import UNBOUNDED, derive_state
from gongkai.web.office.counting import DayKind, explain_reply_count, month_grids

CALENDAR = WorkCalendar()


def _count(events, calendar=CALENDAR, today=UNBOUNDED):
    state = derive_state(events, today=today, calendar=calendar)
    return state, explain_reply_count(events, state, calendar=calendar)


def test_the_spec_example_day_by_day():
    state, count = _count([ev.Received(date(2026, 2, 10))])
    assert count.due.date == state.reply_due.date == date(2026, 3, 16)
    days = {d.date: d for d in count.days}
    assert days[date(2026, 2, 10)].kind is DayKind.START
    assert days[date(2026, 2, 14)].kind is DayKind.MAKEUP and days[date(2026, 2, 14)].ordinal == 4
    assert days[date(2026, 2, 16)].kind is DayKind.HOLIDAY and days[date(2026, 2, 15)].kind is DayKind.REST
    assert [d.ordinal for d in count.days if d.ordinal] == list(range(1, 21))
    assert count.steps[-1].text == "第 20 个工作日：答复期限"


def test_consultation_pause_and_extension_are_named():
    received = date(2026, 3, 2)
    events = [ev.Received(received), ev.ConsultationStarted(date(2026, 3, 10)),
              ev.ConsultationEnded(date(2026, 3, 20)), ev.ExtensionApproved(date(2026, 3, 25), working_days=7)]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date and count.period == 27
    paused = [d.date for d in count.days if d.kind is DayKind.PAUSED]
    assert paused[0] == date(2026, 3, 11) and paused[-1] == date(2026, 3, 20)  # day S counts, S+1..E do not
    texts = " ".join(step.text for step in count.steps)
    assert "征求意见暂停" in texts and "2026-03-11 至 2026-03-20 暂停计时" in texts and "2026-03-20 收到意见" in texts
    assert "延期7个工作日" in texts and "不计入" not in texts
    assert count.first_due is not None and "晚于首个答复期限" not in texts


def test_the_spec_fee_example_step_by_step():
    """Received 2026-03-02, fee notice 03-20 (working day 14), paid 04-16: due 2026-04-24 (spec, 办法第七条)."""
    events = [ev.Received(date(2026, 3, 2)), ev.FeeNoticeSent(date(2026, 3, 20), quote=quote_fee(pages=120)),
              ev.FeePaid(date(2026, 4, 16))]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date == date(2026, 4, 24)
    days = {d.date: d for d in count.days}
    assert days[date(2026, 3, 20)].ordinal == 14  # the notice day counts
    paused = [d.date for d in count.days if d.kind is DayKind.PAUSED]
    assert paused[0] == date(2026, 3, 21) and paused[-1] == date(2026, 4, 16)  # up to and including payment
    assert days[date(2026, 4, 17)].ordinal == 15 and days[date(2026, 4, 24)].ordinal == 20
    assert [(step.on, step.text) for step in count.steps] == [
        (date(2026, 3, 2), "收到申请（条例第三十一条），为答复期限的起算日"),
        (date(2026, 3, 2), "自次日起计算 20 个工作日的答复期限（条例第三十三条第二款）"),
        (date(2026, 3, 20), "收费通知至缴费暂停（办法第七条）：2026-03-20 发出收费通知，2026-03-21 至 2026-04-16 "
                            "暂停计时，2026-04-16 缴费后继续计算"),
        (date(2026, 4, 24), "第 20 个工作日：答复期限"),
    ]


def test_an_unpaid_fee_notice_stops_the_count_and_lapses():
    events = [ev.Received(date(2026, 3, 2)), ev.FeeNoticeSent(date(2026, 3, 20), quote=quote_fee(pages=120))]
    state, count = _count(events, today=date(2026, 3, 25))
    assert state.reply_due is None and count.due is None
    assert count.stopped.startswith("待缴费：已计入 14 个工作日")
    assert any("收费通知至缴费暂停" in step.text for step in count.steps)
    state, count = _count(events)  # nobody paid: closed the day after the payment deadline
    assert state.lapsed and count.due is None
    assert any("逾期未缴纳信息处理费" in step.text for step in count.steps)


def test_a_consultation_ends_by_itself_after_15_working_days():
    events = [ev.Received(date(2026, 3, 2)), ev.ConsultationStarted(date(2026, 3, 9))]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date
    (started, ended), = state.consultations
    assert [d.date for d in count.days if d.kind is DayKind.PAUSED][-1] == ended
    assert any(f"{ended:%Y-%m-%d} 被征求意见方 15 个工作日期满，暂停自行结束" in step.text for step in count.steps)


def test_a_delayed_reply_sets_the_due_date():
    events = [ev.Received(date(2026, 3, 2)), ev.DelayedReply(date(2026, 3, 10), reply_by=date(2026, 5, 29))]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date == date(2026, 5, 29)
    assert count.days[-1].date == date(2026, 5, 29) and count.days[-1].kind is DayKind.DELAYED
    assert [d.ordinal for d in count.days if d.ordinal] == list(range(1, 21))
    assert any("延迟答复至 2026-05-29" in step.text for step in count.steps)


def test_a_second_delay_replaces_the_first_and_a_late_one_does_not_count():
    events = [ev.Received(date(2026, 3, 2)), ev.DelayedReply(date(2026, 3, 10), reply_by=date(2026, 5, 29)),
              ev.DelayedReply(date(2026, 5, 20), reply_by=date(2026, 6, 30)),
              ev.DelayedReply(date(2026, 7, 6), reply_by=date(2026, 8, 31))]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date == date(2026, 6, 30)
    texts = [step.text for step in count.steps if step.text.startswith("延迟答复至")]
    assert texts[0].endswith("由其后的延迟答复取代") and texts[2].endswith("告知晚于答复期限，不计入")
    assert "；" not in texts[1]


def test_a_late_extension_is_said_to_be_late():
    events = [ev.Received(date(2026, 3, 2)), ev.ExtensionApproved(date(2026, 4, 10), working_days=10)]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date == date(2026, 3, 30) and count.period == 20
    assert any("延期10个工作日" in step.text and "晚于首个答复期限 2026-03-30，不计入" in step.text
               for step in count.steps)


def test_supplement_restarts_the_clock():
    events = [ev.Received(date(2026, 3, 2)), ev.SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 20))]
    state, count = _count(events, today=date(2026, 3, 10))
    assert state.reply_due is None and count.due is None and "等待申请人补正" in count.stopped and not count.days
    state, count = _count([*events, ev.SupplementReceived(date(2026, 3, 16))])
    assert count.due.date == state.reply_due.date and count.days[0].date == date(2026, 3, 16)
    assert any(step.text.startswith("补正后重新起算") for step in count.steps)


def test_an_open_consultation_stops_the_count():
    events = [ev.Received(date(2026, 3, 2)), ev.ConsultationStarted(date(2026, 3, 9))]
    state, count = _count(events, today=date(2026, 3, 20))
    assert state.reply_due is None and count.due is None
    assert count.stopped.startswith("征求意见中：已计入 5 个工作日") and count.used_by(date(2026, 6, 1)) == 5


def test_without_a_schedule_the_date_is_provisional():
    calendar = WorkCalendar(use_chinesecalendar=False)
    state, count = _count([ev.Received(date(2026, 2, 10))], calendar)
    assert count.due == state.reply_due and count.due.provisional
    assert all(d.provisional for d in count.days if d.kind is not DayKind.START)
    assert any("暂定" in step.text for step in count.steps)


def _random_timeline(rng: random.Random) -> tuple[list[ev.Event], date]:
    """Events in date order (some the ledger refuses; the caller skips those) and a day to read them on."""
    received = date(2025, 1, 2) + timedelta(days=rng.randrange(600))
    day, events = received, [ev.Received(received)]

    def later(low: int, high: int) -> date:
        return day + timedelta(days=rng.randrange(low, high))

    if rng.random() < 0.3:
        day = later(0, 10)
        events.append(ev.SupplementRequested(day, supplement_by=day + timedelta(days=15)))
        if rng.random() < 0.8:
            day = later(0, 16)
            events.append(ev.SupplementReceived(day))
    for _ in range(rng.randrange(3)):
        day = later(0, 15)
        events.append(ev.ConsultationStarted(day))
        if rng.random() < 0.6:
            day = later(0, 30)  # sometimes after the consultee's 15 WD: the pause already ended by itself
            events.append(ev.ConsultationEnded(day))
        elif rng.random() < 0.5:
            break  # left open: ends by itself, or still open on the day read
        else:
            day = later(25, 40)  # long enough for the 15 WD to have run out
    if rng.random() < 0.35:
        day = later(0, 40)
        notified = day + timedelta(days=rng.choice([0, 0, 1, 3, 10]))
        events.append(ev.ExtensionApproved(day, working_days=rng.randint(1, 20), notified_on=notified))
        day = notified
    for _ in range(rng.randrange(3) if rng.random() < 0.4 else 0):
        day = later(0, 20)
        events.append(ev.FeeNoticeSent(day, quote=quote_fee(pages=rng.randint(31, 400))))
        if rng.random() < 0.75:
            day = later(0, 35)  # sometimes past the 20 WD: refused, unless accepted late
            events.append(ev.FeePaid(day, accepted_late=rng.random() < 0.5))
        else:
            break
    if rng.random() < 0.25:
        day = later(0, 30)
        events.append(ev.DelayedReply(day, reply_by=later(1, 120)))
    if rng.random() < 0.4:
        day = later(0, 40)
        events.append(ev.Decided(day, outcome="granted"))
    today = UNBOUNDED if rng.random() < 0.3 else later(0, 60)
    return events, today


@pytest.mark.parametrize("seed", range(8))
def test_every_timeline_arrives_at_the_ledgers_date(seed):
    rng = random.Random(seed)
    checked, seen = 0, set()
    while checked < 50:
        events, today = _random_timeline(rng)
        try:
            state = derive_state(events, today=today, calendar=CALENDAR)
        except LedgerError:
            continue
        count = explain_reply_count(events, state, calendar=CALENDAR)
        assert (count.due.date if count.due else None) == (state.reply_due.date if state.reply_due else None), events
        if count.due is not None:
            assert [d.ordinal for d in count.days if d.ordinal] == list(range(1, count.period + 1))
            assert count.days[-1].date == count.due.date
        seen |= {type(event).__name__ for event in events} | {step.text[:6] for step in count.steps}
        checked += 1
    # the rules the ledger applies by itself, and each labelled step, occur among the 50 timelines
    assert {"FeePaid", "ExtensionApproved", "DelayedReply", "ConsultationStarted"} <= seen, seen
    assert {"收费通知至缴", "征求意见暂停", "延迟答复至 ", "补正后重新起"} <= seen, seen


def test_month_grids_lay_the_days_out_monday_first():
    _, count = _count([ev.Received(date(2026, 2, 10))])
    months = month_grids(count.days)
    assert [name for name, _ in months] == ["2026年2月", "2026年3月"]
    first_week = months[0][1][0]
    assert first_week[1].date == date(2026, 2, 10) and first_week[0] is None  # a Tuesday
    assert all(len(week) == 7 for _, weeks in months for week in weeks)
