"""Shared test fixtures: the shared corpus and spec (never skipped: missing = failure), the seed
report, a report with distinct values, and a DOCX span reader."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from gongkai.report import Report

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``shared/`` beside the repository (CI lays it there), or ``GONGKAI_SHARED_DIR``."""
    candidates = [os.environ.get("GONGKAI_SHARED_DIR"), REPO.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "spec" / "report-keys.json").is_file():
            return Path(candidate)
    pytest.fail("shared/ (spec and corpus) not found beside the repository; set GONGKAI_SHARED_DIR", pytrace=False)


SEED = shared_dir() / "corpus/seed/000_db8b9a3c8d2b1499.expected.json"
TEMPLATE_DOCX = shared_dir() / "corpus/template/national-template-2021.docx"


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture
def seed() -> Report:
    return Report.from_flat(json.loads(SEED.read_text("utf-8")))


def distinct_report(edition_id: str = "2021") -> Report:
    """A report whose every cell holds a different number, so a misplaced cell shows."""
    report = Report.blank(edition_id, agency="某某区科学技术局", year=2023 if edition_id == "2021" else 2020)
    for i, key in enumerate(report.values):
        money = report.template.cell(key).column.type == "money"
        report.values[key] = Decimal(f"{i}.0380") if money else 1000 + i
    report.texts.update(overview="总体情况第一段。\n第二段。", problems="存在问题。", other="无。")
    return report


@pytest.fixture
def distinct() -> Report:
    return distinct_report()


def docx_table_spans(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell that starts a merge area in a python-docx table."""
    starts: dict[tuple[int, int], list] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            text = "".join(t.text for t in tc.iter(qn("w:t"))).strip("\u3000 ")
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                above = next(s for (rr, cc), s in sorted(starts.items(), reverse=True) if cc == col and rr < r)
                above[2] += 1
            else:
                starts[(r, col)] = [r, col, 1, span, text]
            col += span
    return [tuple(v) for _, v in sorted(starts.items())]
