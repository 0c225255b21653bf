"""Matching printed labels against the template's labels.

Tolerant to what real reports do to labels: variants, typos, missing item numbers, spaces inside
labels, ASCII or full-width punctuation and quotes, labels wrapped over lines or cut short.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from .cells import normalize

# What compacting drops from a label: whitespace, quotes, brackets and punctuation (a character that
# matches carries no meaning for which label it is).
LABEL_NOISE = re.compile(r"[\s\"'“”‘’「」『』《》:：,，、.。;；()（）\[\]【】_\-—–]")
_ITEM = re.compile(r"^(?:第[一二三四五六七八九十]+条第?[(（][一二三四五六七八九十]+[)）]项|第?[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|表[一二三四五六]+[：:]?)")

# A label counts as matched from this similarity on (difflib ratio of the compacted labels).
THRESHOLD = 0.75


def strip_item(text: str) -> str:
    """Drop leading item numbers (一、 （三） 2. 表三： and the item heading 第二十条第（一）项 printed in
    a table's first row), repeatedly."""
    text = normalize(text).strip()
    while True:
        stripped = _ITEM.sub("", text, count=1).strip()
        if stripped == text:
            return text
        text = stripped


@lru_cache(maxsize=4096)
def compact(text: str) -> str:
    """A label reduced to what identifies it: no item number, no spaces, no punctuation."""
    return LABEL_NOISE.sub("", strip_item(text))


@lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def similarity(printed: str, label: str) -> float:
    a, b = compact(printed), compact(label)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < THRESHOLD:
        return 0.0  # difflib's ratio cannot reach the threshold: not worth computing
    return _ratio(a, b)


def overlap(printed: str, label: str) -> int:
    """How many characters the longest run shared by the two compacted labels has."""
    a, b = compact(printed), compact(label)
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match().size


@lru_cache(maxsize=256)
def _exact_index(candidates: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    """Compacted label -> the candidate keys that have it (the template's label sets are few)."""
    index: dict[str, list[str]] = {}
    for key, labels in candidates:
        for text in {compact(label) for label in labels}:
            index.setdefault(text, []).append(key)
    return {text: tuple(keys) for text, keys in index.items()}


def best_match(printed: str, candidates: dict[str, tuple[str, ...]]) -> tuple[str | None, float]:
    """The candidate key whose labels best match ``printed``; None when below the threshold or tied."""
    target = compact(printed)
    exact = _exact_index(tuple(candidates.items())).get(target, ())
    if len(exact) == 1:
        return exact[0], 1.0
    scores = sorted(
        ((max(similarity(printed, label) for label in labels), key) for key, labels in candidates.items()),
        reverse=True,
    )
    if not scores or scores[0][0] < THRESHOLD:
        return None, scores[0][0] if scores else 0.0
    if len(scores) > 1 and scores[1][0] == scores[0][0]:
        return None, scores[0][0]
    return scores[0][1], scores[0][0]


def remove_prefixes(text: str, prefixes: tuple[str, ...]) -> str:
    """Remove group labels printed in front of a row label (三、本年度办理结果（三）不予公开 …)."""
    squeezed = "".join(normalize(text).split())
    for p in _squeezed_prefixes(prefixes):
        if squeezed.startswith(p) and len(squeezed) > len(p):
            squeezed = squeezed[len(p):]
    return squeezed


@lru_cache(maxsize=64)
def _squeezed_prefixes(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The prefixes without whitespace, longest first (as ``remove_prefixes`` tries them)."""
    return tuple(p for p in ("".join(normalize(prefix).split()) for prefix in sorted(prefixes, key=len, reverse=True))
                 if p)
