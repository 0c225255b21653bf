"""The audit's files: the dataset (JSONL, CSV, XLSX), the findings and indicators tables, the page.

    OUT_DIR/reports.jsonl  reports.csv     one row per file: identification, status, rule outcomes, every key
    OUT_DIR/findings.jsonl findings.csv    one row per finding, with its fingerprint, state and evidence
    OUT_DIR/indicators.csv                 one row per agency-year, with the region's percentiles
    OUT_DIR/audit.xlsx                     the three tables as sheets
    OUT_DIR/audit.html                     the audit page (self-contained, offline, printable)
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from ..batch import flat_columns
from ..render.data import spreadsheet_text
from .indicators import INDICATORS
from .run import REGION_RULES, Audit

REPORT_COLUMNS = ["source", "sha256", "format", "error", "agency", "agency_printed", "agency_from", "kind",
                  "parent", "year", "published", "published_from", "duplicate_of", "status", "errors", "warnings",
                  *REGION_RULES]
FINDING_COLUMNS = ["fingerprint", "rule", "severity", "state", "reason", "agency", "year", "source", "keys",
                   "labels", "expected", "found", "message_zh", "message_en", "evidence"]


def report_rows(audit: Audit) -> list[dict[str, Any]]:
    rows = []
    for r in audit.records:
        live = [f for f in audit.of(r) if f.state != "dismissed"]
        row = {"source": r.source, "sha256": r.sha256, "format": r.format, "error": r.error, "agency": r.agency,
               "agency_printed": r.agency_printed, "agency_from": r.agency_from, "kind": r.kind, "parent": r.parent,
               "year": r.year, "published": r.published.isoformat() if r.published else None,
               "published_from": r.published_from, "duplicate_of": r.duplicate_of, "status": audit.status(r),
               "errors": sum(f.severity == "error" for f in live),
               "warnings": sum(f.severity == "warning" for f in live), **audit.outcomes(r)}
        rows.append(row | {"flat": r.flat})
    return rows


def indicator_columns() -> list[str]:
    return ["agency", "year", "kind", "source", *(f"{n}{s}" for n in INDICATORS for s in ("", "_percentile", "_outlier"))]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value: Any) -> Any:
    """A value a CSV or XLSX cell holds: lists as JSON, no control characters, no formula start."""
    if isinstance(value, list | dict | tuple):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        value = _CONTROL.sub("", value)[:32000]
    return spreadsheet_text(value)


def _tables(audit: Audit) -> dict[str, tuple[list[str], list[list[Any]]]]:
    keys = flat_columns()
    reports = [[_cell(row[c]) for c in REPORT_COLUMNS] + [_cell((row["flat"] or {}).get(k)) for k in keys]
               for row in report_rows(audit)]
    findings = [[_cell(f.to_json()[c]) for c in FINDING_COLUMNS] for f in audit.findings]
    columns = indicator_columns()
    indicators = [[_cell(row.get(c)) for c in columns] for row in audit.indicators]
    return {"reports": ([*REPORT_COLUMNS, *keys], reports), "findings": (FINDING_COLUMNS, findings),
            "indicators": (columns, indicators)}


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def write_outputs(audit: Audit, out_dir: Path) -> None:
    _jsonl(out_dir / "reports.jsonl", report_rows(audit))
    _jsonl(out_dir / "findings.jsonl", [f.to_json() for f in audit.findings])
    _jsonl(out_dir / "indicators.jsonl", audit.indicators)
    tables = _tables(audit)
    for name, (header, rows) in tables.items():
        with open(out_dir / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.save(out_dir / "audit.xlsx")
    from .page import audit_page

    (out_dir / "audit.html").write_text(audit_page(audit, out_dir), encoding="utf-8")
