"""Comparing an extraction with an answer key (``X.expected.json``), as the spec says.

Keys, numbers and metadata exactly; money by value; the three texts after removing all
whitespace, at difflib ratio ≥ 0.95.  The optional ``meta.published`` may be extra.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path

from gongkai.report.template import TEXT_KEYS, edition

TEXT_SIMILARITY = 0.95


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def differences(flat: dict, expected: dict) -> list[str]:
    """Every way ``flat`` differs from ``expected``; empty when they match."""
    problems = []
    optional = set(edition(str(expected["meta.edition"])).optional_keys) & {"meta.published"}
    for key in sorted(set(flat) ^ set(expected)):
        if key not in optional:
            problems.append(f"{key}: {'missing' if key in expected else 'not expected'}")
    money = {k for k in expected if k.endswith(".amount")}
    for key, want in expected.items():
        if key not in flat:
            continue
        got = flat[key]
        if key in TEXT_KEYS:
            ratio = SequenceMatcher(None, _squeeze(got), _squeeze(want), autojunk=False).ratio()
            if ratio < TEXT_SIMILARITY:
                problems.append(f"{key}: text similarity {ratio:.3f} < {TEXT_SIMILARITY}: {str(got)[:80]!r}")
        elif key in money and got is not None and want is not None:
            if Decimal(got) != Decimal(want):
                problems.append(f"{key}: {got} != {want}")
        elif got != want or type(got) is not type(want):
            problems.append(f"{key}: {got!r} != {want!r}")
    return problems


def assert_matches_expected(extraction, expected_path: str | Path) -> None:
    expected = json.loads(Path(expected_path).read_text(encoding="utf-8"))
    problems = differences(extraction.report.flat(), expected)
    assert not problems, f"{extraction.source}: " + "; ".join(problems[:20])
