"""Plain-text reports (copied from a web page): tab-separated table cells, one paragraph per line.

Text hard-wrapped at a fixed width (a site archive's or an e-mail's lines of 40 or 72 characters,
breaking inside labels and between numbers) is unwrapped first: see :func:`unwrap_fixed_width`.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import Block, Document
from .decode import decode

WRAP_WIDTHS = range(30, 121)  # characters: the fixed widths text is wrapped at
WRAPPED_SHARE = 0.5  # of the long lines: at least this many of them end at the width (or a number short of it)
MIN_WRAPPED_LINES = 4
# what a wrapper keeps whole: a number with its unit, a Latin word, else one character
_NEXT_WORD = re.compile(r"[0-9A-Za-z.%+\-]+(?:万元|元)?|.")


def parse_text(data: bytes | str, source: str = "<text>") -> Document:
    text = decode(data, source) if isinstance(data, bytes) else data
    blocks: list[Block] = []
    table = 0
    in_table = False
    for line in unwrap_fixed_width(text.splitlines()):
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


def _wrap_width(lines: list[str]) -> int | None:
    """The width the text is hard-wrapped at: the length most lines without tabs reach and none
    exceeds, each line that stops short of it stopping because the next line's first word would not
    fit.  None for text written one paragraph a line."""
    plain = [line.rstrip() for line in lines if line.strip() and "\t" not in line]
    if len(plain) < MIN_WRAPPED_LINES:
        return None
    width, count = Counter(len(line) for line in plain).most_common(1)[0]
    if width not in WRAP_WIDTHS or count < MIN_WRAPPED_LINES or max(len(line) for line in plain) > width:
        return None
    long_lines = [line for line in plain if len(line) > width // 2]
    return width if count >= WRAPPED_SHARE * len(long_lines) else None


def unwrap_fixed_width(lines: list[str]) -> list[str]:
    """Lines of text hard-wrapped at a fixed width joined back into their paragraphs.

    A line is continued by the next when the next line's first word (a number kept whole, else one
    character) would not have fitted after it: the wrapper broke there.  A break between two numbers
    or words (where the wrapper dropped a space) is joined with a space, any other with nothing.
    Text not wrapped at a fixed width is returned as it is.
    """
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    last = ""  # the last physical line of the paragraph being joined ("" when none is open)
    for raw in lines:
        line = raw.rstrip()
        if "\t" in line or not line.strip():
            out.append(raw)
            last = ""
            continue
        word = _NEXT_WORD.match(line)
        if last and len(last) + 1 + len(word[0] if word else "") > width:  # the wrapper broke here
            ascii_join = last[-1].isascii() and last[-1].isalnum() and line[0].isascii() and line[0].isalnum()
            out[-1] += (" " if ascii_join else "") + line
        else:
            out.append(line)
        last = line
    return out
