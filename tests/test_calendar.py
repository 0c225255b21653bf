import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.calendar import (
    DateSpan,
    Due,
    ScheduleError,
    UnknownScheduleError,
    WorkCalendar,
    load_schedule_dir,
    load_schedule_file,
    parse_schedule,
)

FIXTURES = Path(__file__).parent / "fixtures"
DATA_DIR = FIXTURES / "data-dir"  # holds calendars/2027.json, a hypothetical schedule for tests only
HYPOTHETICAL_2027 = json.loads((DATA_DIR / "calendars" / "2027.json").read_text(encoding="utf-8"))
CALENDAR = WorkCalendar()
SPEC_SCHEDULES = load_schedule_dir(FIXTURES / "spec-calendars")


def test_spec_schedules_agree_with_chinesecalendar_every_day_of_2025_and_2026():
    from_spec = WorkCalendar(SPEC_SCHEDULES, use_chinesecalendar=False)
    day = date(2025, 1, 1)
    while day.year < 2027:
        assert from_spec.is_working_day(day) == CALENDAR.is_working_day(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 14), True),  # Saturday, make-up day before 春节
        (date(2026, 2, 23), False),  # Monday, last day of 春节
        (date(2026, 9, 20), True),  # Sunday, make-up day before 国庆
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday, make-up day
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        (date(2026, 3, 7), False),  # ordinary Saturday
    ],
)
def test_is_working_day_follows_holidays_and_makeup_days(day, working):
    assert CALENDAR.is_working_day(day) is working


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2003, 6, 2)])
def test_is_working_day_in_a_year_without_schedule_names_the_year(day):
    with pytest.raises(UnknownScheduleError, match=str(day.year)) as caught:
        CALENDAR.is_working_day(day)
    assert caught.value.year == day.year


def test_spec_example_received_before_spring_festival():
    # 2026-02-10 received (day 0). 2-11 W 1, 2-12 2, 2-13 3, 2-14 Sat make-up 4, 春节 2-15..2-23 skipped,
    # 2-24 5, 2-25 6, 2-26 7, 2-27 8, 2-28 Sat make-up 9, 3-2 10, 3-3 11, 3-4 12, 3-5 13, 3-6 14,
    # 3-9 15, 3-10 16, 3-11 17, 3-12 18, 3-13 19, 3-16 Mon 20.
    assert CALENDAR.add_working_days(date(2026, 2, 10), 20) == Due(date(2026, 3, 16))


def test_count_into_a_year_without_schedule_is_provisional():
    # 2026-12-10 Thu (day 0). 12-11 1, 12-14..12-18 2-6, 12-21..12-25 7-11, 12-28..12-31 12-15,
    # 2027 unknown → Mon–Fri: 1-01 Fri 16, 1-04 17, 1-05 18, 1-06 19, 1-07 Thu 20.
    due = CALENDAR.add_working_days(date(2026, 12, 10), 20)
    assert due == Due(date(2027, 1, 7), provisional=True, reason="no holiday schedule for 2027")
    assert str(due) == "2027-01-07 (provisional: no holiday schedule for 2027)"


def test_loading_a_2027_schedule_makes_the_count_definite():
    # Same count as above, but 2027-01-01 is a holiday (1-01..1-03): 1-04 16, 1-05 17, 1-06 18, 1-07 19,
    # 1-08 Fri 20.
    calendar = WorkCalendar.from_directory(DATA_DIR / "calendars")
    due = calendar.add_working_days(date(2026, 12, 10), 20)
    assert due == Due(date(2027, 1, 8))
    assert str(due) == "2027-01-08"
    assert calendar.is_working_day(date(2027, 1, 1)) is False


def test_data_dir_from_environment(monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(DATA_DIR))
    assert WorkCalendar.from_directory().has_schedule(2027)


def test_missing_default_directory_means_no_extra_schedules(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    calendar = WorkCalendar.from_directory()
    assert calendar.has_schedule(2026) and not calendar.has_schedule(2027)


def test_missing_explicit_directory_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        WorkCalendar.from_directory(tmp_path / "nowhere")


def test_pause_days_are_not_counted():
    # 2026-03-02 Mon (day 0), pause excludes 3-03..3-05: 3-06 Fri 1, 3-09 Mon 2.
    due = CALENDAR.add_working_days(
        date(2026, 3, 2), 2, pauses=[DateSpan(date(2026, 3, 3), date(2026, 3, 5))]
    )
    assert due.date == date(2026, 3, 9)


def test_date_span_rejects_reversed_range():
    with pytest.raises(ValueError, match="before it starts"):
        DateSpan(date(2026, 3, 5), date(2026, 3, 3))


def _schedule(**changes):
    data = json.loads(json.dumps(HYPOTHETICAL_2027))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"holidays": [], "makeup_working_days": []}, "missing required field.*year"),
        (_schedule(holiday=[]), "unknown field.*holiday"),
        (_schedule(year="2027"), "year: expected an integer"),
        (_schedule(holidays=[{"first": "2027-01-01"}]), r"holidays\[0\]: missing required field.*last"),
        (
            _schedule(holidays=[{"first": "2027-1-1", "last": "2027-01-02"}]),
            "not a date in the form YYYY-MM-DD",
        ),
        (_schedule(holidays=[{"first": "2026-12-31", "last": "2027-01-02"}]), "not in 2027"),
        (_schedule(holidays=[{"first": "2027-01-03", "last": "2027-01-01"}]), "before first"),
        (_schedule(makeup_working_days=["2027-01-05"]), "is a weekday"),
        (_schedule(makeup_working_days=["2027-01-02"]), "both a holiday and a make-up working day"),
        (_schedule(makeup_working_days="2027-01-09"), "makeup_working_days: expected a list"),
        ([], "expected an object"),
    ],
)
def test_schedule_validation_gives_clear_errors(data, message):
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(data, "2027.json")


def test_invalid_json_file_is_named(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ScheduleError, match="2027.json: not valid JSON"):
        load_schedule_file(path)


def test_two_files_for_one_year_are_an_error(tmp_path):
    for name in ("2027.json", "2027-copy.json"):
        (tmp_path / name).write_text(json.dumps(HYPOTHETICAL_2027), encoding="utf-8")
    with pytest.raises(ScheduleError, match="already defined"):
        load_schedule_dir(tmp_path)


known_days = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 10, 31))  # + 40 WD stays in 2026


@given(start=known_days, n=st.integers(min_value=1, max_value=40))
def test_due_date_is_a_working_day_and_counts_exactly_n(start, n):
    due = CALENDAR.add_working_days(start, n)
    assert not due.provisional
    assert CALENDAR.is_working_day(due.date)
    days = [start + timedelta(days=i) for i in range(1, (due.date - start).days + 1)]
    assert sum(CALENDAR.is_working_day(day) for day in days) == n


@given(
    start=known_days,
    n=st.integers(min_value=1, max_value=40),
    pause_offset=st.integers(min_value=0, max_value=60),
    pause_length=st.integers(min_value=0, max_value=30),
)
def test_a_pause_never_makes_the_due_date_earlier(start, n, pause_offset, pause_length):
    first = start + timedelta(days=pause_offset)
    span = DateSpan(first, first + timedelta(days=pause_length))
    assert CALENDAR.add_working_days(start, n, [span]).date >= CALENDAR.add_working_days(start, n).date


def test_working_days_between():
    # 2026-02-13 Fri; 2-14 Sat make-up 1; 春节 2-15..2-23 off; 2-24 Tue 2.
    assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert CALENDAR.working_days_between(date(2026, 2, 24), date(2026, 2, 13)) == -2
    assert CALENDAR.working_days_between(date(2026, 2, 24), date(2026, 2, 24)) == 0
    # 2026-12-31 Thu to 2027-01-04 Mon: no 2027 schedule, Mon–Fri count: 1-01, 1-04.
    assert CALENDAR.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 2


@given(st.dates(date(2025, 1, 1), date(2026, 12, 1)), st.integers(0, 30))
def test_working_days_between_inverts_add_working_days(start, n):
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n).date) == n


def test_the_fingerprint_changes_with_what_decides_the_working_days(monkeypatch):
    """Stored due dates are trusted only for the calendar they were counted with (``WorkCalendar.fingerprint``):
    a loaded schedule, or another chinesecalendar release, gives another fingerprint; an equal calendar the same."""
    import chinese_calendar

    from gongkai.calendar.schedule import HolidayRange, YearSchedule

    plain = WorkCalendar()
    assert WorkCalendar().fingerprint() == plain.fingerprint()
    loaded = WorkCalendar([YearSchedule(2027, (HolidayRange(date(2027, 1, 1), date(2027, 1, 1)),), frozenset())])
    assert loaded.fingerprint() != plain.fingerprint()
    assert WorkCalendar(use_chinesecalendar=False).fingerprint() != plain.fingerprint()
    before = plain.fingerprint()
    monkeypatch.setattr(chinese_calendar, "__version__", "0.0.0-another-release")
    assert WorkCalendar().fingerprint() != before
    assert WorkCalendar(use_chinesecalendar=False).fingerprint() == WorkCalendar(use_chinesecalendar=False).fingerprint()
