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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

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
           accept: Callable[[list[str]], bool] | None = None) -> list[tuple[str, ...]]:
    """Every valid way to read ``tokens`` as one cell per column, in order.

    ``accept(cells)`` is asked after each cell and prunes partial splits it rejects.
    Raises :class:`TooManySplits` past :data:`MAX_STEPS` attempts.
    """
    tokens = [t for t in tokens if t]
    n = len(columns)
    out: list[tuple[str, ...]] = []
    if not tokens or len(tokens) > n or sum(len(t) for t in tokens) < n:
        return out
    steps = 0
    cells: list[str] = []

    def walk(ti: int, start: int) -> None:
        nonlocal steps
        if len(cells) == n:
            if ti == len(tokens):
                out.append(tuple(cells))
            return
        if ti == len(tokens):
            return
        token = tokens[ti]
        left_cells = n - len(cells)
        later_tokens = len(tokens) - ti - 1
        for end in range(start + 1, len(token) + 1):
            steps += 1
            if steps > MAX_STEPS:
                raise TooManySplits
            token_end = end == len(token)
            rest_chars = len(token) - end + sum(len(t) for t in tokens[ti + 1:])
            # the cells still to fill must fit the characters and take at least one per token
            if left_cells - 1 > rest_chars or left_cells - 1 < later_tokens + (0 if token_end else 1):
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
    shown = ["/".join(o) for o in options[:most]]
    return "；".join(shown) + ("；…" if len(options) > most else "")
