"""HTML reports: a published page, possibly with site navigation and layout around the report.

The page is walked iteratively (no recursion, so deeply nested markup cannot exhaust the stack).
Block elements give paragraphs; data tables give rows on a grid with row/column spans expanded.
Layout tables (holding other tables or running text) are read as blocks, not as rows.  When the
page holds more than the report, only the smallest element holding its title and section
headings is kept.
"""

from __future__ import annotations

import re

from lxml import etree

from ..report.template import edition
from .blocks import Block, Document, squeeze
from .decode import clean, decode
from .errors import ReadError
from .sections import TITLE_PHRASES, match_heading, title_in

_CHARSET = re.compile(rb"""(?:<meta[^>]*?charset|<\?xml[^>]*?encoding)\s*=\s*["']?\s*([a-z0-9_\-]+)""",
                      re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn"}
_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "object", "select")
_BLOCKS = frozenset((
    "html", "body", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "aside", "blockquote", "pre", "center", "form", "address", "figure",
    "figcaption", "caption", "hr", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
))
_LAYOUT_CELL_CHARS = 100  # a table cell with more running text than this is page layout, not data
_MAX_SPAN = 1000
_MAX_GRID = 200_000  # grid positions all tables of a page may cover, spans included


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first 2 KB (``<meta charset>``, ``http-equiv`` or an XML
    declaration): any GB encoding as GB18030 (a superset), anything else as UTF-8."""
    match = _CHARSET.search(data[:2048])
    if not match:
        return None
    name = match[1].decode("ascii").lower()
    return "gb18030" if name in _GB else "utf-8"


def decode_html(data: bytes, source: str) -> str:
    declared = declared_charset(data)
    try:
        return decode(data, source, declared)
    except ReadError:
        if declared is None or b"\x00" in data[:4096]:
            raise
        return clean(data.decode(declared, errors="replace"))  # a page with a few broken bytes is still a page


def parse_html(data: bytes, source: str = "<html>") -> Document:
    text = decode_html(data, source)
    # lxml's plain elements (not lxml.html's, whose class lookup runs in Python for every element), no id table
    parser = etree.HTMLParser(encoding="utf-8", recover=True, huge_tree=False, remove_comments=True,
                              remove_pis=True, collect_ids=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(source, f"not a readable HTML page: {exc}") from None
    if root is None:
        raise ReadError(source, "not a readable HTML page: no content")
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise ReadError(source, "HTML nested too deeply (parser limit of 256 levels): cannot read it whole")
    title, published = _page_title(root)
    for element in list(root.iter(*_DROP)):
        _drop_tree(element)
    items = _walk(root, source)
    blocks = [block for block, _ in _report_part(items)]
    return Document(blocks, source, "html", unwrap=False, title=title, published=published)


def _text_content(element: etree._Element) -> str:
    """All the text inside an element (its descendants' too), as XPath's string() gives it."""
    return "".join(element.itertext())


def _drop_tree(element: etree._Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _page_title(root: etree._Element) -> tuple[str | None, str | None]:
    """The title and publication date the page states outside its body: ``<meta name=ArticleTitle>``
    or ``<title>`` (its site suffix cut: ``标题_栏目_网站``), ``<meta name=PubDate>``."""
    metas = {(m.get("name") or "").lower(): m.get("content") or "" for m in root.iter("meta")}
    title = squeeze(metas.get("articletitle", ""))
    if not title:
        element = root.find(".//title")
        text = squeeze(_text_content(element)) if element is not None else ""
        parts = [p for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]\s+", text) if p]
        title = next((p for p in parts if any(t in p.replace(" ", "") for t in TITLE_PHRASES)), "")
    published = squeeze(metas.get("pubdate", "") or metas.get("publishdate", ""))
    return title or None, (f"发布日期：{published}" if published else None)


# -- walking the page ---------------------------------------------------------------------------
def _walk(root: etree._Element, source: str) -> list[tuple[Block, etree._Element]]:
    """Paragraphs and table rows in document order, each with the element it came from."""
    out: list[tuple[Block, etree._Element]] = []
    pieces: list[str] = []
    open_blocks: list[etree._Element] = [root]
    tables = 0
    budget = [_MAX_GRID]  # grid positions left for all the page's tables

    def flush() -> None:
        if not pieces:
            return
        line = squeeze("".join(pieces))
        pieces.clear()
        if line:
            out.append((Block.paragraph(line), open_blocks[-1]))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            tag = element.tag
            if not isinstance(tag, str):
                continue
            block = tag in _BLOCKS
            if block or tag == "br":
                flush()
            if tag == "table" and not _is_layout(element):
                tables += 1
                out.extend((row, element) for row in _table_rows(element, tables, source, budget))
                walker.skip_subtree()
                continue
            if block:
                open_blocks.append(element)
            text = element.text
            if text:
                pieces.append(text)
        else:
            if open_blocks[-1] is element:
                flush()
                open_blocks.pop()
            tail = element.tail
            if tail:
                pieces.append(tail)
    flush()
    return out


def _is_layout(table: etree._Element) -> bool:
    """A table used for page layout: it holds other tables or long running text in a cell."""
    if table.find(".//table") is not None:
        return True
    return any(len(text) > _LAYOUT_CELL_CHARS and len(squeeze(text)) > _LAYOUT_CELL_CHARS
               for text in map(_text_content, table.iter("td", "th")))


def _span(cell: etree._Element, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _table_rows(table: etree._Element, number: int, source: str, budget: list[int]) -> list[Block]:
    """The rows of a data table on its grid: a position covered by a span is ``None``.  ``budget`` holds the
    grid positions the page's tables may still cover, counted before any is allocated."""
    rows: list[Block] = []
    caption = table.find("caption")
    if caption is not None and squeeze(_text_content(caption)):
        rows.append(Block.paragraph(squeeze(_text_content(caption))))
    taken: dict[int, set[int]] = {}  # row -> grid columns filled by cells of this or earlier rows
    trs = list(table.iter("tr"))
    for r, tr in enumerate(trs):
        cells: dict[int, str] = {}
        here = taken.pop(r, set())
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while c in here:
                c += 1
            rowspan = min(_span(cell, "rowspan"), len(trs) - r)
            colspan = _span(cell, "colspan")
            budget[0] -= rowspan * colspan
            if budget[0] < 0:
                raise ReadError(source, f"HTML tables span more than {_MAX_GRID:,} grid positions (at table {number})")
            cells[c] = squeeze("".join(cell.itertext()))
            here.update(range(c, c + colspan))
            for i in range(1, rowspan):
                taken.setdefault(r + i, set()).update(range(c, c + colspan))
            c += colspan
        width = max(here, default=-1) + 1
        if width:
            rows.append(Block(tuple(cells.get(k) for k in range(width)), number))
    return rows


# -- the report inside a larger page --------------------------------------------------------------
def _report_part(items: list[tuple[Block, etree._Element]]) -> list[tuple[Block, etree._Element]]:
    """Only what lies inside the smallest element holding the title and the most section headings."""
    sections = edition("2021").sections
    counts: dict[etree._Element, int] = {}
    headings = [i for i, (block, _) in enumerate(items)
                if not block.is_row and match_heading(block.text, sections) is not None]
    for i in headings:
        for ancestor in (items[i][1], *items[i][1].iterancestors()):
            counts[ancestor] = counts.get(ancestor, 0) + 1
    if not counts:
        return items
    most = max(counts.values())
    root = next(e for i in headings for e in (items[i][1], *items[i][1].iterancestors()) if counts[e] == most)
    titles = [e for block, e in items[:headings[0]] if not block.is_row and title_in(block.text)]
    body = set(root.iter())
    if titles:
        title_line = {titles[-1], *titles[-1].iterancestors()}
        root = next(e for e in (root, *root.iterancestors()) if e in title_line)
    inside = set(root.iter())
    last = max(i for i, (_, element) in enumerate(items) if element in body)
    # from the title to the end of the report's body: the page's links and buttons after it are not the report
    return [(block, element) for block, element in items[:last + 1] if element in inside]

