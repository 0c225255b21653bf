"""Plain-text reports (copied from a web page): tab-separated table cells, one paragraph per line."""

from __future__ import annotations

from .blocks import Block, Document
from .decode import decode


def parse_text(data: bytes | str, source: str = "<text>") -> Document:
    text = decode(data, source) if isinstance(data, bytes) else data
    blocks: list[Block] = []
    table = 0
    in_table = False
    for line in text.splitlines():
        if "\t" in line:
            if not in_table:
                table += 1
                in_table = True
            blocks.append(Block(tuple(line.split("\t")), table))
        elif line.strip():
            in_table = False
            blocks.append(Block.paragraph(line))
        # blank lines separate paragraphs and may sit inside a table: they end nothing
    return Document(blocks, source, "txt", unwrap=False)
