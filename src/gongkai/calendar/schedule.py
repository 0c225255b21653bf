"""Holiday schedules loaded by an administrator: one JSON file per year.

File format (``GONGKAI_DATA_DIR/calendars/2027.json``)::

    {
      "year": 2027,
      "notice": "国务院办公厅关于2027年部分节假日安排的通知",
      "holidays": [{"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"}, ...],
      "makeup_working_days": ["2027-02-06", ...]
    }

``holidays`` are inclusive date ranges; ``makeup_working_days`` are the weekend days named as working
days (调休上班). Every date must lie in ``year``; ``notice`` and each holiday's ``name`` are optional.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path

TOP_LEVEL_KEYS = {"year": True, "notice": False, "holidays": True, "makeup_working_days": True}
HOLIDAY_KEYS = {"name": False, "first": True, "last": True}


class ScheduleError(ValueError):
    """A schedule file that does not follow the format; the message names the file and the field."""


@dataclass(frozen=True)
class HolidayRange:
    first: date
    last: date
    name: str = ""

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)


@dataclass(frozen=True)
class YearSchedule:
    """The State Council's holiday arrangement for one year."""

    year: int
    holidays: tuple[HolidayRange, ...]
    makeup_working_days: frozenset[date]
    notice: str = ""

    @cached_property
    def holiday_dates(self) -> frozenset[date]:
        return frozenset(day for holiday in self.holidays for day in holiday.days())

    def is_working_day(self, day: date) -> bool:
        if day.year != self.year:
            raise ValueError(f"{day} is not in the {self.year} schedule")
        if day in self.makeup_working_days:
            return True
        return day.weekday() < 5 and day not in self.holiday_dates


def _check_keys(obj: object, spec: dict[str, bool], where: str) -> dict:
    if not isinstance(obj, dict):
        raise ScheduleError(f"{where}: expected an object, got {type(obj).__name__}")
    missing = [key for key, required in spec.items() if required and key not in obj]
    if missing:
        raise ScheduleError(f"{where}: missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(obj) - set(spec))
    if unknown:
        raise ScheduleError(f"{where}: unknown field(s): {', '.join(unknown)} (allowed: {', '.join(spec)})")
    return obj


def _parse_date(value: object, year: int, where: str) -> date:
    if not isinstance(value, str):
        raise ScheduleError(f"{where}: expected a date string YYYY-MM-DD, got {value!r}")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ScheduleError(f"{where}: {value!r} is not a date in the form YYYY-MM-DD") from None
    if day.year != year:
        raise ScheduleError(f"{where}: {value} is not in {year} (split a range that crosses the year end)")
    return day


def _parse_list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise ScheduleError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def parse_schedule(data: object, source: str = "schedule") -> YearSchedule:
    """Validate one year's schedule (already decoded from JSON) and build it."""
    obj = _check_keys(data, TOP_LEVEL_KEYS, source)
    year = obj["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise ScheduleError(f"{source}: year: expected an integer year, got {year!r}")
    notice = obj.get("notice", "")
    if not isinstance(notice, str):
        raise ScheduleError(f"{source}: notice: expected a string")
    holidays = []
    for index, item in enumerate(_parse_list(obj["holidays"], f"{source}: holidays")):
        where = f"{source}: holidays[{index}]"
        fields = _check_keys(item, HOLIDAY_KEYS, where)
        first = _parse_date(fields["first"], year, f"{where}.first")
        last = _parse_date(fields["last"], year, f"{where}.last")
        if last < first:
            raise ScheduleError(f"{where}: last ({last}) is before first ({first})")
        name = fields.get("name", "")
        if not isinstance(name, str):
            raise ScheduleError(f"{where}.name: expected a string")
        holidays.append(HolidayRange(first, last, name))
    makeup = set()
    for index, value in enumerate(_parse_list(obj["makeup_working_days"], f"{source}: makeup_working_days")):
        where = f"{source}: makeup_working_days[{index}]"
        day = _parse_date(value, year, where)
        if day.weekday() < 5:
            raise ScheduleError(f"{where}: {day} is a weekday; make-up working days are Saturdays or Sundays")
        makeup.add(day)
    schedule = YearSchedule(year, tuple(holidays), frozenset(makeup), notice)
    clash = sorted(schedule.holiday_dates & schedule.makeup_working_days)
    if clash:
        raise ScheduleError(f"{source}: {clash[0]} is both a holiday and a make-up working day")
    return schedule


def load_schedule_file(path: Path) -> YearSchedule:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ScheduleError(f"{path}: not valid JSON: {error}") from None
    return parse_schedule(data, str(path))


def load_schedule_dir(directory: Path) -> list[YearSchedule]:
    """Load every ``*.json`` in ``directory``; two files for one year are an error.

    The files are parsed again only when one is added, removed or changed (name, size, modification time):
    every deadline shown on a list page asks for the calendar, and the folder rarely changes.
    """
    files = tuple((path, stat.st_mtime_ns, stat.st_size)
                  for path in sorted(Path(directory).glob("*.json")) for stat in (path.stat(),))
    return list(_load_files(files))


@lru_cache(maxsize=8)
def _load_files(files: tuple[tuple[Path, int, int], ...]) -> tuple[YearSchedule, ...]:
    schedules: dict[int, tuple[Path, YearSchedule]] = {}
    for path, _, _ in files:
        schedule = load_schedule_file(path)
        if schedule.year in schedules:
            raise ScheduleError(
                f"{path}: year {schedule.year} already defined in {schedules[schedule.year][0]}"
            )
        schedules[schedule.year] = (path, schedule)
    return tuple(schedule for _, schedule in schedules.values())


def default_calendar_dir() -> Path:
    """``$GONGKAI_DATA_DIR/calendars``, with ``./data`` when the variable is not set."""
    return Path(os.environ.get("GONGKAI_DATA_DIR", "data")) / "calendars"
