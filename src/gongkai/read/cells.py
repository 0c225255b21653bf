"""Reading one printed cell: a number, a blank, or text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

BLANK_MARKS = frozenset({"", "无", "—", "——", "–", "-", "－", "/", "／", "\\", "空", "—/—"})
_NUMBER = re.compile(
    r"^(?P<sign>[+-])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>万元|元|件|个|项|次|条|人)?$"
)


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), no-break spaces to spaces, trimmed."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()


@dataclass(frozen=True)
class Number:
    value: Decimal
    unit: str | None


@lru_cache(maxsize=16384)
def parse_number(text: str | None) -> Number | None:
    """The number a cell prints (``1,234``, ``２５``, ``251000元``), or None if it is not one."""
    if text is None:
        return None
    compact = "".join(normalize(text).split())
    match = _NUMBER.match(compact)
    if not match:
        return None
    value = Decimal(match["num"].replace(",", ""))
    if match["sign"] == "-":
        value = -value
    return Number(value, match["unit"])


def is_blank(text: str | None) -> bool:
    return text is not None and "".join(normalize(text).split()) in BLANK_MARKS


def is_text(text: str | None) -> bool:
    """A cell that carries words (a label), not a number and not a blank mark."""
    return text is not None and not is_blank(text) and parse_number(text) is None


def number_tokens(text: str) -> tuple[str, list[str]]:
    """Split a line of running text into a label and its trailing numbers.

    ``"行政许可 9487"`` → ``("行政许可", ["9487"])``; ``"1 1 0 0 2"`` → ``("", [...])``.
    Only numbers separated from the label by whitespace count.
    """
    tokens = normalize(text).split()
    start = len(tokens)
    while start and parse_number(tokens[start - 1]) is not None:
        start -= 1
    return " ".join(tokens[:start]), tokens[start:]
