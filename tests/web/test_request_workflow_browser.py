"""End to end in a real Chromium against ``gongkai serve --demo``: a clerk registers a request and prints its
受理回执, requests a supplement and records it, consults a third party, proposes an extension that the office
head approves, answers; the head signs the 答复书, which is downloaded and read; the dashboard's 待签发 and the
list follow.  Screenshots go to ``$GONGKAI_SCREENSHOTS`` when set (docs/images), else to the test's directory."""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from .live_server import log_in, serving
from .workflow_setup import write_next_year_schedule


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    write_next_year_schedule(data)  # due dates counted from today may run into next year
    with serving(data, "--demo") as (base, _):
        yield base


def _awaiting_signature(page, site) -> int:
    page.goto(f"{site}/")
    return int(page.locator("#awaiting-signature-tile b").inner_text())


def _status_in_list(page, site, number: str) -> str:
    page.goto(f"{site}/requests/?q=")
    row = page.locator("table.list tbody tr", has=page.locator(f"a[href='/requests/{number}/']"))
    return row.inner_text()


def test_a_request_from_intake_to_the_signed_answer(browser, site, tmp_path):
    shots = Path(os.environ.get("GONGKAI_SCREENSHOTS") or tmp_path)
    today = timezone.localdate()
    clerk = log_in(browser, site, "jiaoyu_staff", "demo-jiaoyu-staff")
    head = log_in(browser, site, "jiaoyu_head", "demo-jiaoyu-head")
    assert _awaiting_signature(head, site) == 0

    # 登记
    clerk.goto(f"{site}/")
    clerk.click("text=登记申请")
    expect(clerk.locator("h1")).to_contain_text("登记政府信息公开申请")
    clerk.select_option("#id_type", "natural_person")
    clerk.fill("#id_name", "赵六")
    clerk.fill("#id_id_number", "110105194912310021")  # a wrong check digit first
    clerk.fill("#id_phone", "13912345678")
    clerk.fill("#id_address", "某县人民路8号")
    clerk.fill("#id_content", "某县2025年义务教育阶段学校划片招生方案（县教发〔2025〕12号）")
    clerk.check("input[name=medium][value=paper]")
    clerk.check("input[name=delivery][value=post]")
    clerk.select_option("#id_channel", "in_person")
    clerk.screenshot(path=shots / "office-intake.png", full_page=True)
    clerk.click("text=登记并生成受理回执")
    expect(clerk.locator(".field.has-error")).to_contain_text("校验码不符：第18位应为X")
    clerk.fill("#id_id_number", "11010519491231002x")
    clerk.click("text=登记并生成受理回执")
    expect(clerk.locator("#just-made")).to_contain_text("受理回执已生成")
    number = re.search(r"/requests/(\d+)/", clerk.url).group(1)
    request_url = f"{site}/requests/{number}/"

    # 打印受理回执: the PDF the print button opens
    pdf_href = clerk.locator("#just-made a", has_text="打印").get_attribute("href")
    receipt_pdf = clerk.request.get(f"{site}{pdf_href}")
    assert receipt_pdf.ok and receipt_pdf.body().startswith(b"%PDF")
    (shots / "letter-receipt.pdf").write_bytes(receipt_pdf.body())

    # 补正告知 → 收到补正
    clerk.click("#actions >> text=补正告知")
    clerk.fill("#id_items", "请写明所需文件的完整名称\n请写明学校所在学区")
    clerk.fill("#id_supplement_by", (today + timedelta(days=14)).isoformat())
    clerk.click("button.primary")
    expect(clerk.locator("#just-made")).to_contain_text("补正告知书已生成")
    expect(clerk.locator("h1 .status")).to_have_text("待补正")
    clerk.click("#actions >> text=收到补正")
    clerk.click("button.primary")
    expect(clerk.locator(".messages")).to_contain_text("已记录“收到补正”")

    # 征求第三方意见 → 意见收到
    clerk.click("#actions >> text=征求意见")
    clerk.fill("#id_consultee", "某某教育科技有限公司")
    clerk.click("button.primary")
    expect(clerk.locator("#just-made")).to_contain_text("征求第三方意见函已生成")
    expect(clerk.locator("h1 .status")).to_have_text("征求意见中")
    clerk.click("#actions >> text=征求意见结束")
    clerk.fill("#id_note", "第三方同意公开")
    clerk.click("button.primary")

    # 延期: the clerk proposes, the head approves
    clerk.click("#actions >> text=延期（报负责人批准）")
    clerk.fill("#id_extension_days", "10")
    clerk.fill("#id_reasons", "需要汇总多所学校的材料")
    clerk.click("button.primary")
    expect(clerk.locator(".panel.draft")).to_contain_text("待负责人批准")
    expect(clerk.locator(".panel.draft")).not_to_contain_text("批准延期")  # the clerk has no approve button
    assert _awaiting_signature(head, site) == 1
    head.goto(request_url)
    head.click(".panel.draft a[href$='/sign/']")
    head.click("button.primary")
    expect(head.locator("#just-made")).to_contain_text("延期答复告知书已生成")
    expect(head.locator("ol.timeline")).to_contain_text("批准延期")

    # 答复: a draft until 签发
    clerk.goto(request_url)
    clerk.click("#actions a[href$='/act/decide/']")
    clerk.select_option("#id_outcome", "granted")
    clerk.fill("#id_reasons", "所申请的招生方案已制作完成，可以公开")
    clerk.click("button.primary")
    expect(clerk.locator(".panel.draft")).to_contain_text("答复书（草稿，待签发）")
    expect(clerk.locator("h1 .status")).to_have_text("办理中")
    assert clerk.locator("table.letters a[href$='.docx']").count() == 4  # 回执, 补正, 征求意见, 延期; not the draft
    assert _awaiting_signature(head, site) == 1
    head.locator("#awaiting-signature-list a", has_text=number).click()
    head.screenshot(path=shots / "office-request.png", full_page=True)
    head.click(".panel.draft a[href$='/sign/']")
    expect(head.locator(".letter-preview")).to_contain_text("赵六")
    head.click("button.primary")
    expect(head.locator("#just-made")).to_contain_text("答复书已生成")
    expect(head.locator("h1 .status")).to_have_text("已办结")
    with head.expect_download() as download:
        head.click("#just-made >> text=下载 Word")
    text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "政府信息公开申请答复书" in text and "赵六：" in text and "县教发〔2025〕12号" in text
    assert "第三十六条第一项、第二项" in text and "本机关予以公开" in text and "纸质，邮寄" in text
    assert "具体理由：所申请的招生方案已制作完成，可以公开" in text and "行政复议" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text
    decision_href = head.locator("#just-made a", has_text="打印").get_attribute("href")
    (shots / "letter-decision.pdf").write_bytes(head.request.get(f"{site}{decision_href}").body())

    # the dashboard and the list follow
    assert _awaiting_signature(head, site) == 0
    listed = _status_in_list(clerk, site, number)
    assert "已办结" in listed and "予以公开" in listed
    clerk.goto(request_url)
    assert clerk.locator("#actions a").count() == 0
    head.close()
    clerk.close()
