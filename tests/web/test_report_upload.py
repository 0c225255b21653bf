"""Upload of a published report in any format: read under bounds, checked, kept as the agency's year (so that the
next year's X1/X2 have it); a hostile or unreadable file gets a clear Chinese message, never a 500."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.render import WRITERS
from gongkai.web.reports.tables import ProactiveFigures, RequestCount, build_report

from .admin_client import client_for
from .ledger_builder import add_request

YEAR = timezone.localdate().year - 1
LAST = YEAR - 1


def published(fmt: str, *, carried_forward: int = 2, agency: str = "某县教育局", year: int = LAST) -> SimpleUploadedFile:
    """Last year's report as the agency published it: 2 requests received, both still open at year end."""
    report = build_report(agency, year, requests=[RequestCount("natural_person", None, new_received=carried_forward,
                                                               carried_forward=carried_forward)],
                          cases=[], proactive=ProactiveFigures(),
                          texts={"overview": f"本年度新收政府信息公开申请{carried_forward}件。", "problems": "无。",
                                 "other": "本年度未收取信息处理费。"})
    report.published = date(year + 1, 2, 10)
    return SimpleUploadedFile(f"{year}年度报告{WRITERS[fmt].suffix}", WRITERS[fmt].render(report))


def _upload(client, document, **fields):
    return client.post("/reports/upload/", {"document": document, **fields})


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "xlsx", "txt"])
def test_a_published_report_is_read_checked_and_kept(people, county, fmt):
    from gongkai.web.reports.models import ReportDraft

    _, education, _ = county
    response = _upload(client_for(people["staff"]), published(fmt))
    html = response.content.decode()
    assert response.status_code == 200 and f"已读取并保存为某县教育局{LAST}年度报告" in html
    assert "逾期10天" in html  # published 2月10日 against 1月31日
    draft = ReportDraft.objects.get(agency=education, year=LAST)
    assert draft.uploaded and draft.published_on == date(YEAR, 2, 10)
    assert draft.published_report["requests.carried_forward.total"] == 2
    assert draft.uploaded_name == f"{LAST}年度报告{WRITERS[fmt].suffix}"


def test_the_upload_feeds_next_years_x1(people, county):
    _, education, _ = county
    clerk = client_for(people["staff"])
    _upload(clerk, published("docx"))
    add_request(education, "natural_person", date(YEAR, 3, 1), date(YEAR, 3, 10), "granted")
    html = clerk.get(f"/reports/{YEAR}/").content.decode()
    assert "X1/X2 对照上一年度报告（上传的已发布报告）" in html
    assert '<span class="rule" title="本年上年结转 = 上年结转下年度">X1</span>' in html  # 0 carried over ≠ 2
    last_year = clerk.get(f"/reports/{LAST}/").content.decode()
    assert "上传的已发布报告只读" in last_year and "逾期发布" in last_year and "保存正文" not in last_year
    assert clerk.get(f"/reports/{LAST}/export.docx").status_code == 200


def test_findings_of_the_upload_are_shown(people, county):
    report = build_report("某县教育局", LAST, requests=[RequestCount("natural_person", None, new_received=2,
                                                                    carried_forward=2)],
                          cases=[], proactive=ProactiveFigures(), texts={"overview": "本年度新收政府信息公开申请5件。"})
    report["requests.new_received.total"] = 7  # the printed total is not the sum of the columns (R3)
    document = SimpleUploadedFile("报告.html", WRITERS["html"].render(report))
    html = _upload(client_for(people["staff"]), document, published_on=f"{YEAR}-01-20").content.decode()
    assert "已读取并保存" in html and ">R3</span>" in html and ">X3</span>" in html and "按期公布" in html


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b"0" * 50_000_000 + b"</w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("报告.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, "文件已损坏或不完整"),
    ("报告.docx", _zip_bomb(), "文件过大或结构过于复杂"),
    ("报告.txt", "你好，这是一封信，不是年度报告。".encode(), "未找到政府信息公开工作年度报告"),
    ("报告.exe", b"MZ\x90\x00" + bytes(range(256)) * 8, "文件格式无法识别"),
    ("报告.docx", b"PK\x03\x04 not really a zip", "文件已损坏或不完整"),
])
def test_a_hostile_or_unreadable_file_gets_a_chinese_error(people, county, name, content, reason):
    from gongkai.web.reports.models import ReportDraft

    response = _upload(client_for(people["staff"]), SimpleUploadedFile(name, content))
    html = response.content.decode()
    assert response.status_code == 200 and "无法读取该文件：" in html and reason in html, html[-2000:]
    assert not ReportDraft.objects.exists()


def test_form_errors_in_chinese(people, county):
    clerk = client_for(people["staff"])
    assert "请选择要上传的文件。" in clerk.post("/reports/upload/", {}).content.decode()
    assert "上传的文件是空的。" in _upload(clerk, SimpleUploadedFile("a.pdf", b"")).content.decode()
    mismatch = _upload(clerk, published("docx"), year=YEAR).content.decode()
    assert f"文件中的报告年度是{LAST}年，与填写的{YEAR}年不一致。" in mismatch
    other = _upload(clerk, published("docx", agency="某市财政局")).content.decode()
    assert "与本机关名称不同" in other


def test_a_signed_year_is_not_replaced_and_others_cannot_upload(people, county):
    from gongkai.web.reports.models import ReportDraft

    _, education, _ = county
    ReportDraft.objects.create(agency=education, year=LAST, signed_at=timezone.now(), signed_by=people["head"])
    html = _upload(client_for(people["staff"]), published("docx")).content.decode()
    assert f"{LAST}年度报告已在本系统签发，不能用上传的报告替换" in html
    assert not ReportDraft.objects.get(agency=education, year=LAST).uploaded
    assert client_for(people["supervisor"]).get("/reports/upload/").status_code == 403
    assert _upload(client_for(people["supervisor"]), published("docx")).status_code == 403
    assert client_for(people["nobody"]).get("/reports/upload/").status_code == 403
