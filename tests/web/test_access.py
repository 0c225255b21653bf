"""The admin obeys role and agency: who sees, changes and deletes what, and where personal data is masked."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from gongkai.web.audit.models import AuditEntry
from gongkai.web.requests.models import Applicant, Channel, Request
from gongkai.web.requests.timeline import receive

from .admin_client import client_for

ID_NUMBER = "320102199001011234"
MASKED_ID = "3201**********1234"
PHONE = "13812345678"
ADDRESS = "江苏省南京市玄武区北京东路41号"
LIST = "/admin/requests/request/"


def page(request_obj) -> str:
    return f"{LIST}{request_obj.pk}/change/"


@pytest.fixture
def ledger(county):
    _, education, town = county
    applicant = Applicant.objects.create(agency=education, type="natural_person", name="张三丰", id_number=ID_NUMBER,
                                         phone=PHONE, address=ADDRESS)
    other = Applicant.objects.create(agency=town, type="commercial", name="某公司", id_number="91320100MA1X2Y3Z4W")
    return {
        "education": receive(education, applicant, date(2026, 3, 2), Channel.ONLINE),
        "town": receive(town, other, date(2026, 3, 3), Channel.IN_PERSON),
    }


def listed(client, url=LIST) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_office_staff_see_and_change_their_own_agency_only(people, ledger):
    staff = client_for(people["staff"])
    assert listed(staff) == {ledger["education"].pk}
    assert staff.get(page(ledger["town"])).status_code == 404
    assert staff.post(page(ledger["town"]), {"channel": Channel.FAX}).status_code == 404
    assert Request.objects.get(pk=ledger["town"].pk).channel == Channel.IN_PERSON
    assert listed(staff, "/admin/requests/applicant/") == {ledger["education"].applicant_id}
    assert staff.get(f"/admin/requests/applicant/{ledger['town'].applicant_id}/change/").status_code == 404


def test_supervisors_see_their_subtree_read_only(people, ledger):
    supervisor = client_for(people["supervisor"])
    assert listed(supervisor) == {ledger["education"].pk, ledger["town"].pk}
    response = supervisor.get(page(ledger["town"]))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert b'name="_save"' not in response.content
    assert supervisor.post(page(ledger["town"]), {"channel": Channel.FAX}).status_code == 403
    assert supervisor.get(f"{LIST}add/").status_code == 403
    assert Request.objects.get(pk=ledger["town"].pk).channel == Channel.IN_PERSON


def test_a_user_without_a_profile_sees_nothing(people, ledger):
    nobody = client_for(people["nobody"])
    assert nobody.get(LIST).status_code == 403
    assert nobody.get(page(ledger["education"])).status_code in {403, 404}
    assert "requests" not in nobody.get("/admin/").content.decode()


def test_choices_are_limited_to_the_users_agency(people, ledger, county):
    _, education, town = county
    staff = client_for(people["staff"])
    form = staff.get(f"{LIST}add/").context["adminform"].form
    assert list(form.fields["agency"].queryset) == [education]
    assert list(form.fields["applicant"].queryset) == [ledger["education"].applicant]
    response = staff.post(f"{LIST}add/", {
        "agency": town.pk, "applicant": ledger["town"].applicant_id, "received_on": "2026-03-05",
        "channel": Channel.ONLINE, "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0})
    assert response.status_code == 200 and response.context["adminform"].form.errors.keys() >= {"agency", "applicant"}
    assert Request.objects.count() == 2


def test_only_office_heads_delete(people, ledger):
    url = f"{LIST}{ledger['education'].pk}/delete/"
    assert client_for(people["staff"]).post(url, {"post": "yes"}).status_code == 403
    head = client_for(people["head"])
    assert head.post(url, {"post": "yes"}).status_code == 302
    assert not Request.objects.filter(pk=ledger["education"].pk).exists()


def test_personal_data_in_full_only_on_the_handling_offices_own_page(people, ledger):
    staff, supervisor = client_for(people["staff"]), client_for(people["supervisor"])
    own = staff.get(page(ledger["education"])).content.decode()
    assert ID_NUMBER in own and PHONE in own and ADDRESS in own
    applicant_page = staff.get(f"/admin/requests/applicant/{ledger['education'].applicant_id}/change/")
    assert ID_NUMBER in applicant_page.content.decode()
    masked_views = [
        staff.get(LIST), staff.get(LIST, {"q": "张三丰"}), staff.get("/admin/requests/applicant/"),
        staff.get("/admin/requests/applicant/", {"q": "张三"}),
        supervisor.get(LIST), supervisor.get(page(ledger["education"])),
        supervisor.get(f"/admin/requests/applicant/{ledger['education'].applicant_id}/change/"),
        supervisor.get("/admin/requests/applicant/"),
    ]
    for response in masked_views:
        html = response.content.decode()
        assert response.status_code == 200
        assert ID_NUMBER not in html and PHONE not in html and ADDRESS not in html, response.request["PATH_INFO"]
    assert MASKED_ID in masked_views[2].content.decode() and MASKED_ID in masked_views[5].content.decode()
    # a natural person's name: in full in the handling office's own lists, masked for the supervisor
    assert "张三丰" in masked_views[0].content.decode() and "张三丰" in masked_views[2].content.decode()
    for response in (masked_views[4], masked_views[7]):
        assert "张三丰" not in response.content.decode() and "张**" in response.content.decode()


def _export(client, action: str, ids) -> list[list[str]]:
    response = client.post(LIST, {"action": action, "_selected_action": [str(i) for i in ids]})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_ordinary_export_is_masked(people, ledger):
    rows = _export(client_for(people["supervisor"]), "export_masked", [ledger["education"].pk, ledger["town"].pk])
    assert rows[0][:3] == ["编号", "办理机关", "收到日期"] and len(rows) == 3
    text = "\n".join(",".join(row) for row in rows)
    assert MASKED_ID in text and ID_NUMBER not in text and PHONE not in text
    assert "张三丰" not in text and "张**" in text  # a natural person's name is personal data too


def test_full_export_is_an_audited_action_of_office_heads_only(people, ledger):
    staff = client_for(people["staff"])
    response = staff.post(LIST, {"action": "export_full", "_selected_action": [str(ledger["education"].pk)]})
    assert not response["Content-Type"].startswith("text/csv")
    assert "export_full" not in staff.get(LIST).content.decode()
    rows = _export(client_for(people["head"]), "export_full", [ledger["education"].pk])
    assert rows[1][6] == ID_NUMBER and rows[1][7] == PHONE
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.user == people["head"] and entry.agency == ledger["education"].agency
    assert entry.changes == {"rows": 1, "request_ids": [ledger["education"].pk]}


@pytest.mark.parametrize("today, shown", [
    # received Mon 2026-03-02 (day 0): 20 working days → due Mon 03-30 (March 2026 has no holiday)
    (date(2026, 3, 20), "剩 6 个工作日"),  # 03-23..27 and 03-30
    # 03-31..04-03 (4), 清明 04-04..06 off, 04-07..10 (8)
    (date(2026, 4, 10), "已逾期 8 个工作日"),
])
def test_request_list_shows_the_next_deadline(people, ledger, monkeypatch, today, shown):
    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: today)
    listing = client_for(people["staff"]).get(LIST).content.decode()
    assert "答复期限 2026-03-30" in listing and shown in listing
