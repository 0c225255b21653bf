"""The common intermediate form every reader produces: a sequence of blocks.

A block is a paragraph of running text (one cell, ``table is None``) or one row of a table
(``table`` numbers the source table).  In a row, a cell covered by another cell's row/column
span is ``None``; an empty cell is ``""``.  The template matcher reads only blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    cells: tuple[str | None, ...]
    table: int | None = None
    page: int | None = None
    joined: bool = False  # the digits of neighbouring cells may be run together (running text)

    @classmethod
    def paragraph(cls, text: str, page: int | None = None) -> Block:
        return cls((text,), None, page)

    @property
    def is_row(self) -> bool:
        return self.table is not None

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


@dataclass
class Document:
    """What a format reader hands to the template matcher."""

    blocks: list[Block]
    source: str
    format: str
    unwrap: bool = False  # running text is wrapped by the layout (PDF and text converted from it)
    title: str | None = None  # the page's own title outside the report body (<title>, 标题:)
    published: str | None = None  # the publication date the page around the report states


_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_ANY_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]")
_LOOSE_SPACE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


def squeeze(text: str) -> str:
    """Text pieces from markup as one line: whitespace runs (no-break and full-width spaces too)
    become one space, and a space next to a CJK character (a layout artefact) is dropped."""
    if not _ANY_SPACE.search(text):  # most table cells: nothing to squeeze
        return text
    return _LOOSE_SPACE.sub("", _SPACES.sub(" ", text)).strip()
