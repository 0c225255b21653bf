"""From counts to report keys: the pure half of the compile (no Django here).

The database counts (``compile.py``); this module places the counts in the cells of an edition-2021
report and computes every total, so the rules R1–R4 hold by construction:

- table 3: each counted request is received in N *or* carried over, and closed in N *or* carried forward,
  so ``new_received + carried_over = total_handled + carried_forward`` per column (R1); ``total_handled``
  is the sum of the result rows (R2); the ``total`` column is the sum of the six applicant columns (R3);
- table 4: ``total = upheld + corrected + other + pending`` per group (R4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.report import Report, edition

TEMPLATE = edition("2021")
APPLICANT_COLUMNS = tuple(c.key for c in TEMPLATE.request_columns if c.key != "total")
RESULT_ROWS = tuple(r.key for r in TEMPLATE.result_rows)
FLOW_ROWS = ("new_received", "carried_over", "carried_forward")
PENDING = "pending"


@dataclass(frozen=True)
class RequestCount:
    """Requests of one applicant type and one (possibly not yet reached) outcome, relevant to year N."""

    applicant_type: str
    outcome: str | None
    new_received: int = 0
    carried_over: int = 0
    closed: int = 0  # closed in N (then ``outcome`` is its result row)
    carried_forward: int = 0


@dataclass(frozen=True)
class CaseCount:
    """Cases of year N of one kind and standing at year end (a result, or ``pending``)."""

    kind: str
    standing: str
    count: int


@dataclass(frozen=True)
class DocumentFigures:
    issued: int = 0
    repealed: int = 0
    in_force: int = 0


@dataclass(frozen=True)
class ProactiveFigures:
    regulations: DocumentFigures = field(default_factory=DocumentFigures)
    normative_documents: DocumentFigures = field(default_factory=DocumentFigures)
    licensing: int = 0
    punishment: int = 0
    coercion: int = 0
    fees: Decimal = Decimal("0")


def requests_table(counts: list[RequestCount]) -> dict[str, int]:
    """Table 3 of edition 2021: every ``requests.*`` key."""
    cells = {(row, col): 0 for row in (*FLOW_ROWS, *RESULT_ROWS) for col in APPLICANT_COLUMNS}
    for c in counts:
        if c.applicant_type not in APPLICANT_COLUMNS:
            raise ValueError(f"unknown applicant type {c.applicant_type!r}")
        for row in FLOW_ROWS:
            cells[row, c.applicant_type] += getattr(c, row)
        if c.closed:
            if c.outcome not in RESULT_ROWS:
                raise ValueError(f"{c.closed} requests closed with unknown outcome {c.outcome!r}")
            cells[c.outcome, c.applicant_type] += c.closed
    for col in APPLICANT_COLUMNS:
        cells["total_handled", col] = sum(cells[row, col] for row in RESULT_ROWS)
    rows = [r.key for r in TEMPLATE.request_rows]
    for row in rows:
        cells[row, "total"] = sum(cells[row, col] for col in APPLICANT_COLUMNS)
    return {TEMPLATE.request_key(row, col.key): cells[row, col.key] for row in rows for col in TEMPLATE.request_columns}


def appeals_table(counts: list[CaseCount]) -> dict[str, int]:
    """Table 4: every ``appeals.*`` key."""
    standings = [c.key for c in TEMPLATE.appeal_columns if c.key != "total"]
    cells = {(g.key, s): 0 for g in TEMPLATE.appeal_groups for s in standings}
    for c in counts:
        if (c.kind, c.standing) not in cells:
            raise ValueError(f"unknown case kind or standing {c.kind!r}/{c.standing!r}")
        cells[c.kind, c.standing] += c.count
    values = {f"appeals.{kind}.{s}": n for (kind, s), n in cells.items()}
    for g in TEMPLATE.appeal_groups:
        values[f"appeals.{g.key}.total"] = sum(cells[g.key, s] for s in standings)
    return values


def proactive_table(figures: ProactiveFigures) -> dict[str, int | Decimal]:
    """Table 2 of edition 2021: every ``proactive.*`` key."""
    values: dict[str, int | Decimal] = {}
    for kind in ("regulations", "normative_documents"):
        docs: DocumentFigures = getattr(figures, kind)
        values |= {f"proactive.{kind}.issued": docs.issued, f"proactive.{kind}.repealed": docs.repealed,
                   f"proactive.{kind}.in_force": docs.in_force}
    for kind in ("licensing", "punishment", "coercion"):
        values[f"proactive.{kind}.decisions"] = getattr(figures, kind)
    values["proactive.fees.amount"] = figures.fees
    return values


def build_report(agency: str, year: int, *, requests: list[RequestCount], cases: list[CaseCount],
                 proactive: ProactiveFigures, texts: dict[str, str | None]) -> Report:
    """An edition-2021 report with every table cell filled from the counts."""
    report = Report(edition=TEMPLATE.id, agency=agency, year=year)
    for key, value in (proactive_table(proactive) | requests_table(requests) | appeals_table(cases)).items():
        report[key] = value
    report.texts.update(texts)
    return report
