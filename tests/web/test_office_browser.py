"""End to end in a real Chromium: a clerk logs in to ``gongkai serve --demo`` (gunicorn), reads the dashboard,
narrows the request list (htmx swaps the table in place and keeps the address), opens a request and reads how
its due date was counted; a supervisor sees the same request masked.  Also at a tablet's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .live_server import log_in, serving


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("served"), "--demo") as (base, _):
        yield base


def test_clerk_dashboard_list_and_request_page(browser, site, tmp_path):
    anonymous = browser.new_page()
    anonymous.goto(f"{site}/")
    expect(anonymous).to_have_url(re.compile(r"/login/\?next=/$"))
    anonymous.close()
    page = log_in(browser, site, "jiaoyu_staff", "demo-jiaoyu-staff")
    expect(page.locator("h1")).to_contain_text("工作台")
    expect(page.locator(".who")).to_contain_text("某县教育局 · 公开办工作人员")
    overdue = int(page.locator(".tile", has_text="已逾期").locator("b").inner_text())
    assert overdue >= 1 and page.locator("svg rect").count() > 0
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)

    page.click("nav >> text=申请列表")
    expect(page.locator("h1")).to_have_text("政府信息公开申请")  # the clerk's 登记 button stands beside it
    everything = page.locator("table.list tbody tr").count()
    page.evaluate("window.notReloaded = true")
    page.select_option("select[name=deadline]", "overdue")
    expect(page.locator(".result-bar")).to_contain_text(f"共 {overdue} 件")
    expect(page).to_have_url(re.compile(r"deadline=overdue"))
    assert page.evaluate("window.notReloaded") is True  # the table was swapped in place
    assert page.locator("table.list tbody tr.is-late").count() == overdue < everything
    page.screenshot(path=tmp_path / "list.png", full_page=True)

    page.locator("table.list tbody tr").first.locator("td a").first.click()
    expect(page.locator("h1")).to_contain_text("号申请")
    expect(page.locator(".big-due")).to_have_class(re.compile("late"))
    expect(page.locator("text=期限是怎样算出来的")).to_be_visible()
    assert page.locator("table.month td.d-due").count() == 1
    assert re.search(r"3201\d{14}", page.locator("dl.facts").nth(1).inner_text())  # the handling office: in full
    number = re.search(r"第 (\d+) 号", page.locator("h1").inner_text()).group(1)
    page.screenshot(path=tmp_path / "request.png", full_page=True)
    page.close()

    supervisor = log_in(browser, site, "xian_supervisor", "demo-xian-supervisor")
    supervisor.goto(f"{site}/requests/{number}/")
    facts = supervisor.locator("dl.facts").nth(1).inner_text()
    assert "**********" in facts and not re.search(r"3201\d{14}", facts)
    supervisor.close()


def _listed(page, site) -> set[int]:
    page.goto(f"{site}/requests/")
    return {int(n) for n in re.findall(r"/requests/(\d+)/", page.content())}


def test_another_agencys_request_is_not_found_in_the_browser(browser, site):
    education = log_in(browser, site, "jiaoyu_staff", "demo-jiaoyu-staff")
    theirs = _listed(education, site)
    education.close()
    town = log_in(browser, site, "jiazhen_staff", "demo-jiazhen-staff")
    mine = _listed(town, site)
    assert mine and theirs and not mine & theirs
    assert town.goto(f"{site}/requests/{min(mine)}/").status == 200
    assert town.goto(f"{site}/requests/{min(theirs)}/").status == 404
    town.close()


def test_tablet_width_keeps_the_list_usable(browser, site):
    page = log_in(browser, site, "jiaoyu_staff", "demo-jiaoyu-staff", width=768)
    assert page.evaluate("document.documentElement.scrollWidth") <= 768  # the page itself never scrolls sideways
    page.goto(f"{site}/requests/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768  # only the table's own box does
    expect(page.locator("table.list")).to_be_visible()
    page.close()
