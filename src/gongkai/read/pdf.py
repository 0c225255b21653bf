"""PDF reports with a text layer, read with PDFium: characters → lines → cells → blocks.

Per page, the characters and their boxes are grouped into lines by their vertical centres (within
half a line height, so a table row whose cells drift a little stays one line), lines are ordered
top to bottom, and a line is split into cells where the gap between two characters exceeds 1.5
character widths, or, in a ruled table, at the vertical rules that cross it (``pdf_columns``), so
that a blank cell keeps its column; the lines of one ruled row (a number or label wrapped inside its
cell) are read as one row of whole cells.  A line of two or more cells holding a number becomes a table
row, any other line a paragraph; the template matcher does the rest.  Text set vertically (a group
label down a merged cell) is read as its own line; a page whose text runs sideways or upside down is turned
upright first.  Page numbers and running headers/footers are dropped.

Why rows and not one paragraph per line: a row keeps what a cell prints whole (``251000 元``), and
the matcher reads a row's numbers in order exactly as it reads a paragraph's trailing numbers.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .blocks import Block, Document
from .cells import number_tokens, parse_number
from .errors import ReadError
from .pdf_columns import (
    Rules,
    borderless_cells,
    cell_padding,
    edges_at,
    page_rules,
    ruled_row_cells,
    same_row,
)
from .sections import is_page_number

MAX_PAGES = 200
SCANNED_CHARS_PER_PAGE = 20  # fewer characters than this per page, with images: a scan
CELL_GAP = 1.5  # character widths between two cells of a line
WORD_GAP = 0.2  # of the font size: a space inside a cell
LINE_TOLERANCE = 0.5  # of the line height: characters whose centres are this close share a line
OFF_CENTRE = 0.2  # of its height: a character this far from its line's centre is checked against the line's others
RUNNING_PAGES = 3  # a line repeated at the same place on this many pages (or all of 2) is a header or footer
_SKIP = frozenset(" \t\r\n\u3000\u00a0\ufeff\u200b\u00ad\ufffe\uffff")


class Char:
    """A printed character and its box (PDF units); its vertical centre and height computed once."""

    __slots__ = ("size", "text", "x0", "x1", "y0", "y1", "yc")

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float) -> None:
        self.text, self.x0, self.y0, self.x1, self.y1 = text, x0, y0, x1, y1
        self.yc = (y0 + y1) / 2
        self.size = y1 - y0

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f})"


@dataclass
class Line:
    cells: list[str]
    y: float  # vertical centre, PDF units from the bottom of the page
    x: float
    x1: float = math.inf  # right end
    spans: list[tuple[float, float]] | None = None  # each cell's x-extent, for a row split by its gaps alone


Word = tuple[str, float, float]  # text, x0, x1


def parse_pdf(data: bytes, source: str = "<pdf>") -> Document:
    """The blocks of a PDF with a text layer; ``ReadError`` for scans, encrypted or damaged files."""
    pdf = _open(data, source)
    try:
        count = len(pdf)
        if count == 0:
            raise ReadError(source, "PDF without pages")
        if count > MAX_PAGES:
            raise ReadError(source, f"too many pages: {count} (limit {MAX_PAGES})")
        pages: list[list[Line]] = []
        chars = images = unmapped = 0
        for index in range(count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:  # one damaged page: the report cannot be read whole
                raise ReadError(source, f"damaged PDF: page {index + 1} cannot be loaded ({exc})") from None
            try:
                textpage = page.get_textpage()
                try:
                    page_chars, page_unmapped, turn = _chars(textpage)
                finally:
                    textpage.close()
                rules = page_rules(page, lambda box, turn=turn: _upright(box, turn) if turn else box)
                if len(page_chars) < SCANNED_CHARS_PER_PAGE:
                    images += any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
            finally:
                page.close()
            chars += len(page_chars)
            unmapped += page_unmapped
            pages.append(_lines(page_chars, rules))
    finally:
        pdf.close()
    if chars < SCANNED_CHARS_PER_PAGE * count:
        if images:
            raise ReadError(source, "scanned PDF without a text layer: OCR it first")
        if chars == 0:
            raise ReadError(source, "PDF without text: no characters on any page")
    if unmapped > chars / 2:
        raise ReadError(source, "PDF text cannot be decoded (fonts without a Unicode mapping): OCR it first")
    return Document(_blocks(pages), source, "pdf", unwrap=True)


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ReadError(source, "encrypted PDF: it needs a password") from None
        if code == pdfium_c.FPDF_ERR_FORMAT and b"endobj" in data and b"%%EOF" not in data[-2048:]:
            raise ReadError(source, "truncated PDF: the file ends before its end-of-file marker") from None
        raise ReadError(source, f"corrupt PDF: {exc}") from None


def _chars(textpage: pdfium.PdfTextPage) -> tuple[list[Char], int, int]:
    """The printed characters of a page (PDF units), how many lack a Unicode mapping, and the quarter
    turns its text runs at.

    Boxes are the font's (ascent to descent, full advance), so a line's characters share a centre;
    where that box is implausible (PDFium's boxes for vertical fonts), the glyph's tight box.
    """
    found: list[tuple[int, str, tuple[float, ...]]] = []
    turns: Counter[int] = Counter()
    unmapped = 0
    raw = textpage.raw
    loose = pdfium_c.FS_RECTF()
    map_error, loose_box, angle = (pdfium_c.FPDFText_HasUnicodeMapError, pdfium_c.FPDFText_GetLooseCharBox,
                                   pdfium_c.FPDFText_GetCharAngle)
    for i, text in _page_text(textpage):
        # PDFium generates only whitespace (between words, at line ends), which _SKIP drops with the rest
        if text in _SKIP:
            continue
        unmapped += map_error(raw, i) == 1
        if len(found) % 8 == 0:  # the page's direction, from a sample of its characters
            turns[round(math.degrees(angle(raw, i)) / 90) % 4] += 1
        loose_box(raw, i, loose)
        found.append((i, text, (loose.left, loose.bottom, loose.right, loose.top)))
    turn = turns.most_common(1)[0][0] if turns else 0
    if turn:  # text set sideways (a landscape table turned on a portrait page): read it upright
        found = [(i, text, _upright(box, turn)) for i, text, box in found]
    limit = 3 * median(b[3] - b[1] for _, _, b in found) if found else 0.0
    chars = []
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    for i, text, box in found:
        if not 0 < box[3] - box[1] <= limit:  # an implausible font box: the glyph's tight box
            pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            box = (left.value, bottom.value, right.value, top.value)
            box = _upright(box, turn) if turn else box
        chars.append(Char(text, *box))
    return chars, unmapped, turn


def _page_text(textpage: pdfium.PdfTextPage) -> list[tuple[int, str]]:
    """(index, character) of a text page's characters but control characters: in one call where every
    character is one UTF-16 unit (the rule), else one call per character."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count or any("\ud800" <= ch <= "\udfff" or ch == "\ufffd" for ch in text):
        codes = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count)]
        return [(i, chr(code)) for i, code in enumerate(codes) if 32 <= code < 0x110000]
    return [(i, ch) for i, ch in enumerate(text) if ch >= " "]


def _upright(box: tuple[float, ...], turn: int) -> tuple[float, ...]:
    """A box in the frame where text at ``turn`` quarter turns (PDFium's angle, clockwise) runs left to right."""
    x0, y0, x1, y1 = box
    if turn == 1:  # running downwards
        return -y1, x0, -y0, x1
    if turn == 2:  # upside down
        return -x1, -y1, -x0, -y0
    return y0, -x1, y1, -x0  # running upwards


def _vertical_runs(chars: list[Char]) -> tuple[list[Char], list[Line]]:
    """Split off text set vertically: three or more characters (not digits), in content order, each below the last."""
    runs: list[list[Char]] = []
    current: list[Char] = []
    for char in chars:
        if current and not char.text.isdigit():  # a column of numbers is data
            last = current[-1]
            gap = last.y0 - char.y1
            # _below, the common case first: the next character of the same line is not below
            if gap > -0.2 * max(last.size, char.size, last.x1 - last.x0, char.x1 - char.x0, 1.0) and _below(last, char):
                current.append(char)
                continue
        if len(current) >= 3:
            runs.append(current)
        current = [char]
    if len(current) >= 3:
        runs.append(current)
    taken = {id(c) for run in runs for c in run}
    lines = [Line(["".join(c.text for c in run)], run[0].yc, run[0].x0, max(c.x1 for c in run)) for run in runs]
    return [c for c in chars if id(c) not in taken], lines


def _below(a: Char, b: Char) -> bool:
    em = max(a.x1 - a.x0, b.x1 - b.x0, a.size, b.size, 1.0)
    gap = a.y0 - b.y1
    return abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2 < em / 2 and -0.2 * em < gap < 0.8 * em


def _lines(chars: list[Char], rules: Rules) -> list[Line]:
    """A page's lines, top to bottom; in a ruled table, a row's cells split at the page's rules where they
    cross it, and the lines of one row (no horizontal rule between them) read as one line of whole cells."""
    chars, lines = _vertical_runs(chars)
    groups: list[list[Char]] = []
    centre = height = 0.0
    for char in sorted(chars, key=attrgetter("yc"), reverse=True):
        off = abs(char.yc - centre)
        if groups and off <= LINE_TOLERANCE * max(height, char.size) and not (
                off > OFF_CENTRE * char.size and _over_another(char, groups[-1])):
            groups[-1].append(char)
            centre += (char.yc - centre) / len(groups[-1])
            height = max(height, char.size)
        else:
            groups.append([char])
            centre, height = char.yc, char.size
    for group in groups:
        group.sort(key=lambda c: c.x0)
    ys = [sum(c.yc for c in group) / len(group) for group in groups]
    edges = [edges_at(rules, y) if rules else [] for y in ys]
    padding = cell_padding(groups, edges) if rules else 0.0
    i = 0
    while i < len(groups):
        end = i + 1  # the lines of one ruled table row: same column edges, no horizontal rule between
        while (end < len(groups) and len(edges[i]) >= 3 and edges[end] == edges[i]
               and same_row(rules, groups[end - 1], ys[end - 1], groups[end], ys[end])):
            end += 1
        row = ruled_row_cells(groups[i:end], edges[i], _cells, padding) if end > i + 1 else None
        if row is not None:
            lines.append(Line(row, ys[i], min(g[0].x0 for g in groups[i:end]),
                              max(c.x1 for g in groups[i:end] for c in g)))
        else:
            lines += [_line(groups[j], ys[j], edges[j]) for j in range(i, end)]
        i = end
    return sorted(lines, key=lambda line: (-line.y, line.x))


def _over_another(char: Char, line: list[Char]) -> bool:
    """Whether ``char`` sits over a character of ``line`` (one line prints each place once), set lower by
    half a line or more: it is the next line of a wrapped cell (a cell centred between two lines of its
    neighbours: ``59`` over ``29``), not this line's; an overprint (fake bold) stays."""
    middle = (char.x0 + char.x1) / 2
    return any(other.x0 < middle < other.x1 and abs(other.yc - char.yc) > LINE_TOLERANCE * min(other.size, char.size)
               for other in line)


def _line(group: list[Char], y: float, edges: list[float]) -> Line:
    """One printed line: its cells split at the column edges that cross it, or by its gaps."""
    pieces = _pieces(group)
    cells = [_text(p) for p in pieces]
    spans = None
    ruled = ruled_row_cells([group], edges, _cells)
    if ruled is not None:
        cells = ruled
    elif _is_row(cells):
        cells, spans = _split_numbers(pieces)
    return Line(cells, y, group[0].x0, max(c.x1 for c in group), spans)


def _pieces(chars: list[Char]) -> list[list[Word]]:
    """A line's cells, each as its words and their x-extents."""
    cells: list[list[Word]] = []
    word, x0 = chars[0].text, chars[0].x0  # the word being read
    words: list[Word] = []
    prev = chars[0]
    for char in chars[1:]:
        gap = char.x0 - prev.x1
        small = WORD_GAP * (prev.size if prev.size > char.size else char.size)
        if gap <= small and gap <= CELL_GAP * 0.3 * char.size:  # the common case: the same word
            word += char.text
        else:
            words.append((word, x0, prev.x1))
            width = ((prev.x1 - prev.x0) + (char.x1 - char.x0)) / 2
            if gap > CELL_GAP * max(width, 0.3 * char.size) or (
                gap > small and prev.text.isdigit() and char.text.isdigit()
            ):  # a space between two numbers separates cells: printed numbers hold no spaces
                cells.append(words)
                words = []
            word, x0 = char.text, char.x0
        prev = char
    words.append((word, x0, prev.x1))
    cells.append(words)
    return cells


def _text(words: list[Word]) -> str:
    return " ".join(w[0] for w in words)


def _cells(chars: list[Char]) -> list[str]:
    return [_text(p) for p in _pieces(chars)]


def _is_row(cells: list[str]) -> bool:
    return len(cells) >= 2 and any(parse_number(c) is not None for c in cells)


def _split_numbers(pieces: list[list[Word]]) -> tuple[list[str], list[tuple[float, float]] | None]:
    """A row's cells, with numbers set close to a label (a narrow column) split off that label, and
    their x-extents (None where the words do not say)."""
    out: list[str] = []
    spans: list[tuple[float, float]] | None = []
    for words in pieces:
        cell = _text(words)
        label, numbers = number_tokens(cell)
        if not (label and numbers):
            out.append(cell)
            if spans is not None:
                spans.append((words[0][1], words[-1][2]))
            continue
        out += [label, *numbers]
        n = len(numbers)
        if spans is not None and len(words) > n and [w[0] for w in words[-n:]] == numbers:
            spans += [(words[0][1], words[-n - 1][2]), *((w[1], w[2]) for w in words[-n:])]
        else:
            spans = None
    return out, spans


def _running(pages: list[list[Line]]) -> set[tuple[str, int]]:
    """Headers and footers: the same text (any page number aside) at the same height on several pages."""
    if len(pages) < 2:
        return set()
    seen = Counter(place for page in pages for place in {_place(line) for line in page})
    return {place for place, n in seen.items() if n >= min(RUNNING_PAGES, len(pages))}


def _place(line: Line) -> tuple[str, int]:
    return re.sub(r"\d+", "#", "".join(line.cells)), round(line.y / 3)


def _borderless(lines: list[Line]) -> None:
    """Blank cells of borderless table rows restored in place (``pdf_columns.borderless_cells``).

    A run is the consecutive rows split by their gaps alone, on one page or continuing on the next;
    a line between two rows that stays left of the run's values (a label wrapped onto a line of its
    own) does not end it, any other line does.
    """
    run: list[Line] = []
    left = math.inf  # where the run's value cells start

    def close() -> None:
        for line, cells in zip(run, borderless_cells([(r.cells, r.spans or []) for r in run]), strict=True):
            if cells is not None:
                line.cells = cells
        run.clear()

    for line in lines:
        if line.spans is not None:
            run.append(line)
            left = min(left, min((x0 for (x0, _), c in zip(line.spans, line.cells, strict=True)
                                  if parse_number(c) is not None), default=math.inf))
        elif not (run and not _is_row(line.cells) and line.x1 < left):
            close()
            left = math.inf
    close()


def _blocks(pages: list[list[Line]]) -> list[Block]:
    running = _running(pages)
    kept = [(number, line) for number, page in enumerate(pages, start=1) for line in page
            if not is_page_number("  ".join(line.cells)) and _place(line) not in running]
    _borderless([line for _, line in kept])
    blocks: list[Block] = []
    table = 0
    for number, line in kept:
        if _is_row(line.cells):
            if not blocks or not blocks[-1].is_row:
                table += 1
            blocks.append(Block(tuple(line.cells), table, number))
        else:
            blocks.append(Block.paragraph("  ".join(line.cells), page=number))
    return blocks
