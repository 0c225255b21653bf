"""The annual report workspace of an agency-year: compiled from the ledger, draft texts written from the figures,
saved with optimistic concurrency, checked, previewed, exported, signed by the office head only, published
against 第四十九条, and locked: a later change of the ledger makes a new version with its diff."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from django.utils import timezone

from gongkai.report.placeholders import unfilled

from .admin_client import client_for, form_values
from .ledger_builder import add_request

YEAR = timezone.localdate().year - 1
URL = f"/reports/{YEAR}/"


@pytest.fixture
def ledger(county):
    _, education, town = county
    add_request(education, "natural_person", date(YEAR, 3, 2), date(YEAR, 3, 20), "granted")
    add_request(education, "commercial", date(YEAR, 5, 6), date(YEAR, 5, 25), "unavailable.not_held")
    add_request(education, "natural_person", date(YEAR, 12, 28))  # carried forward
    add_request(town, "natural_person", date(YEAR, 4, 1), date(YEAR, 4, 10), "granted")
    return education


def _filled(texts: dict) -> dict:
    """The draft with every 【请填写：…】 replaced by what an office would write."""
    out = {}
    for key, text in texts.items():
        for mark in unfilled(text):
            text = text.replace(mark, "本机关按要求做好相关工作")
        out[key] = text
    return out


def _texts(html: str) -> dict:
    values = form_values(html)
    return {key: values[key] for key in ("overview", "problems", "other")}


def _save(client, html: str, texts: dict | None = None):
    values = form_values(html)
    data = {"edit_version": values.get("edit_version", ""), **(texts or _texts(html))}
    return client.post(f"{URL}texts/", data, follow=True)


def test_draft_written_from_the_ledger_and_saved(people, ledger):
    clerk = client_for(people["staff"])
    html = clerk.get(URL).content.decode()
    assert "某县教育局" in html and "以下草稿由本年度台账数据自动生成" in html
    texts = _texts(html)
    assert "本年度新收政府信息公开申请3件" in texts["overview"]
    assert "结转下年度继续办理1件" in texts["overview"]
    assert "本年度未收取信息处理费。" in texts["other"]
    assert "D1" in html and f'src="/reports/{YEAR}/preview/"' in html  # placeholders still to fill; the preview
    assert "签发本年度报告" not in html  # the clerk does not sign

    saved = _save(clerk, html, {**texts, "overview": texts["overview"] + "\n本年度另行开展了培训。"})
    assert "正文已保存。" in saved.content.decode()
    from gongkai.web.reports.models import ReportDraft

    draft = ReportDraft.objects.get(agency=ledger, year=YEAR)
    assert draft.overview.endswith("本年度另行开展了培训。") and draft.version == 0
    assert "以下草稿由本年度台账数据自动生成" not in saved.content.decode()


def test_a_stale_save_is_refused_and_keeps_what_was_typed(people, ledger):
    clerk, head = client_for(people["staff"]), client_for(people["head"])
    _save(clerk, clerk.get(URL).content.decode())
    seen_by_clerk = clerk.get(URL).content.decode()
    _save(head, head.get(URL).content.decode(), {"overview": "负责人改过的文字", "problems": "", "other": ""})
    refused = _save(clerk, seen_by_clerk, {"overview": "办事员的文字", "problems": "", "other": ""}).content.decode()
    assert "此记录在您打开后已被他人修改" in refused and "办事员的文字" in refused
    from gongkai.web.reports.models import ReportDraft

    assert ReportDraft.objects.get(agency=ledger, year=YEAR).overview == "负责人改过的文字"


def test_only_the_office_head_signs_and_not_with_placeholders(people, ledger):
    from gongkai.web.reports.models import ReportDraft

    clerk, head = client_for(people["staff"]), client_for(people["head"])
    html = clerk.get(URL).content.decode()
    _save(clerk, html)  # the generated draft, placeholders and all
    version = ReportDraft.objects.get(agency=ledger, year=YEAR).version
    assert clerk.post(f"{URL}sign/", {"edit_version": version}).status_code == 403
    refused = head.post(f"{URL}sign/", {"edit_version": version}, follow=True).content.decode()
    assert "未签发" in refused and "未填写的内容" in refused
    assert not ReportDraft.objects.get(agency=ledger, year=YEAR).signed

    _save(clerk, clerk.get(URL).content.decode(), _filled(_texts(html)))
    draft = ReportDraft.objects.get(agency=ledger, year=YEAR)
    signed = head.post(f"{URL}sign/", {"edit_version": draft.version}, follow=True).content.decode()
    assert "年度报告已签发" in signed and "第1版" in signed
    draft.refresh_from_db()
    assert draft.signed and draft.signed_by == people["head"] and draft.versions.count() == 1
    assert "保存正文" not in signed and "报告已签发，正文已锁定" in signed
    late_edit = clerk.post(f"{URL}texts/", {"edit_version": draft.version, "overview": "改", "problems": "",
                                            "other": ""}, follow=True).content.decode()
    assert "正文不能再修改" in late_edit
    draft.refresh_from_db()
    assert draft.overview != "改"


def test_an_administrator_of_the_office_signs_as_the_head_may(people, ledger):
    """The report's 签发 is decided as a 答复书's (``access.decides_as_head``, by someone of the agency's office):
    an administrator with a staff profile in the agency is offered it and signs; one without a profile is not."""
    from django.contrib.auth.models import User

    from gongkai.web.accounts.models import UserProfile
    from gongkai.web.reports.models import ReportDraft

    clerk, root = client_for(people["staff"]), client_for(User.objects.create_superuser("root", password="x"))
    admin = User.objects.create_superuser("admin", password="x")
    UserProfile.objects.create(user=admin, agency=ledger, role=UserProfile.Role.OFFICE_STAFF)
    admin = client_for(admin)
    _save(clerk, clerk.get(URL).content.decode(), _filled(_texts(clerk.get(URL).content.decode())))
    assert "签发本年度报告" not in clerk.get(URL).content.decode()
    assert "签发本年度报告" not in root.get(f"{URL}?agency={ledger.pk}").content.decode()
    assert "签发本年度报告" in admin.get(URL).content.decode()
    draft = ReportDraft.objects.get(agency=ledger, year=YEAR)
    assert root.post(f"{URL}sign/", {"edit_version": draft.version, "agency": ledger.pk}).status_code == 403
    admin.post(f"{URL}sign/", {"edit_version": draft.version})
    draft.refresh_from_db()
    assert draft.signed and draft.signed_by.username == "admin"


def _sign(people, education):
    from gongkai.web.reports.models import ReportDraft

    clerk, head = client_for(people["staff"]), client_for(people["head"])
    _save(clerk, clerk.get(URL).content.decode(), _filled(_texts(clerk.get(URL).content.decode())))
    head.post(f"{URL}sign/", {"edit_version": ReportDraft.objects.get(agency=education, year=YEAR).version})
    return clerk, head


def test_a_later_ledger_change_makes_a_new_version_with_its_diff(people, ledger):
    from gongkai.web.audit.models import AuditEntry
    from gongkai.web.reports.models import ReportDraft, ReportVersion

    clerk, _ = _sign(people, ledger)
    assert "第2版" not in clerk.get(URL).content.decode()  # nothing changed: no new version
    add_request(ledger, "research", date(YEAR, 11, 2), date(YEAR, 11, 20), "granted")  # recorded late
    html = clerk.get(URL).content.decode()
    draft = ReportDraft.objects.get(agency=ledger, year=YEAR)
    assert [v.number for v in draft.versions.all()] == [1, 2]
    assert draft.versions.get(number=2).reason == ReportVersion.Reason.LEDGER_CHANGED
    assert "第2版" in html and "签发后台账变更" in html and "与第1版的差异" in html
    diff = re.search(r'<section class="report-diff">.*?</section>', html, re.S).group(0)
    assert "<del>3</del>" in diff and "<ins>4</ins>" in diff  # 本年新收 总计 3 → 4
    assert draft.versions.get(number=2).flat["requests.new_received.total"] == 4
    assert draft.versions.get(number=1).flat["requests.new_received.total"] == 3  # the signed one untouched
    assert clerk.get(URL).content.decode().count("签发后台账变更") == 1  # looked at again: no third version
    assert AuditEntry.objects.filter(model="reports.ReportVersion", agency=ledger).count() == 2


def test_a_ledger_change_makes_its_version_at_once_by_whoever_made_it(people, ledger):
    from django.test import TestCase
    from django.utils import timezone as tz

    from gongkai.web.audit.recording import acting_as
    from gongkai.web.reports.models import ReportDraft
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.timeline import record_event

    _sign(people, ledger)
    draft = ReportDraft.objects.get(agency=ledger, year=YEAR)
    carried = Request.objects.get(agency=ledger, received_on=date(YEAR, 12, 28))
    with TestCase.captureOnCommitCallbacks(execute=True) as ran:
        record_event(carried, EventKind.CONSULTATION_STARTED, tz.localdate())  # last year's figures stay
    assert ran and draft.versions.count() == 1
    with acting_as(people["staff"]), TestCase.captureOnCommitCallbacks(execute=True):
        add_request(ledger, "research", date(YEAR, 11, 2), date(YEAR, 11, 20), "granted")  # recorded late
    latest = draft.versions.order_by("-number").first()  # without opening the workspace
    assert latest.number == 2 and latest.created_by == people["staff"]
    assert latest.flat["requests.new_received.total"] == 4


def test_publication_against_article_49(people, ledger):
    from gongkai.web.reports.models import ReportDraft

    clerk, _ = _sign(people, ledger)
    assert "须先签发" not in clerk.get(URL).content.decode()
    early = clerk.post(f"{URL}publish/", {"published_on": date(YEAR + 1, 1, 10).isoformat()}, follow=True)
    assert "发布日期不能早于签发日期" in early.content.decode()
    signed_at = timezone.make_aware(timezone.datetime(YEAR + 1, 1, 20, 10, 0))
    ReportDraft.objects.filter(agency=ledger, year=YEAR).update(signed_at=signed_at)  # signed back in January
    future = clerk.post(f"{URL}publish/", {"published_on": date(YEAR + 2, 1, 1).isoformat()}, follow=True)
    assert "发布日期不能晚于今天" in future.content.decode()
    late_day = min(date(YEAR + 1, 2, 5), timezone.localdate())
    html = clerk.post(f"{URL}publish/", {"published_on": late_day.isoformat()}, follow=True).content.decode()
    draft = ReportDraft.objects.get(agency=ledger, year=YEAR)
    assert draft.published_on == late_day
    if late_day > date(YEAR + 1, 1, 31):
        assert f"逾期{(late_day - date(YEAR + 1, 1, 31)).days}天" in html and "逾期发布" in html
    assert f"{YEAR + 1}年1月31日前" in html and "第四十九条" in html


def test_publishing_before_signing_is_refused(people, ledger):
    clerk = client_for(people["staff"])
    _save(clerk, clerk.get(URL).content.decode())
    html = clerk.post(f"{URL}publish/", {"published_on": date(YEAR + 1, 1, 10).isoformat()}, follow=True)
    assert "须先签发" in html.content.decode()


@pytest.mark.parametrize(("fmt", "magic", "kind"), [
    ("docx", b"PK", "wordprocessingml"), ("xlsx", b"PK", "spreadsheetml"), ("html", b"<!DOCTYPE html>", "text/html"),
    ("pdf", b"%PDF", "application/pdf"),
])
def test_exports(people, ledger, fmt, magic, kind):
    response = client_for(people["staff"]).get(f"{URL}export.{fmt}")
    assert response.status_code == 200 and kind in response["Content-Type"]
    assert response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"] and "%E5%B9%B4" in response["Content-Disposition"]
    if fmt == "docx":
        body = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
        assert "本年度新收政府信息公开申请3件" in body


def test_preview_is_the_official_layout(people, ledger):
    response = client_for(people["staff"]).get(f"{URL}preview/")
    html = response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert f"<h1>某县教育局{YEAR}年政府信息公开工作年度报告</h1>" in html and "@page" in html
    assert "http://" not in html and "https://" not in html  # nothing from outside


def test_roles_and_other_agencies(people, ledger, county):
    government, education, town = county
    supervisor = client_for(people["supervisor"])
    html = supervisor.get(f"{URL}?agency={education.pk}").content.decode()
    assert "您只能查看，不能修改" in html and "保存正文" not in html
    for action in ("texts", "sign", "publish"):
        assert supervisor.post(f"{URL}{action}/?agency={education.pk}", {"overview": "x"}).status_code == 403
    assert supervisor.get(f"{URL}export.docx?agency={education.pk}").status_code == 200
    assert supervisor.get(f"{URL}?agency={education.pk + 1000}").status_code == 404
    town_clerk = client_for(people["town_staff"])
    assert town_clerk.get(f"{URL}?agency={education.pk}").status_code == 404
    assert town_clerk.get(f"{URL}export.pdf?agency={education.pk}").status_code == 404
    assert town_clerk.get(f"{URL}preview/?agency={education.pk}").status_code == 404
    assert town_clerk.post(f"{URL}texts/?agency={education.pk}", {"overview": "x"}).status_code == 404
    assert client_for(people["staff"]).get(f"{URL}?agency={town.pk}").status_code == 404
    assert client_for(people["nobody"]).get(URL).status_code == 404
    assert client_for(people["staff"]).get(f"/reports/{timezone.localdate().year + 1}/").status_code == 404
    assert client_for(people["staff"]).get(f"{URL}export.exe").status_code == 404


def test_nav_and_index(people, ledger):
    clerk = client_for(people["staff"])
    assert clerk.get("/reports/").url == URL
    assert 'href="/reports/" aria-current="page">年度报告' in clerk.get(URL).content.decode()
    assert client_for(people["supervisor"]).get("/reports/").url == "/reports/overview/"
