"""Markdown reports, including pipe tables broken into fragments by a PDF conversion."""

from __future__ import annotations

import re

from .blocks import Block, Document
from .decode import decode

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def _cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return tuple(_EMPHASIS.sub("", c).replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", body))


def _is_row(line: str, in_table: bool, following: str) -> bool:
    """A table row: a line in pipes, or (the dialect without outer pipes) a line with a pipe that
    starts a table (an alignment row follows it) or continues one."""
    if line.startswith("|"):
        return True
    if not _PIPE.search(line):
        return False
    return in_table or (bool(_SEPARATOR.match(following)) and "|" in following)


def parse_markdown(data: bytes | str, source: str = "<markdown>") -> Document:
    text = decode(data, source) if isinstance(data, bytes) else data
    blocks: list[Block] = []
    table = 0
    in_table = False
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _is_row(stripped, in_table, lines[i + 1].strip() if i + 1 < len(lines) else ""):
            if _SEPARATOR.match(stripped):
                continue
            if not in_table:
                table += 1
                in_table = True
            blocks.append(Block(_cells(stripped), table))
            continue
        in_table = False
        if not stripped:
            blocks.append(Block.paragraph(""))
            continue
        stripped = re.sub(r"^#{1,6}\s*", "", stripped)
        stripped = re.sub(r"^>\s*", "", stripped)
        blocks.append(Block.paragraph(_EMPHASIS.sub("", stripped)))
    return Document(blocks, source, "md", unwrap=True)
