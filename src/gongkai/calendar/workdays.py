"""Working days: chinesecalendar for the years it ships, administrator-loaded schedules for the rest."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar

from gongkai.calendar.schedule import YearSchedule, default_calendar_dir, load_schedule_dir


class UnknownScheduleError(LookupError):
    """Asked about a day in a year whose holiday schedule is not known."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"no holiday schedule for {year}: load the State Council's schedule for {year}")


@dataclass(frozen=True)
class DateSpan:
    """An inclusive range of days, e.g. the days a consultation takes out of the count."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"date span ends ({self.last}) before it starts ({self.first})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True)
class Due:
    """A computed due date; provisional when the count crossed a year without a known schedule."""

    date: date
    provisional: bool = False
    reason: str = ""

    def __str__(self) -> str:
        if self.provisional:
            return f"{self.date.isoformat()} (provisional: {self.reason})"
        return self.date.isoformat()


@lru_cache(maxsize=4096)
def _chinese_workday(day: date) -> bool | None:
    """chinesecalendar's answer, None for a year it does not ship.  Cached: its lookup scans its whole table for
    the range check (~40 µs), and a page of deadlines asks about the same few hundred days again and again."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def _provisional_reason(years: Iterable[int]) -> str:
    return "no holiday schedule for " + ", ".join(str(year) for year in sorted(years))


class WorkCalendar:
    """Decides working days. Loaded schedules take precedence over chinesecalendar's data."""

    def __init__(self, extra_schedules: Iterable[YearSchedule] = (), *, use_chinesecalendar: bool = True):
        self._schedules: dict[int, YearSchedule] = {}
        for schedule in extra_schedules:
            if schedule.year in self._schedules:
                raise ValueError(f"two schedules given for {schedule.year}")
            self._schedules[schedule.year] = schedule
        self._use_chinesecalendar = use_chinesecalendar

    def fingerprint(self) -> str:
        """A short text that differs whenever the working days this calendar decides can differ: its loaded
        schedules (compared by value) and, when used, chinesecalendar's built-in data (its release: an upgrade
        brings a new year's holidays, or corrects one)."""
        builtin = chinese_calendar.__version__ if self._use_chinesecalendar else None
        key = repr((builtin, tuple(sorted(self._schedules.items()))))
        return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> WorkCalendar:
        """Load ``directory/*.json`` (default ``$GONGKAI_DATA_DIR/calendars``; absent default = none)."""
        if directory is None:
            directory = default_calendar_dir()
            if not directory.is_dir():
                return cls()
        elif not Path(directory).is_dir():
            raise FileNotFoundError(f"calendar directory {directory} does not exist")
        return cls(load_schedule_dir(directory))

    def has_schedule(self, year: int) -> bool:
        if year in self._schedules:
            return True
        if not self._use_chinesecalendar:
            return False
        return _chinese_workday(date(year, 1, 1)) is not None

    def is_working_day(self, day: date) -> bool:
        """True for a working day; raises ``UnknownScheduleError`` for a year without a schedule."""
        schedule = self._schedules.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        if self._use_chinesecalendar:
            known = _chinese_workday(day)
            if known is not None:
                return known
        raise UnknownScheduleError(day.year)

    def add_working_days(self, start: date, n: int, pauses: Iterable[DateSpan] = ()) -> Due:
        """The ``n``-th working day after ``start`` (``start`` itself is day 0 and never counted).

        Days inside a pause span are skipped. In a year without a schedule, Monday–Friday count and the
        result is provisional.
        """
        if n < 0:
            raise ValueError(f"cannot count {n} working days")
        spans = tuple(pauses)
        unknown_years: set[int] = set()
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if any(day in span for span in spans):
                continue
            if self._counts(day, unknown_years):
                counted += 1
        if unknown_years:
            return Due(day, provisional=True, reason=_provisional_reason(unknown_years))
        return Due(day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``.

        ``working_days_between(today, due)`` is the working days left (0 on the due day, -1 one working day
        late).  Like ``add_working_days``, it counts Monday–Friday in a year without a schedule.
        """
        first, last, sign = (start, end, 1) if start <= end else (end, start, -1)
        days = (first + timedelta(days=offset) for offset in range(1, (last - first).days + 1))
        return sign * sum(self._counts(day, set()) for day in days)

    def _counts(self, day: date, unknown_years: set[int]) -> bool:
        """Whether ``day`` is a working day; Monday–Friday (its year noted in ``unknown_years``) without a schedule."""
        try:
            return self.is_working_day(day)
        except UnknownScheduleError:
            unknown_years.add(day.year)
            return day.weekday() < 5
