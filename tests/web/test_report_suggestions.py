"""建议主动公开 (条例第四十四条): the office's page of information several applicants asked for."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from gongkai.ledger.suggestions import Entry
from gongkai.web.reports import suggestions as page

from .admin_client import client_for
from .ledger_builder import add_request

YEAR = timezone.localdate().year - 1
ASKED = ["申请公开某县2025年义务教育招生入学实施办法", "请提供某县2025年义务教育招生入学实施办法全文",
         "某县教育局2024年部门预算"]


@pytest.fixture
def asked(county):
    _, education, _ = county
    return [add_request(education, "natural_person", date(YEAR, 3, 1 + i), date(YEAR, 3, 10 + i), "granted")
            for i in range(len(ASKED))]


def test_the_contents_come_from_the_ledger_when_it_records_them(people, asked):
    html = client_for(people["staff"]).get(f"/requests/suggestions/?year={YEAR}").content.decode()
    if page.records_content():  # the intake's 申请内容 is on Request: the page groups what it holds
        for request, text in zip(asked, ASKED, strict=True):
            request.content = text
            request.save()
        html = client_for(people["staff"]).get(f"/requests/suggestions/?year={YEAR}").content.decode()
        assert f'href="/requests/{asked[0].pk}/">第 {asked[0].pk} 号</a>' in html and "某县教育局2024年部门预算" not in html
    else:
        assert "台账尚未记录申请内容" in html


def test_groups_of_several_applicants_are_proposed(people, asked, monkeypatch):
    contents = dict(zip((r.pk for r in asked), ASKED, strict=True))
    seen = []

    def entries(agency_id, year):
        seen.append((agency_id, year))
        return [Entry(r.pk, r.applicant_id, contents[r.pk]) for r in asked]

    monkeypatch.setattr(page, "entries_for", entries)
    monkeypatch.setattr(page, "records_content", lambda: True)
    html = client_for(people["staff"]).get(f"/requests/suggestions/?year={YEAR}").content.decode()
    assert seen == [(asked[0].agency_id, YEAR)]
    assert "第四十四条" in html and "义务教育招生入学实施办法" in html
    assert f'href="/requests/{asked[0].pk}/">第 {asked[0].pk} 号</a>、<a href="/requests/{asked[1].pk}/">' in html
    assert "某县教育局2024年部门预算" not in html  # asked once
    monkeypatch.setattr(page, "entries_for", lambda agency_id, year: [])
    assert "没有被两个以上申请人申请的相同信息" in client_for(people["staff"]).get(
        "/requests/suggestions/").content.decode()


def test_only_the_office_sees_its_suggestions(people, asked):
    assert client_for(people["supervisor"]).get("/requests/suggestions/").status_code == 403
    assert client_for(people["nobody"]).get("/requests/suggestions/").status_code == 403
    assert client_for(people["head"]).get("/requests/suggestions/").status_code == 200
