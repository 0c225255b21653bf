"""Digits of neighbouring cells run together (``142000016``): the ways to split them into cells.

A table flattened into running text keeps the order of its cells but not always the space
between them.  A whitespace-separated token holds one or more whole cells, never part of one.
A split is valid when every part is a number its column can hold: no leading zero (``07`` is
two cells), a sign only in a signed column, a decimal point or a unit (元, 万元) only in a money
column, the unit only at the end of its token.

The rule the readers follow (precision first):

1. a token list with exactly one valid split is read as printed (the digit count forces it);
2. with several, only the splits that satisfy the printed totals (R3 for a table-3 row, R4 for a
   table-4 group) and, for table 3, the column equations R1 and R2 with the other rows, are kept;
3. a cell is filled when every kept split gives it the same value; the others stay blank with a
   finding that names them and lists the splits.  No split kept: every cell of the row is blank.

Empty cells printed as nothing (``blanks=True``: a cell may take no digits, shown ``""``, the totals
counting it as nothing) explain a short row too, except on a page that shows both that it prints
0 for an empty cell and that it runs digits together (``0000000``): there a short row is digits run
together and nothing else (:func:`blanks_may_print_nothing`).  Where both explanations remain,
only the cells every one of them agrees on are filled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ..report.template import Column

MAX_STEPS = 200_000  # split attempts per row before giving up (the row is then left blank)

_INT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[-+]?(?:0|[1-9]\d*)")
_MONEY = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")
_UNIT = re.compile(r"(?:万元|元)$")


def _valid(part: str, column: Column, token_end: bool) -> bool:
    if column.type == "money":
        return bool(_MONEY.fullmatch(part)) and (token_end or not _UNIT.search(part))
    return bool((_SIGNED if column.signed else _INT).fullmatch(part))


class TooManySplits(Exception):
    """The tokens can be split in too many ways to try them all."""


def splits(tokens: Sequence[str], columns: Sequence[Column],
           accept: Callable[[list[str]], bool] | None = None, blanks: bool = False) -> list[tuple[str, ...]]:
    """Every valid way to read ``tokens`` as one cell per column, in order; with ``blanks``, cells
    that take no digits (``""``, an empty cell printed as nothing) anywhere in the row too.

    ``accept(cells)`` is asked after each cell and prunes partial splits it rejects.
    Raises :class:`TooManySplits` past :data:`MAX_STEPS` attempts.
    """
    tokens = [t for t in tokens if t]
    n = len(columns)
    out: list[tuple[str, ...]] = []
    if not tokens or len(tokens) > n or (not blanks and sum(len(t) for t in tokens) < n):
        return out
    steps = 0
    cells: list[str] = []

    def step() -> None:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS:
            raise TooManySplits

    def walk(ti: int, start: int) -> None:
        if len(cells) == n:
            if ti == len(tokens):
                out.append(tuple(cells))
            return
        left_cells = n - len(cells)
        if blanks and left_cells - 1 >= len(tokens) - ti:  # an empty cell, printed as nothing
            step()
            cells.append("")
            if accept is None or accept(cells):
                walk(ti, start)
            cells.pop()
        if ti == len(tokens):
            return
        token = tokens[ti]
        later_tokens = len(tokens) - ti - 1
        for end in range(start + 1, len(token) + 1):
            step()
            token_end = end == len(token)
            rest_chars = len(token) - end + sum(len(t) for t in tokens[ti + 1:])
            # the cells still to fill must take at least one per token (and, without blanks, fit the characters)
            if (not blanks and left_cells - 1 > rest_chars) or left_cells - 1 < later_tokens + (0 if token_end else 1):
                continue
            part = token[start:end]
            if not _valid(part, columns[len(cells)], token_end):
                continue
            cells.append(part)
            if accept is None or accept(cells):
                walk(ti + 1, 0) if token_end else walk(ti, end)
            cells.pop()

    walk(0, 0)
    return out


_ZERO_AND_MORE = re.compile(r"(?<![\d.])0\d")  # a 0 cell with the next cell's digits run on (0000000, 规章000)
_DATE = re.compile(r"\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}")


def blanks_may_print_nothing(texts: Iterable[str]) -> bool:
    """Whether the empty cells of these table rows may be printed as nothing: unless the rows print
    0 run together with the next cell (``规章000``, ``0000000``).  A number never starts with 0 but 0
    itself (0.5 aside), so such digits are at once a printed 0 and digits run together: that page
    prints 0 for an empty cell, and a row short of numbers there is digits run together."""
    return not any(_ZERO_AND_MORE.search(_DATE.sub(" ", text)) for text in texts)


def tokens_of(values: Sequence[str]) -> list[str]:
    """Value cells as split tokens: whitespace splits, and a sign starts a new token (``2648-185``)."""
    out: list[str] = []
    for value in values:
        for piece in value.split():
            out += [t for t in re.split(r"(?<=\d)(?=[-+]\d)", piece) if t]
    return out


def agreed(options: Sequence[tuple[str, ...]]) -> list[str | None]:
    """Per cell, the value every option gives it, or None where they differ."""
    if not options:
        return []
    return [cells[0] if len(set(cells)) == 1 else None for cells in zip(*options, strict=True)]


def describe(options: Sequence[tuple[str, ...]], most: int = 4) -> str:
    shown = ["/".join(c or "空" for c in o) for o in options[:most]]
    return "；".join(shown) + ("；…" if len(options) > most else "")
