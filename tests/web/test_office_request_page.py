"""The request page: personal data in full only for the handling agency (and then audited), masked for a
supervisor, notes hidden from other agencies, another agency's request a 404, the live due date explained."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.web.audit.models import AuditEntry

from .admin_client import client_for
from .office_ledger import STAFF_ID, TOWN_ID, office_ledger


@pytest.fixture
def ledger(county):
    _, education, town = county
    return office_ledger(education, town)


def _page(user, request) -> tuple[int, str]:
    response = client_for(user).get(f"/requests/{request.pk}/")
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("role", ["staff", "head"])
def test_handling_office_sees_personal_data_in_full_and_it_is_audited(people, ledger, role):
    status, html = _page(people[role], ledger.consulting)
    assert status == 200 and STAFF_ID in html and "13812345678" in html and "北京东路1号" in html
    assert "张三丰" in html and "征求第三方意见：某公司" in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL_DATA, object_id=str(ledger.consulting.pk))
    assert entry.user == people[role] and entry.agency_id == ledger.consulting.agency_id


def test_supervisor_sees_masked_data_and_no_notes(people, ledger):
    status, html = _page(people["supervisor"], ledger.consulting)
    assert status == 200 and STAFF_ID not in html and "3201**********1234" in html and "138****5678" in html
    assert "张三丰" not in html and "张**" in html
    assert "某公司" not in html and "备注仅办理机关可见" in html
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL_DATA).exists()
    status, html = _page(people["supervisor"], ledger.town_overdue)
    assert status == 200 and TOWN_ID not in html and "李*" in html


@pytest.mark.parametrize(("role", "request_name"), [
    ("town_staff", "overdue"), ("staff", "town_overdue"), ("head", "town_overdue"), ("nobody", "overdue")])
def test_another_agencys_request_by_url_is_not_found(people, ledger, role, request_name):
    status, html = _page(people[role], getattr(ledger, request_name))
    assert status == 404 and TOWN_ID not in html and STAFF_ID not in html
    assert "找不到这个页面" in html and "没有这条记录，或您无权查看。" in html


def test_anonymous_is_sent_to_the_login(ledger):
    from django.test import Client

    response = Client().get(f"/requests/{ledger.overdue.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/login/?next=/requests/{ledger.overdue.pk}/"


def test_overdue_request_shows_its_due_date_and_how_it_was_counted(people, ledger):
    due = ledger.overdue.state().reply_due.date
    _, html = _page(people["staff"], ledger.overdue)
    assert f"{due.year}年{due.month}月{due.day}日" in html and "已逾期 5 个工作日" in html
    assert "期限是怎样算出来的" in html and "第 20 个工作日：答复期限" in html
    assert html.count('<span class="o">') == 20  # each counted working day numbered once


def test_paused_requests_say_why_the_clock_stopped(people, ledger):
    _, html = _page(people["staff"], ledger.consulting)
    assert "暂停计时" in html and "征求意见中：已计入 4 个工作日" in html
    _, html = _page(people["staff"], ledger.awaiting_supplement)
    assert "等待申请人补正" in html and "申请人补正期限" in html


def test_the_spec_example_counts_over_the_spring_festival(people, county):
    """Received 2026-02-10 → due 2026-03-16: the make-up days 2-14 and 2-28 count, 春节 2-15..2-23 does not."""
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive

    applicant = Applicant.objects.create(agency=county[1], type="natural_person", name="王五", id_number="1")
    request = receive(county[1], applicant, date(2026, 2, 10), Channel.IN_PERSON)
    _, html = _page(people["staff"], request)
    assert "2026年3月16日" in html
    assert 'title="2026-02-14 调休上班，计入（第4个工作日）"' in html
    assert 'title="2026-02-16 法定节假日"' in html and 'title="2026-02-28 调休上班，计入（第9个工作日）"' in html
    assert '<td class="d-counted d-due' in html


def test_a_superuser_sees_every_agency_masked_like_in_the_admin(ledger):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    for request in (ledger.consulting, ledger.town_overdue):
        status, html = _page(admin, request)
        assert status == 200 and STAFF_ID not in html and TOWN_ID not in html
    assert "备注仅办理机关可见" in _page(admin, ledger.consulting)[1]
