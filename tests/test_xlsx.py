import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.read.errors import ReadError
from gongkai.read.xlsx import read_xlsx
from gongkai.render.layout import layout
from gongkai.render.xlsx import write_xlsx
from gongkai.report.model import Report


def round_trip(report: Report, drop_flat: bool = False, **kw) -> Report:
    out = io.BytesIO()
    write_xlsx(report, out, **kw)
    if drop_flat:
        book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
        del book["flat"]
        out = io.BytesIO()
        book.save(out)
    out.seek(0)
    return read_xlsx(out)


money = st.builds(
    lambda units, places: Decimal(units).scaleb(-places),
    st.integers(min_value=0, max_value=10**14), st.integers(min_value=0, max_value=4),
)
counts = st.integers(min_value=0, max_value=10**9)
# Excel cannot hold control characters (openpyxl refuses them), so the generator leaves them out
chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
texts = st.one_of(st.none(), st.text(chars, min_size=1, max_size=60))  # a cell cannot hold ""


@st.composite
def reports(draw):
    edition_id = draw(st.sampled_from(["2021", "2019"]))
    report = Report.blank(edition_id, agency=draw(st.one_of(st.none(), st.text(chars, min_size=1, max_size=20))),
                          year=draw(st.one_of(st.none(), st.integers(2019, 2040))),
                          published=draw(st.one_of(st.none(), st.dates(date(2019, 1, 1), date(2040, 12, 31)))))
    if edition_id == "2021" and draw(st.booleans()):
        report.collapse_other_handling()
    for key in report.values:
        column = report.template.cell(key).column
        strategy = money if column.type == "money" else (
            st.integers(-10**6, 10**6) if column.signed else counts)
        report.values[key] = draw(st.one_of(st.none(), strategy))
    if report.collapsed:  # the spec's collapsed form: the three sub-rows are null
        for key in report.values:
            if key.startswith("requests.other_handling.") and key.count(".") == 3:
                report.values[key] = None
    for key in report.texts:
        report.texts[key] = draw(texts)
    return report


def test_seed_round_trips(seed):
    assert round_trip(seed) == seed
    assert round_trip(seed, drop_flat=True) == seed


def test_distinct_report_round_trips_through_the_table_sheets(distinct):
    assert round_trip(distinct, drop_flat=True) == distinct
    distinct.collapse_other_handling()
    for key in distinct.values:  # a collapsed report prints no sub-rows: they are null (spec)
        if key.startswith("requests.other_handling."):
            distinct.values[key] = 77 if key.count(".") == 2 else None
    back = round_trip(distinct, drop_flat=True)
    assert back.collapsed and back == distinct


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_round_trip_exactly(report):
    assert round_trip(report) == report


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_round_trip_through_table_sheets(report):
    back = round_trip(report, drop_flat=True)
    assert back.values == report.values and back.collapsed == report.collapsed


def test_money_keeps_every_decimal():
    report = Report.blank("2021")
    for value in ("0", "0.0001", "12.5", "99999999999.9999", "0.0380", "123456789012345.6789"):
        report["proactive.fees.amount"] = Decimal(value)
        for drop in (False, True):
            back = round_trip(report, drop_flat=drop)["proactive.fees.amount"]
            assert back == Decimal(value) and isinstance(back, Decimal)


def test_sheets_layout_and_formats(distinct, tmp_path):
    path = tmp_path / "r.xlsx"

    @dataclass
    class Finding:
        rule: str
        severity: str
        keys: tuple
        message_zh: str

    write_xlsx(distinct, path, findings=[Finding("R1", "error", ("a", "b"), "不相等")])
    book = openpyxl.load_workbook(path)
    grids = layout(distinct.template, distinct)
    assert book.sheetnames == [g.title for g in grids] + ["flat", "findings", "meta"]
    requests = book[grids[1].title]
    merged = {str(m) for m in requests.merged_cells.ranges}
    assert {"A1:C3", "D1:J1", "A6:A27"} <= merged
    assert requests["D4"].number_format == "0" and requests["D4"].border.left.style == "thin"
    fees = next(c for c in book[grids[0].title]["B"] if c.value == float(distinct["proactive.fees.amount"]))
    assert fees.number_format == "0.0000"
    assert [c.value for c in book["findings"][2]] == ["R1", "error", "a, b", "不相等"]
    assert book["flat"]["B1"].value == "中文标签"


def write_zip(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_hostile_files_raise_read_error(tmp_path, seed):
    good = tmp_path / "good.xlsx"
    write_xlsx(seed, good)
    cases = {}
    cases["text.xlsx"] = b"key,value\n"
    cases["truncated.xlsx"] = good.read_bytes()[: len(good.read_bytes()) // 2]
    bomb = tmp_path / "bomb.xlsx"
    write_zip(bomb, {"[Content_Types].xml": b"<x/>", "xl/big.xml": b"\0" * (120 * 2**20)})
    cases["bomb.xlsx"] = bomb.read_bytes()
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "hello"
    book.save(other)
    cases["other.xlsx"] = other.read_bytes()
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReadError) as info:
            read_xlsx(path)
        assert str(info.value).startswith(f"{path}: "), name


def test_wrong_labels_and_bad_cells_raise_read_error(tmp_path, seed):
    path = tmp_path / "r.xlsx"
    write_xlsx(seed, path)
    book = openpyxl.load_workbook(path)
    del book["flat"]
    book["三、收到和处理政府信息公开申请情况"]["A4"] = "一、别的东西"
    book.save(path)
    with pytest.raises(ReadError, match="A4"):
        read_xlsx(path)
    write_xlsx(seed, path)
    book = openpyxl.load_workbook(path)
    book["flat"]["C20"] = "many"
    book.save(path)
    with pytest.raises(ReadError, match="not a whole number"):
        read_xlsx(path)
