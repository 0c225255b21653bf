"""Placeholders in a drafted text: what the office must write itself before the report is signed.

A placeholder is ``【请填写：…】`` — the only form the drafts use, so one pattern finds them all (rule D1 in
``rules.py``).  What it asks for is Chinese and holds no Arabic digits, so it can never be read as a figure.
"""

from __future__ import annotations

import re

PATTERN = re.compile(r"【请填写[:：][^【】]*】")


def placeholder(what: str) -> str:
    """The marker asking the office to write ``what``."""
    if re.search(r"[0-9【】]", what):
        raise ValueError(f"a placeholder holds no digits or brackets: {what!r}")
    return f"【请填写：{what}】"


def unfilled(text: str | None) -> list[str]:
    """Every placeholder still in ``text``, in order."""
    return PATTERN.findall(text or "")
