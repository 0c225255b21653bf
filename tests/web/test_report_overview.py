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


def _one_by_one(tree, years):
    """The cells as the workspace page judges one agency-year: its stored report or the compile, and the year
    before (``previous_report``)."""
    from gongkai.web.reports import workspace
    from gongkai.web.reports.compile import compile_report
    from gongkai.web.reports.models import ReportDraft

    cells = {}
    for agency in tree:
        for year in years:
            draft = ReportDraft.objects.filter(agency=agency, year=year).first()
            report = workspace.stored_report(draft)
            if draft is not None and report is None and not draft.uploaded:
                report = compile_report(agency, year)
            found = workspace.findings(report, workspace.previous_report(agency, year)[0]) if report else None
            cells[agency.pk, year] = (workspace.status_of(draft), *((None, None) if found is None else (
                sum(f.severity == "error" for f in found), sum(f.severity == "warning" for f in found))))
    return cells


def test_the_cells_are_judged_together_as_one_by_one_in_a_fixed_number_of_queries(people, reports):
    """``agency_rows`` reads and compiles every agency-year together: each cell's status and findings are the
    ones the agency's workspace gives it alone (stored, signed with versions, uploaded, compiled drafts, the year
    before stored or compiled), and adding agencies with drafts adds no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.web.agencies.models import Agency
    from gongkai.web.reports.compile import compile_report
    from gongkai.web.reports.models import ReportDraft, ReportVersion
    from gongkai.web.reports.overview import agency_rows

    government, education, town = reports
    years = [YEAR, YEAR - 1, YEAR - 2]
    signed = ReportDraft.objects.create(agency=town, year=YEAR - 1, signed_at=timezone.now(), signed_by=people["head"])
    for number, year in ((1, YEAR - 2), (2, YEAR - 1)):  # the latest version is the one that counts
        flat = compile_report(town, year).flat()
        ReportVersion.objects.create(draft=signed, number=number, reason="signed", flat=flat)
    uploaded = compile_report(government, YEAR - 1).flat()
    ReportDraft.objects.create(agency=government, year=YEAR - 1, published_report=uploaded, uploaded_name="a.pdf",
                               published_on=date(YEAR, 1, 20))

    def judged(tree):
        with CaptureQueriesContext(connection) as captured:
            rows = agency_rows(tree, years)
        cells = {(row.agency.pk, cell.year): (cell.status, cell.errors, cell.warnings) for row in rows
                 for cell in row.cells}
        return cells, len(captured)

    tree = [government, education, town]
    cells, queries = judged(tree)
    expected = _one_by_one(tree, years)
    assert cells == expected
    assert any(errors or warnings for _, errors, warnings in cells.values())
    assert cells[town.pk, YEAR - 1][0] == "已签发" and cells[government.pk, YEAR - 1][0] == "已发布"
    for n in range(4):
        more = Agency.objects.create(name=f"某县第{n}局", kind=Agency.Kind.DEPARTMENT, parent=government)
        add_request(more, "natural_person", date(YEAR, 3, 2), date(YEAR, 3, 20), "granted")
        ReportDraft.objects.create(agency=more, year=YEAR)
        tree.append(more)
    assert judged(tree)[1] == queries
