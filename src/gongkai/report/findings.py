"""Findings: what a rule or a reader says about a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    keys: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    expected: Any = None
    found: Any = None
    quote: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "keys": list(self.keys),
            "labels": list(self.labels),
            "expected": _plain(self.expected),
            "found": _plain(self.found),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
        if self.quote:
            out["quote"] = self.quote
        return out


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value, "f")
    return value
