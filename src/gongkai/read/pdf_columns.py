"""The columns of a PDF table row, so that a blank cell (which prints nothing) keeps its place.

A ruled table draws its cell borders as thin path objects; the vertical ones that cross a line give
that line's exact column edges (a spanning cell simply has none inside it).  Each character goes to
the column its centre falls in, and every value column of the row becomes one cell, ``""`` where
nothing is printed.  Where the edges do not explain a row (two pieces in one column, text outside
the table), and in a borderless table, the row is left as its gaps split it and the template matcher
reports what it cannot place: no cell is guessed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .cells import is_text, parse_number

RULE_WIDTH = 3.0  # PDF units: a path this thin and taller than wide is a vertical rule
RULE_MERGE = 2.0  # edges closer than this are one border (both cells drew it)


class CharLike(Protocol):
    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Rule:
    x: float
    y0: float
    y1: float


def page_rules(page: pdfium.PdfPage, upright: Callable[[tuple[float, ...]], tuple[float, ...]]) -> list[Rule]:
    """The vertical rules of a page (top-level path objects), in the frame its text is read in."""
    rules = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        x0, y0, x1, y1 = upright(tuple(obj.get_bounds()))
        if x1 - x0 <= RULE_WIDTH < y1 - y0:
            rules.append(Rule((x0 + x1) / 2, y0, y1))
    return rules


def edges_at(rules: list[Rule], y: float) -> list[float]:
    """The column edges of the line whose vertical centre is ``y``."""
    edges: list[float] = []
    for x in sorted(r.x for r in rules if r.y0 <= y <= r.y1):
        if not edges or x - edges[-1] > RULE_MERGE:
            edges.append(x)
    return edges


def ruled_cells(chars: Sequence[CharLike], edges: list[float],
                split: Callable[[Sequence[CharLike]], list[str]]) -> list[str] | None:
    """A row's cells between its column edges: its label cells, then one cell per value column.

    None when the edges do not explain the row (text outside them, two pieces in one value column).
    """
    if len(edges) < 3:
        return None
    columns: list[list[CharLike]] = [[] for _ in edges[1:]]
    for char in chars:
        at = bisect_right(edges, (char.x0 + char.x1) / 2) - 1
        if not 0 <= at < len(columns):
            return None
        columns[at].append(char)
    pieces = [split(column) if column else [] for column in columns]
    first = next((i for i, p in enumerate(pieces) if any(parse_number(c) is not None for c in p)), None)
    if first is None:
        return None
    label_end = max((i + 1 for i in range(first) if any(is_text(c) for c in pieces[i])), default=0)
    if any(len(p) > 1 for p in pieces[label_end:]):
        return None
    return [c for p in pieces[:label_end] for c in p] + [p[0] if p else "" for p in pieces[label_end:]]
