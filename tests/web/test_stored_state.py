"""The ledger's state stored on each open request (``requests/stored_state.py``) is the state the ledger derives
from the events on the day a page reads it: after an event, after time alone changed it (a consultation ran
out, a supplement deadline lapsed), after a new holiday schedule, and when a refresh races an event.  A request
change never writes the stored columns, and a timeline the rule refuses is shown as such."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.calendar import WorkCalendar
from gongkai.web.requests.stored_state import (
    STATE_FIELDS,
    UNREADABLE,
    refresh_stale,
    state_values,
)

from .office_ledger import office_ledger


@pytest.fixture
def ledger(county):
    _, education, town = county
    return office_ledger(education, town)


def _stored(request) -> dict:
    request.refresh_from_db()
    return {name: getattr(request, name) for name in STATE_FIELDS}


def _derived(request, today, calendar) -> dict:
    return state_values(request.state(today=today, calendar=calendar), calendar.fingerprint())


def _all(ledger):
    return [ledger.overdue, ledger.due_soon, ledger.in_progress, ledger.consulting, ledger.awaiting_supplement,
            ledger.organisation, ledger.town_overdue]


def test_every_event_stores_the_state_the_ledger_derives_today(ledger):
    calendar, today = WorkCalendar.from_directory(), timezone.localdate()
    for request in _all(ledger):
        assert _stored(request) == _derived(request, today, calendar)
    assert _stored(ledger.consulting)["status"] == "consulting"
    assert _stored(ledger.consulting)["pause_kind"] == "consultation"
    assert _stored(ledger.awaiting_supplement)["pause_due"] is not None
    assert _stored(ledger.overdue)["reply_due"] < today


def test_a_state_changed_by_time_alone_is_derived_again_on_that_day(ledger):
    from gongkai.web.requests.models import Request

    calendar, today = WorkCalendar.from_directory(), timezone.localdate()
    consulting, awaiting = ledger.consulting, ledger.awaiting_supplement
    until = _stored(consulting)["state_until"]
    lapse = _stored(awaiting)["state_until"] + timedelta(days=1)  # the day the supplement deadline has passed
    assert refresh_stale(Request.objects.filter(pk=consulting.pk), until, calendar) == 0  # still holds that day
    later = until + timedelta(days=1)  # the consultation's 15 working days ran out: the clock runs again
    assert refresh_stale(Request.objects.filter(pk__in=[consulting.pk, awaiting.pk]), later, calendar) >= 1
    assert _stored(consulting) == _derived(consulting, later, calendar)
    assert _stored(consulting)["status"] == "in_progress" and _stored(consulting)["reply_due"] is not None
    refresh_stale(Request.objects.filter(pk=awaiting.pk), lapse, calendar)  # (if ``later`` has not already)
    awaiting.refresh_from_db()
    assert not awaiting.is_open_on(lapse)  # closed by the law that day: no longer an open request
    assert awaiting.status == "closed"  # and stored so: it leaves the open rows' indexes
    assert refresh_stale(Request.objects.filter(pk=awaiting.pk), lapse + timedelta(days=1), calendar) == 0
    assert today < later


def test_a_new_holiday_schedule_makes_every_stored_state_stale(ledger):
    from gongkai.calendar import schedule as schedules
    from gongkai.web.requests.models import Request

    today = timezone.localdate()
    before = WorkCalendar.from_directory()
    year = _stored(ledger.due_soon)["reply_due"].year
    day = _stored(ledger.due_soon)["reply_due"]
    rest = schedules.YearSchedule(year=year, holidays=(schedules.HolidayRange(day, day, "测试假日"),),
                                  makeup_working_days=frozenset())
    after = WorkCalendar([*before._schedules.values(), rest], use_chinesecalendar=before._use_chinesecalendar)
    assert after.fingerprint() != before.fingerprint()
    assert refresh_stale(Request.objects.filter(pk=ledger.due_soon.pk), today, after) == 1
    assert _stored(ledger.due_soon)["reply_due"] > day  # the new holiday pushes the due date
    assert _stored(ledger.due_soon) == _derived(ledger.due_soon, today, after)


def test_a_new_holiday_schedule_moves_a_lapse_still_ahead(ledger):
    """An unpaid fee closes the request 20 working days after the notice is received (信息处理费管理办法第七条):
    a holiday loaded inside those days moves that closing a working day later, as it moves the due dates."""
    from gongkai.calendar import schedule as schedules
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.timeline import record_event

    today = timezone.localdate()
    before = WorkCalendar.from_directory()
    request = ledger.in_progress
    record_event(request, EventKind.FEE_NOTICE_SENT, today, fee_method="per_page", fee_units=300, delivered_on=today)
    request.refresh_from_db()
    lapse = request.closed_on
    assert lapse is not None and lapse > today and request.status == "awaiting_payment"
    day = before.add_working_days(today, 5).date  # a working day inside the 20
    rest = schedules.YearSchedule(year=day.year, holidays=(schedules.HolidayRange(day, day, "测试假日"),),
                                  makeup_working_days=frozenset())
    after = WorkCalendar([*before._schedules.values(), rest], use_chinesecalendar=before._use_chinesecalendar)
    assert refresh_stale(Request.objects.filter(pk=request.pk), today, after) == 1
    request.refresh_from_db()
    due = lapse - timedelta(days=1)  # the last day to pay: the closing is the day after it
    assert request.closed_on == after.add_working_days(due, 1).date + timedelta(days=1) > lapse
    assert request.closed_on == request.state(today=date.max, calendar=after).closed_on


def test_a_refresh_never_overwrites_what_an_event_wrote_meanwhile(ledger, monkeypatch):
    from gongkai.web.requests import stored_state
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.timeline import record_event

    calendar, today = WorkCalendar.from_directory(), timezone.localdate()
    request = ledger.in_progress
    Request.objects.filter(pk=request.pk).update(state_until=today - timedelta(days=1))  # stale: yesterday's copy
    derive = stored_state.derive_values

    def slow_derive(rows, *args):  # the events were read; an event is recorded before the copy is written
        values = derive(rows, *args)
        record_event(Request.objects.get(pk=request.pk), EventKind.CONSULTATION_STARTED, today)
        return values

    monkeypatch.setattr(stored_state, "derive_values", slow_derive)
    assert refresh_stale(Request.objects.filter(pk=request.pk), today, calendar) == 0
    assert _stored(request)["status"] == "consulting"


def test_a_change_of_the_request_never_writes_the_stored_state(ledger):
    from gongkai.web.requests.models import Request

    copy = Request.objects.get(pk=ledger.in_progress.pk)  # read before the event below
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.timeline import record_event

    record_event(ledger.in_progress, EventKind.CONSULTATION_STARTED, timezone.localdate())
    copy.content = "更正后的申请内容"
    copy.save()
    assert _stored(ledger.in_progress)["status"] == "consulting"
    assert Request.objects.get(pk=copy.pk).content == "更正后的申请内容"


def test_a_timeline_the_rule_refuses_is_shown_as_unreadable(people, ledger):
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Request, RequestEvent

    from .admin_client import client_for

    request = ledger.due_soon
    RequestEvent(request=request, kind=EventKind.FEE_PAID, occurred_on=request.received_on).save(sync=False)
    Request.objects.filter(pk=request.pk).update(state_until=None)  # recorded before the rule, never derived
    page = client_for(people["staff"]).get("/requests/").content.decode()
    assert _stored(request)["status"] == UNREADABLE
    assert "办理记录有误" in page


def test_the_nightly_command_stores_what_is_stale_and_nothing_else(ledger):
    from typer.testing import CliRunner

    from gongkai.cli import app
    from gongkai.web.requests.models import Request

    today = timezone.localdate()
    Request.objects.filter(pk__in=[ledger.overdue.pk, ledger.consulting.pk]).update(state_until=None)
    result = CliRunner().invoke(app, ["refresh-states"])
    assert result.exit_code == 0, result.output
    assert f"{today}: stored the state of 2 open requests" in result.output
    assert "of 0 open requests" in CliRunner().invoke(app, ["refresh-states"]).output
    assert _stored(ledger.consulting) == _derived(ledger.consulting, today, WorkCalendar.from_directory())


def test_the_server_stores_what_is_stale_before_its_workers_start(ledger):
    from gongkai.web import serving
    from gongkai.web.requests.models import Request

    Request.objects.filter(pk=ledger.awaiting_supplement.pk).update(state_until=None, status="")  # as after an upgrade
    serving._store_states()
    today = timezone.localdate()
    assert _stored(ledger.awaiting_supplement) == _derived(ledger.awaiting_supplement, today,
                                                          WorkCalendar.from_directory())
