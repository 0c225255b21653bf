"""gongkai audit on a generated region: every injected defect found, no clean report flagged; fingerprints,
the review file, the cache and the outputs."""

from __future__ import annotations

import csv
import json
import re

import pytest
from audit_region import DEPARTMENTS, GOVERNMENT, build_region
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai import audit
from gongkai.cli import app

FLAGS = ("error", "warning")


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    built = build_region(folder / "reports")
    (folder / "reports" / "zz-broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return folder, built


@pytest.fixture(scope="module")
def first(region):
    folder, _ = region
    return audit.run([folder / "reports"], folder / "out", jobs=2)


def test_every_injected_defect_is_found(first, region):
    _, built = region
    found = {(f.rule, f.agency, f.year) for f in first.findings if f.severity in FLAGS}
    assert built.expected <= found, sorted(built.expected - found)


def test_no_clean_report_is_flagged(first, region):
    _, built = region
    stray = sorted({(f.rule, f.agency, f.year) for f in first.findings
                    if f.severity in FLAGS and (f.agency, f.year) not in built.involved})
    assert stray == []


def test_agencies_years_kinds_and_parents(first):
    reports = first.reports
    assert {a for a, _ in reports} == {GOVERNMENT, *DEPARTMENTS}  # 某某县发改局 is 某某县发展和改革局
    assert reports[(GOVERNMENT, 2023)].kind == "government"
    town = reports[("某某县甲镇人民政府", 2023)]
    assert town.kind == "department" and town.parent == GOVERNMENT  # a township: 1月31日
    printed = {r.agency_printed for r in first.records if r.agency == "某某县发展和改革局"}
    assert printed == {"某某县发改局", "某某县发展和改革局"}


def test_an_unreadable_file_is_not_assessable_and_the_run_goes_on(first):
    broken = [r for r in first.records if r.source.endswith("zz-broken.pdf")]
    assert broken[0].error and first.status(broken[0]) == "unreadable"
    read = [f for f in first.findings if f.rule == "READ"]
    assert len(read) == 1 and read[0].severity == "not_assessable"
    assert all(v == "not_assessable" for k, v in first.outcomes(broken[0]).items() if k != "P1")
    assert len(first.reports) == 24


def test_x1_x2_never_across_the_edition_change(first):
    assert not [f for f in first.findings if f.rule in ("X1", "X2") and f.year == 2021]


def test_findings_carry_evidence(first):
    r2 = next(f for f in first.findings if f.rule == "R2")
    assert r2.evidence["file"].endswith(".txt") and r2.evidence["table"].startswith("表三")
    assert r2.evidence["row"] and r2.evidence["column"] and isinstance(r2.evidence["printed"], int)
    h1 = next(f for f in first.findings if f.rule == "H1")
    assert len(h1.evidence["children"]) == 4 and h1.found < h1.expected
    c1 = next(f for f in first.findings if f.rule == "C1" and f.agency == "某某县生态环境局")
    assert c1.evidence["compared_year"] == 2023 and c1.evidence["share"] == 1.0


def test_indicators_with_percentiles(first):
    rows = {(r["agency"], r["year"]): r for r in first.indicators}
    row = rows[(GOVERNMENT, 2023)]
    assert row["requests"] > 0 and 0 <= row["grant_rate"] <= 1 and 0 <= row["requests_percentile"] <= 100
    # the government's requests are the region's largest: the top percentile
    assert row["requests_percentile"] == max(r["requests_percentile"] for r in rows.values() if r["year"] == 2023)


def test_outputs_are_written_and_the_page_is_self_contained(first, region):
    folder, _ = region
    out = folder / "out"
    with open(out / "reports.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 25 and "requests.new_received.total" in rows[0] and {r["P1"] for r in rows} >= {"pass", "fail"}
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text("utf-8").splitlines()]
    assert len(findings) == len(first.findings) and all(len(f["fingerprint"]) == 16 for f in findings)
    assert load_workbook(out / "audit.xlsx", read_only=True).sheetnames == ["reports", "findings", "indicators"]
    page = (out / "audit.html").read_text("utf-8")
    assert "<svg" in page and "机关 × 年度" in page and "某某县发展和改革局" in page
    assert not re.search(r"""(?:src|href)\s*=\s*['"]?(?:https?:)?//""", page)  # nothing fetched from anywhere
    assert not re.search(r"<link|@import|url\(", page)


def test_review_states_persist_and_fingerprints_are_stable(first, region):
    folder, _ = region
    review = folder / "out" / "review.csv"
    with open(review, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["state"] for r in rows} == {"open"} and len(rows) == len(first.findings)
    p2 = next(f for f in first.findings if f.rule == "P2")
    c1 = next(f for f in first.findings if f.rule == "C1")
    n1 = next(f for f in first.findings if f.rule == "N1")
    for row in rows:
        if row["fingerprint"] == p2.fingerprint:
            row.update(state="dismissed", reason="该年度报告在另一栏目中已公开")
        elif row["fingerprint"] == c1.fingerprint:
            row.update(state="confirmed")
        elif row["fingerprint"] == n1.fingerprint:
            row.update(state="dismissed")  # no reason: stays open, and is reported
    with open(review, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    second = audit.run([folder / "reports"], folder / "out", jobs=2)
    assert all(r.cached for r in second.records if r.error is None)  # the cache, keyed by file content
    assert [f.fingerprint for f in second.findings] == [f.fingerprint for f in first.findings]
    states = {f.fingerprint: (f.state, f.reason) for f in second.findings}
    assert states[p2.fingerprint] == ("dismissed", "该年度报告在另一栏目中已公开")
    assert states[c1.fingerprint][0] == "confirmed" and states[n1.fingerprint][0] == "open"
    assert any("须写明理由" in p for p in second.review_problems)
    assert second.counts()["warning"] == first.counts()["warning"] - 1


def test_fingerprints_follow_the_report_not_the_file_name(region, tmp_path):
    folder, built = region
    before = audit.run([folder / "reports"], tmp_path / "a", write=False)
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for path in (folder / "reports").iterdir():
        (renamed / ("x-" + path.name)).write_bytes(path.read_bytes())
    after = audit.run([renamed], tmp_path / "b", write=False)
    assert sorted(f.fingerprint for f in before.findings if f.rule != "READ") == sorted(
        f.fingerprint for f in after.findings if f.rule != "READ")


def test_audit_command(region, tmp_path):
    folder, _ = region
    result = CliRunner().invoke(app, ["audit", str(folder / "reports"), "-o", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "25 个文件" in result.stdout and "audit.html" in result.stdout
    assert "zz-broken.pdf" in result.stderr and "Traceback" not in result.output


def test_an_interrupted_run_resumes_from_the_cache(region, tmp_path):
    from gongkai.audit.collect import collect

    folder, _ = region
    first = collect([folder / "reports"], tmp_path / "cache", jobs=2)
    entries = sorted((tmp_path / "cache").glob("*.json"))
    assert len(entries) == len(first) - 1  # every file but the broken PDF, which the next run tries again
    entries[0].unlink()  # as if the run had stopped before this file
    again = collect([folder / "reports"], tmp_path / "cache", jobs=2)
    assert sum(not r.cached for r in again) == 2  # the file whose entry was lost, and the broken PDF
    assert [r.flat for r in again] == [r.flat for r in first]


def test_the_real_corpus(corpus, tmp_path):
    result = audit.run([corpus / "real", corpus / "seed"], tmp_path / "out", jobs=2)
    by_name = {r.source.rsplit("/", 1)[-1]: r for r in result.records}
    hongze, office = by_name["huaian-hongze-2024.pdf"], by_name["shanghai-gov-office-2019.html"]
    stcsm = by_name["shanghai-stcsm-2024.md"]
    assert (hongze.agency, hongze.kind, hongze.year) == ("淮安市洪泽区人民政府", "government", 2024)
    assert (office.kind, office.published.isoformat()) == ("department", "2020-01-31")  # printed in the page
    assert stcsm.agency == "上海市科学技术委员会" and stcsm.agency_printed == "上海市科委"
    rules = {(f.rule, f.severity, f.source.rsplit("/", 1)[-1]) for f in result.findings}
    assert ("R6", "warning", "huaian-hongze-2024.pdf") in rules  # （六）其他处理 collapsed
    assert ("P1", "not_assessable", "huaian-hongze-2024.pdf") in rules  # no date printed: never a pass
    assert not [f for f in result.findings if f.rule == "P1" and f.severity == "warning"]  # 2020-01-31: on time
    assert not [f for f in result.findings if f.rule in ("C1", "H1", "N1", "N2", "P2")]
