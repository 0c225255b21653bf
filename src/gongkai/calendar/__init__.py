"""Working-day calendar for the disclosure clocks (see docs/ledger-rules.md)."""

from gongkai.calendar.schedule import (
    HolidayRange,
    ScheduleError,
    YearSchedule,
    default_calendar_dir,
    load_schedule_dir,
    load_schedule_file,
    parse_schedule,
)
from gongkai.calendar.workdays import DateSpan, Due, UnknownScheduleError, WorkCalendar

__all__ = [
    "DateSpan",
    "Due",
    "HolidayRange",
    "ScheduleError",
    "UnknownScheduleError",
    "WorkCalendar",
    "YearSchedule",
    "default_calendar_dir",
    "load_schedule_dir",
    "load_schedule_file",
    "parse_schedule",
]
