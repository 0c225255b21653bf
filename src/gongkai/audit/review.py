"""The review file: a reviewer's verdict on each finding, kept between runs.

``OUT_DIR/review.csv`` (UTF-8 with a BOM, so Excel opens it) has one row per finding: its fingerprint,
state (open / confirmed / dismissed), reason, and for the reader the rule, agency, year and message.
A run reads the states back by fingerprint, applies them to this run's findings, and writes the file again:
new findings come in as open, and rows of findings this run no longer produces are kept (marked 本次未出现)
so a verdict is never lost.  A dismissal needs a reason; one without stays open and is reported.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .findings import STATES, AuditFinding

COLUMNS = ["fingerprint", "state", "reason", "rule", "severity", "agency", "year", "message", "seen"]


def load(path: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Rows by fingerprint, and the problems found in the file (one line each)."""
    if not path.exists():
        return {}, []
    rows: dict[str, dict[str, str]] = {}
    problems = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            fingerprint = (row.get("fingerprint") or "").strip()
            if not fingerprint:
                continue
            state = (row.get("state") or "open").strip().lower() or "open"
            reason = (row.get("reason") or "").strip()
            if state not in STATES:
                problems.append(f"{path}:{line}: 状态“{state}”无效（应为 open / confirmed / dismissed），按 open 处理")
                state = "open"
            if state == "dismissed" and not reason:
                problems.append(f"{path}:{line}: 驳回（dismissed）须写明理由，按 open 处理")
                state = "open"
            rows[fingerprint] = {**{c: (row.get(c) or "") for c in COLUMNS}, "state": state, "reason": reason}
    return rows, problems


def apply(findings: list[AuditFinding], reviewed: dict[str, dict[str, str]]) -> None:
    for f in findings:
        row = reviewed.get(f.fingerprint)
        if row:
            f.state, f.reason = row["state"], row["reason"]


def save(path: Path, findings: list[AuditFinding], reviewed: dict[str, dict[str, str]]) -> None:
    rows = {}
    for f in findings:
        rows[f.fingerprint] = {"fingerprint": f.fingerprint, "state": f.state, "reason": f.reason, "rule": f.rule,
                               "severity": f.severity, "agency": f.agency or "", "year": f.year or "",
                               "message": f.message_zh, "seen": "本次出现"}
    for fingerprint, row in reviewed.items():
        if fingerprint not in rows:
            rows[fingerprint] = {**row, "seen": "本次未出现"}
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows(rows.values())
    tmp.replace(path)
