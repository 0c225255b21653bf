"""The monthly metrics export: received, closed by outcome group, closed late, open at each month's end."""

from __future__ import annotations

import csv
import io
from datetime import date

from .admin_client import client_for
from .ledger_builder import add_request


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def test_monthly_metrics_of_a_year(people, county):
    _, education, town = county
    add_request(education, "natural_person", date(2025, 3, 3), date(2025, 3, 10), "granted")
    add_request(education, "commercial", date(2025, 3, 5), date(2025, 5, 6), "withheld.state_secret")  # late
    add_request(education, "natural_person", date(2025, 4, 1))  # still open
    add_request(education, "natural_person", date(2024, 12, 1), date(2025, 1, 6), withdrawn=True)
    add_request(town, "natural_person", date(2025, 3, 3))  # another agency's
    rows = _rows(client_for(people["staff"]).get("/requests/metrics.csv?year=2025"))
    header, months = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[:3] == ["月份", "收到", "办结"] and header[-2:] == ["超期办结", "月末未办结"]
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    january, march, april, may = (months[f"2025-{m:02d}"] for m in (1, 3, 4, 5))
    assert (january["收到"], january["办结"], january["其他处理"], january["月末未办结"]) == ("0", "1", "1", "0")
    assert (march["收到"], march["办结"], march["予以公开"], march["月末未办结"]) == ("2", "1", "1", "1")
    assert (april["收到"], april["月末未办结"]) == ("1", "2")
    assert (may["办结"], may["不予公开"], may["超期办结"], may["月末未办结"]) == ("1", "1", "1", "1")
    assert months["2025-12"]["月末未办结"] == "1"

    supervisor = _rows(client_for(people["supervisor"]).get("/requests/metrics.csv?year=2025"))
    assert dict(zip(supervisor[0], supervisor[3], strict=True))["收到"] == "3"  # March, with the town's


def test_metrics_xlsx_and_the_last_twelve_months(people):
    from openpyxl import load_workbook

    response = client_for(people["staff"]).get("/requests/metrics.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "月度统计" and sheet.max_row == 13 and sheet.cell(1, 1).value == "月份"
    assert "/requests/metrics.csv?" in client_for(people["staff"]).get("/requests/").content.decode()
