"""各机关办理情况 for a supervisor, and the list's agency filter; a clerk of one agency has neither."""

from __future__ import annotations

import re
from datetime import date

import pytest

from .admin_client import client_for
from .office_ledger import office_ledger


@pytest.fixture
def ledger(county):
    _, education, town = county
    return office_ledger(education, town)


def _row(html: str, name: str) -> list[str]:
    row = re.search(rf"<tr[^>]*>\s*<td><a href=\"/requests/\?agency=\d+\">{name}</a></td>(.*?)</tr>", html, re.S)
    assert row, name
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_supervisor_sees_each_agency_of_the_subtree(people, ledger, county):
    from django.utils import timezone

    from gongkai.web.reports.models import ReportDraft

    government, education, town = county
    ReportDraft.objects.create(agency=education, year=timezone.localdate().year - 1,
                               published_on=date(timezone.localdate().year, 1, 20))
    ReportDraft.objects.create(agency=town, year=timezone.localdate().year - 1)
    html = client_for(people["supervisor"]).get("/agencies/").content.decode()
    assert 'href="/agencies/" aria-current="page">各机关' in html
    open_, overdue, due_soon, _, _, report = _row(html, "某县教育局")
    assert (open_, overdue, due_soon) == ("6", "1", "1") and report.startswith("已发布（")
    assert _row(html, "某县甲镇人民政府")[:2] == ["1", "1"] and _row(html, "某县甲镇人民政府")[-1] == "草稿"
    assert _row(html, "某县人民政府")[:3] == ["0", "0", "0"] and _row(html, "某县人民政府")[-1] == "—"


def test_the_list_filters_by_agency_for_a_supervisor(people, ledger, county):
    town = county[2]
    html = client_for(people["supervisor"]).get(f"/requests/?agency={town.pk}").content.decode()
    assert '<select name="agency"' in html
    assert re.findall(r'<tr[^>]*>\s*<td><a href="/requests/(\d+)/"', html) == [str(ledger.town_overdue.pk)]


def test_a_clerk_has_no_overview_and_no_agency_filter(people, ledger, county):
    client = client_for(people["staff"])
    assert client.get("/agencies/").status_code == 404
    html = client.get(f"/requests/?agency={county[2].pk}").content.decode()
    assert '<select name="agency"' not in html and "各机关" not in html
    assert str(ledger.town_overdue.pk) not in re.findall(r'href="/requests/(\d+)/"', html)


def test_this_years_receipts_and_closings_per_agency(people, county):
    """The year's columns count the requests received this year and those closed this year (one received last
    year among them), not those of earlier years nor those still open."""
    from django.utils import timezone

    from .ledger_builder import add_request

    _, education, _ = county
    today = timezone.localdate()
    this, last = today.year, today.year - 1
    add_request(education, "natural_person", date(last, 3, 2), date(last, 3, 20), "granted")  # neither
    add_request(education, "natural_person", date(last, 12, 1), date(this, 1, 1), "granted")  # closed this year
    add_request(education, "natural_person", date(this, 1, 1), date(this, 1, 1), "granted")  # both (any day of the year)
    add_request(education, "natural_person", date(this, 1, 1))  # received, open
    add_request(education, "natural_person", date(last, 6, 1))  # open since last year: neither
    html = client_for(people["supervisor"]).get("/agencies/").content.decode()
    assert _row(html, "某县教育局")[3:5] == ["2", "2"]
