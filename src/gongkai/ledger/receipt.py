"""The receipt date (条例第三十一条) of a request that arrives on a non-working day.

In person or by signed post the receipt date is the day it is handed in or signed for.  Online, by fax or
by ordinary post it is the day both sides confirm it, which on a non-working day can be the next working
day at the earliest: the ledger suggests that day and warns about an earlier one.
"""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.calendar import UnknownScheduleError, WorkCalendar

CONFIRMED_CHANNELS = frozenset({"post_ordinary", "online", "fax"})
"""Channels whose receipt date is the day of confirmation with the applicant (双方确认之日)."""


def _is_working_day(day: date, calendar: WorkCalendar) -> bool:
    try:
        return calendar.is_working_day(day)
    except UnknownScheduleError:
        return day.weekday() < 5  # as for a provisional deadline: Monday–Friday


def earliest_receipt_date(arrived: date, channel: str | None, calendar: WorkCalendar) -> date:
    """The earliest receipt date of a request that arrived on ``arrived`` by ``channel``."""
    if channel not in CONFIRMED_CHANNELS:
        return arrived
    day = arrived
    while not _is_working_day(day, calendar):
        day += timedelta(days=1)
    return day


def receipt_warning(received_on: date, channel: str | None, calendar: WorkCalendar) -> str | None:
    """A Chinese warning when ``received_on`` is a non-working day that ``channel`` cannot make a receipt date."""
    suggested = earliest_receipt_date(received_on, channel, calendar)
    if suggested == received_on:
        return None
    return (f"收到日期 {received_on} 为非工作日：网络、传真和平常信函提交的申请以双方确认之日为收到日期，"
            f"最早为下一个工作日 {suggested}（条例第三十一条）")
