"""Any workbook laid out like the template (a supervisor's own sheet): rows → blocks → the matcher.

Each sheet gives a paragraph with its name (often a section heading), then its rows as table rows
with merged cells expanded (covered cells ``None``).  Workbooks written by gongkai itself carry a
``flat`` or ``meta`` sheet and are read exactly by :mod:`gongkai.read.xlsx` instead.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from .blocks import Block, Document
from .decode import clean
from .errors import ReadError
from .xlsx import _check_archive

MAX_ROWS = 2000
MAX_COLUMNS = 60


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if value == value else ""
    return clean(str(value)).strip()  # a cell may hold control characters (_x0001_): no report prints them


def parse_spreadsheet(data: bytes, source: str) -> Document:
    stream = io.BytesIO(data)
    stream.name = source
    _check_archive(stream, source)
    try:
        book = load_workbook(stream, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ReadError(source, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    blocks: list[Block] = []
    for number, sheet in enumerate(book.worksheets, start=1):
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise ReadError(source, f"sheet {sheet.title!r} has {sheet.max_row} rows × {sheet.max_column} columns: "
                                    f"not a report (limit {MAX_ROWS} × {MAX_COLUMNS})")
        covered = {(r, c) for merged in sheet.merged_cells.ranges
                   for r in range(merged.min_row, merged.max_row + 1)
                   for c in range(merged.min_col, merged.max_col + 1)
                   if (r, c) != (merged.min_row, merged.min_col)}
        blocks.append(Block.paragraph(sheet.title))
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(None if (r, c) in covered else _text(v) for c, v in enumerate(row, start=1))
            filled = [c for c in cells if c]
            if len(filled) == 1 and len(cells) > 1 and cells[0] == filled[0] and all(c in ("", None) for c in cells[1:]):
                blocks.append(Block.paragraph(filled[0]))  # a title or heading line across the sheet
            elif filled:
                blocks.append(Block(cells, number))
    return Document(blocks, source, "xlsx")
