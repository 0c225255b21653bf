import csv
from datetime import date

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from gongkai.cli_web import app
from gongkai.web.requests.importer import LedgerImportError, import_requests
from gongkai.web.requests.models import Applicant, Request

HEADER = ["收到日期", "提交方式", "申请人类型", "申请人姓名或名称", "证件号码", "联系电话", "办理机关", "办结日期", "办理结果"]
GOOD_ROWS = [
    ["2024-03-01", "网络", "自然人", "张三", "320102199001011234", "13812345678", "某县教育局", "2024-03-20", "予以公开"],
    ["2024-12-30", "当面提交", "商业企业", "某某有限公司", "91320100MA1234567X", "", "某县教育局", "", ""],
    ["2023/12/1", "fax", "legal_services", "某律师事务所", "", "", "某县甲镇人民政府", "2024年1月5日",
     "（三）不予公开1.属于国家秘密"],
    ["2024-05-01", "网络", "自然人", "张三", "320102199001011234", "13812345678", "某县教育局", "2024-05-02",
     "other_handling.other"],
]
runner = CliRunner()


def write_csv(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def test_good_csv(county, tmp_path):
    assert import_requests(write_csv(tmp_path / "ledger.csv", GOOD_ROWS)) == 4
    requests = {(r.applicant.name, r.received_on): r for r in Request.objects.select_related("applicant", "agency")}
    first = requests["张三", date(2024, 3, 1)]
    assert (first.channel, first.applicant.type, first.agency.name) == ("online", "natural_person", "某县教育局")
    assert (first.closed_on, first.outcome) == (date(2024, 3, 20), "granted")
    assert list(first.events.values_list("kind", flat=True)) == ["received", "decided"]
    assert requests["某某有限公司", date(2024, 12, 30)].closed_on is None
    lawyer = requests["某律师事务所", date(2023, 12, 1)]
    assert (lawyer.closed_on, lawyer.outcome) == (date(2024, 1, 5), "withheld.state_secret")
    assert Applicant.objects.filter(name="张三").count() == 1


def test_good_xlsx_with_date_cells_and_key_headers(county, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["received_on", "channel", "applicant_type", "applicant_name", "phone", "agency", "closed_on", "outcome"])
    sheet.append([date(2024, 3, 1), "online", "research", "某研究所", 13812345678, "某县教育局", date(2024, 3, 9),
                  "unavailable.not_held"])
    workbook.save(tmp_path / "ledger.xlsx")
    assert import_requests(tmp_path / "ledger.xlsx") == 1
    request = Request.objects.get()
    assert (request.received_on, request.outcome, request.applicant.phone) == (
        date(2024, 3, 1), "unavailable.not_held", "13812345678")


def test_bad_rows_import_nothing_and_are_named(county, tmp_path):
    rows = [
        GOOD_ROWS[0],
        ["2024-13-01", "网络", "自然人", "李四", "", "", "某县教育局", "", ""],
        ["2024-03-01", "飞鸽传书", "公司", "", "", "", "不存在的局", "", ""],
        ["2024-03-10", "网络", "自然人", "王五", "", "", "某县教育局", "2024-03-01", "予以公开"],
        ["2024-03-10", "网络", "自然人", "赵六", "", "", "某县教育局", "2024-03-11", ""],
        ["2024-03-10", "网络", "自然人", "钱七", "", "", "某县教育局", "2024-03-11", "批准"],
    ]
    with pytest.raises(LedgerImportError) as raised:
        import_requests(write_csv(tmp_path / "ledger.csv", rows))
    problems = {(e.row, e.column) for e in raised.value.errors}
    assert problems == {
        (3, "收到日期"), (4, "提交方式"), (4, "申请人类型"), (4, "申请人姓名或名称"), (4, "办理机关"),
        (5, "办结日期"), (6, "办结日期/办理结果"), (7, "办理结果"),
    }
    assert "没有名为 '不存在的局' 的机关" in str(raised.value)
    assert Request.objects.count() == 0 and Applicant.objects.count() == 0


def test_unknown_and_missing_columns(county, tmp_path):
    with pytest.raises(LedgerImportError) as raised:
        import_requests(write_csv(tmp_path / "ledger.csv", [["2024-03-01", "x"]], header=["收到日期", "备注"]))
    assert {str(e) for e in raised.value.errors} >= {"第 1 行，表头：未知的列 '备注'",
                                                     "第 1 行，表头：缺少列 '办理机关'"}


def test_cli_import_reports_errors_and_imports_nothing(county, tmp_path):
    path = write_csv(tmp_path / "ledger.csv", [GOOD_ROWS[0], ["2024-03-01", "网络", "公司", "x", "", "", "某县教育局", "", ""]])
    result = runner.invoke(app, ["import", "requests", str(path)])
    assert result.exit_code == 1
    assert "第 3 行，申请人类型：'公司' 不是可用的值" in result.output
    assert "未导入任何数据" in result.output
    assert Request.objects.count() == 0


def test_cli_import_then_compile(county, tmp_path):
    import json

    result = runner.invoke(app, ["import", "requests", str(write_csv(tmp_path / "ledger.csv", GOOD_ROWS))])
    assert result.exit_code == 0, result.output
    assert "已导入 4 件申请" in result.output
    result = runner.invoke(app, ["compile", "--agency", "某县人民政府", "--year", "2024", "--subtree", "--to", "flat"])
    assert result.exit_code == 0, result.output
    flat = json.loads(result.output)
    assert flat["meta.agency"] == "某县人民政府" and flat["meta.year"] == 2024
    assert (flat["requests.new_received.total"], flat["requests.carried_over.total"]) == (3, 1)
    assert (flat["requests.granted.total"], flat["requests.withheld.state_secret.legal_services"]) == (1, 1)
    assert flat["requests.carried_forward.commercial"] == 1
    nested = json.loads(runner.invoke(app, ["compile", "--agency", "某县教育局", "--year", "2024"]).output)
    assert nested["requests"]["new_received"]["total"] == 3


def test_cli_compile_unknown_agency(county):
    result = runner.invoke(app, ["compile", "--agency", "无此机关", "--year", "2024"])
    assert result.exit_code == 1 and "no agency named" in result.output


def test_cli_init_is_idempotent(django_database):
    for _ in range(2):
        result = runner.invoke(app, ["init"])
        assert result.exit_code == 0, result.output
        assert "database ready" in result.output


def test_every_command_has_help_and_a_line_in_the_docs():
    from pathlib import Path

    docs = "".join(p.read_text("utf-8") for p in (Path(__file__).parents[2] / "docs").glob("*.md"))
    for command in (["init"], ["import", "requests"], ["compile"]):
        assert f"gongkai {' '.join(command)}" in docs
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and len(result.output.strip()) > 40
