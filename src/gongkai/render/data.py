"""Data exports: nested JSON, flat JSON (the spec's flat form), CSV (key, Chinese label, value)."""

from __future__ import annotations

import csv
import io
import json

from gongkai.report.model import Report


def write_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n"


def write_flat(report: Report) -> str:
    return json.dumps(report.flat(), ensure_ascii=False, indent=1) + "\n"


def spreadsheet_text(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "label", "value"])
    for key, value in report.flat().items():
        writer.writerow([key, report.template.label(key), "" if value is None else spreadsheet_text(value)])
    return out.getvalue()
