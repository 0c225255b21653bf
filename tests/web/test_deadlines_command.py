"""``gongkai deadlines``: open requests by their next deadline, derived from their events; applicants masked.

The ledger below is seen on 2026-12-31 (Thu).  2026 follows the State Council's schedule; 2027 has none
unless the test loads one, so dates counted into 2027 count Monday–Friday and are provisional.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.web.requests.deadlines import COLUMNS, open_deadlines
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Channel
from gongkai.web.requests.timeline import receive, record_event

TODAY = date(2026, 12, 31)
CALENDAR_2027 = Path(__file__).parent.parent / "fixtures" / "data-dir"
ID_NUMBER = "320102199001011234"
ORG_CODE = "91320100MA1X2Y3Z4W"


@pytest.fixture(autouse=True)
def no_local_schedules(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))  # no calendars/ there: chinesecalendar only
    monkeypatch.setenv("COLUMNS", "250")  # a wide rich table in the captured output
    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: TODAY)  # the ledger is kept up to TODAY


def _request(agency, received: str, *events, applicant=None):
    applicant = applicant or Applicant.objects.create(type="natural_person", name="张三丰", id_number=ID_NUMBER)
    request = receive(agency, applicant, date.fromisoformat(received), Channel.ONLINE)
    for kind, on, *rest in events:
        details = rest[0] if rest else {}
        record_event(request, kind, date.fromisoformat(on), **details)
    return request


@pytest.fixture
def ledger(county):
    """Requests in various states; the comment of each gives its next deadline, counted by hand."""
    _, education, town = county
    firm = Applicant.objects.create(type="legal_services", name="某律师事务所", id_number=ORG_CODE)
    return {
        # Received Tue 12-22: supplement notice within 7 WD: 12-23..12-25 1-3, 12-28..12-31 4-7 → 12-31, 0 left.
        "just_received": _request(education, "2026-12-22", applicant=firm),
        # 补正 asked on 12-08 (within 7 WD of 12-01: 12-10) for 2027-01-07, a given date, but the working days
        # left are counted through 2027 without its schedule, so provisional: 2027-01-01 Fri 1 (Mon–Fri),
        # 1-04..1-07 2-5 → 5.
        "awaiting_supplement": _request(
            education, "2026-12-01", (EventKind.SUPPLEMENT_REQUESTED, "2026-12-08", {"supplement_by": date(2027, 1, 7)})),
        # 补正 due 11-20, never received: closed by law on 11-21 as no_supplement (条例第三十条): not listed.
        "supplement_lapsed": _request(
            town, "2026-11-02", (EventKind.SUPPLEMENT_REQUESTED, "2026-11-05", {"supplement_by": date(2026, 11, 20)})),
        # Received Mon 9-14, consultation 9-28 (counts) .. 10-09 (国庆 inside): 9-15..9-18 1-4, 9-20 Sun make-up 5,
        # 9-21..9-24 6-9, 9-28 10, 10-10 Sat make-up 11, 10-12..10-16 12-16, 10-19..10-22 17-20 → reply 10-22;
        # overdue: 10-23 1, 10-26..10-30 2-6, November 7-27 (21 WD), 12-01..12-04 28-31, 12-07..12-25 32-46,
        # 12-28..12-31 47-50 → -50.
        "consultation": _request(
            education, "2026-09-14", (EventKind.CONSULTATION_STARTED, "2026-09-28"),
            (EventKind.CONSULTATION_ENDED, "2026-10-09")),
        # Consultation still open: the reply clock is paused; the consultee's 15 WD run out 2027-01-05 (12-16..12-18
        # 1-3, 12-21..12-25 4-8, 12-28..12-31 9-12, 2027-01-01 13 (Mon–Fri), 1-04 14, 1-05 15): left 1-01, 1-04, 1-05.
        "consulting": _request(education, "2026-12-01", (EventKind.CONSULTATION_STARTED, "2026-12-15")),
        # Received Mon 11-02: 20th WD 11-30 (11-03..11-06 1-4, then four weeks 5-19, 11-30 20); extension approved
        # 12-01, after the first deadline: it does not count, the reply stays overdue since 11-30 (条例第三十三条);
        # 12-01..12-04, 12-07..12-11, 12-14..12-18, 12-21..12-25, 12-28..12-31 → -23.
        "extended": _request(education, "2026-11-02",
                             (EventKind.EXTENSION_APPROVED, "2026-12-01", {"extension_days": 20})),
        # Received Mon 12-28: 12-29..12-31 1-3, 2027-01-01 Fri 4 (no 2027 schedule: Mon–Fri), 1-04..1-06 5-7
        # → supplement notice 2027-01-06 provisional; left 1-01, 1-04, 1-05, 1-06 → 4.
        "late_december": _request(education, "2026-12-28"),
        # Extended (reply 40th WD → 2027-01-26), fee notice sent 12-10, received by the applicant Fri 12-11:
        # 12-14..12-18 1-5, 12-21..12-25 6-10, 12-28..12-31 11-14, 2027-01-01 15, 1-04..1-08 16-20
        # → fee payment 2027-01-08 provisional; left 1-01, 1-04..1-08 → 6.
        "fee": _request(
            education, "2026-12-01",
            (EventKind.FEE_NOTICE_SENT, "2026-12-10",
             {"fee_method": "per_page", "fee_units": 120, "delivered_on": date(2026, 12, 11)}),
            (EventKind.EXTENSION_APPROVED, "2026-12-18", {"extension_days": 20})),
        "closed": _request(education, "2026-12-01", (EventKind.DECIDED, "2026-12-20", {"outcome": "granted"})),
    }


EXPECTED = [  # (request, deadline, due, provisional, working days left), by due date
    ("consultation", "reply", "2026-10-22", False, -50),
    ("extended", "reply", "2026-11-30", False, -23),
    ("just_received", "supplement_notice", "2026-12-31", False, 0),
    ("consulting", "consultation", "2027-01-05", True, 3),
    ("late_december", "supplement_notice", "2027-01-06", True, 4),
    ("awaiting_supplement", "supplement_from_applicant", "2027-01-07", True, 5),  # a given date; its count is not
    ("fee", "fee_payment", "2027-01-08", True, 6),
]
EXTENSION_WARNING = ("延期于 2026-12-01 批准、2026-12-01 告知申请人，晚于首个答复期限 2026-11-30："
                     "延期不能使逾期答复变为按时，答复已逾期（条例第三十三条）")


def _ids(ledger, names):
    return [ledger[name].pk for name in names]


def run(*args: str):
    result = CliRunner().invoke(app, ["deadlines", "--today", TODAY.isoformat(), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_open_deadlines_by_due_date(ledger):
    rows = open_deadlines(today=TODAY)
    got = [(r.request_id, r.deadline, r.due and r.due.date.isoformat(), bool(r.due and r.due.provisional),
            r.working_days_left) for r in rows]
    assert got == [(ledger[name].pk, *rest) for name, *rest in EXPECTED]
    by_id = {r.request_id: r for r in rows}
    assert str(by_id[ledger["late_december"].pk].due) == "2027-01-06 (provisional: no holiday schedule for 2027)"
    assert by_id[ledger["extended"].pk].warnings == (EXTENSION_WARNING,)
    lapsed = ledger["supplement_lapsed"]
    lapsed.refresh_from_db()
    assert (lapsed.closed_on, lapsed.outcome) == (date(2026, 11, 21), "other_handling.no_supplement")
    assert by_id[ledger["consulting"].pk].status == "consulting"
    assert by_id[ledger["fee"].pk].status == "awaiting_payment"


def test_loaded_schedule_makes_dates_definite(ledger, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(CALENDAR_2027))  # a 2027 schedule with 元旦 1-01..1-03
    row = next(r for r in open_deadlines(today=TODAY) if r.request_id == ledger["late_december"].pk)
    # 12-29..12-31 1-3, 1-01 holiday, 1-04..1-07 4-7 → 2027-01-07, definite.
    assert (str(row.due), row.working_days_left) == ("2027-01-07", 4)


def test_due_within_keeps_overdue_and_near(ledger):
    rows = open_deadlines(today=TODAY, within=4)
    assert [r.request_id for r in rows] == _ids(ledger, [name for name, *_, left in EXPECTED
                                                          if left is not None and left <= 4])
    assert len(rows) == 5


def test_agency_and_its_subtree(ledger, county):
    government, _, town = county
    assert len(open_deadlines(government, today=TODAY)) == len(EXPECTED)
    assert open_deadlines(town, today=TODAY) == []  # its one request closed by law on 11-21
    # Seen on 11-20, the day of its supplement deadline, it was still open.
    [row] = open_deadlines(town, today=date(2026, 11, 20))
    assert (row.deadline, row.due.date, row.working_days_left) == ("supplement_from_applicant", date(2026, 11, 20), 0)


def test_json_columns_and_masking(ledger):
    records = json.loads(run("--format", "json"))
    assert [r["request_id"] for r in records] == _ids(ledger, [name for name, *_ in EXPECTED])
    assert all(tuple(r) == COLUMNS for r in records)
    late = records[4]
    assert (late["due"], late["provisional"], late["provisional_reason"]) == (
        "2027-01-06", True, "no holiday schedule for 2027")
    # The one masking rule (masking.py): identity numbers masked; a natural person's name masked where the viewer
    # is not known to be the handling office's staff.
    assert records[0]["applicant"] == "张**" and records[0]["applicant_id_number"] == "3201**********1234"
    firm = records[2]
    assert (firm["agency"], firm["applicant"], firm["applicant_id_number"]) == (
        "某县教育局", "某律师事务所", "9132**********3Z4W")


def test_csv_columns(ledger):
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--due-within", "0"))))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["deadline"], r["due"], r["working_days_left"]) for r in rows] == [
        ("reply", "2026-10-22", "-50"), ("reply", "2026-11-30", "-23"), ("supplement_notice", "2026-12-31", "0")]
    assert rows[1]["warnings"] == EXTENSION_WARNING
    assert rows[0]["provisional"] == "false"


def test_text_table_masks_and_marks_provisional(ledger):
    output = run("--agency", "某县人民政府")
    assert "2027-01-06 (provisional: no holiday schedule for 2027)" in output
    assert "3201**********1234" in output and "张**" in output and "张三丰" not in output


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_no_full_personal_data_in_any_format(ledger, fmt):
    output = run("--format", fmt)
    assert ID_NUMBER not in output and ORG_CODE not in output


def test_unknown_agency_and_bad_date(db):
    result = CliRunner().invoke(app, ["deadlines", "--agency", "无此机关"])
    assert result.exit_code == 1 and "无此机关" in result.output
    result = CliRunner().invoke(app, ["deadlines", "--today", "2026-13-01"])
    assert result.exit_code == 2


def test_command_has_help_and_docs():
    assert "deadline" in CliRunner().invoke(app, ["deadlines", "--help"]).output
    docs = Path(__file__).parent.parent.parent / "docs" / "ledger-database.md"
    assert "gongkai deadlines" in docs.read_text("utf-8")


def test_the_text_table_speaks_chinese_and_is_not_squeezed(ledger):
    output = run()  # CliRunner is not a terminal: the table must still get its full width
    header = next(line for line in output.splitlines() if "编号" in line)
    assert all(name in header for name in ("办理机关", "收到日期", "证件号码", "到期日", "剩余工作日"))
    assert "答复期限" in output and "办理中" in output and "in_progress" not in output


def test_a_count_in_a_year_without_schedule_is_provisional(ledger):
    # Seen on 2027-01-04 (no 2027 schedule): the working days left to 1-07 are counted Monday–Friday.
    row = next(r for r in open_deadlines(today=date(2027, 1, 4)) if r.request_id == ledger["awaiting_supplement"].pk)
    assert (row.working_days_left, row.due.provisional, row.due.reason) == (3, True, "no holiday schedule for 2027")
