"""工作台: what each role sees on the dashboard (counts, lists, charts), login required, the admin's 查看站点."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .admin_client import client_for
from .office_ledger import office_ledger


@pytest.fixture
def ledger(county):
    _, education, town = county
    return office_ledger(education, town)


def _tile(html: str, label: str) -> int:
    found = re.search(rf"<b>(\d+)</b>{label}</a>", html)
    assert found, f"no tile {label}"
    return int(found.group(1))


def test_the_site_root_is_the_dashboard_and_needs_a_login(db):
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/"
    login = Client().get("/login/").content.decode()
    assert "<h1>登录</h1>" in login and "用户名" in login and "密码" in login


def test_clerk_sees_the_own_agency_only(people, ledger):
    html = client_for(people["staff"]).get("/").content.decode()
    assert (_tile(html, "已逾期"), _tile(html, "5个工作日内到期")) == (1, 1)
    assert (_tile(html, "征求意见中"), _tile(html, "待补正"), _tile(html, "待缴费")) == (1, 1, 0)
    assert _tile(html, "未办结合计") == 6
    assert f'href="/requests/{ledger.overdue.pk}/"' in html and f'href="/requests/{ledger.due_soon.pk}/"' in html
    assert f'href="/requests/{ledger.town_overdue.pk}/"' not in html and "李四" not in html
    assert "<th>办理机关</th>" not in html  # one agency: no agency column
    assert "张三丰" in html  # the handling agency's staff see the names of their applicants


def test_supervisor_sees_the_subtree_with_names_masked(people, ledger):
    html = client_for(people["supervisor"]).get("/").content.decode()
    assert _tile(html, "已逾期") == 2
    assert f'href="/requests/{ledger.town_overdue.pk}/"' in html and "<th>办理机关</th>" in html
    assert "李四" not in html and "李*" in html and "张三丰" not in html and "张**" in html


def test_town_clerk_and_a_user_without_a_role(people, ledger):
    html = client_for(people["town_staff"]).get("/").content.decode()
    assert _tile(html, "已逾期") == 1 and f'href="/requests/{ledger.overdue.pk}/"' not in html
    html = client_for(people["nobody"]).get("/").content.decode()
    assert _tile(html, "未办结合计") == 0 and "未分配机关和角色" in html


def test_monthly_charts_count_receipts_and_outcomes(people, ledger):
    from django.utils import timezone

    from gongkai.web.office.charts import RECEIVED, last_months, monthly_counts
    from gongkai.web.office.rows import visible_requests

    html = client_for(people["staff"]).get("/").content.decode()
    assert html.count("<svg") == 3 and html.count('<ul class="legend">') == 1  # the outcomes' chart only
    for caption in ("每月收到申请（件）", "每月办结申请及办理结果（件）", "每月办结申请的平均用时（收到至办结，工作日）"):
        assert f"<figcaption>{caption}</figcaption>" in html
    closed = ledger.closed.closed_on
    assert f"{closed.year}年{closed.month}月 予以公开 1 件" in html
    months = last_months(timezone.localdate())
    counts = monthly_counts(visible_requests(people["staff"]), months)
    assert sum(c[RECEIVED] for c in counts.values()) == 7  # the town's request is not the clerk's
    assert counts[closed.replace(day=1)]["granted"] == 1 and sum(sum(c.values()) for c in counts.values()) == 8


def test_this_week_lists_the_deadlines_falling_due(people, ledger):
    from datetime import timedelta

    from django.utils import timezone

    html = client_for(people["staff"]).get("/").content.decode()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    due = ledger.due_soon.state().reply_due.date
    week = html.split("本周到期", 1)[1]
    assert (f"第 {ledger.due_soon.pk} 号" in week) == (monday <= due <= monday + timedelta(days=6))


def test_admin_view_site_leads_to_the_dashboard(people):
    html = client_for(people["staff"]).get("/admin/").content.decode()
    assert re.search(r'<a href="/">查看站点</a>', html)


def test_reply_times_are_working_days_from_receipt_to_closing(people, ledger):
    from django.utils import timezone

    from gongkai.calendar import WorkCalendar
    from gongkai.web.office.charts import REPLY_DAYS, last_months, monthly_reply_days
    from gongkai.web.office.rows import visible_requests

    months = last_months(timezone.localdate())
    days = monthly_reply_days(visible_requests(people["staff"]), months, WorkCalendar.from_directory())
    closed = ledger.closed.closed_on.replace(day=1)
    assert days[closed][REPLY_DAYS] == 10 and sum(1 for c in days.values() if c) == 1  # decided on working day 10
    html = client_for(people["staff"]).get("/").content.decode()
    assert f"{closed.year}年{closed.month}月 平均用时 10 个工作日" in html


def test_the_tiles_are_live_and_the_monthly_figures_are_kept_a_minute(people, ledger, monkeypatch):
    from django.utils import timezone

    from gongkai.web.office import kept
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.timeline import record_event

    client = client_for(people["staff"])
    before = client.get("/").content.decode()
    closed_before = int(re.search(r"办结 (\d+) 件（统计于", before).group(1))
    record_event(ledger.in_progress, EventKind.DECIDED, timezone.localdate(), "granted")
    within = client.get("/").content.decode()
    assert _tile(within, "未办结合计") == _tile(before, "未办结合计") - 1  # counted on every page
    assert int(re.search(r"办结 (\d+) 件（统计于", within).group(1)) == closed_before  # kept for the minute
    monkeypatch.setattr(kept, "KEPT_SECONDS", 0)
    recounted = client.get("/").content.decode()
    assert int(re.search(r"办结 (\d+) 件（统计于", recounted).group(1)) == closed_before + 1


def test_each_list_shows_its_first_ten_and_links_to_all(people, ledger, county):
    from gongkai.web.office.views import SHOWN
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive

    _, education, _ = county
    received = ledger.overdue.received_on
    for i in range(SHOWN + 2):
        applicant = Applicant.objects.create(agency=education, type="commercial", name=f"某公司{i}")
        receive(education, applicant, received, Channel.IN_PERSON, confirm_receipt_date=True)
    html = client_for(people["staff"]).get("/").content.decode()
    overdue = _tile(html, "已逾期")
    assert overdue == SHOWN + 3
    listed = html.split("<h2>已逾期</h2>", 1)[1].split("<h2>", 1)[0]
    assert listed.count("<tr>") == SHOWN + 1  # the header row and ten requests
    assert f"全部 {overdue} 件 →" in listed


def test_the_lists_escape_what_an_applicant_typed(people, ledger, county):
    """The dashboard's rows are built in Python (``RequestRow.short_html``): text from outside is escaped as a
    template would escape it, in the agency column of a supervisor too."""
    from gongkai.web.agencies.models import Agency
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive

    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="commercial", name='<img src=x>"某公司"')
    found = receive(education, applicant, ledger.overdue.received_on, Channel.IN_PERSON)  # overdue as well
    Agency.objects.filter(pk=education.pk).update(name="某县<b>教育局</b>")
    staff = client_for(people["staff"]).get("/").content.decode()
    supervisor = client_for(people["supervisor"]).get("/").content.decode()
    for html in (staff, supervisor):
        assert '<img src=x>' not in html
        assert f'<a href="/requests/{found.pk}/">{found.pk}</a>' in html
        assert "<td>&lt;img src=x&gt;&quot;某公司&quot;</td>" in html
    assert "<td>某县&lt;b&gt;教育局&lt;/b&gt;</td>" in supervisor and "<b>教育局</b>" not in supervisor


def test_the_lists_are_read_together_each_in_its_own_order(people, ledger, county):
    """The dashboard's lists (sorted, each cut to its first rows) are one query on PostgreSQL, one per list
    elsewhere, and give the same numbers in the same order as each list read alone."""
    from django.db import connection
    from django.db.models.functions import Coalesce
    from django.test.utils import CaptureQueriesContext

    from gongkai.web.office.rows import _orders
    from gongkai.web.requests.models import Applicant, Channel, Request
    from gongkai.web.requests.timeline import receive

    _, education, _ = county
    for i in range(5):
        applicant = Applicant.objects.create(agency=education, type="commercial", name=f"某公司{i}")
        receive(education, applicant, ledger.overdue.received_on, Channel.IN_PERSON, confirm_receipt_date=True)
    requests = Request.objects.filter(agency=education)
    lists = [requests.order_by("-pk")[:3], requests.order_by(Coalesce("reply_due", "pause_due"), "pk")[:4],
             requests.filter(pk__lt=0)[:2], requests.order_by("received_on", "pk")[1:5]]
    alone = [list(each.values_list("pk", flat=True)) for each in lists]
    assert [len(each) for each in alone] == [3, 4, 0, 4] and alone[0] != sorted(alone[0])
    with CaptureQueriesContext(connection) as captured:
        assert _orders(lists) == alone
    assert len(captured) == (1 if connection.vendor == "postgresql" else len(lists))
