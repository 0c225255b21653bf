"""The test corpus (``tests/corpus/``, copied from ``../shared/``) and the one way to compare an extraction with an answer key.

Answer keys (``X.expected.json``) are exact flat forms: numbers and metadata must match exactly, money by
value, and the three texts at difflib ratio ≥ 0.95 after removing all whitespace (they were transcribed
by hand).  ``meta.published`` is optional in a key; an extraction may carry it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus"  # copies of ../shared/corpus and the spec's key list: see its README
TEXT_KEYS = ("overview", "problems", "other")
MONEY_KEYS = ("proactive.fees.amount", "proactive.procurement.amount")
TEXT_RATIO = 0.95


def expected(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _squeezed(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def text_ratio(a: str | None, b: str | None) -> float:
    a, b = _squeezed(a), _squeezed(b)
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def differences(found: dict[str, Any], answer: dict[str, Any], text_ratio_min: float = TEXT_RATIO) -> list[str]:
    """Every way a flat extraction differs from an answer key; empty when they agree."""
    problems = [f"missing key {k}" for k in answer if k not in found]
    problems += [f"extra key {k}" for k in found if k not in answer and k != "meta.published"]
    for key, want in answer.items():
        if key not in found:
            continue
        got = found[key]
        if key in TEXT_KEYS:
            if (want is None) != (got is None) or text_ratio(got, want) < text_ratio_min:
                problems.append(f"{key}: text ratio {text_ratio(got, want):.3f}")
        elif key in MONEY_KEYS and want is not None and got is not None:
            if Decimal(str(got)) != Decimal(str(want)):
                problems.append(f"{key}: {got!r} != {want!r}")
        elif got != want or type(got) is not type(want):
            problems.append(f"{key}: {got!r} != {want!r}")
    return problems


def assert_matches_expected(extraction, expected_path: str | Path) -> None:
    problems = differences(extraction.report.flat(), expected(Path(expected_path)))
    assert not problems, f"{extraction.source}: " + "; ".join(problems[:20])
