"""The shared corpus beside the repository, and comparing an extraction with its answer key."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from gongkai.read import Extraction
from gongkai.report.template import TEXT_KEYS, edition

# ``shared/`` lies beside the repository clone (for a worktree, beside one of its parent folders)
SHARED = next((p / "shared" for p in Path(__file__).resolve().parents[1:] if (p / "shared" / "corpus").is_dir()),
              Path(__file__).resolve().parents[2] / "shared")
CORPUS = SHARED / "corpus"
TEXT_RATIO = 0.95


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def mismatches(flat: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """How a flat form differs from the expected one: keys, then values (numbers and metadata exactly,
    money by value, texts after removing all whitespace at a difflib ratio of at least 0.95)."""
    if set(flat) != set(expected):
        return [f"keys differ: missing {sorted(set(expected) - set(flat))}, extra {sorted(set(flat) - set(expected))}"]
    ed = edition(str(expected["meta.edition"]))
    wrong = []
    for key, want in expected.items():
        got = flat[key]
        if key in TEXT_KEYS and want is not None and got is not None:
            ok = SequenceMatcher(None, _squeeze(got), _squeeze(want), autojunk=False).ratio() >= TEXT_RATIO
        elif key.startswith(("proactive.", "requests.", "appeals.")) and ed.cell(key).column.type == "money":
            ok = (got is None) == (want is None) and (got is None or Decimal(str(got)) == Decimal(str(want)))
        else:
            ok = got == want and type(got) is type(want)
        if not ok:
            wrong.append(f"{key}: got {got!r}, expected {want!r}")
    return wrong


def assert_matches_expected(extraction: Extraction, expected_path: str | Path) -> None:
    """The extraction's flat form equals the answer key at ``expected_path``."""
    expected = json.loads(Path(expected_path).read_text("utf-8"))
    wrong = mismatches(extraction.report.flat(), expected)
    assert not wrong, f"{extraction.source}:\n" + "\n".join(wrong)
