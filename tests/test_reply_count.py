"""How the request page explains a reply due date (``web/office/counting.py``): the same date as the ledger's
for every timeline, each counted day numbered, pauses, restarts and extensions named."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from gongkai.calendar import WorkCalendar
from gongkai.ledger import events as ev
from gongkai.ledger.fees import quote_fee
from gongkai.ledger.timeline import TimelineError, derive_state
from gongkai.web.office.counting import DayKind, explain_reply_count, month_grids

CALENDAR = WorkCalendar()


def _count(events, calendar=CALENDAR):
    state = derive_state(events, calendar=calendar)
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
              ev.ConsultationEnded(date(2026, 3, 20)), ev.ExtensionApproved(date(2026, 3, 25))]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date and count.period == 40
    paused = [d.date for d in count.days if d.kind is DayKind.PAUSED]
    assert paused[0] == date(2026, 3, 11) and paused[-1] == date(2026, 3, 20)  # day S counts, S+1..E do not
    texts = " ".join(step.text for step in count.steps)
    assert "2026-03-11 至 2026-03-20 暂停计时" in texts and "答复期限延长 20 个工作日" in texts
    assert count.first_due is not None and "晚于首个答复期限" not in texts


def test_a_late_extension_is_said_to_be_late():
    events = [ev.Received(date(2026, 3, 2)), ev.ExtensionApproved(date(2026, 4, 10))]
    state, count = _count(events)
    assert count.due.date == state.reply_due.date
    assert any("晚于首个答复期限 2026-03-30" in step.text for step in count.steps)


def test_supplement_restarts_the_clock():
    events = [ev.Received(date(2026, 3, 2)), ev.SupplementRequested(date(2026, 3, 4), supplement_by=date(2026, 3, 20))]
    state, count = _count(events)
    assert state.reply_due is None and count.due is None and "等待申请人补正" in count.stopped and not count.days
    state, count = _count([*events, ev.SupplementReceived(date(2026, 3, 16))])
    assert count.due.date == state.reply_due.date and count.days[0].date == date(2026, 3, 16)
    assert any("重新计算" in step.text for step in count.steps)


def test_an_open_consultation_stops_the_count():
    events = [ev.Received(date(2026, 3, 2)), ev.ConsultationStarted(date(2026, 3, 9))]
    state, count = _count(events)
    assert state.reply_due is None and count.due is None
    assert count.stopped.startswith("征求意见中：已计入 5 个工作日") and count.used_by(date(2026, 6, 1)) == 5


def test_without_a_schedule_the_date_is_provisional():
    calendar = WorkCalendar(use_chinesecalendar=False)
    state, count = _count([ev.Received(date(2026, 2, 10))], calendar)
    assert count.due == state.reply_due and count.due.provisional
    assert all(d.provisional for d in count.days if d.kind is not DayKind.START)
    assert any("暂定" in step.text for step in count.steps)


def _random_timeline(rng: random.Random) -> list[ev.Event]:
    received = date(2025, 1, 2) + timedelta(days=rng.randrange(600))
    day, events = received, [ev.Received(received)]

    def later(low: int, high: int) -> date:
        return day + timedelta(days=rng.randrange(low, high))

    if rng.random() < 0.3:
        day = later(0, 10)
        events.append(ev.SupplementRequested(day, supplement_by=day + timedelta(days=15)))
        if rng.random() < 0.8:
            day = later(0, 20)
            events.append(ev.SupplementReceived(day))
    for _ in range(rng.randrange(3)):
        day = later(0, 15)
        events.append(ev.ConsultationStarted(day))
        if rng.random() < 0.8:
            day = later(0, 25)
            events.append(ev.ConsultationEnded(day))
        else:
            break
    if rng.random() < 0.3:
        day = later(0, 40)
        events.append(ev.ExtensionApproved(day))
    if rng.random() < 0.2:
        day = later(0, 10)
        events.append(ev.FeeNoticeSent(day, quote=quote_fee(pages=120)))
        if rng.random() < 0.7:
            day = later(0, 20)
            events.append(ev.FeePaid(day))
    if rng.random() < 0.5:
        events.append(ev.Decided(later(0, 30), outcome="granted"))
    return events


@pytest.mark.parametrize("seed", range(8))
def test_every_timeline_arrives_at_the_ledgers_date(seed):
    rng = random.Random(seed)
    checked = 0
    while checked < 50:
        events = _random_timeline(rng)
        try:
            state = derive_state(events, calendar=CALENDAR)
        except TimelineError:
            continue
        count = explain_reply_count(events, state, calendar=CALENDAR)
        assert (count.due.date if count.due else None) == (state.reply_due.date if state.reply_due else None), events
        if count.due is not None:
            assert [d.ordinal for d in count.days if d.ordinal] == list(range(1, count.period + 1))
        checked += 1


def test_month_grids_lay_the_days_out_monday_first():
    _, count = _count([ev.Received(date(2026, 2, 10))])
    months = month_grids(count.days)
    assert [name for name, _ in months] == ["2026年2月", "2026年3月"]
    first_week = months[0][1][0]
    assert first_week[1].date == date(2026, 2, 10) and first_week[0] is None  # a Tuesday
    assert all(len(week) == 7 for _, weeks in months for week in weeks)
