"""A ledger for the office screens' tests, dated back from today so that its requests are overdue, due soon,
paused and closed whenever the tests run; built through the application's own functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from gongkai.calendar import WorkCalendar

STAFF_ID, TOWN_ID = "320102199001011234", "320102198001015678"


def working_days_before(day: date, n: int, calendar: WorkCalendar) -> date:
    while n > 0:
        day -= timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


@dataclass
class OfficeLedger:
    overdue: object
    due_soon: object
    in_progress: object
    consulting: object
    awaiting_supplement: object
    closed: object
    organisation: object
    town_overdue: object


def office_ledger(education, town) -> OfficeLedger:
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive, record_event

    calendar = WorkCalendar.from_directory()
    today = timezone.localdate()

    def request(agency, age: int, name: str = "张三丰", id_number: str = STAFF_ID, kind: str = "natural_person"):
        applicant = Applicant.objects.create(agency=agency, type=kind, name=name, id_number=id_number,
                                             phone="13812345678", address="江苏省南京市玄武区北京东路1号")
        return receive(agency, applicant, working_days_before(today, age, calendar), Channel.ONLINE)

    def after(req, n: int) -> date:
        return calendar.add_working_days(req.received_on, n).date

    overdue = request(education, 25)
    due_soon = request(education, 17)
    in_progress = request(education, 3)
    consulting = request(education, 10)
    record_event(consulting, EventKind.CONSULTATION_STARTED, after(consulting, 4), note="征求第三方意见：某公司")
    awaiting = request(education, 6)
    record_event(awaiting, EventKind.SUPPLEMENT_REQUESTED, after(awaiting, 2), supplement_by=after(awaiting, 12))
    closed = request(education, 40)
    record_event(closed, EventKind.DECIDED, after(closed, 10), "granted", note="当面送达")
    organisation = request(education, 2, name="=HYPERLINK(\"x\")某科技有限公司", id_number="91320100MA1X0001Z4",
                           kind="commercial")
    town_overdue = request(town, 30, name="李四", id_number=TOWN_ID)
    return OfficeLedger(overdue, due_soon, in_progress, consulting, awaiting, closed, organisation, town_overdue)
