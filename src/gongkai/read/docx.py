"""Word reports: ``.docx`` read from its XML; legacy ``.doc`` converted by LibreOffice first.

Body paragraphs and tables come in document order.  A table row is laid on the table grid:
a cell spanning columns (``gridSpan``) or continuing a vertical merge (``vMerge``) leaves
``None`` in the positions it covers.  A cell's text is its paragraphs joined with nothing (Word
wraps header labels such as 商业/企业 into paragraphs); full-width spaces are blanks.  Nested
tables follow the table that holds them.  The zip is checked before anything is unpacked.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace

from lxml import etree

from ..office_convert import ConversionError, convert
from .archive import ZIP_ERRORS, refuse_zip_bomb
from .blocks import Block, Document, squeeze
from .errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag")
MAX_UNPACKED = 200 * 1024 * 1024  # bytes the whole zip may unpack to
MAX_RATIO = 100  # unpacked / packed size of one large entry
MAX_GRID = 200_000  # grid positions all tables of a document may cover, spans included
CONVERT_TIMEOUT = 120  # seconds LibreOffice may take for one .doc


# -- the zip --------------------------------------------------------------------------------------
def _main_part(data: bytes, source: str) -> bytes:
    """The bytes of the main document part, after refusing what is not a sane zip."""
    if not data.startswith(b"PK"):
        raise ReadError(source, "not a Word document (not a zip file)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise ReadError(source, f"damaged Word document (truncated or corrupt zip: {exc})") from None
    refuse_zip_bomb(archive, source, MAX_UNPACKED, MAX_RATIO)
    name = _main_part_name(archive)
    try:
        with archive.open(name) as part:
            return part.read(MAX_UNPACKED + 1)
    except KeyError:
        raise ReadError(source, "not a Word document (no word/document.xml in the zip)") from None
    except ZIP_ERRORS as exc:
        raise ReadError(source, f"damaged Word document ({exc})") from None


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The main part named by the package relationships (almost always word/document.xml)."""
    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), _xml_parser())
    except (KeyError, etree.XMLSyntaxError, *ZIP_ERRORS):
        return "word/document.xml"
    for rel in rels.iter(f"{_RELS}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument") and rel.get("Target"):
            return rel.get("Target").lstrip("/")
    return "word/document.xml"


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


# -- the document -----------------------------------------------------------------------------------
def parse_docx(data: bytes, source: str = "<docx>") -> Document:
    try:
        root = etree.fromstring(_main_part(data, source), _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ReadError(source, f"damaged Word document (document.xml: {exc})") from None
    for fallback in list(root.iter(_FALLBACK)):  # the same content again, for older Word versions
        fallback.getparent().remove(fallback)
    body = root.find(f"{W}body")
    if body is None:
        raise ReadError(source, "not a Word document (no document body)")
    blocks: list[Block] = []
    tables = 0
    budget = [MAX_GRID]
    for element in _children(body, f"{W}p", f"{W}tbl"):
        if element.tag == f"{W}p":
            blocks += [Block.paragraph(line) for line in _paragraph_lines(element) if line]
            continue
        pending = [element]
        while pending:
            table = pending.pop(0)
            tables += 1
            rows, nested = _table(table, tables, budget, source)
            blocks += rows
            pending[:0] = nested
    return Document(blocks, source, "docx", unwrap=False)


def _children(container: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """The ``tags`` children of a container in order, looking through content controls and custom XML."""
    stack = [iter(container)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            stack.append(iter(child))


def _runs_text(paragraph: etree._Element) -> str:
    """A paragraph's text; line breaks as newlines."""
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append(" " if node.tag == f"{W}tab" else "\n")
    return "".join(parts)


def _paragraph_lines(paragraph: etree._Element) -> list[str]:
    return [squeeze(line) for line in _runs_text(paragraph).split("\n")]


def _table(table: etree._Element, number: int, budget: list[int], source: str
           ) -> tuple[list[Block], list[etree._Element]]:
    """A table's rows on its grid, and the tables nested in its cells.  ``budget`` holds the grid positions
    the document's tables may still cover, counted before any is allocated."""
    rows: list[Block] = []
    nested: list[etree._Element] = []

    def take(positions: int) -> int:
        budget[0] -= positions
        if budget[0] < 0:
            raise ReadError(source, f"Word tables span more than {MAX_GRID:,} grid positions (at table {number})")
        return positions

    for tr in _children(table, f"{W}tr"):
        cells: list[str | None] = [None] * take(_int_val(tr.find(f"{W}trPr/{W}gridBefore"), 0))
        for tc in _children(tr, f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span = _int_val(props.find(f"{W}gridSpan") if props is not None else None, 1)
            take(max(span, 1))
            merge = props.find(f"{W}vMerge") if props is not None else None
            if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                cells += [None] * span
                continue
            content = list(_children(tc, f"{W}p", f"{W}tbl"))
            nested += [e for e in content if e.tag == f"{W}tbl"]
            cells += [squeeze("".join(_runs_text(p) for p in content if p.tag == f"{W}p"))] + [None] * (span - 1)
        if cells:
            rows.append(Block(tuple(cells), number))
    return rows, nested


def _int_val(element: etree._Element | None, default: int) -> int:
    try:
        return max(0, min(int(element.get(f"{W}val")), 1000)) if element is not None else default
    except (TypeError, ValueError):
        return default


# -- legacy .doc ------------------------------------------------------------------------------------
def parse_doc(data: bytes, source: str = "<doc>") -> Document:
    """A legacy Word file, converted to .docx by LibreOffice when it is installed."""
    try:
        converted = convert(data, ".doc", "docx", CONVERT_TIMEOUT)
    except ConversionError as error:
        if error.reason == "missing":
            raise ReadError(source, "legacy .doc needs LibreOffice (not installed): save it as .docx") from None
        if error.reason == "timeout":
            raise ReadError(source, f"legacy .doc: LibreOffice did not convert it within {CONVERT_TIMEOUT} s") from None
        raise ReadError(source, "legacy .doc: LibreOffice could not convert it (damaged or not a Word file)") from None
    return replace(parse_docx(converted, source), format="doc")
