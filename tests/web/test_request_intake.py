"""登记 (requests/new/): a clerk registers a request, the 受理回执 is made and kept; what is refused, in Chinese."""

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
