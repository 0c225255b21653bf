"""The annual report end to end in a real Chromium against ``gongkai serve --demo`` (gunicorn): the clerk opens last
year's report compiled from the ledger, edits its text, exports it; the office head signs it; the clerk records
its publication (late against 第四十九条); a case recorded afterwards makes version 2 with its diff; a published
report of the year before is uploaded and its findings shown; the supervisor's overview shows the statuses."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from gongkai.render import WRITERS
from gongkai.web.reports.tables import ProactiveFigures, RequestCount, build_report

from .live_server import log_in, serving

YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year - 1  # the server's local date


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("served"), "--demo") as (base, _):
        yield base


def _published_last_year(path) -> None:
    """The bureau's report of the year before, as it published it: its table 3 total is misprinted (R3)."""
    report = build_report("某县教育局", YEAR - 1, requests=[RequestCount("natural_person", None, new_received=2,
                                                                        carried_forward=2)],
                          cases=[], proactive=ProactiveFigures(),
                          texts={"overview": "本年度新收政府信息公开申请2件。", "problems": "无。", "other": "无。"})
    report["requests.new_received.total"] = 5
    report.published = date(YEAR, 1, 25)
    path.write_bytes(WRITERS["pdf"].render(report))


def test_compile_edit_export_sign_publish_lock_and_upload(browser, site, tmp_path):
    clerk = log_in(browser, site, "jiaoyu_staff", "demo-jiaoyu-staff")
    clerk.click("nav >> text=年度报告")
    expect(clerk).to_have_url(f"{site}/reports/{YEAR}/")
    expect(clerk.locator("h1")).to_contain_text(f"某县教育局{YEAR}年政府信息公开工作年度报告")
    expect(clerk.locator(".findings h2")).to_contain_text("检查结果")
    expect(clerk.frame_locator("iframe.preview").locator("h1")).to_contain_text("政府信息公开工作年度报告")

    # edit the draft text and save it
    overview = clerk.locator("textarea[name=overview]")
    overview.fill(overview.input_value() + "\n本年度组织全局公开工作人员参加业务培训。")
    clerk.click("button >> text=保存正文")
    expect(clerk.locator(".messages")).to_contain_text("正文已保存。")
    expect(clerk.locator("textarea[name=overview]")).to_have_value(re.compile("参加业务培训。$"))

    # export: the Word file holds the edited text
    with clerk.expect_download() as download:
        clerk.click("a.button >> text=DOCX")
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    assert "参加业务培训" in zipfile.ZipFile(saved).read("word/document.xml").decode()
    expect(clerk.locator("text=签发本年度报告")).to_have_count(0)  # a clerk does not sign

    # the office head signs
    head = log_in(browser, site, "jiaoyu_head", "demo-jiaoyu-head")
    head.goto(f"{site}/reports/{YEAR}/")
    head.click("button >> text=签发本年度报告")
    expect(head.locator(".messages")).to_contain_text("已签发")
    expect(head.locator("h1 .pill")).to_have_text("已签发")
    expect(head.locator("textarea")).to_have_count(0)  # the texts are locked

    # the clerk records the publication: today, long after 1月31日
    clerk.goto(f"{site}/reports/{YEAR}/")
    clerk.fill("input[name=published_on]", datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat())
    clerk.click("button >> text=登记发布")
    expect(clerk.locator(".messages")).to_contain_text(re.compile(r"逾期\d+天"))
    expect(clerk.locator("h1 .pill")).to_have_text("逾期发布")

    # the year is locked: a case recorded afterwards makes version 2, with its diff
    clerk.goto(f"{site}/admin/appeals/case/add/")
    clerk.select_option("select[name=agency]", label="某县教育局")
    clerk.select_option("select[name=kind]", "review")
    clerk.fill("input[name=filed_on]", f"{YEAR}-11-03")
    clerk.click("input[name=_save]")
    expect(clerk.locator(".messagelist")).to_be_visible()
    clerk.goto(f"{site}/reports/{YEAR}/")
    expect(clerk.locator(".versions")).to_contain_text("第2版 签发后台账变更")
    diff = clerk.locator(".versions details[open] .report-diff")
    expect(diff).to_contain_text("行政复议")
    expect(diff.locator("ins").first).to_be_visible()
    clerk.screenshot(path=tmp_path / "workspace.png", full_page=True)

    # upload the published report of the year before: read, checked, kept
    published = tmp_path / f"{YEAR - 1}年度报告.pdf"
    _published_last_year(published)
    clerk.click("text=上传已发布的报告")
    clerk.set_input_files("input[name=document]", str(published))
    clerk.click("button >> text=上传并检查")
    expect(clerk.locator(".upload-result")).to_contain_text(f"已读取并保存为某县教育局{YEAR - 1}年度报告")
    expect(clerk.locator(".finding.error .rule", has_text="R3").first).to_be_visible()
    clerk.close()
    head.close()

    # the supervisor's overview
    supervisor = log_in(browser, site, "xian_supervisor", "demo-xian-supervisor")
    supervisor.click("nav >> text=年度报告")
    expect(supervisor).to_have_url(f"{site}/reports/overview/")
    row = supervisor.locator("table.matrix tr", has_text="某县教育局")
    expect(row.locator("td").nth(1)).to_contain_text("逾期发布")
    expect(row.locator("td").nth(2)).to_contain_text("已发布")  # the upload
    expect(supervisor.locator("table.compare tr.subtree")).to_contain_text("汇总")
    supervisor.close()
