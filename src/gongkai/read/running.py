"""Reports flattened into running text: headings and table rows inside one long paragraph.

A site archive's text of a report page runs everything together: ``…联系。一、总体情况2024年，…
二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数…规章000行政规范性文件6233440…``.
Two steps give the matcher the blocks it expects:

* :func:`split_sections` cuts a long paragraph before each numbered section heading it holds
  (found by text, in template order, numeral required: a preamble that lists the section names
  without numbers is not a heading);
* :func:`table_rows` cuts a paragraph of a table section into rows: a *cell run* (numbers
  separated by nothing or whitespace) ends a row, and the text before it, trimmed to the longest
  tail that is a template row label, is its label.  The rest is kept as paragraphs (headers,
  captions, prose).  The cells of such rows may be run together (``Block.joined``); the table
  readers split them (``splits.py``).

A number is a cell only where a table puts one: not after 第/〔/：/a letter, not before a counter
(2021年, 198条, 41.5%), not a date (2024-12-31), not a page number (- 3 -).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from ..report.template import Section, edition, editions
from .blocks import Block
from .cells import normalize
from .labels import LABEL_NOISE, compact, remove_prefixes
from .sections import match_heading

LONG_PARAGRAPH = 200  # characters: shorter paragraphs are headings or ordinary lines
HEADING_MATCH = 0.88

_NUMERAL = re.compile(r"[一二三四五六七八九十]\s*[、.．]")
_IGNORED = re.compile(r"[\s\"'“”‘’「」『』《》〈〉<>:：,，、.。;；()（）\[\]【】_\-—–]")

# one row's numbers: tokens separated by whitespace or nothing (a sign inside starts a new cell)
_RUN = re.compile(r"(?:[-+]?\d+(?:\.\d+)?(?:[-+]\d+(?:\.\d+)?)*(?:万元|元)?[ \t\u3000\u00a0]*)+")
_DATE = re.compile(r"\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}")
_PAGE_NUMBER = re.compile(r"(?<![\d\w])[-—–]\s*\d{1,3}\s*[-—–](?![\d\w])")
_COUNTERS = set("年月日时分秒号条件个项次人名家户篇期场批岁万亿千百%％倍度份宗起类笔张册部套")
_NOT_BEFORE = set("第〔[(（:：/#№-—–.．")
_OPENING = set("（(【[第")
_LIST_MARKS = set("，、；,;）)等")  # after a section name in a list of them
_LIST_BEFORE = set("，、；,;:：")  # before one


# -- headings -----------------------------------------------------------------------------------
def _letters(text: str, start: int, count: int) -> tuple[str, list[int]]:
    """Up to ``count`` characters of ``text`` from ``start`` that carry meaning, and where each is."""
    chars: list[str] = []
    where: list[int] = []
    i = start
    while i < len(text) and len(chars) < count:
        if not _IGNORED.match(text[i]):
            chars.append(text[i])
            where.append(i)
        i += 1
    return "".join(chars), where


@lru_cache(maxsize=64)
def _bare_headings(sections: tuple[Section, ...]) -> tuple[tuple[int, str], ...]:
    """(section index, heading without its numeral, compacted) for every heading variant."""
    out = []
    for order, section in enumerate(sections):
        for heading in section.headings:
            out.append((order, compact(re.sub(r"^[一二三四五六七八九十]+[、.．]", "", heading))))
    return tuple(out)


def _heading_at(text: str, start: int, first: int, sections: tuple[Section, ...]) -> tuple[int, int] | None:
    """(section index ≥ first, end of the heading) for a heading text starting at ``start``."""
    best: tuple[float, int, int] | None = None
    for order, bare in _bare_headings(sections):
        if order < first or not bare:
            continue
        window, where = _letters(text, start, len(bare) + 3)
        if window[:2] != bare[:2] and window[2:4] != bare[2:4]:
            continue
        for k in range(max(2, len(bare) - 2), min(len(window), len(bare) + 3) + 1):
            score = SequenceMatcher(None, bare, window[:k], autojunk=False).ratio()
            if score >= HEADING_MATCH and (best is None or score > best[0]):
                best = (score, order, where[k - 1] + 1)
    return (best[1], best[2]) if best else None


def inline_headings(text: str, sections: tuple[Section, ...]) -> list[tuple[int, int, int]]:
    """(start, end, section index) of each numbered section heading in a paragraph, in order."""
    found: list[tuple[int, int, int]] = []
    first = 0
    for numeral in _NUMERAL.finditer(text):
        if found and numeral.start() < found[-1][1]:
            continue
        hit = _heading_at(text, numeral.end(), first, sections)
        if hit and (text[hit[1]:].lstrip()[:1] in _LIST_MARKS or text[:numeral.start()].rstrip()[-1:] in _LIST_BEFORE
                    or text[:numeral.start()].endswith(("包括", "分为"))):
            continue  # a list of the section names (…一、总体情况，二、…), not a heading
        if hit:
            found.append((numeral.start(), hit[1], hit[0]))
            first = hit[0] + 1
    return found


def split_sections(blocks: list[Block]) -> list[Block]:
    """Long paragraphs cut before each section heading they hold (the heading its own block).

    Only in a document that has none of the headings on a line of its own: where it has, a
    paragraph naming the sections (本报告包括一、总体情况，二、…) is prose.
    """
    sections = edition("2021").sections
    if any(not b.is_row and len(b.text) < LONG_PARAGRAPH and match_heading(b.text, sections) for b in blocks):
        return blocks
    out: list[Block] = []
    for block in blocks:
        if block.is_row or len(block.text) < LONG_PARAGRAPH:
            out.append(block)
            continue
        text = block.text
        found = inline_headings(text, sections)
        if not found:
            out.append(block)
            continue
        position = 0
        for start, end, _ in found:
            if text[position:start].strip():
                out.append(Block.paragraph(text[position:start].strip(), block.page))
            out.append(Block.paragraph(text[start:end].strip(), block.page))
            position = end
        if text[position:].strip():
            out.append(Block.paragraph(text[position:].lstrip(" \t\u3000。.:：").rstrip(), block.page))
    return out


# -- table rows ---------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _row_labels(section: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The compacted row labels of a table section (both editions), and its group prefixes."""
    labels: set[str] = set()
    prefixes: set[str] = set()
    for ed in editions():
        if section == "proactive":
            rows = [r for b in ed.proactive for r in b.rows]
        else:
            rows = [*ed.request_rows, *ed.collapsed_rows]
        for row in rows:
            labels.update(compact(label) for label in row.labels)
            prefixes.update(p for p in (row.group, row.subgroup) if p)
    return frozenset(labels), tuple(prefixes)


ITEM_SLACK = 40  # characters of item numbers (第二十条第（一）项, （三）, 2.) a tail may carry before its label


@lru_cache(maxsize=8)
def _longest_tail(section: str) -> int:
    """The most characters that survive compacting in a tail that can still be a row label of ``section``:
    its longest label, every group prefix, and item numbers."""
    labels, prefixes = _row_labels(section)
    return max(map(len, labels), default=0) + sum(len(compact(p)) for p in prefixes) + ITEM_SLACK


def _label_start(text: str, section: str) -> int:
    """Where the longest tail of ``text`` that is a template row label starts (0 if none is).

    Only tails short enough to be a label are tried, so the time is linear in the paragraph's length
    (a paragraph of 100 KB before its first number is not compared 100,000 times)."""
    labels, prefixes = _row_labels(section)
    if not labels:
        return 0
    first, kept = len(text), 0
    for i in range(len(text) - 1, -1, -1):
        kept += not LABEL_NOISE.fullmatch(text[i])
        if kept > _longest_tail(section):
            break
        first = i
    for start in range(first, len(text)):
        if text[start].isspace():
            continue
        tail = text[start:]
        if compact(tail) in labels or compact(remove_prefixes(tail, prefixes)) in labels:
            return start
    return 0


_NON_SPACE = re.compile(r"\S")


def _is_cell_run(text: str, start: int, end: int, before_item: bool = False) -> bool:
    run = text[start:end]
    if _DATE.search(run) or not run[-1].isdigit() and not run.endswith("元"):
        return False
    before = text[start - 1] if start else ""
    if before and (before in _NOT_BEFORE or before.isascii() and before.isalnum()):
        return False
    if before_item:
        return True
    following = _NON_SPACE.search(text, end)  # not text[end:].lstrip(): a copy of the rest per run is quadratic
    after = following.group() if following else ""
    if not after:
        return True
    if after in _OPENING:
        return True
    return "\u4e00" <= after <= "\u9fff" and after not in _COUNTERS


def cell_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of cell numbers in a paragraph of a table section."""
    out = []
    for match in _RUN.finditer(text):
        start, end = match.start(), match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        following = text[end:end + 2]
        item = following[:1] in (".", "．", "、") and following[1:2] and not following[1:2].isdigit()
        if item:  # the last digit is the item number of the next label (…40000042.其他法律…)
            end -= 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end == start:
                continue
        if _is_cell_run(text, start, end, item):
            out.append((start, end))
    return out


def table_rows(blocks: list[Block], section: str, table: int, flattened: bool = False) -> list[Block]:
    """Paragraphs of a table section cut into label + cell-run rows: those that hold numbers glued
    to words, and every paragraph with numbers of a ``flattened`` report (one whose headings ran
    into its paragraphs), where the spacing between cells cannot be trusted."""
    out: list[Block] = []
    for block in blocks:
        if block.is_row or not (flattened and cell_runs(normalize(block.text)) or _needs_cutting(block.text)):
            out.append(block)
            continue
        text = _PAGE_NUMBER.sub(" ", normalize(block.text))
        position = 0
        for start, end in cell_runs(text):
            label_text = text[position:start]
            cut = _label_start(label_text, section)
            if label_text[:cut].strip():
                out.append(Block.paragraph(label_text[:cut].strip(), block.page))
            cells = tuple(text[start:end].split())
            out.append(Block((label_text[cut:].strip(), *cells), table, block.page, joined=True))
            position = end
        if text[position:].strip():
            out.append(Block.paragraph(text[position:].strip(), block.page))
    return out


def _needs_cutting(text: str) -> bool:
    """A paragraph that is not simply ``label 1 2 3``: numbers glued to words or between them."""
    tokens = normalize(text).split()
    while tokens and re.fullmatch(r"[-+]?\d+(?:\.\d+)?(?:万元|元)?", tokens[-1]):
        tokens.pop()
    return bool(cell_runs(" ".join(tokens)))
