"""Read a report back from a workbook written by :mod:`gongkai.render.xlsx`.

The ``flat`` sheet is read when present (exact: one key per row).  Otherwise the ``meta`` sheet
gives the edition and the texts, and the table sheets are read at the positions of the template
layout, after checking that every header and label cell there says what the template says.

Money.  openpyxl returns a number cell as a float.  The writer puts money with at most 15
significant digits in a number cell (more as text), and such a decimal is recovered exactly by
``Decimal(repr(float))``: ``repr`` is the shortest string that gives back the same float, and two
decimals of ≤ 15 significant digits never share a float.  The result is then set to the number
of decimals of the cell's number format (``0.0000`` → 4) when that changes no digit, so the value
reads back as it was printed.  Text cells are parsed as decimals directly.

Texts.  A cell cannot hold an empty string: an empty text section reads back as None.

Hostile files.  Before openpyxl sees the file: it must be a zip archive, whose directory must
declare at most ``MAX_UNCOMPRESSED`` bytes in all and no member inflating more than
``MAX_RATIO`` times (zipfile never inflates a member past its declared size), and whose members
must pass their CRC check.  Anything else, and a workbook that is not our layout, raises
:class:`ReadError` naming the file.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from gongkai.render.layout import layout
from gongkai.render.xlsx import FLAT_HEADER, FLAT_SHEET, META_FIELDS, META_SHEET
from gongkai.report.model import MAX_DIGITS, Report, ReportFormatError, digit_count, shown
from gongkai.report.template import TEXT_KEYS, Edition, edition

from .archive import ZIP_ERRORS, refuse_zip_bomb
from .decode import clean
from .errors import ReadError

MAX_UNCOMPRESSED = 100 * 2**20
MAX_RATIO = 200
MAX_CELLS = 200_000  # cells of all sheets, merged ranges counted cell by cell (a report has a few hundred)
Source = str | Path | IO[bytes]


def read_xlsx(source: Source) -> Report:
    """The report in an XLSX file (a path or a binary stream)."""
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "<stream>")
    _check_archive(source, name)
    try:
        book = load_workbook(source, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ReadError(name, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    refuse_large_grids(book, name)
    try:
        flat = _flat_sheet(book, name) if FLAT_SHEET in book.sheetnames else _table_sheets(book, name)
        return Report.from_flat(flat)
    except (ReportFormatError, ValueError) as exc:
        raise ReadError(name, str(exc)) from None


def is_gongkai_workbook(data: bytes) -> bool:
    """A workbook written by gongkai (it has the flat or the meta sheet): read exactly, not matched."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.read("xl/workbook.xml")[:20000] if "xl/workbook.xml" in archive.namelist() else b""
    except (KeyError, *ZIP_ERRORS):
        return False
    return any(f'name="{sheet}"'.encode() in names for sheet in (FLAT_SHEET, META_SHEET))


def _check_archive(source: Source, name: str) -> None:
    try:
        if not zipfile.is_zipfile(source):
            raise ReadError(name, "not an XLSX file (not a zip archive)")
        with zipfile.ZipFile(source) as archive:
            refuse_zip_bomb(archive, name, MAX_UNCOMPRESSED, MAX_RATIO)
            broken = archive.testzip()
            if broken is not None:
                raise ReadError(name, f"member {broken} is damaged (CRC mismatch)")
            _refuse_large_sheets(archive, name)
    except ZIP_ERRORS as exc:
        raise ReadError(name, f"damaged or truncated zip archive ({type(exc).__name__}: {exc})") from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']([^\"']*)")
_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")


def _refuse_large_sheets(archive: zipfile.ZipFile, name: str) -> None:
    """Count the cells of every worksheet, and the cells its merged ranges cover, before openpyxl allocates
    them (it makes an object for every cell a merged range covers): refuse more than ``MAX_CELLS``."""
    cells = 0
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with archive.open(info) as member:
            carry = b""
            while chunk := member.read(1 << 20):
                text = carry + chunk
                end = text.rfind(b">") + 1  # whole tags only; the rest waits for the next chunk
                text, carry = text[:end], text[end:]
                cells += len(_CELL.findall(text)) + sum(_merged(ref) for ref in _MERGE.findall(text))
                if cells > MAX_CELLS:
                    raise ReadError(name, f"refused: the workbook has more than {MAX_CELLS:,} cells (merged "
                                          "ranges counted cell by cell): not a report")


def refuse_large_grids(book, name: str) -> None:
    """Refuse a sheet whose rows × columns exceed ``MAX_CELLS`` before any is iterated: openpyxl makes every
    cell of that rectangle (one cell at ``XFD1048576`` is enough to span it all)."""
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise ReadError(name, f"sheet {shown(sheet.title)} spans {sheet.max_row:,} rows × {sheet.max_column:,} "
                                  f"columns (limit {MAX_CELLS:,} cells): not a report")


def _merged(ref: bytes) -> int:
    """The cells a merged range (``A1:C3``) covers; a reference that is not one counts as too many."""
    corners = [_REF.fullmatch(part) for part in ref.decode("ascii", "replace").strip().split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return MAX_CELLS + 1
    (c0, r0), (c1, r1) = ((column_index_from_string(m[1].upper()), int(m[2])) for m in (corners[0], corners[-1]))
    return (abs(c1 - c0) + 1) * (abs(r1 - r0) + 1)


def _template(raw: Any, name: str) -> Edition:
    try:
        return edition(str(raw))
    except KeyError:
        raise ReadError(name, f"unknown template edition {shown(raw)}") from None


def _flat_sheet(book, name: str) -> dict[str, Any]:
    rows = book[FLAT_SHEET].iter_rows()
    header = tuple(c.value for c in next(rows, ()))
    if header[:3] != FLAT_HEADER:
        raise ReadError(name, f"sheet {FLAT_SHEET!r} does not start with the header {FLAT_HEADER}")
    cells = {row[0].value: row[2] for row in rows if row and row[0].value is not None and len(row) >= 3}
    if "meta.edition" not in cells:
        raise ReadError(name, f"sheet {FLAT_SHEET!r} has no meta.edition row")
    ed = _template(cells["meta.edition"].value, name)
    table_keys = set(ed.table_keys) | set(ed.collapsed_cells)
    flat = {}
    for key, cell in cells.items():
        if key in table_keys:
            flat[key] = _value(ed, key, cell, name)
        else:
            flat[key] = _meta(key, cell.value)
    return flat


def _meta(key: str, raw: Any) -> Any:
    if key == "meta.edition" and raw is not None:
        return str(raw)
    if key == "meta.published" and isinstance(raw, datetime | date):
        return raw.strftime("%Y-%m-%d")
    if key == "meta.year" and isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return clean(raw) if isinstance(raw, str) else raw  # no control characters (_x0001_) in a text


def _value(ed: Edition, key: str, cell, name: str) -> int | str | None:
    """A cell as the flat form writes it: an int, a decimal string, or None."""
    raw = cell.value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    where = f"cell {cell.coordinate} ({key})"
    if ed.cell(key).column.type == "money":
        try:
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
        except InvalidOperation:
            raise ReadError(name, f"{where}: {shown(raw)} is not a decimal") from None
        _refuse_long(value, where, name)
        places = _places(cell.number_format)
        if places is not None and value.is_finite() and value.as_tuple().exponent >= -places:
            value = value.quantize(Decimal(1).scaleb(-places))
        return format(value, "f")
    if isinstance(raw, float) and math.isfinite(raw):
        if not raw.is_integer():  # a count printed with decimals: kept, as the flat form keeps it, for R5
            value = Decimal(repr(raw))
            _refuse_long(value, where, name)
            return format(value, "f")
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ReadError(name, f"{where}: {shown(raw)} is not a whole number")
    _refuse_long(raw, where, name)
    return raw


def _refuse_long(value: int | Decimal, where: str, name: str) -> None:
    if digit_count(value) > MAX_DIGITS:
        raise ReadError(name, f"{where}: a number of more than {MAX_DIGITS} digits")


def _places(number_format: str) -> int | None:
    if number_format.startswith("0.") and set(number_format[2:]) == {"0"}:
        return len(number_format) - 2
    return None


def _table_sheets(book, name: str) -> dict[str, Any]:
    if META_SHEET not in book.sheetnames:
        raise ReadError(name, f"neither a {FLAT_SHEET!r} nor a {META_SHEET!r} sheet: not a gongkai workbook")
    meta = {row[0]: row[1] for row in book[META_SHEET].iter_rows(min_row=2, max_col=2, values_only=True)}
    ed = _template(meta.get("edition"), name)
    flat: dict[str, Any] = {f"meta.{k}": _meta(f"meta.{k}", meta.get(k)) for k in META_FIELDS[:4]}
    flat.update({k: _meta(k, meta.get(k)) for k in TEXT_KEYS})
    probe = Report.blank(ed.id)
    plain = layout(ed, probe)
    probe.collapse_other_handling()
    collapsed = layout(ed, probe)
    for grid, alternative in zip(plain, collapsed, strict=True):
        if grid.title not in book.sheetnames:
            raise ReadError(name, f"no sheet {grid.title!r}")
        sheet = book[grid.title]
        problem = _mismatch(sheet, grid)
        if problem and _mismatch(sheet, alternative) is None:  # （六）其他处理 printed as one row
            grid, problem = alternative, None
        if problem:
            raise ReadError(name, f"sheet {grid.title!r} is not the template layout: {problem}")
        for r, row in enumerate(grid.placed(), start=1):
            for col, cell in row:
                if cell.kind == "value":
                    flat[cell.key] = _value(ed, cell.key, sheet.cell(r, col + 1), name)
    return flat


def _mismatch(sheet, grid) -> str | None:
    """Where the sheet's header and label cells differ from the grid's, or None."""
    for r, row in enumerate(grid.placed(), start=1):
        for col, cell in row:
            if cell.kind != "value":
                found = sheet.cell(r, col + 1).value
                if "".join(str(found or "").split()) != "".join(cell.text.split()):
                    return f"{sheet.cell(r, col + 1).coordinate} holds {shown(found)}, expected {cell.text!r}"
    return None
