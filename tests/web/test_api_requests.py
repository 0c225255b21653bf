"""The JSON API of requests and their events: the screens' access rules and masking, the ledger's validation,
the audit log and optimistic concurrency."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.web.audit.models import AuditEntry
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Channel, Request, RequestEvent
from gongkai.web.requests.timeline import receive

ID_NUMBER = "320102199001011234"
PHONE = "13812345678"
ADDRESS = "江苏省南京市玄武区北京东路41号"


@pytest.fixture
def ledger(county):
    _, education, town = county
    person = Applicant.objects.create(agency=education, type="natural_person", name="张三丰", id_number=ID_NUMBER,
                                      phone=PHONE, address=ADDRESS)
    company = Applicant.objects.create(agency=town, type="commercial", name="某公司", id_number="91320100MA1X2Y3Z4W")
    education_request = receive(education, person, date(2026, 3, 2), Channel.IN_PERSON)
    RequestEvent.objects.create(request=education_request, kind=EventKind.SUPPLEMENT_REQUESTED,
                                occurred_on=date(2026, 3, 4), supplement_by=date(2026, 3, 20), note="申请人电话告知住址")
    return {"education": education_request,
            "town": receive(town, company, date(2026, 3, 3), Channel.IN_PERSON)}


def api(account=None) -> APIClient:
    client = APIClient()
    if account is not None:
        client.force_authenticate(account)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_gets_401_with_a_chinese_message(ledger):
    response = api().get("/api/requests/")
    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"
    assert api().get(f"/api/requests/{ledger['education'].pk}/").status_code == 401


def test_a_token_authenticates_as_its_user(people, ledger):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=people["staff"]).key)
    assert ids(client.get("/api/requests/")) == {ledger["education"].pk}
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert client.get("/api/requests/").status_code == 401


def test_each_role_lists_what_the_screens_show(people, ledger):
    assert ids(api(people["staff"]).get("/api/requests/")) == {ledger["education"].pk}
    assert ids(api(people["town_staff"]).get("/api/requests/")) == {ledger["town"].pk}
    assert ids(api(people["supervisor"]).get("/api/requests/")) == {ledger["education"].pk, ledger["town"].pk}
    assert ids(api(people["nobody"]).get("/api/requests/")) == set()


def test_another_agencys_request_is_404_for_reading_and_writing(people, ledger):
    staff, town = api(people["staff"]), ledger["town"].pk
    assert staff.get(f"/api/requests/{town}/").status_code == 404
    assert staff.get(f"/api/requests/{town}/events/").status_code == 404
    response = staff.post(f"/api/requests/{town}/events/", {"kind": "withdrawn", "occurred_on": "2026-03-05"})
    assert response.status_code == 404
    assert staff.patch(f"/api/requests/{town}/", {"edit_version": 0, "channel": "fax"}).status_code == 404
    assert not RequestEvent.objects.filter(request_id=town, kind=EventKind.WITHDRAWN).exists()


def test_filters_are_the_list_pages(people, ledger, county):
    supervisor = api(people["supervisor"])
    assert ids(supervisor.get("/api/requests/?year=2026")) == {ledger["education"].pk, ledger["town"].pk}
    assert ids(supervisor.get("/api/requests/?year=2025")) == set()
    assert ids(supervisor.get("/api/requests/?status=awaiting_supplement")) == set()  # lapsed on 3-20: closed
    assert ids(supervisor.get("/api/requests/?status=closed")) == {ledger["education"].pk}
    assert ids(supervisor.get("/api/requests/?overdue=true")) == {ledger["town"].pk}
    assert ids(supervisor.get(f"/api/requests/?agency={county[2].pk}")) == {ledger["town"].pk}
    response = supervisor.get("/api/requests/?status=nonsense")
    assert response.status_code == 400 and "不是合法选项" in response.content.decode()


def test_personal_data_in_full_only_on_the_handling_offices_request(people, ledger):
    pk = ledger["education"].pk
    listed = api(people["staff"]).get("/api/requests/").json()["results"][0]["applicant"]
    assert listed["name"] == "张三丰" and listed["id_number"] == "3201**********1234" and not listed["full"]
    before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL_DATA).count()
    detail = api(people["staff"]).get(f"/api/requests/{pk}/").json()
    assert detail["applicant"]["id_number"] == ID_NUMBER and detail["applicant"]["phone"] == PHONE
    assert detail["events"][1]["note"] == "申请人电话告知住址"
    viewed = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL_DATA)
    assert viewed.count() == before + 1 and viewed.order_by("pk").last().username == "staff"
    for account in ("supervisor",):
        text = api(people[account]).get(f"/api/requests/{pk}/").content.decode()
        for secret in (ID_NUMBER, PHONE, ADDRESS, "张三丰", "申请人电话告知住址"):
            assert secret not in text
        text = api(people[account]).get(f"/api/requests/{pk}/events/").content.decode()
        assert "申请人电话告知住址" not in text


def test_supervisors_are_read_only(people, ledger):
    supervisor = api(people["supervisor"])
    pk = ledger["education"].pk
    response = supervisor.post(f"/api/requests/{pk}/events/", {"kind": "withdrawn", "occurred_on": "2026-03-05"})
    assert response.status_code == 403 and "只读" in response.json()["detail"]
    assert supervisor.patch(f"/api/requests/{pk}/", {"edit_version": 0, "channel": "fax"}).status_code == 403
    assert supervisor.post("/api/requests/", {}, format="json").status_code == 403


def intake(agency, **changes) -> dict:
    return {"agency": agency.pk, "received_on": "2026-03-09", "channel": "in_person",
            "applicant": {"type": "natural_person", "name": "李四", "id_number": "", "phone": "", "address": ""},
            **changes}


def test_intake_registers_a_request_with_its_received_event_and_audit(people, county):
    _, education, town = county
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=people["staff"]).key)
    response = client.post("/api/requests/", intake(education), format="json")
    assert response.status_code == 201, response.content
    created = Request.objects.get(pk=response.json()["id"])
    assert [e.kind for e in created.rows()] == [EventKind.RECEIVED]
    assert response.json()["status"] == "in_progress" and response.json()["reply_due"]
    entry = AuditEntry.objects.get(model="requests.Request", object_id=str(created.pk), action="create")
    assert entry.username == "staff"  # the token's user, not the system
    refused = client.post("/api/requests/", intake(town), format="json")
    assert refused.status_code == 400 and "agency" in refused.json()


def test_intake_applies_the_models_validation(people, county):
    education = county[1]
    client = api(people["staff"])
    future = client.post("/api/requests/", intake(education, received_on="2099-01-05"), format="json")
    assert future.status_code == 400 and "晚于今天" in future.json()["received_on"][0]
    sunday = client.post("/api/requests/", intake(education, received_on="2026-03-08", channel="online"), format="json")
    assert sunday.status_code == 400 and "条例第三十一条" in sunday.json()["received_on"][0]
    confirmed = intake(education, received_on="2026-03-08", channel="online", confirm_receipt_date=True)
    assert client.post("/api/requests/", confirmed, format="json").status_code == 201
    bad_type = client.post("/api/requests/", intake(education, applicant={"type": "x", "name": "李四"}), format="json")
    assert bad_type.status_code == 400 and "applicant" in bad_type.json()
    assert Request.objects.count() == 1 and Applicant.objects.count() == 1  # nothing half-written


def test_events_go_through_the_ledger(people, ledger):
    client = api(people["town_staff"])
    pk = ledger["town"].pk
    url = f"/api/requests/{pk}/events/"
    ok = client.post(url, {"kind": "consultation_started", "occurred_on": "2026-03-05"})
    assert ok.status_code == 201, ok.content
    refused = client.post(url, {"kind": "consultation_started", "occurred_on": "2026-03-06"})
    assert refused.status_code == 400 and refused.json()["non_field_errors"]  # the ledger's own message
    wrong_field = client.post(url, {"kind": "withdrawn", "occurred_on": "2026-03-06", "reply_by": "2026-04-01"})
    assert wrong_field.status_code == 400 and "只用于" in wrong_field.json()["reply_by"][0]
    early = client.post(url, {"kind": "consultation_ended", "occurred_on": "2026-03-01"})
    assert early.status_code == 400 and "早于收到日期" in early.json()["occurred_on"][0]
    assert [e.kind for e in Request.objects.get(pk=pk).rows()] == [EventKind.RECEIVED, EventKind.CONSULTATION_STARTED]
    entry = AuditEntry.objects.get(model="requests.RequestEvent", action="create", object_id=str(ok.json()["id"]))
    assert entry.username == "town_staff"
    listed = client.get(url).json()
    assert [e["kind_label"] for e in listed] == ["收到申请", "开始征求意见"]


def test_extension_and_decision_are_the_office_heads(people, ledger):
    pk = ledger["education"].pk
    ledger["education"].events.exclude(kind=EventKind.RECEIVED).delete()
    extension = {"kind": "extension_approved", "occurred_on": "2026-03-20", "extension_days": 20}
    refused = api(people["staff"]).post(f"/api/requests/{pk}/events/", extension)
    assert refused.status_code == 403 and "公开办负责人" in refused.json()["detail"]
    assert api(people["head"]).post(f"/api/requests/{pk}/events/", extension).status_code == 201
    decision = {"kind": "decided", "occurred_on": "2026-04-01", "outcome": "granted"}
    assert api(people["staff"]).post(f"/api/requests/{pk}/events/", decision).status_code == 403
    decided = api(people["head"]).post(f"/api/requests/{pk}/events/", decision)
    assert decided.status_code == 201, decided.content
    assert Request.objects.get(pk=pk).closed_on == date(2026, 4, 1)


def test_a_stale_edit_version_is_409_and_nothing_is_written(people, ledger):
    client = api(people["town_staff"])
    pk = ledger["town"].pk
    version = client.get(f"/api/requests/{pk}/").json()["edit_version"]
    first = client.patch(f"/api/requests/{pk}/", {"edit_version": version, "channel": "post_signed"})
    assert first.status_code == 200, first.content
    assert first.json()["edit_version"] == version + 1
    stale = client.patch(f"/api/requests/{pk}/", {"edit_version": version, "channel": "fax"})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert Request.objects.get(pk=pk).channel == Channel.POST_SIGNED
    missing = client.patch(f"/api/requests/{pk}/", {"channel": "fax"})
    assert missing.status_code == 400 and "edit_version" in missing.json()


def test_a_receipt_date_correction_moves_the_received_event_and_is_checked(people, ledger):
    client = api(people["staff"])
    pk = ledger["education"].pk
    version = Request.objects.get(pk=pk).version
    late = client.patch(f"/api/requests/{pk}/", {"edit_version": version, "received_on": "2026-03-05"})
    assert late.status_code == 400 and "早于收到日期" in late.json()["received_on"][0]
    moved = client.patch(f"/api/requests/{pk}/", {"edit_version": version, "received_on": "2026-03-03"})
    assert moved.status_code == 200, moved.content
    received = RequestEvent.objects.get(request_id=pk, kind=EventKind.RECEIVED)
    assert received.occurred_on == date(2026, 3, 3)
