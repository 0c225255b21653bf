"""``gongkai import events``: requests with their whole event history, one row per event, checked by the ledger's
rule as in the admin; all rows or none."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gongkai.cli_web import app
from gongkai.web.requests.event_import import import_events
from gongkai.web.requests.importer import LedgerImportError
from gongkai.web.requests.models import Request

HEADER = ["申请编号", "事件", "日期", "提交方式", "申请人类型", "申请人姓名或名称", "证件号码", "办理机关", "办理结果",
          "补正期限", "收费方式", "页数", "缴费金额", "延长工作日数", "正当理由", "备注"]


def _row(ref, event, day, **cells):
    keys = ["channel", "type", "name", "id_number", "agency", "outcome", "supplement_by", "fee_method", "pages",
            "amount", "extension_days", "good_reason", "note"]
    return [ref, event, day, *(cells.get(key, "") for key in keys)]


def _receipt(ref, day, name="张三", channel="当面提交"):
    return _row(ref, "收到申请", day, channel=channel, type="自然人", name=name, id_number="320102199001011234",
                agency="某县教育局")


GOOD = [
    # The spec's fee example: notice 3-20, paid 4-16, due 4-24, answered that day.
    _receipt("A1", "2026-03-02"),
    _row("A1", "发出收费通知", "2026-03-20", fee_method="按量", pages="120"),
    _row("A1", "缴纳费用", "2026-04-16", amount="1100"),
    _row("A1", "作出答复", "2026-04-24", outcome="予以公开"),
    # No supplement by 3-20: closed by law on 3-21.
    _receipt("B2", "2026-03-02", name="某公司"),
    _row("B2", "告知补正", "2026-03-04", supplement_by="2026-03-20"),
    # An extension of 5 WD: still open, due 3-23.
    _receipt("C3", "2026-02-10", name="李四"),
    _row("C3", "批准延期", "2026-03-10", extension_days="5", note="需调取档案"),
]


@pytest.fixture(autouse=True)
def seen_on(monkeypatch):
    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: date(2026, 6, 1))


def write_csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def _by_name(name):
    return Request.objects.get(applicant__name=name)


def test_event_histories_become_requests(county, tmp_path):
    assert import_events(write_csv(tmp_path / "events.csv", GOOD)) == (3, 5)
    paid = _by_name("张三")
    assert (paid.closed_on, paid.outcome) == (date(2026, 4, 24), "granted")
    state = paid.state(today=date(2026, 6, 1))
    assert state.payments == [(date(2026, 4, 16), Decimal("1100"))] and state.warnings == []
    lapsed = _by_name("某公司")
    assert (lapsed.closed_on, lapsed.outcome) == (date(2026, 3, 21), "other_handling.no_supplement")
    extended = _by_name("李四")
    assert extended.closed_on is None and str(extended.state(today=date(2026, 3, 11)).reply_due) == "2026-03-23"
    assert list(extended.events.values_list("kind", "note")) == [("received", ""),
                                                                  ("extension_approved", "需调取档案")]


@pytest.mark.parametrize(("rows", "message"), [
    ([*GOOD, _row("C3", "批准延期", "2026-03-11", extension_days="5")], "第 10 行，事件：2026-03-11 批准延期：答复期限只能延长一次"),
    ([*GOOD[:2], _row("A1", "缴纳费用", "2026-04-16")], "第 4 行，事件：“缴纳费用”须填写缴费金额"),
    ([*GOOD, _row("C3", "飞鸽", "2026-03-11")], "第 10 行，事件：'飞鸽' 不是可用的值"),
    ([*GOOD, _row("D4", "作出答复", "2026-03-11", outcome="予以公开")], "第 10 行，申请编号：申请 D4 没有“收到申请”行"),
    ([*GOOD, _row("B2", "作出答复", "2026-03-18", outcome="other_handling.no_supplement")],
     "第 10 行，事件：补正期限 2026-03-20 未过"),
    ([_row("E5", "收到申请", "2026-03-02")], "第 2 行，提交方式：“收到申请”行须填写"),
])
def test_bad_rows_import_nothing_and_are_named(county, tmp_path, rows, message):
    with pytest.raises(LedgerImportError) as raised:
        import_events(write_csv(tmp_path / "events.csv", rows))
    assert message in str(raised.value)
    assert Request.objects.count() == 0


def test_cli_import_events(county, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "events", str(write_csv(tmp_path / "events.csv", GOOD))])
    assert result.exit_code == 0, result.output
    assert result.stdout == "已导入 3 件申请、5 个办理事件\n"
    bad = runner.invoke(app, ["import", "events", str(write_csv(tmp_path / "bad.csv", [GOOD[1]]))])
    assert bad.exit_code == 1 and "未导入任何数据" in bad.stderr
