"""年度报告总览: a supervisor's agencies × years with publication status and findings, the subtree's aggregated
report and each agency's own figures against it; nobody else sees it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from .admin_client import client_for
from .ledger_builder import add_request

YEAR = timezone.localdate().year - 1


@pytest.fixture
def reports(county, people):
    from gongkai.web.reports.models import ReportDraft

    government, education, town = county
    add_request(education, "natural_person", date(YEAR, 3, 2), date(YEAR, 3, 20), "granted")
    add_request(education, "commercial", date(YEAR, 5, 6))
    add_request(town, "natural_person", date(YEAR, 4, 1), date(YEAR, 4, 10), "granted")
    add_request(government, "natural_person", date(YEAR, 6, 1), date(YEAR, 6, 11), "granted")
    ReportDraft.objects.create(agency=education, year=YEAR, overview="总体情况", signed_at=timezone.now(),
                               signed_by=people["head"], published_on=date(YEAR + 1, 2, 3))
    ReportDraft.objects.create(agency=town, year=YEAR, overview="【请填写：总体部署】")
    ReportDraft.objects.create(agency=education, year=YEAR - 1, signed_at=timezone.now(), signed_by=people["head"])
    return county


def _cells(html: str, agency: str) -> list[str]:
    row = re.search(rf"<tr><td>{agency}</td>(.*?)</tr>", html, re.S)
    assert row, agency
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_agencies_by_years_with_status_and_findings(people, reports):
    html = client_for(people["supervisor"]).get("/reports/overview/").content.decode()
    assert "年度报告总览" in html and 'href="/reports/" aria-current="page"' in html
    education = _cells(html, "某县教育局")
    assert education[0].startswith("逾期发布 2月3日，逾期3天")  # 1月31日 for a department
    assert education[1].startswith("已签发")
    assert _cells(html, "某县甲镇人民政府")[0].startswith("草稿 错误1")  # D1: a placeholder left in its draft
    assert "错误0" in education[0]
    assert _cells(html, "某县人民政府")[0] == "未发布/缺失"


def test_aggregated_report_and_the_agencies_against_it(people, reports):
    html = client_for(people["supervisor"]).get(f"/reports/overview/?year={YEAR}").content.decode()
    table = re.search(r'<table class="rows compare">.*?</table>', html, re.S).group(0)
    rows = {re.sub(r"<[^>]+>", "", m.group(1)).strip(): [int(n) for n in re.findall(r'<td class="num">(\d+)</td>',
                                                                                        m.group(2))]
            for m in re.finditer(r"<tr[^>]*><td>(.*?)</td>(.*?)</tr>", table, re.S)}
    assert rows["某县人民政府（本级）"][:4] == [1, 0, 1, 0]
    assert rows["某县教育局"][:4] == [2, 0, 1, 1]
    assert rows["某县甲镇人民政府"][:4] == [1, 0, 1, 0]
    assert rows["下属机关合计"][:4] == [3, 0, 2, 1]
    assert rows["某县人民政府（含下属机关）汇总"][:4] == [4, 0, 3, 1]
    assert "本级与各下属机关之和等于汇总数" in html


def test_only_supervisors_see_the_overview(people, reports, county):
    government, education, town = county
    assert client_for(people["staff"]).get("/reports/overview/").status_code == 404
    assert client_for(people["head"]).get("/reports/overview/").status_code == 404
    assert client_for(people["nobody"]).get("/reports/overview/").status_code == 404
    supervisor = client_for(people["supervisor"])
    assert supervisor.get(f"/reports/overview/?root={education.pk}").status_code == 200
    assert supervisor.get(f"/reports/overview/?root={education.pk + 1000}").status_code == 404
    assert supervisor.get(f"/reports/overview/?year={YEAR}&root=x").status_code == 404


def test_the_aggregated_report_exports(people, reports, county):
    government, education, _ = county
    supervisor = client_for(people["supervisor"])
    response = supervisor.get(f"/reports/overview/{YEAR}/aggregate.html?root={government.pk}")
    assert response.status_code == 200 and "某县人民政府" in response.content.decode()
    assert "attachment" in response["Content-Disposition"]
    assert supervisor.get(f"/reports/overview/{YEAR}/aggregate.xlsx").content.startswith(b"PK")
    assert supervisor.get(f"/reports/overview/{YEAR + 1}/aggregate.html").status_code == 404
    assert client_for(people["staff"]).get(f"/reports/overview/{YEAR}/aggregate.html").status_code == 404
