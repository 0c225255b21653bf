"""Import a request ledger from a spreadsheet (.xlsx) or .csv file — layout in docs/import-requests.md.

Every row is checked first; errors name the row (as numbered in the spreadsheet, header = row 1), the
column and the problem.  Nothing is imported unless every row is good: the import is one transaction.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.web.agencies.models import Agency

from .events import EventKind
from .models import TEMPLATE, Applicant, Channel
from .timeline import receive, record_event


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: bool


COLUMNS = (
    ImportColumn("received_on", "收到日期", True),
    ImportColumn("channel", "提交方式", True),
    ImportColumn("applicant_type", "申请人类型", True),
    ImportColumn("applicant_name", "申请人姓名或名称", True),
    ImportColumn("id_number", "证件号码", False),
    ImportColumn("phone", "联系电话", False),
    ImportColumn("address", "地址", False),
    ImportColumn("agency", "办理机关", True),
    ImportColumn("closed_on", "办结日期", False),
    ImportColumn("outcome", "办理结果", False),
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"第 {self.row} 行，{self.column}：{self.problem}"


class LedgerImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def not_one_of(text: str, known: dict[str, str]) -> str:
    return f"{text!r} 不是可用的值：{', '.join(sorted(set(known.values())))}"


def _numbering_stripped(label: str) -> str:
    return re.sub(r"^(（[一二三四五六七八九十]+）|\d+\.)", "", label)


def _lookup(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """name → key, leaving out names that would mean two different keys."""
    found: dict[str, set[str]] = {}
    for name, key in pairs:
        found.setdefault(name, set()).add(key)
    return {name: keys.pop() for name, keys in found.items() if len(keys) == 1}


APPLICANT_TYPES = _lookup([
    (name, c.key) for c in TEMPLATE.request_columns if c.key != "total"
    for name in (c.key, c.label, *((f"{c.group}{c.label}", f"{c.group}—{c.label}") if c.group else ()))
])
OUTCOMES = _lookup([
    (name, row.key) for row in TEMPLATE.result_rows
    for label in row.labels
    for name in (row.key, label, _numbering_stripped(label), row.full_label,
                 f"{row.subgroup or ''}{label}", f"{_numbering_stripped(row.subgroup or '')}{_numbering_stripped(label)}")
])
CHANNELS = _lookup([(name, c.value) for c in Channel for name in (c.value, c.label)]
                   + [("当面", Channel.IN_PERSON), ("网上", Channel.ONLINE), ("在线", Channel.ONLINE)])


def read_rows(path: Path, columns: tuple[ImportColumn, ...] = COLUMNS) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {column key: raw value}) for every non-empty data row."""
    headers = {name: c.key for c in columns for name in (c.key, c.header)}
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
    elif path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        table = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        raise LedgerImportError([RowError(0, "文件", f"{path.name} 不是 .csv 或 .xlsx 文件")])
    if not table:
        raise LedgerImportError([RowError(1, "表头", "文件为空")])
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    unknown = [h for h in header if h and h not in headers]
    missing = [c.header for c in columns if c.required and not ({c.key, c.header} & set(header))]
    if unknown or missing:
        problems = [f"未知的列 {h!r}" for h in unknown] + [f"缺少列 {h!r}" for h in missing]
        raise LedgerImportError([RowError(1, "表头", p) for p in problems])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, {headers[h]: v for h, v in zip(header, values, strict=False) if h}))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", _text(value))
    if not match:
        raise ValueError(f"{_text(value)!r} 不是日期（YYYY-MM-DD）")
    return date(*map(int, match.groups()))


def _check_row(number: int, raw: dict[str, Any], agencies: dict[str, Agency]) -> tuple[dict, list[RowError]]:
    errors: list[RowError] = []
    row: dict[str, Any] = {}

    def fail(column: str, problem: str) -> None:
        errors.append(RowError(number, column, problem))

    for column in COLUMNS:
        text = _text(raw.get(column.key))
        if column.required and not text:
            fail(column.header, "未填写")
            continue
        if column.key in ("received_on", "closed_on") and text:
            try:
                row[column.key] = _date(raw[column.key])
            except ValueError as error:
                fail(column.header, str(error))
        elif column.key in ("channel", "applicant_type", "outcome") and text:
            known = {"channel": CHANNELS, "applicant_type": APPLICANT_TYPES, "outcome": OUTCOMES}[column.key]
            if text not in known:
                fail(column.header, not_one_of(text, known))
            row[column.key] = known.get(text)
        elif column.key == "agency" and text:
            if text not in agencies:
                fail(column.header, f"没有名为 {text!r} 的机关")
            row["agency"] = agencies.get(text)
        else:
            row[column.key] = text
    if bool(_text(raw.get("closed_on"))) != bool(_text(raw.get("outcome"))):
        fail("办结日期/办理结果", "办结日期和办理结果须同时填写，或同时不填")
    elif row.get("closed_on") and row.get("received_on") and row["closed_on"] < row["received_on"]:
        fail("办结日期", f"{row['closed_on']} 早于收到日期 {row['received_on']}")
    return row, errors


def checked_rows(rows: list, check_row) -> list[tuple[int, Any]]:
    """Every row of a file checked by ``check_row(number, raw, agencies)``; all the errors of all rows at once
    (``LedgerImportError``), so an office corrects its file in one go, or the checked rows."""
    if not rows:
        raise LedgerImportError([RowError(2, "文件", "没有数据行")])
    agencies = {a.name: a for a in Agency.objects.all()}
    checked, errors = [], []
    for number, raw in rows:
        row, row_errors = check_row(number, raw, agencies)
        checked.append((number, row))
        errors += row_errors
    if errors:
        raise LedgerImportError(errors)
    return checked


def import_requests(path: Path) -> int:
    """Import every row of the file, or none; returns the number of requests imported."""
    checked = checked_rows(read_rows(Path(path)), _check_row)
    errors: list[RowError] = []
    with transaction.atomic():
        applicants: dict[tuple[str, str, str], Applicant] = {}
        for number, row in checked:
            identity = (row["applicant_type"], row["applicant_name"], row["id_number"])
            if identity not in applicants:
                applicants[identity] = Applicant.objects.create(
                    agency=row["agency"], type=row["applicant_type"], name=row["applicant_name"], id_number=row["id_number"],
                    phone=row["phone"], address=row["address"],
                )
            try:
                # A ledger being imported states confirmed receipt dates: a non-working day stays (with the
                # ledger's warning in the request's state), it is not moved.
                request = receive(row["agency"], applicants[identity], row["received_on"], row["channel"],
                                  confirm_receipt_date=True)
                if row.get("closed_on"):
                    record_event(request, EventKind.DECIDED, row["closed_on"], row["outcome"])
            except ValidationError as error:
                errors += [RowError(number, field, "; ".join(msgs)) for field, msgs in error.message_dict.items()]
        if errors:
            raise LedgerImportError(errors)
    return len(checked)
