"""The national annual-report template, loaded from ``template.toml``.

This module is the only reader of the template data.  Everything else asks it: which keys an
edition has and in what order, what a key is called in Chinese, what type a cell holds, how a
table is laid out.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

EDITIONS = ("2021", "2019")
META_KEYS = ("meta.agency", "meta.year", "meta.edition")
OPTIONAL_META_KEYS = ("meta.published",)
TEXT_KEYS = ("overview", "problems", "other")


@dataclass(frozen=True)
class HeaderCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    group: str | None = None
    type: str = "count"  # count | money
    signed: bool = False
    unit_in_cell: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    group: str | None = None
    subgroup: str | None = None
    result: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)

    @property
    def full_label(self) -> str:
        return "".join(p for p in (self.group, self.subgroup, self.label) if p)


@dataclass(frozen=True)
class ProactiveBlock:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def key(self, row: Row, column: Column) -> str:
        return f"proactive.{row.key}.{column.key}"


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    kind: str
    variants: tuple[str, ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return (self.heading, *self.variants)


@dataclass(frozen=True)
class Cell:
    """One numeric cell of the template: its key and where it sits."""

    key: str
    table: str  # proactive | requests | appeals
    row: Row | None
    column: Column
    group: Row | None = None  # table 4 group
    caption: str | None = None

    @property
    def label(self) -> str:
        if self.table == "appeals":
            return f"{self.group.label} {self.column.label}"
        row = self.row.full_label if self.table == "requests" else self.row.label
        col = f"{self.column.group} {self.column.label}" if self.column.group else self.column.label
        return f"{row} / {col}"


@dataclass(frozen=True)
class Edition:
    id: str
    name: str
    issued_by: str
    first_year: int
    last_year: int
    sections: tuple[Section, ...]
    proactive_first_column: str
    proactive: tuple[ProactiveBlock, ...]
    request_header: tuple[tuple[HeaderCell, ...], ...]
    request_label_columns: int
    request_note: str
    request_columns: tuple[Column, ...]
    request_rows: tuple[Row, ...]
    collapsed_rows: tuple[Row, ...]  # rows a report of this edition may use instead of sub-rows
    appeal_header: tuple[tuple[HeaderCell, ...], ...]
    appeal_groups: tuple[Row, ...]
    appeal_columns: tuple[Column, ...]
    cells: dict[str, Cell] = field(default_factory=dict, compare=False, repr=False)

    # -- keys ------------------------------------------------------------------------------
    @property
    def table_keys(self) -> tuple[str, ...]:
        return tuple(self.cells)

    @property
    def keys(self) -> tuple[str, ...]:
        """All keys of the flat form, in template order (as report-keys.json lists them)."""
        head = [k for k in self.table_keys if k.startswith("proactive.")]
        rest = [k for k in self.table_keys if not k.startswith("proactive.")]
        return (*META_KEYS, *head, *rest, *TEXT_KEYS)

    @property
    def optional_keys(self) -> tuple[str, ...]:
        collapsed = tuple(self.collapsed_cells)
        return (*OPTIONAL_META_KEYS, *collapsed)

    @property
    def collapsed_cells(self) -> dict[str, Cell]:
        return {
            f"requests.{row.key}.{col.key}": Cell(f"requests.{row.key}.{col.key}", "requests", row, col)
            for row in self.collapsed_rows
            for col in self.request_columns
        }

    def cell(self, key: str) -> Cell:
        if key in self.cells:
            return self.cells[key]
        return self.collapsed_cells[key]

    def label(self, key: str) -> str:
        """The Chinese label of any key of this edition."""
        if key in META_KEYS or key in OPTIONAL_META_KEYS:
            return {"meta.agency": "机关名称", "meta.year": "报告年度", "meta.edition": "模板版本",
                    "meta.published": "发布日期"}[key]
        for section in self.sections:
            if section.key == key:
                return section.heading
        return self.cell(key).label

    def request_key(self, row: str, column: str) -> str:
        return f"requests.{row}.{column}"

    def appeal_key(self, group: str, column: str) -> str:
        return f"appeals.{group}.{column}"

    @property
    def result_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.request_rows if r.result)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _only(entry: dict, edition: str) -> bool:
    return edition in entry.get("editions", EDITIONS)


def _column(d: dict) -> Column:
    return Column(
        key=d["key"], label=d["label"], variants=tuple(d.get("variants", ())), group=d.get("group"),
        type=d.get("type", "count"), signed=d.get("signed", False), unit_in_cell=d.get("unit_in_cell", False),
    )


def _row(d: dict) -> Row:
    return Row(
        key=d["key"], label=d["label"], variants=tuple(d.get("variants", ())), group=d.get("group"),
        subgroup=d.get("subgroup"), result=d.get("result", False),
    )


def _header(rows: list) -> tuple[tuple[HeaderCell, ...], ...]:
    return tuple(tuple(HeaderCell(**c) for c in row) for row in rows)


@cache
def _data() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("template.toml").read_text("utf-8"))


@cache
def edition(edition_id: str) -> Edition:
    """The template of one edition (``"2021"`` or ``"2019"``)."""
    data = _data()
    try:
        info = next(e for e in data["editions"] if e["id"] == str(edition_id))
    except StopIteration:
        raise KeyError(f"unknown template edition {edition_id!r} (known: {', '.join(EDITIONS)})") from None
    eid = info["id"]
    proactive = tuple(
        ProactiveBlock(b["caption"], tuple(_column(c) for c in b["columns"]), tuple(_row(r) for r in b["rows"]))
        for b in data["proactive"]["blocks"] if _only(b, eid)
    )
    req = data["requests"]
    ed = Edition(
        id=eid, name=info["name"], issued_by=info["issued_by"], first_year=info["first_year"],
        last_year=info["last_year"],
        sections=tuple(Section(s["key"], s["heading"], s["kind"], tuple(s.get("variants", ())))
                       for s in data["sections"]),
        proactive_first_column=data["proactive"]["first_column"],
        proactive=proactive,
        request_header=_header(req["header"]),
        request_label_columns=req["label_columns"],
        request_note=req["note"],
        request_columns=tuple(_column(c) for c in req["columns"]),
        request_rows=tuple(_row(r) for r in req["rows"] if _only(r, eid)),
        collapsed_rows=tuple(_row(r) for r in req["rows"] if eid in r.get("collapsed_in", ())),
        appeal_header=_header(data["appeals"]["header"]),
        appeal_groups=tuple(_row(g) for g in data["appeals"]["groups"]),
        appeal_columns=tuple(_column(c) for c in data["appeals"]["columns"]),
    )
    cells = ed.cells
    for block in proactive:
        for row in block.rows:
            for col in block.columns:
                key = block.key(row, col)
                cells[key] = Cell(key, "proactive", row, col, caption=block.caption)
    for row in ed.request_rows:
        for col in ed.request_columns:
            key = f"requests.{row.key}.{col.key}"
            cells[key] = Cell(key, "requests", row, col)
    for group in ed.appeal_groups:
        for col in ed.appeal_columns:
            key = ed.appeal_key(group.key, col.key)
            cells[key] = Cell(key, "appeals", None, col, group=group)
    return ed


def editions() -> tuple[Edition, ...]:
    return tuple(edition(e) for e in EDITIONS)


def edition_for_year(year: int | None) -> Edition:
    """The edition in force for a report year (2021 for unknown years)."""
    if year is not None:
        for ed in editions():
            if ed.first_year <= year <= ed.last_year:
                return ed
    return edition("2021")
