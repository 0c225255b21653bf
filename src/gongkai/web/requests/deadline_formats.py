"""The open-deadline list as text (a rich table), JSON or CSV, under the stable column names of ``COLUMNS``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rich.table import Table

from gongkai.ledger.deadlines import DEADLINE_LABELS, DeadlineKind
from gongkai.ledger.timeline import STATUS_LABELS, Status

from .deadlines import COLUMNS, OpenDeadline

HEADERS = ("编号", "办理机关", "收到日期", "申请人", "证件号码", "状态", "期限", "到期日", "剩余工作日", "提示")


def as_table(rows: Sequence[OpenDeadline]) -> Table:
    """A rich table; the due date carries its provisional mark, overdue days are red; only warnings wrap."""
    table = Table(title=f"未办结申请的期限（{len(rows)}件）")
    for header in HEADERS:
        table.add_column(header, no_wrap=header != HEADERS[-1])
    for row in rows:
        left = row.working_days_left
        table.add_row(
            str(row.request_id), row.agency, row.received_on.isoformat(), row.applicant, row.applicant_id_number,
            STATUS_LABELS[Status(row.status)] if row.status in Status._value2member_map_ else "记录有误", DEADLINE_LABELS[DeadlineKind(row.deadline)] if row.deadline else "—",
            str(row.due) if row.due else "—",
            "—" if left is None else f"[red]{left}[/red]" if left < 0 else str(left),
            "\n".join(row.warnings),
        )
    return table


def as_json(rows: Sequence[OpenDeadline]) -> str:
    return json.dumps([row.record() for row in rows], ensure_ascii=False, indent=1) + "\n"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    return value


def as_csv(rows: Sequence[OpenDeadline]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        record = row.record()
        writer.writerow([_cell(record[column]) for column in COLUMNS])
    return out.getvalue()
