from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app

RUNNER = CliRunner()
ROOT = Path(__file__).parent.parent
CALENDAR_2027 = Path(__file__).parent / "fixtures" / "data-dir" / "calendars"


@pytest.fixture(autouse=True)
def no_local_schedules(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))  # no calendars/ there: chinesecalendar only


def due(*args: str):
    return RUNNER.invoke(app, ["due", *args])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Spec example: 2-14 and 2-28 make-up days count, 春节 2-15..2-23 does not → 20th WD 3-16.
        (["--received", "2026-02-10"], "2026-03-16"),
        # Supplement arrives 2026-04-01 (new day 0): 4-02 1, 4-03 2, 清明 off, 4-07..4-10 3-6, 4-13..4-17 7-11,
        # 4-20..4-24 12-16, 4-27..4-30 17-20.
        (["--received", "2026-03-02", "--supplement-requested", "2026-03-04", "--supplement-by", "2026-04-03",
          "--supplement-received", "2026-04-01"], "2026-04-30"),
        # 2026-09-14: 9-15..9-18 1-4, 9-20 Sun make-up 5, 9-21..9-24 6-9, 9-28 10 (S counts), 9-29..10-09 paused,
        # 10-10 Sat make-up 11, 10-12..10-16 12-16, 10-19..10-22 17-20.
        (["--received", "2026-09-14", "--pause", "2026-09-28", "2026-10-09"], "2026-10-22"),
        # Two pauses: 9-15 1, 9-16 2 (S), 9-17..9-18 paused, 9-20 3, 9-21..9-24 4-7, 9-28 8 (S), 9-29..10-09
        # paused, 10-10 9, 10-12..10-16 10-14, 10-19..10-23 15-19, 10-26 Mon 20.
        (
            [
                "--received",
                "2026-09-14",
                "--pause",
                "2026-09-16",
                "2026-09-18",
                "--pause",
                "2026-09-28",
                "2026-10-09",
            ],
            "2026-10-26",
        ),
        # Extension: the 40th WD after 2026-02-10 (3-16 is the 20th; … 清明 off … 4-14 is the 40th).
        (["--received", "2026-02-10", "--extended", "20"], "2026-04-14"),
        # 2026-12-10: 12-11..12-31 1-15, 2027 Mon–Fri: 1-01 16 … 1-07 20.
        (["--received", "2026-12-10"], "2027-01-07 (provisional: no holiday schedule for 2027)"),
        # With the (hypothetical) 2027 schedule, 1-01 is a holiday: 1-04 16 … 1-08 20.
        (["--received", "2026-12-10", "--calendar-dir", str(CALENDAR_2027)], "2027-01-08"),
    ],
)
def test_due_prints_the_date(args, expected):
    result = due(*args)
    assert result.exit_code == 0, result.output
    assert result.output == expected + "\n"


def test_due_reads_the_data_dir(monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(CALENDAR_2027.parent))
    assert due("--received", "2026-12-10").output == "2027-01-08\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--received", "2026-13-10"],
            "error: invalid date '2026-13-10' for --received: expected YYYY-MM-DD",
        ),
        (
            ["--received", "2026-02-10", "--supplement-received", "soon"],
            "invalid date 'soon' for --supplement-received",
        ),
        (["--received", "2026-09-14", "--pause"], "use --pause START [END]"),
        (
            ["--received", "2026-09-14", "--pause", "2026-09-28", "2026-09-31"],
            "invalid date '2026-09-31' for --pause",
        ),
        (
            ["--received", "2026-09-14", "--pause", "2026-10-09", "2026-09-28"],
            "ends (2026-09-28) before it starts",
        ),
        (["--received", "2026-02-10", "--extended", "21"], "1 至 20 个工作日"),
        (
            ["--received", "2026-03-02", "--supplement-requested", "2026-03-04"],
            "须载明补正期限",
        ),
        (
            ["--received", "2026-03-02", "--supplement-requested", "2026-03-04", "--supplement-by", "2026-03-20",
             "--supplement-received", "2026-04-01"],
            "逾期补正须记录申请人有正当理由",
        ),
        (["--received", "2026-09-14", "--calendar-dir", "/nonexistent"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    result = due(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # The example: fee notice 3-10, never paid; payment due 4-08 (3-11..4-03 1-18, 清明 off,
        # 4-07 19, 4-08 20), so the request closes on 4-09.
        (["--received", "2026-03-02", "--fee-notice", "2026-03-10", "--today", "2026-05-01"],
         "other_handling.fee_unpaid closed 2026-04-09"),
        # The same on 4-08: still waiting for the payment.
        (["--received", "2026-03-02", "--fee-notice", "2026-03-10", "--today", "2026-04-08"],
         "awaiting_payment: fee_payment 2026-04-08"),
        # Spec: notice 3-20 (WD 14), paid 4-16: 4-17 15, 4-20..4-23 16-19, 4-24 20.
        (["--received", "2026-03-02", "--fee-notice", "2026-03-20", "--paid", "2026-04-16"], "2026-04-24"),
        # Notice received by the applicant 3-12: payment due 4-10 (two WD later than 4-08).
        (["--received", "2026-03-02", "--fee-notice", "2026-03-10", "--fee-delivered", "2026-03-12"],
         "other_handling.fee_unpaid closed 2026-04-11"),
        # No supplement by 3-20: closed 3-21.
        (["--received", "2026-03-02", "--supplement-requested", "2026-03-04", "--supplement-by", "2026-03-20"],
         "other_handling.no_supplement closed 2026-03-21"),
        # Late supplement with a good reason: restarts on 4-01 → 4-30.
        (["--received", "2026-03-02", "--supplement-requested", "2026-03-04", "--supplement-by", "2026-03-20",
          "--supplement-received", "2026-04-01", "--good-reason"], "2026-04-30"),
        # An open consultation from 3-04 ends by itself on 3-25 (15 WD): due 4-21.
        (["--received", "2026-03-02", "--pause", "2026-03-04"], "2026-04-21"),
        (["--received", "2026-03-02", "--pause", "2026-03-04", "--today", "2026-03-20"],
         "consulting: consultation 2026-03-25"),
        # Extension of 5 WD: 3-16 + 5 = 3-23.
        (["--received", "2026-02-10", "--extended", "5"], "2026-03-23"),
        # 第三十五条: the later date set by the agency.
        (["--received", "2026-02-10", "--delay-to", "2026-04-30"], "2026-04-30"),
    ],
)
def test_due_speaks_the_whole_law(args, expected):
    result = due(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"


def test_due_prints_warnings_on_stderr():
    result = due("--received", "2026-03-02", "--fee-notice", "2026-03-10", "--paid", "2026-04-09",
                 "--accept-late-payment")
    assert result.exit_code == 0, result.output
    assert "提示：逾期缴费" in result.stderr
