"""The columns of a PDF table row, so that a blank cell (which prints nothing) keeps its place.

A ruled table draws its cell borders as thin path objects; the vertical ones that cross a line give
that line's exact column edges (a spanning cell simply has none inside it).  Each character goes to
the column its centre falls in, and every value column of the row becomes one cell, ``""`` where
nothing is printed.  Where the edges do not explain a row (two pieces in one column, text outside
the table), the row is left as its gaps split it and the template matcher reports what it cannot
place: no cell is guessed.

A cell's text is everything inside its borders, however many lines it wraps over: consecutive lines
with the same column edges and no horizontal rule between them are one table row (``same_row``),
and a column's lines are joined only where the upper one is full — its width plus the next line's first
unbreakable unit exceeds what the column holds inside its padding (``ruled_row_cells``), which is
exactly when Word, WPS or LibreOffice breaks a line.  So ``1350`` over ``7`` in a narrow number cell reads
as ``13507``; two short numbers stacked in a table that draws no row borders stay two rows.

A borderless table has no edges, so its value columns come from the rows themselves
(``borderless_cells``): the x-centres of the values printed in a run of rows fall into slots, and a
row that prints fewer values gets each one in its slot and ``""`` in the others, only when every
value falls unambiguously into a slot of its own.
"""

from __future__ import annotations

import ctypes
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .cells import is_text, parse_number

RULE_WIDTH = 3.0  # PDF units: a path this thin and taller than wide is a vertical rule
RULE_MERGE = 2.0  # edges closer than this are one border (both cells drew it)
SLOT_SPREAD = 0.6  # of the slot spacing: the most the centres of one borderless column may spread
SLOT_REACH = 0.5  # of the slot spacing: the farthest a value may sit from its slot's centre


class CharLike(Protocol):
    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Rule:
    """A vertical rule at ``x`` from ``y0`` to ``y1``."""

    x: float
    y0: float
    y1: float


@dataclass(frozen=True)
class Border:
    """A horizontal rule at ``y`` from ``x0`` to ``x1``."""

    y: float
    x0: float
    x1: float


@dataclass
class Rules:
    """A page's table rules, in the frame its text is read in."""

    vertical: list[Rule]
    horizontal: list[Border]

    def __bool__(self) -> bool:
        return bool(self.vertical)


def page_rules(page: pdfium.PdfPage, upright: Callable[[tuple[float, ...]], tuple[float, ...]]) -> Rules:
    """The vertical and horizontal rules of a page (top-level path objects), in the frame its text is read in."""
    rules = Rules([], [])
    raw = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):  # the raw calls: a page may hold thousands of paths
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        x0, y0, x1, y1 = upright((left.value, bottom.value, right.value, top.value))
        if x1 - x0 <= RULE_WIDTH < y1 - y0:
            rules.vertical.append(Rule((x0 + x1) / 2, y0, y1))
        elif y1 - y0 <= RULE_WIDTH < x1 - x0:
            rules.horizontal.append(Border((y0 + y1) / 2, x0, x1))
    return rules


def edges_at(rules: Rules, y: float) -> list[float]:
    """The column edges of the line whose vertical centre is ``y``."""
    edges: list[float] = []
    for x in sorted(r.x for r in rules.vertical if r.y0 <= y <= r.y1):
        if not edges or x - edges[-1] > RULE_MERGE:
            edges.append(x)
    return edges


def same_row(rules: Rules, upper: Sequence[CharLike], y_upper: float,
             lower: Sequence[CharLike], y_lower: float) -> bool:
    """Whether no horizontal rule runs between two lines under any of their characters."""
    between = [b for b in rules.horizontal if y_lower < b.y < y_upper]
    return not any(b.x0 <= (c.x0 + c.x1) / 2 <= b.x1 for b in between for c in (*upper, *lower))


def cell_padding(lines: Sequence[Sequence[CharLike]], edges: Sequence[Sequence[float]]) -> float:
    """The least room left between a cell's text and its borders on a page's ruled lines: at most the cells'
    padding (left-aligned labels and full lines touch it), so the room it leaves is never overstated."""
    pads = [math.inf]
    for chars, line_edges in zip(lines, edges, strict=True):
        for column in _columns(chars, line_edges) or []:
            if column:
                at = bisect_right(line_edges, (column[0].x0 + column[0].x1) / 2) - 1
                pads.append(min(column[0].x0 - line_edges[at], line_edges[at + 1] - column[-1].x1))
    return max(0.0, min(pads)) if pads[1:] else 0.0


def _columns(chars: Sequence[CharLike], edges: Sequence[float]) -> list[list[CharLike]] | None:
    """The characters of a line in each column between ``edges`` (left to right); None for text outside them."""
    if len(edges) < 3:
        return None
    columns: list[list[CharLike]] = [[] for _ in edges[1:]]
    for char in sorted(chars, key=lambda c: c.x0):
        at = bisect_right(edges, (char.x0 + char.x1) / 2) - 1
        if not 0 <= at < len(columns):
            return None
        columns[at].append(char)
    return columns


KINSOKU = 3  # characters line breaking may keep together at the start of a line (an opening bracket and two more)


def _wraps(line: Sequence[CharLike], following: Sequence[CharLike], width: float, padding: float) -> bool:
    """Whether a cell's line was broken before ``following``: the first unit that could not be split from
    the next line's start did not fit beside it.  The unit is one digit after a digit (a number too long for
    its cell breaks anywhere), a whole number or Latin word otherwise, and up to ``KINSOKU`` characters of
    Chinese text.  So two lines stacked in a column whose rows have no rule between them (a header over a
    value, two numbers) are never read as one cell."""
    first = following[0].text[:1]
    if first.isdigit() and line[-1].text[-1:].isdigit():
        count = 1
    elif first.isascii() and first.isalnum():
        count = next((i for i, c in enumerate(following) if not (c.text[:1].isascii() and c.text[:1].isalnum())),
                     len(following))
    else:
        count = min(KINSOKU, len(following))
    unit = following[count - 1].x1 - following[0].x0
    return (line[-1].x1 - line[0].x0) + unit > width - 2 * padding


def _joined(texts: Sequence[str]) -> str:
    out = texts[0]
    for text in texts[1:]:
        out += " " + text if out[-1:].isascii() and out[-1:].isalpha() and text[:1].isascii() and text[:1].isalpha() else text
    return out


def ruled_row_cells(lines: Sequence[Sequence[CharLike]], edges: list[float],
                    split: Callable[[Sequence[CharLike]], list[str]], padding: float = 0.0) -> list[str] | None:
    """A table row's cells between its column edges, from the one or more lines it prints over (top to
    bottom, all with these edges): its label cells, then one cell per value column.

    None when the edges do not explain the row (text outside them, two pieces in one value column, or a
    column whose lines are not one text wrapped inside the cell).
    """
    per_line = [_columns(chars, edges) for chars in lines]
    if any(columns is None for columns in per_line):
        return None
    pieces: list[list[str]] = []
    for i in range(len(edges) - 1):
        stacked = [columns[i] for columns in per_line if columns[i]]  # type: ignore[index]
        width = edges[i + 1] - edges[i]
        if any(not _wraps(a, b, width, padding) for a, b in zip(stacked, stacked[1:], strict=False)):
            return None
        texts = [split(column) for column in stacked]
        if len(texts) > 1 and all(len(t) == 1 for t in texts):
            pieces.append([_joined([t[0] for t in texts])])
        else:  # one line, or lines of several pieces: each piece its own cell (two in a value column: None)
            pieces.append([piece for t in texts for piece in t])
    first = next((i for i, p in enumerate(pieces) if any(parse_number(c) is not None for c in p)), None)
    if first is None:
        return None
    label_end = max((i + 1 for i in range(first) if any(is_text(c) for c in pieces[i])), default=0)
    if any(len(p) > 1 for p in pieces[label_end:]):
        return None
    return [c for p in pieces[:label_end] for c in p] + [p[0] if p else "" for p in pieces[label_end:]]


def _value_start(cells: Sequence[str]) -> int | None:
    """Where a row's value cells start (after its label cells); None when words follow its first number."""
    first = next((i for i, c in enumerate(cells) if parse_number(c) is not None), None)
    if first is None or any(is_text(c) for c in cells[first:]):
        return None
    return max((i + 1 for i in range(first) if is_text(cells[i])), default=0)


def borderless_cells(rows: Sequence[tuple[Sequence[str], Sequence[tuple[float, float]]]]) -> list[list[str] | None]:
    """The cells of a run of borderless table rows (each row's cells and their x-extents) with their blank
    value cells restored as ``""``; None for a row left as it is.

    The slots are the columns the run's value centres cluster into; the run is left alone when a slot
    spreads wider than ``SLOT_SPREAD`` of the spacing, or when only one row prints in a slot (a stray,
    or a different table) and no row prints in every slot; a row is left alone when its values do not
    fall into distinct slots within ``SLOT_REACH`` of the spacing.
    """
    out: list[list[str] | None] = [None] * len(rows)
    values: list[tuple[int, list[float]] | None] = []
    for cells, spans in rows:
        start = _value_start(cells)
        values.append(None if start is None else (start, [(x0 + x1) / 2 for x0, x1 in spans[start:]]))
    centres = [v[1] for v in values if v is not None]
    gaps = [b - a for c in centres for a, b in zip(c, c[1:], strict=False)]
    if not gaps or min(gaps) <= 0:
        return out
    reach = SLOT_REACH * min(gaps)
    clusters: list[list[float]] = []
    for x in sorted(x for c in centres for x in c):
        if clusters and x - clusters[-1][-1] <= reach:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    slots = [(c[0] + c[-1]) / 2 for c in clusters]
    if len(slots) < 2:
        return out
    spacing = min(b - a for a, b in zip(slots, slots[1:], strict=False))
    if any(c[-1] - c[0] > SLOT_SPREAD * spacing for c in clusters):
        return out
    placed: list[list[int] | None] = []
    for value in values:
        at = None
        if value is not None:
            at = [_nearest(slots, x) for x in value[1]]
            if len(set(at)) < len(at) or any(abs(slots[i] - x) > SLOT_REACH * spacing for i, x in zip(at, value[1], strict=True)):
                at = None
        placed.append(at)
    printed = Counter(i for at in placed if at is not None for i in at)  # slots are distinct within a row
    support = [printed[i] for i in range(len(slots))]
    if min(support) < 2 and not any(at is not None and len(at) == len(slots) for at in placed):
        return out  # a slot only one row prints in, and no row printing in every slot to vouch for it
    for r, ((cells, _), value, at) in enumerate(zip(rows, values, placed, strict=True)):
        if value is None or at is None or len(at) == len(slots):
            continue
        filled = [""] * len(slots)
        for i, cell in zip(at, cells[value[0]:], strict=True):
            filled[i] = cell
        out[r] = [*cells[:value[0]], *filled]
    return out


def _nearest(slots: list[float], x: float) -> int:
    """The index of the slot (sorted) nearest to ``x``: a bisection, so a long row stays linear."""
    at = bisect_right(slots, x)
    return min((i for i in (at - 1, at) if 0 <= i < len(slots)), key=lambda i: abs(slots[i] - x))
