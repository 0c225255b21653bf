"""Shared set-up of the request workflow's tests: a holiday schedule for the year after this one, so that due
dates counted from today are known dates (a letter refuses a provisional one), and a client per role."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.utils import timezone


def write_next_year_schedule(data_dir: Path) -> int:
    """A TEST schedule for next year (元旦 only, no make-up days) in ``data_dir/calendars``; not a real notice."""
    year = timezone.localdate().year + 1
    calendars = data_dir / "calendars"
    calendars.mkdir(parents=True, exist_ok=True)
    (calendars / f"{year}.json").write_text(json.dumps({
        "year": year, "notice": "测试用节假日安排（非正式通知）",
        "holidays": [{"name": "元旦", "first": date(year, 1, 1).isoformat(), "last": date(year, 1, 1).isoformat()}],
        "makeup_working_days": []}), encoding="utf-8")
    return year
