"""The printed layout of the three template tables, derived from the template data.

``layout(edition, report)`` turns an :class:`Edition` (and optionally a report's values) into
grids of cells with the row and column spans of the national template, the one layout every
writer (DOCX, XLSX, HTML/PDF) prints.  A grid lists, per row, only the cells that *start* in
that row (HTML convention); :meth:`Grid.placed` adds the grid column of each cell for writers
that need coordinates (DOCX vMerge, XLSX merged ranges).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

from gongkai.report.model import Report, Value
from gongkai.report.template import Edition, HeaderCell, Row

MONEY_PLACES = 4
MONEY_UNIT = "万元"


class GridCell(NamedTuple):
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # header | label | value
    key: str | None = None  # report key of a value cell
    value: Value = None


@dataclass(frozen=True)
class Grid:
    section: str  # proactive | requests | appeals (the section key)
    title: str  # the section heading
    width: int  # number of grid columns
    header_rows: int  # leading rows that repeat on every page
    rows: tuple[tuple[GridCell, ...], ...]

    def placed(self) -> list[list[tuple[int, GridCell]]]:
        """Each row's cells with the grid column each starts in."""
        covered: dict[tuple[int, int], bool] = {}
        out: list[list[tuple[int, GridCell]]] = []
        for r, row in enumerate(self.rows):
            col, placed = 0, []
            for cell in row:
                while covered.get((r, col)):
                    col += 1
                placed.append((col, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covered[(r + dr, col + dc)] = True
                col += cell.colspan
            out.append(placed)
        return out

    @property
    def value_cells(self) -> list[GridCell]:
        return [c for row in self.rows for c in row if c.kind == "value"]


def format_value(value: Value, money_places: int = MONEY_PLACES) -> str:
    """Digits for counts, ``money_places`` decimals for money (more if the value has more), blank for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value.as_tuple().exponent >= -money_places:
            value = value.quantize(Decimal(1).scaleb(-money_places))
        return format(value, "f")
    return str(value)


def layout(edition: Edition, report: Report | None = None, money_places: int = MONEY_PLACES) -> list[Grid]:
    """The grids of table 2 (主动公开), table 3 (申请) and table 4 (复议诉讼), in order."""
    values = report.values if report is not None else {}
    collapsed = report is not None and report.collapsed

    def value(key: str) -> GridCell:
        v = values.get(key)
        text = format_value(v, money_places)
        if text and edition.cell(key).column.unit_in_cell:
            text += MONEY_UNIT  # the header names no unit: the cell carries it, as agencies print it
        return GridCell(text, kind="value", key=key, value=v)

    return [
        _proactive(edition, value),
        _requests(edition, value, collapsed),
        _appeals(edition, value),
    ]


def _header(rows: tuple[tuple[HeaderCell, ...], ...]) -> list[tuple[GridCell, ...]]:
    return [tuple(GridCell(c.text, c.rowspan, c.colspan, "header") for c in row) for row in rows]


def _spread(total: int, parts: int) -> list[int]:
    """Column spans for ``parts`` cells filling ``total`` columns: the last takes the remainder."""
    return [1] * (parts - 1) + [total - parts + 1]


def _proactive(ed: Edition, value) -> Grid:
    width = 1 + max(len(b.columns) for b in ed.proactive)
    rows: list[tuple[GridCell, ...]] = []
    for block in ed.proactive:
        spans = _spread(width - 1, len(block.columns))
        rows.append((GridCell(block.caption, colspan=width, kind="header"),))
        rows.append((GridCell(ed.proactive_first_column, kind="header"),
                     *(GridCell(c.label, colspan=s, kind="header") for c, s in zip(block.columns, spans, strict=True))))
        for row in block.rows:
            cells = [value(block.key(row, c))._replace(colspan=s) for c, s in zip(block.columns, spans, strict=True)]
            rows.append((GridCell(row.label), *cells))
    return Grid("proactive", ed.section("proactive").heading, width, 0, tuple(rows))


def request_rows(ed: Edition, collapsed: bool) -> tuple[Row, ...]:
    """Table 3's rows as printed: a collapsed report prints （六）其他处理 as one row."""
    if not collapsed:
        return ed.request_rows
    rows: list[Row] = []
    for row in ed.request_rows:
        if row.key.startswith("other_handling."):
            if not any(r in rows for r in ed.collapsed_rows):
                rows.extend(ed.collapsed_rows)
        else:
            rows.append(row)
    return tuple(rows)


def _requests(ed: Edition, value, collapsed: bool) -> Grid:
    label_cols = ed.request_label_columns
    rows = _header(ed.request_header)
    printed = request_rows(ed, collapsed)
    group_size = {g: len(list(rs)) for g, rs in groupby(printed, key=lambda r: r.group) if g}
    sub_size = {s: len(list(rs)) for s, rs in groupby(printed, key=lambda r: (r.group, r.subgroup)) if s[1]}
    seen: set = set()
    for row in printed:
        labels: list[GridCell] = []
        depth = 0
        if row.group:
            depth = 1
            if row.group not in seen:
                seen.add(row.group)
                labels.append(GridCell(row.group, rowspan=group_size[row.group]))
        if row.subgroup:
            depth = 2
            sub = (row.group, row.subgroup)
            if sub not in seen:
                seen.add(sub)
                labels.append(GridCell(row.subgroup, rowspan=sub_size[sub]))
        labels.append(GridCell(row.label, colspan=label_cols - depth))
        rows.append((*labels, *(value(ed.request_key(row.key, c.key)) for c in ed.request_columns)))
    width = label_cols + len(ed.request_columns)
    return Grid("requests", ed.section("requests").heading, width, len(ed.request_header), tuple(rows))


def _appeals(ed: Edition, value) -> Grid:
    rows = _header(ed.appeal_header)
    rows.append(tuple(value(ed.appeal_key(g.key, c.key)) for g in ed.appeal_groups for c in ed.appeal_columns))
    width = len(ed.appeal_groups) * len(ed.appeal_columns)
    return Grid("appeals", ed.section("appeals").heading, width, len(ed.appeal_header), tuple(rows))


def column_weights(grid: Grid) -> list[float]:
    """Relative column widths: value columns share equally; a label-only column widens with its
    longest unwrapped label (a label spanning many rows can wrap, so it counts per row)."""
    value_cols = {col for row in grid.placed() for col, cell in row if cell.kind == "value"}
    need = [0.0] * grid.width
    for row in grid.placed():
        for col, cell in row:
            if cell.colspan == 1 and col not in value_cols:
                need[col] = max(need[col], -(-len(cell.text) // cell.rowspan) / 8)
    return [1.0 if col in value_cols else min(max(need[col], 1.3), 4.5) for col in range(grid.width)]


def document_title(report: Report) -> str:
    """The report's title as agencies print it: 〔机关〕〔年度〕年政府信息公开工作年度报告."""
    year = f"{report.year}年" if report.year is not None else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def printed_rows(grid: Grid) -> list[list[str]]:
    """The grid as rows of cell texts for formats without spans (text, Markdown).

    A cell covered by a row span from above prints as an empty cell, so labels stay in their
    columns; a cell covered by a column span from the left prints nothing, so a row has exactly
    its labels and its values.
    """
    below: dict[tuple[int, int], bool] = {}
    rows = []
    for r, placed in enumerate(grid.placed()):
        starts = dict(placed)
        out = []
        for col in range(grid.width):
            if col in starts:
                cell = starts[col]
                out.append(cell.text)
                for dr in range(1, cell.rowspan):
                    below[(r + dr, col)] = True
            elif below.get((r, col)):
                out.append("")
        rows.append(out)
    return rows


TEXT_WIDTH_MM = 156  # A4 less the GB/T 9704 side margins
TABLE_PT = 10.5  # the tables' type size (CSS below)
SECTION_PT = {"appeals": 9.0}  # table 4's fifteen columns are narrow
DIGIT_EM = 0.6  # width of a digit, in em, with some room
PT_MM = 0.3528


def value_font_pt(grid: Grid, weights: list[float]) -> float:
    """A font size at which the longest number fits its column on one line (numbers never wrap)."""
    size = SECTION_PT.get(grid.section, TABLE_PT)
    placed = [(col, cell) for row in grid.placed() for col, cell in row if cell.kind == "value" and cell.text]
    for col, cell in placed:
        width_mm = TEXT_WIDTH_MM * sum(weights[col:col + cell.colspan]) / sum(weights) - 2.5
        size = min(size, width_mm / (len(cell.text) * DIGIT_EM * PT_MM))
    return max(round(size, 1), 4.0)
