"""The office pages at scale (bench/web.py): what they do to stay fast must not change what they show.

- the state stored on each open request (``requests/stored_state.py``, tested in ``test_stored_state.py``)
  follows a new, changed or deleted event on the next page;
- the dashboard and the list read a fixed number of queries whatever the number of open requests;
- the reply-time chart summed in SQL equals the mean of the calendar's count per request;
- the list's years are the years with a request, a year without one left out.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .admin_client import client_for
from .office_ledger import office_ledger


@pytest.fixture
def ledger(county):
    _, education, town = county
    return office_ledger(education, town)


def _status_of(html: str, pk: int) -> str:
    row = re.search(rf'<a href="/requests/{pk}/">{pk}</a>.*?</tr>', html, re.S).group(0)
    return re.search(r'<span class="status s-([a-z_]+)">', row).group(1)


def test_a_stored_state_follows_a_new_event(people, ledger):
    from django.utils import timezone

    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.timeline import record_event

    client = client_for(people["staff"])
    assert _status_of(client.get("/requests/").content.decode(), ledger.in_progress.pk) == "in_progress"
    record_event(ledger.in_progress, EventKind.CONSULTATION_STARTED, timezone.localdate())
    assert _status_of(client.get("/requests/").content.decode(), ledger.in_progress.pk) == "consulting"
    row = ledger.in_progress.events.get(kind=EventKind.CONSULTATION_STARTED)
    row.note = "只改备注：状态不变"
    row.save()
    assert _status_of(client.get("/requests/").content.decode(), ledger.in_progress.pk) == "consulting"
    row.delete()
    assert _status_of(client.get("/requests/").content.decode(), ledger.in_progress.pk) == "in_progress"


def _queries(client, url: str) -> int:
    from gongkai.web.office import kept

    kept.forget()  # the dashboard's monthly figures are counted as on a process's first page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/", "/requests/", "/requests/?deadline=overdue"])
def test_queries_do_not_grow_with_the_open_requests(people, ledger, county, url):
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Applicant
    from gongkai.web.requests.timeline import receive, record_event

    _, education, _ = county
    client = client_for(people["staff"])
    before = _queries(client, url)
    for age in range(12):
        applicant = Applicant.objects.create(agency=education, type="commercial", name=f"某公司{age}")
        request = receive(education, applicant, ledger.in_progress.received_on - timedelta(days=age), "in_person")
        if age % 3 == 0:
            record_event(request, EventKind.CONSULTATION_STARTED, request.received_on + timedelta(days=1))
    assert _queries(client, url) == before


def test_reply_days_summed_in_sql_are_the_mean_of_the_calendar_counts(people, county):
    from django.utils import timezone

    from gongkai.calendar import WorkCalendar
    from gongkai.web.office.charts import REPLY_DAYS, last_months, monthly_reply_days
    from gongkai.web.office.rows import visible_requests
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Applicant
    from gongkai.web.requests.timeline import receive, record_event

    _, education, _ = county
    calendar, today = WorkCalendar.from_directory(), timezone.localdate()
    months = last_months(today)
    spans = {}
    for i, (back, took) in enumerate([(80, 9), (75, 30), (62, 1), (40, 17), (33, 3), (20, 12)]):
        applicant = Applicant.objects.create(agency=education, type="commercial", name=f"某公司{i}")
        received = today - timedelta(days=back)
        request = receive(education, applicant, received, "in_person", confirm_receipt_date=True)
        closed = min(received + timedelta(days=took), today)
        record_event(request, EventKind.DECIDED, closed, "granted")
        spans.setdefault(closed.replace(day=1), []).append(calendar.working_days_between(received, closed))
    found = monthly_reply_days(visible_requests(people["staff"]), months, calendar)
    expected = {month: round(sum(days) / len(days), 1) for month, days in spans.items()}
    assert {month: c[REPLY_DAYS] for month, c in found.items() if c} == expected
    assert len(expected) >= 2


def test_years_are_those_with_a_request(people, county):
    from gongkai.web.office.listing import years_of
    from gongkai.web.requests.models import Applicant, Request

    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="commercial", name="某公司")
    for day in (date(2019, 3, 1), date(2021, 12, 31), date(2022, 1, 1), date(2024, 6, 3)):
        Request.objects.create(agency=education, applicant=applicant, received_on=day, channel="in_person")
    assert years_of(Request.objects.filter(agency=education)) == [2024, 2022, 2021, 2019]
    assert years_of(Request.objects.none()) == []


def test_the_letters_awaiting_signature_are_read_from_an_index_of_drafts(people, ledger):
    """An office keeps every letter it ever made (millions over the years); the dashboard's letters awaiting
    签发 are found in the index of drafts only (``letter_draft_idx``), not by reading them all."""
    with CaptureQueriesContext(connection) as captured:
        assert client_for(people["staff"]).get("/").status_code == 200
    drafts = [query["sql"] for query in captured if 'FROM "letters_letter"' in query["sql"]]
    assert len(drafts) == 1 and "'draft'" in drafts[0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test's few rows would be read in one go
            cursor.execute(f"EXPLAIN {drafts[0]}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {drafts[0]}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "letter_draft_idx" in plan, plan
