"""One audit: read a folder, identify the region, run every rule, apply the review, write the outputs."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import batch
from .collect import Progress, Record, collect
from .copied import copied_text
from .findings import AuditFinding
from .hierarchy import parent_children
from .identify import ALIAS_TEMPLATE, Aliases
from .indicators import indicators
from .narrative import narrative
from .region import identify_records, reports_by_key
from .review import apply, load, save
from .series import cross_year, late, missing_years, read_findings

REGION_RULES = ("X1", "X2", "P1", "C1", "H1", "N1", "N2", "N3")


@dataclass
class Audit:
    records: list[Record]
    findings: list[AuditFinding]
    indicators: list[dict[str, Any]]
    read_seconds: float = 0.0
    check_seconds: float = 0.0
    review_problems: list[str] = field(default_factory=list)
    _by_source: dict[str | None, list[AuditFinding]] | None = field(default=None, repr=False)
    _indexed: int = field(default=0, repr=False)

    @property
    def reports(self) -> dict[tuple[str, int], Record]:
        return reports_by_key(self.records)

    def of(self, record: Record) -> list[AuditFinding]:
        """The findings of one file (indexed once: the page and the tables ask for every file)."""
        if self._by_source is None or self._indexed != len(self.findings):
            self._by_source = {}
            for f in self.findings:
                self._by_source.setdefault(f.source, []).append(f)
            self._indexed = len(self.findings)
        return self._by_source.get(record.source, [])

    def status(self, record: Record) -> str:
        """unreadable / duplicate / errors / warnings / clean — dismissed findings left out."""
        if record.error is not None:
            return "unreadable"
        if not record.primary:
            return "duplicate"
        live = [f for f in self.of(record) if f.state != "dismissed"]
        if any(f.severity == "error" for f in live):
            return "errors"
        if any(f.severity == "warning" for f in live):
            return "warnings"
        return "clean"

    def outcomes(self, record: Record) -> dict[str, str]:
        """pass / fail / not_assessable for each region rule on one report."""
        out = {}
        mine = self.of(record)
        for rule in REGION_RULES:
            found = [f for f in mine if f.rule == rule]
            if not record.primary:
                out[rule] = "duplicate"
            elif record.error is not None and rule != "P1":  # P1 needs only the page header's date
                out[rule] = "not_assessable"
            elif any(f.severity in ("error", "warning") for f in found):
                out[rule] = "fail"
            elif found:
                out[rule] = "not_assessable"
            else:
                out[rule] = "pass"
        return out

    def counts(self) -> Counter[str]:
        return Counter(f"{f.severity}" for f in self.findings if f.state != "dismissed")


def analyse(records: list[Record], aliases: Aliases | None = None) -> tuple[list[AuditFinding], list[dict]]:
    """Every finding and the indicators of an identified set of readings (no file is read here)."""
    identify_records(records, aliases or Aliases())
    reports = reports_by_key(records)
    findings: list[AuditFinding] = []
    for record in records:
        if record.primary:
            findings += read_findings(record)
            findings += late(record)
            findings += narrative(record)
    findings += cross_year(reports)
    findings += missing_years(reports)
    findings += parent_children(reports)
    findings += copied_text(reports)
    seen: Counter[str] = Counter()
    for f in findings:  # two findings that would share an id get told apart, in a fixed order
        seen[f.fingerprint] += 1
        if seen[f.fingerprint] > 1:
            f.discriminator += f"#{seen[f.fingerprint]}"
    return findings, indicators(reports)


def run(paths: list[str | Path], out_dir: Path, jobs: int = 1, timeout: float = batch.DEFAULT_TIMEOUT,
        progress: Progress | None = None, write: bool = True) -> Audit:
    """Audit every report under ``paths``; results, the review file and the pages go to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    alias_file = out_dir / "aliases.toml"
    if not alias_file.exists():
        alias_file.write_text(ALIAS_TEMPLATE, encoding="utf-8")
    aliases = Aliases.load(alias_file)
    start = time.perf_counter()
    records = collect(paths, out_dir / "cache", jobs=jobs, timeout=timeout, progress=progress, exclude=out_dir)
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    findings, rows = analyse(records, aliases)
    reviewed, problems = load(out_dir / "review.csv")
    apply(findings, reviewed)
    audit = Audit(records, findings, rows, read_seconds, time.perf_counter() - start, problems)
    if write:
        from .output import write_outputs

        save(out_dir / "review.csv", findings, reviewed)
        write_outputs(audit, out_dir)
    return audit
