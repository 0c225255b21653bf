"""Audit findings: the rule, the evidence, a stable fingerprint and the reviewer's state.

A finding of the audit has the same form as a report finding (rule, keys, labels, expected, found)
plus what a reviewer needs: the report it belongs to (agency, year, file), evidence, an outcome
(``error`` or ``warning``: the rule failed; ``not_assessable``: its inputs are missing, with the reason —
never a pass) and a review state (open / confirmed / dismissed) read back from the review file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "not_assessable")
STATES = ("open", "confirmed", "dismissed")

AUDIT_RULES = {
    "READ": ("文件无法读取", "the file cannot be read"),
    "P1": ("逾期公布（条例第四十九条）", "published after the deadline (条例 art. 49)"),
    "P2": ("缺少年度报告", "a year missing from the agency's series"),
    "C1": ("内容雷同", "copied text"),
    "H1": ("本级报告与所属部门报告数据不符", "region's table 3 against its departments' reports"),
    "N1": ("“存在的主要问题及改进情况”为空或仅写“无”", "section 五 empty or only 无"),
    "N2": ("收费情况前后矛盾", "fees: table 2 and section 六 contradict each other"),
    "N3": ("统计期限与报告年度不符", "the statistics period is not the report year"),
}


@dataclass
class AuditFinding:
    rule: str
    severity: str
    message_zh: str
    message_en: str
    agency: str | None = None
    year: int | None = None
    source: str | None = None
    keys: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    expected: Any = None
    found: Any = None
    evidence: dict[str, Any] = field(default_factory=dict)
    discriminator: str = ""  # what tells two findings of one rule on one report apart (a section, a peer)
    state: str = "open"
    reason: str = ""

    @property
    def fingerprint(self) -> str:
        """The same report and the same finding give the same id in every run: built from the agency, the
        year (or the file's content when the report cannot be identified), the rule, the keys and the
        discriminator — never from a file path, a run time or a value a better reader could change."""
        who = f"{self.agency}|{self.year}" if self.agency and self.year else f"file:{self.evidence.get('sha256', self.source)}"
        text = "\x1f".join([self.rule, who, ",".join(self.keys), self.discriminator])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint, "rule": self.rule, "severity": self.severity, "state": self.state,
            "reason": self.reason, "agency": self.agency, "year": self.year, "source": self.source,
            "keys": list(self.keys), "labels": list(self.labels), "expected": _plain(self.expected),
            "found": _plain(self.found), "message_zh": self.message_zh, "message_en": self.message_en,
            "evidence": {k: _plain(v) for k, v in self.evidence.items()},
        }


def _plain(value: Any) -> Any:
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value
