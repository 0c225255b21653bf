"""登记 (requests/new/): a clerk registers a request, the 受理回执 is made and kept; what is refused, in Chinese.
After 登记 the handling office corrects the 申请内容 (requests/<pk>/content/), audited, until the request closes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from gongkai.calendar import WorkCalendar
from gongkai.web.audit.models import AuditEntry
from gongkai.web.letters.models import Letter
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Request

from .admin_client import client_for
from .workflow_setup import write_next_year_schedule

ID_NUMBER = "11010519491231002X"  # GB 11643-1999's example
CREDIT_CODE = "91350100M000100Y43"  # GB 32100-2015's example


@pytest.fixture(autouse=True)
def next_year(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    return write_next_year_schedule(tmp_path)


def _form(**changes) -> dict:
    today = timezone.localdate()
    return {"applicant": "new", "type": "natural_person", "name": "李四", "id_number": ID_NUMBER.lower(),
            "phone": "13900000000", "address": "某县某路1号", "content": "2025年某县义务教育学校招生计划（教发〔2025〕3号）",
            "medium": "paper", "delivery": "post", "channel": "in_person", "received_on": today.isoformat(),
            "doc_number": "", **changes}


def test_a_clerk_registers_a_request_and_gets_the_receipt(people):
    client = client_for(people["staff"])
    page = client.get("/requests/new/")
    assert page.status_code == 200 and "登记政府信息公开申请" in page.content.decode()
    response = client.post("/requests/new/", _form())
    assert response.status_code == 302
    found = Request.objects.get()
    assert response["Location"] == f"/requests/{found.pk}/?letter={found.letters.get().pk}"
    assert found.content.startswith("2025年某县") and found.requested_form() == "纸质，邮寄"
    assert found.applicant.id_number == ID_NUMBER  # the lowercase x written as X
    assert list(found.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]
    letter = found.letters.get()
    assert letter.kind == "receipt" and letter.status == Letter.Status.ISSUED and letter.created_by == people["staff"]
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(letter.docx))).paragraphs)
    due = found.state().reply_due.date
    assert f"{due.year}年{due.month}月{due.day}日前答复" in text and "形式要求：纸质，邮寄" in text
    assert AuditEntry.objects.filter(model="文书", object_id=str(letter.pk), action="create").exists()

    page = client.get(response["Location"]).content.decode()
    assert "受理回执已生成" in page and f"/letters/{letter.pk}.pdf" in page and f"/letters/{letter.pk}.docx" in page
    download = client.get(f"/requests/{found.pk}/letters/{letter.pk}.docx")
    assert download.status_code == 200 and bytes(download.content) == bytes(letter.docx)


def test_an_organisation_with_its_credit_code_and_an_existing_applicant(people):
    client = client_for(people["staff"])
    client.post("/requests/new/", _form(type="commercial", name="某某有限公司", id_number=CREDIT_CODE))
    firm = Applicant.objects.get(name="某某有限公司")
    assert firm.id_number == CREDIT_CODE
    search = client.get("/requests/new/", {"q": "某某"}).content.decode()
    assert f'value="{firm.pk}"' in search and CREDIT_CODE not in search  # a search result is masked
    client.post("/requests/new/", _form(applicant=str(firm.pk), type="", name="", id_number=""))
    assert Request.objects.filter(applicant=firm).count() == 2 and Applicant.objects.count() == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"id_number": "110105194912310021"}, "身份证号校验码不符：第18位应为X"),
    ({"id_number": "110105194902300020"}, "不是有效日期"),
    ({"type": "commercial", "id_number": "91350100M0001O0Y43"}, "不能含有“O”"),
    ({"content": ""}, "请填写此项"),
    ({"medium": ""}, "请填写此项"),
    ({"name": ""}, "登记新申请人须填写此项"),
])
def test_refused_with_a_chinese_message_and_nothing_saved(people, changes, message):
    response = client_for(people["staff"]).post("/requests/new/", _form(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Request.objects.exists() and not Letter.objects.exists()


def test_a_future_receipt_date_is_refused(people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(people["staff"]).post("/requests/new/", _form(received_on=tomorrow.isoformat()))
    assert "晚于今天" in response.content.decode() and not Request.objects.exists()


def test_an_online_request_on_a_non_working_day_asks_for_the_confirmation(people):
    today = timezone.localdate()
    sunday = today - timedelta(days=(today.weekday() + 1) % 7 or 7)
    client = client_for(people["staff"])
    response = client.post("/requests/new/", _form(channel="online", received_on=sunday.isoformat()))
    assert "确认收到日期" in response.content.decode() and "第三十一条" in response.content.decode()
    assert not Request.objects.exists()
    client.post("/requests/new/", _form(channel="online", received_on=sunday.isoformat(), confirm_receipt_date="on"))
    assert Request.objects.get().received_on == sunday


def test_without_next_years_schedule_the_request_is_registered_and_the_clerk_told_why(people, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "empty"))
    provisional = WorkCalendar.from_directory().add_working_days(timezone.localdate(), 20).provisional
    response = client_for(people["staff"]).post("/requests/new/", _form(), follow=True)
    found = Request.objects.get()
    if provisional:  # the due date runs into a year without a schedule
        assert "受理回执无法生成" in response.content.decode() and not found.letters.exists()
    else:
        assert found.letters.count() == 1


@pytest.mark.parametrize("role", ["supervisor", "nobody"])
def test_only_office_staff_and_heads_register(people, role):
    client = client_for(people[role])
    assert client.get("/requests/new/").status_code == 403
    assert client.post("/requests/new/", _form()).status_code == 403
    assert not Request.objects.exists()


def test_the_dashboard_and_the_list_offer_the_intake(people):
    client = client_for(people["head"])
    assert 'href="/requests/new/"' in client.get("/").content.decode()
    assert 'href="/requests/new/"' in client.get("/requests/").content.decode()
    assert 'href="/requests/new/"' not in client_for(people["supervisor"]).get("/").content.decode()


# -- 修改申请内容 after 登记 ------------------------------------------------------------------------------------

@pytest.fixture
def registered(people):
    client_for(people["staff"]).post("/requests/new/", _form())
    return Request.objects.get()


def _content_url(found) -> str:
    return f"/requests/{found.pk}/content/"


def _edit(client, found, content, version=None):
    version = Request.objects.get(pk=found.pk).version if version is None else version
    return client.post(_content_url(found), {"content": content, "edit_version": version})


@pytest.mark.parametrize("role", ["staff", "head"])
def test_the_office_edits_the_content_from_the_request_page_and_it_is_audited(people, registered, role):
    client = client_for(people[role])
    page = client.get(f"/requests/{registered.pk}/").content.decode()
    assert f'href="{_content_url(registered)}"' in page
    form = client.get(_content_url(registered)).content.decode()
    assert "修改申请内容" in form and "2025年某县义务教育学校招生计划" in form
    response = _edit(client, registered, "  2025年某县义务教育学校招生计划及其附件  ")
    assert response.status_code == 302 and response["Location"] == f"/requests/{registered.pk}/"
    assert Request.objects.get(pk=registered.pk).content == "2025年某县义务教育学校招生计划及其附件"
    entry = AuditEntry.objects.filter(model="requests.Request", object_id=str(registered.pk), action="update").get()
    assert entry.user == people[role]
    assert entry.changes["content"] == ["2025年某县义务教育学校招生计划（教发〔2025〕3号）",
                                        "2025年某县义务教育学校招生计划及其附件"]
    assert "请填写申请内容" in _edit(client, registered, "  ").content.decode()


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(people, registered):
    staff, head = client_for(people["staff"]), client_for(people["head"])
    seen = Request.objects.get(pk=registered.pk).version
    _edit(head, registered, "负责人改过的内容", version=seen)
    refused = _edit(staff, registered, "工作人员晚到的修改", version=seen)
    page = refused.content.decode()
    assert refused.status_code == 200 and "您的修改未保存" in page and "工作人员晚到的修改" in page
    assert Request.objects.get(pk=registered.pk).content == "负责人改过的内容"
    # a step recorded since the page was opened makes it stale as well
    seen = Request.objects.get(pk=registered.pk).version
    staff.post(f"/requests/{registered.pk}/act/consult/", {"version": seen, "consultee_kind": "agency",
                                                           "consultee": "某县财政局", "doc_number": "",
                                                           "occurred_on": timezone.localdate().isoformat()})
    assert "您的修改未保存" in _edit(staff, registered, "又一次修改", version=seen).content.decode()
    assert Request.objects.get(pk=registered.pk).content == "负责人改过的内容"


@pytest.mark.parametrize(("role", "status"), [("supervisor", 403), ("town_staff", 404), ("nobody", 404)])
def test_only_the_handling_office_edits_the_content(people, registered, role, status):
    client = client_for(people[role])
    assert client.get(_content_url(registered)).status_code == status
    assert _edit(client, registered, "别人改的内容").status_code == status
    if role == "supervisor":
        assert f'href="{_content_url(registered)}"' not in client.get(f"/requests/{registered.pk}/").content.decode()
    assert Request.objects.get(pk=registered.pk).content.startswith("2025年某县")


def test_a_closed_request_keeps_its_content(people, registered):
    staff = client_for(people["staff"])
    staff.post(f"/requests/{registered.pk}/act/withdraw/", {
        "version": Request.objects.get(pk=registered.pk).version, "occurred_on": timezone.localdate().isoformat(),
        "note": ""})
    assert registered.state().closed_on is not None
    assert f'href="{_content_url(registered)}"' not in staff.get(f"/requests/{registered.pk}/").content.decode()
    refused = _edit(staff, registered, "办结后改的内容")
    assert "此申请已办结，申请内容不能再修改" in staff.get(refused["Location"]).content.decode()
    assert Request.objects.get(pk=registered.pk).content.startswith("2025年某县")
