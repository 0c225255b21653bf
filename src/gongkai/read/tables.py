"""Placing the numbers of the three template tables into report keys.

Rows are matched to the template by their label; rows that lost their label take the free
template rows between their labelled neighbours, in template order, only when the count fits
exactly.  Anything else is a finding, never a guessed number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from ..report.findings import Finding
from ..report.model import MAX_DIGITS, digit_count
from ..report.template import Column, Edition, Row
from .blocks import Block
from .cells import is_blank, is_text, normalize, number_tokens, parse_number
from .labels import best_match, compact, overlap, remove_prefixes
from .sections import is_page_number
from .splits import TooManySplits, agreed, describe, splits, tokens_of

EDITION_MARKERS = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "政府集中采购",
             "其他对外管理服务事项"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
}


@dataclass
class ValueRow:
    label: str
    values: list[str]
    text: str  # the whole row as printed, for findings
    joined: bool = False  # cells may be run together: the values are tokens to split
    parts: tuple[str, ...] = ()  # its cells (a paragraph: its words), for a row whose values are all refused

    @property
    def has_numbers(self) -> bool:
        if self.joined:
            return any(v is not None and any(ch.isdigit() for ch in v) for v in self.values)
        return any(parse_number(v) is not None for v in self.values)


@dataclass
class TableResult:
    values: dict[str, int | Decimal | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def value_rows(blocks: Iterable[Block]) -> list[ValueRow]:
    """Each block as a label followed by value cells."""
    rows = []
    for block in blocks:
        if block.joined:  # cut from running text (running.py): the label, then the number tokens
            rows.append(ValueRow(block.cells[0] or "", [c for c in block.cells[1:] if c], block.text, True))
        elif block.is_row:
            cells = [c for c in block.cells if c is not None]
            first_number = next((i for i, c in enumerate(cells) if parse_number(c) is not None), len(cells))
            texts = [i for i, c in enumerate(cells[:first_number]) if is_text(c)]
            end = texts[-1] + 1 if texts else 0
            label, values = "".join(cells[:end]), cells[end:]
            if end == first_number:  # the label cell may end with the row's first numbers (``规章 22``)
                label, numbers = number_tokens(label)
                values = [*numbers, *values]
            rows.append(ValueRow(label, values, block.text, block.joined, tuple(cells)))
        elif not is_page_number(block.text):
            label, numbers = number_tokens(block.text)
            rows.append(ValueRow(label, numbers, block.text, parts=tuple(normalize(block.text).split())))
    return rows


def refused_values(row: ValueRow, n: int, name: Callable[[str], object]) -> ValueRow | None:
    """A row that prints no number, read as its label and ``n`` values the reader refuses (一百, 约10), when its
    label without those ``n`` cells still names the same template row (``name``): so that a refused value gets
    its finding in every table, and is never taken for part of the label."""
    parts = list(row.parts)
    while len(parts) > n + 1 and not parts[-1].strip():  # empty cells padding the row
        parts.pop()
    if row.has_numbers or len(parts) <= n or not row.label:
        return None
    label, values = "".join(parts[:-n]), parts[-n:]
    if not any(is_text(v) for v in values) or name(label) is None or name(label) != name(row.label):
        return None
    return ValueRow(label, values, row.text, row.joined, row.parts)


def fit(values: list[str], n: int) -> list[str] | None:
    """The ``n`` value cells of a row: surplus blank cells at the ends are layout, not data."""
    v = list(values)
    while len(v) > n and is_blank(v[-1]):
        v.pop()
    while len(v) > n and is_blank(v[0]):
        v.pop(0)
    return v if len(v) == n else None


def edition_markers(blocks: Iterable[Block]) -> set[str]:
    """Which editions the column headers of table 2 point to."""
    text = "".join(b.text for b in blocks).replace(" ", "")
    return {ed for ed, marks in EDITION_MARKERS.items() if any(m in text for m in marks)}


def _stray(row: ValueRow, where: str) -> Finding:
    return Finding("READ-STRAY", "warning", f"{where}中有无法归入单元格的内容：{row.text}",
                   f"text in {where} that fits no cell: {row.text}", quote=row.text)


def _short_row(row: ValueRow, keys: list[str], where: str = "表二") -> Finding:
    printed = [v for v in row.values if not is_blank(v)]
    return Finding("READ-CELLS", "warning",
                   f"{where}“{row.label}”一行印有 {len(printed)} 个数值，应为 {len(keys)} 个，无法确定各属哪一列，未填入：{row.text}",
                   f"{where} row {row.label} prints {len(printed)} values for {len(keys)} cells; which is which "
                   f"nothing says, left blank: {row.text}", tuple(keys), expected=len(keys), found=len(printed),
                   quote=row.text)


def spread(values: list[str]) -> list[str]:
    """Value cells with the numbers a cell prints apart (``22 235``) as cells of their own.  Only where
    this gives a row exactly the template's number of cells: ``1 234`` is otherwise one number."""
    out: list[str] = []
    for value in values:
        label, numbers = number_tokens(value or "")
        out += numbers if not label and len(numbers) > 1 else [value]
    return out


def header_unit(blocks: list[Block], column: Column) -> str | None:
    """The unit a money column's header states (采购总金额（元）, 本年收费金额（单位：万元））, if any."""
    base = re.split(r"[(（]", column.label)[0]
    text = normalize(" ".join(b.text for b in blocks))
    found = re.search(re.escape(base) + r"\s*[(（]\s*(?:单位\s*[:：]?\s*)?(万元|元)", text)
    return found[1] if found else None


def _cell_value(raw: str | None, column: Column, key: str, findings: list[Finding],
                unit: str | None = None) -> int | Decimal | None:
    """One cell's value; money in 万元, converted by value from 元 (in the cell or the header ``unit``)."""
    if raw is None or is_blank(raw):
        return None
    number = parse_number(raw)
    if number is None:
        findings.append(Finding("READ-VALUE", "warning", f"无法识别的数值：{raw}", f"not a number: {raw}",
                                (key,), found=raw))
        return None
    if digit_count(number.value) > MAX_DIGITS:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        findings.append(Finding("READ-VALUE", "warning", f"数值超过 {MAX_DIGITS} 位，未采用：{shown}",
                                f"a number of more than {MAX_DIGITS} digits, not used: {shown}", (key,), found=shown))
        return None
    if column.type == "money":
        if (number.unit or unit) == "元":
            return number.value / 10000
        if number.unit is None and unit is None and column.unit_in_cell:
            findings.append(Finding("READ-UNIT", "warning", f"金额未注明单位，按万元计：{raw}",
                                    f"amount without a unit, taken as 万元: {raw}", (key,), found=raw))
        return number.value
    if number.value == number.value.to_integral_value():
        return int(number.value)
    return number.value  # not a whole number: kept as printed, R5 reports it


# -- table 2 ----------------------------------------------------------------------------------
def read_proactive(blocks: list[Block], ed: Edition, silent_blanks: bool = False) -> TableResult:
    """Table 2.  ``silent_blanks``: the page prints no zero, so a run-together row may also have
    empty cells printed as nothing (splits.py)."""
    result = TableResult()
    targets = {(bi, row.key): row.labels for bi, block in enumerate(ed.proactive) for row in block.rows}
    seen: set[tuple[int, str]] = set()
    for row in value_rows(blocks):
        target, _ = best_match(row.label, targets) if row.label else (None, 0)
        if target is None:
            if row.has_numbers:
                result.findings.append(_stray(row, "表二"))
            continue
        block = ed.proactive[target[0]]
        keys = [f"proactive.{target[1]}.{column.key}" for column in block.columns]
        split = refused_values(row, len(block.columns), lambda label: best_match(label, targets)[0])
        values = split.values if split else fit(row.values, len(block.columns))
        if values is None and not row.joined:  # two numbers printed in one cell (``| 规章 | 22 235 | 0 |``)
            values = fit(spread(row.values), len(block.columns))
        if values is None and row.joined and target not in seen:
            values = _split_row(row, block.columns, keys, result.findings, blanks=silent_blanks)
        if values is None:
            if (row.has_numbers or row.values) and not row.joined:
                result.findings.append(_short_row(row, keys))
            continue
        if target in seen:
            result.findings.append(_stray(row, "表二"))
            continue
        seen.add(target)
        for column, raw, key in zip(block.columns, values, keys, strict=True):
            unit = header_unit(blocks, column) if column.type == "money" else None
            result.values[key] = _cell_value(raw, column, key, result.findings, unit)
    return result


def _row_options(values: list[str], columns: tuple[Column, ...] | list[Column],
                 sums: Callable[[tuple[str, ...]], bool] | None = None, blanks: bool = False) -> list[tuple[str, ...]]:
    """The splits of run-together digits (splits.py): all of them when the digit count leaves only
    one, else those that satisfy the row's own total (``sums``).  Empty when none does.  With
    ``blanks``, splits with empty cells (printed as nothing) too."""
    try:
        options = splits(tokens_of(values), columns, blanks=blanks)
    except TooManySplits:
        return []
    if len(options) > 1 and sums is not None:
        options = [o for o in options if sums(o)]
    return options


def _no_split(row: ValueRow, keys: list[str] | tuple[str, ...]) -> Finding:
    return Finding("READ-AMBIGUOUS", "warning", f"数字连写，无法拆分为 {len(keys)} 个单元格，未填入：{row.text}",
                   f"run-together digits that no split into {len(keys)} cells explains, left blank: {row.text}",
                   tuple(keys), quote=row.text)


def _ambiguous(row: ValueRow, options: list[tuple[str, ...]], keys: list[str] | tuple[str, ...]) -> Finding:
    blank = tuple(k for k, c in zip(keys, agreed(options), strict=True) if c is None)
    if any("" in o for o in options):  # empty cells printed as nothing are among the explanations
        return Finding("READ-AMBIGUOUS", "warning",
                       f"数值少于单元格，可为数字连写或空单元格，有 {len(options)} 种解释（{describe(options)}），"
                       f"无法确定，未填入：{row.text}",
                       f"fewer numbers than cells, explained {len(options)} ways by run-together digits or empty "
                       f"cells ({describe(options)}); the cells they disagree on are left blank: {row.text}",
                       blank, quote=row.text, found=len(options))
    return Finding("READ-AMBIGUOUS", "warning",
                   f"数字连写有 {len(options)} 种拆分（{describe(options)}），无法确定，未填入：{row.text}",
                   f"run-together digits split {len(options)} ways ({describe(options)}); the cells they "
                   f"disagree on are left blank: {row.text}", blank, quote=row.text, found=len(options))


def _split_row(row: ValueRow, columns: tuple[Column, ...], keys: list[str], findings: list[Finding],
               sums: Callable[[tuple[str, ...]], bool] | None = None, blanks: bool = False) -> list[str | None]:
    """The cells of a row whose digits ran together: those every admissible split agrees on."""
    options = _row_options(row.values, columns, sums, blanks)
    if not options:
        findings.append(_no_split(row, keys))
        return [None] * len(columns)
    if len(options) > 1:
        findings.append(_ambiguous(row, options, keys))
    return agreed(options)


# -- table 3 ----------------------------------------------------------------------------------
def request_variants(ed: Edition) -> dict[str, tuple[Row, ...]]:
    """The row lists a printed table 3 can follow: the edition's own, and a collapsed （六）其他处理."""
    variants = {"full": ed.request_rows}
    if ed.collapsed_rows:
        rows = list(ed.request_rows)
        subrows = [i for i, r in enumerate(rows) if r.key.startswith("other_handling.")]
        rows[subrows[0]:subrows[-1] + 1] = ed.collapsed_rows
        variants["collapsed"] = tuple(rows)
    return variants


@dataclass
class Alignment:
    rows: tuple[Row, ...]
    assigned: dict[int, int]  # template row index -> value row index
    anchors: int
    findings: list[Finding]

    @property
    def score(self) -> tuple[int, int]:
        return (self.anchors, -len(self.findings))


def align(candidates: list[ValueRow], rows: tuple[Row, ...]) -> Alignment:
    prefixes = tuple({p for r in rows for p in (r.group, r.subgroup) if p})
    targets = {i: r.labels for i, r in enumerate(rows)}
    labels = [remove_prefixes(row.label, prefixes) if row.label else "" for row in candidates]
    matched = [best_match(label, targets)[0] if label else None for label in labels]
    # keep the longest run of labelled rows in template order (anchors)
    anchors = _increasing([(o, t) for o, t in enumerate(matched) if t is not None])
    findings: list[Finding] = []
    for o, t in enumerate(matched):
        if t is not None and (o, t) not in anchors:
            findings.append(Finding("READ-AMBIGUOUS", "warning",
                                    f"表三行标签与模板顺序不符，未采用：{candidates[o].text}",
                                    f"table 3 row out of template order, not used: {candidates[o].text}",
                                    (f"requests.{rows[t].key}.total",), quote=candidates[o].text))
    assigned = dict((t, o) for o, t in anchors)
    bounds = [(-1, -1), *anchors, (len(candidates), len(rows))]
    for (o0, t0), (o1, t1) in zip(bounds, bounds[1:], strict=False):
        loose = [o for o in range(o0 + 1, o1) if (o, matched[o]) not in anchors]
        free = list(range(t0 + 1, t1))
        if len(loose) != len(free):
            # a label cut short by wrapping (4.无正当理由大量) still names one row of the gap
            pieces = _increasing([(o, t) for o in loose if (t := _fragment_slot(labels[o], free, rows)) is not None])
            inner = [(o0, t0), *pieces, (o1, t1)]
        else:
            inner = [(o0, t0), (o1, t1)]
        for (p0, s0), (p1, s1) in zip(inner, inner[1:], strict=False):
            if (p1, s1) != (o1, t1):
                assigned[s1] = p1
            sub_loose = [o for o in loose if p0 < o < p1]
            sub_free = [t for t in free if s0 < t < s1]
            if len(sub_loose) == len(sub_free):
                assigned.update(zip(sub_free, sub_loose, strict=True))
            elif sub_loose:  # rows that cannot be placed (a template row printed blank is R5's business)
                findings.append(_unplaced(candidates, rows, sub_loose, sub_free))
    return Alignment(rows, assigned, len(anchors), findings)


def _fragment_slot(label: str, free: list[int], rows: tuple[Row, ...]) -> int | None:
    """The one free template row whose label contains most of this label fragment, if there is one."""
    scores = sorted(((max(overlap(label, text) for text in rows[t].labels), t) for t in free), reverse=True)
    size = len(compact(label))
    if not scores or scores[0][0] < max(FRAGMENT_MIN, FRAGMENT_SHARE * size):
        return None
    if len(scores) > 1 and scores[1][0] == scores[0][0]:
        return None
    return scores[0][1]


def _unplaced(candidates: list[ValueRow], rows: tuple[Row, ...], loose: list[int], free: list[int]) -> Finding:
    keys = tuple(f"requests.{rows[t].key}.total" for t in free)
    texts = "；".join(candidates[o].text for o in loose)
    return Finding("READ-AMBIGUOUS", "warning",
                   f"表三有 {len(loose)} 行无法确定对应 {len(free)} 个模板行，未填入：{texts}",
                   f"table 3: {len(loose)} unlabelled rows for {len(free)} template rows, left blank: {texts}",
                   keys, expected=len(free), found=len(loose))


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (row, template index) pairs with increasing template index."""
    best: list[list[tuple[int, int]]] = []
    for pair in pairs:
        options = [seq for seq in best if seq[-1][1] < pair[1]]
        best.append([*max(options, key=len, default=[]), pair])
    return max(best, key=len, default=[])


# A label fragment names a row when it shares this many characters with it, and this share of itself.
FRAGMENT_MIN = 4
FRAGMENT_SHARE = 0.6

# Where agencies that add a 法人或其他组织 subtotal column print it, among eight value columns.
SUBTOTAL_POSITIONS = {1: range(2, 7), 6: range(1, 6)}


def drop_subtotal(rows: list[ValueRow], ncols: int) -> tuple[list[ValueRow], list[Finding]]:
    """Rows of a table 3 printed with an extra 法人或其他组织 subtotal column, without it (and checked)."""
    numeric = [r for r in rows if r.has_numbers]
    wide = [fit(r.values, ncols + 1) for r in numeric if fit(r.values, ncols) is None]
    wide = [v for v in wide if v is not None]
    if len(wide) <= len(numeric) - len(wide):
        return rows, []

    def holds(values: list[str], at: int) -> bool:
        numbers = [parse_number(v) for v in values]
        return all(numbers) and numbers[at].value == sum(numbers[i].value for i in SUBTOTAL_POSITIONS[at])

    support = {i: sum(holds(v, i) for v in wide) for i in SUBTOTAL_POSITIONS}
    at = max(support, key=support.get)
    if list(support.values()).count(support[at]) > 1:
        return rows, [Finding("READ-AMBIGUOUS", "warning", "表三多出一列（法人或其他组织小计？），无法确定其位置，未填入",
                              "table 3 has an extra column (a 法人或其他组织 subtotal?) whose place is unclear; left blank")]
    findings, out = [], []
    for row in rows:
        values = fit(row.values, ncols + 1) if fit(row.values, ncols) is None else None
        if values is None:
            out.append(row)
            continue
        if not holds(values, at):
            findings.append(Finding("READ-SUBTOTAL", "warning", f"法人或其他组织小计与各项之和不符：{row.text}",
                                    f"the 法人或其他组织 subtotal is not the sum of its columns: {row.text}",
                                    quote=row.text))
        out.append(ValueRow(row.label, values[:at] + values[at + 1:], row.text))
    return out, findings


def _printed_variant(blocks: list[Block], ed: Edition) -> str:
    """Which row list the printed labels point to when the numbers cannot tell: the collapsed one when
    （六）其他处理 is printed without any of its three items (a row left blank prints no number)."""
    text = compact("".join(b.text for b in blocks))
    items = [r for r in ed.request_rows if r.key.startswith("other_handling.")]
    if ed.collapsed_rows and "其他处理" in text and not any(compact(r.label) in text for r in items[:2]):
        return "collapsed"
    return "full"


def _amounts(cells: tuple[str, ...]) -> list[Decimal] | None:
    """The cells' values, an empty cell (a split's ``""``: printed as nothing) counting as nothing;
    None when a cell is not a number."""
    numbers = [parse_number(c) if c else None for c in cells]
    if any(n is None and c for n, c in zip(numbers, cells, strict=True)):
        return None
    return [n.value if n else Decimal(0) for n in numbers]


def _row_total_holds(cells: tuple[str, ...]) -> bool:
    """R3 on one row of table 3: the total is the sum of the six applicant columns."""
    amounts = _amounts(cells)
    return amounts is not None and amounts[-1] == sum(amounts[:-1])


MAX_COMBINATIONS = 20_000  # joint splits of table 3's ambiguous rows tried against R1 and R2


def settle_splits(best: Alignment, candidates: list[ValueRow], options: dict[int, list[tuple[str, ...]]],
                  ed: Edition, silent_blanks: bool = False) -> list[Finding]:
    """Run-together rows of table 3 once placed: the splits R1 and R2 (with the other rows) allow.

    Rows with several splits left are tried together; a split survives when some combination
    of them satisfies every column equation whose cells are all known.  No combination at all
    (the publisher's own error elsewhere in a column): the columns cannot decide, nothing is
    dropped.  Each row then keeps the cells its surviving splits agree on.
    """
    findings: list[Finding] = []
    placed = {t: o for t, o in best.assigned.items() if o in options}
    open_rows = {t: options[o] for t, o in placed.items() if len(options[o]) > 1}
    order = list(open_rows)
    size = 1
    for t in order:
        size *= len(open_rows[t])
    if order and size <= MAX_COMBINATIONS:
        base = {best.rows[t].key: candidates[o].values for t, o in best.assigned.items() if t not in open_rows}
        surviving: dict[int, set[tuple[str, ...]]] = {t: set() for t in order}
        for combo in product(*(open_rows[t] for t in order)):
            table = {**base, **{best.rows[t].key: cells for t, cells in zip(order, combo, strict=True)}}
            if _columns_hold(table, best.rows, len(ed.request_columns), silent_blanks):
                for t, cells in zip(order, combo, strict=True):
                    surviving[t].add(cells)
        if all(surviving.values()):
            open_rows = {t: [o for o in open_rows[t] if o in surviving[t]] for t in order}
    for t, o in placed.items():
        keys = [f"requests.{best.rows[t].key}.{c.key}" for c in ed.request_columns]
        kept = open_rows.get(t, options[o])
        if not kept:
            findings.append(_no_split(candidates[o], keys))
        elif len(kept) > 1:
            findings.append(_ambiguous(candidates[o], kept, keys))
        candidates[o].values = agreed(kept) or [None] * len(keys)
    return findings


def _columns_hold(table: dict[str, list[str | None] | tuple[str, ...]], rows: tuple[Row, ...], ncols: int,
                  silent_blanks: bool = False) -> bool:
    """R1 and R2 in every column, as far as their cells are known (an empty cell on a page that
    prints no zero counting as nothing)."""
    results = [r.key for r in rows if r.result]

    def value(key: str, c: int) -> Decimal | None:
        cells = table.get(key)
        if silent_blanks and cells is not None and cells[c] == "":
            return Decimal(0)
        number = parse_number(cells[c]) if cells is not None and cells[c] is not None else None
        return number.value if number else None

    for c in range(ncols):
        r1 = [value(k, c) for k in ("new_received", "carried_over", "total_handled", "carried_forward")]
        if None not in r1 and r1[0] + r1[1] != r1[2] + r1[3]:
            return False
        r2 = [value(k, c) for k in results]
        if r1[2] is not None and None not in r2 and r1[2] != sum(r2):
            return False
    return True


def read_requests(blocks: list[Block], ed: Edition, silent_blanks: bool = False) -> tuple[TableResult, bool]:
    """Table 3; also says whether its （六）其他处理 is one row.  ``silent_blanks`` as for table 2."""
    ncols = len(ed.request_columns)
    result = TableResult()
    variants = request_variants(ed)
    known = {row.key: row.labels for rows in variants.values() for row in rows}
    prefixes = tuple({p for rows in variants.values() for r in rows for p in (r.group, r.subgroup) if p})
    candidates: list[ValueRow] = []
    options: dict[int, list[tuple[str, ...]]] = {}  # candidate -> the splits of its run-together digits
    rows, result.findings = drop_subtotal(value_rows(blocks), ncols)
    for row in rows:
        row = refused_values(row, ncols, lambda label: best_match(remove_prefixes(label, prefixes), known)[0]) or row
        values = fit(row.values, ncols)
        if values is None and not row.joined:  # two numbers printed in one cell
            values = fit(spread(row.values), ncols)
        target = best_match(remove_prefixes(row.label, prefixes), known)[0] if row.label else None
        if values is None and not row.joined and row.has_numbers and target is not None:
            # a labelled row printed short of cells: it keeps its place, its cells stay blank
            result.findings.append(_short_row(row, [f"requests.{target}.{c.key}" for c in ed.request_columns], "表三"))
            candidates.append(ValueRow(row.label, [None] * ncols, row.text))
        elif values is None and row.joined and row.has_numbers:
            options[len(candidates)] = _row_options(row.values, ed.request_columns, _row_total_holds, silent_blanks)
            candidates.append(ValueRow(row.label, agreed(options[len(candidates)]) or [None] * ncols, row.text))
        elif values is not None and (row.has_numbers or target):
            candidates.append(ValueRow(row.label, values, row.text))  # a row of numbers, or a labelled blank row
        elif row.has_numbers:
            result.findings.append(_stray(row, "表三"))
    alignments = {name: align(candidates, rows) for name, rows in variants.items()}
    name = max(alignments, key=lambda n: (alignments[n].score, n == _printed_variant(blocks, ed)))
    best = alignments[name]
    result.findings += best.findings
    result.findings += settle_splits(best, candidates, options, ed, silent_blanks)
    for t, o in best.assigned.items():
        row = best.rows[t]
        for column, raw in zip(ed.request_columns, candidates[o].values, strict=True):
            key = f"requests.{row.key}.{column.key}"
            result.values[key] = _cell_value(raw, column, key, result.findings)
    used = set(best.assigned.values())
    for o, row in enumerate(candidates):
        if o not in used and (row.has_numbers or o in options) and not any(f.quote == row.text for f in best.findings):
            result.findings.append(_stray(row, "表三"))
    return result, name == "collapsed"


# -- table 4 ----------------------------------------------------------------------------------
def _groups_hold(cells: tuple[str, ...]) -> bool:
    """R4 on table 4's cells: each group of five ends with the sum of its other four."""
    amounts = _amounts(cells)
    if amounts is None:
        return False
    groups = [amounts[i:i + 5] for i in range(0, len(amounts), 5)]
    return all(g[-1] == sum(g[:-1]) for g in groups)


def _group_named(text: str, ed: Edition) -> int | None:
    """The one table-4 group a header line names (行政复议, 未经复议直接起诉, 复议后起诉), if exactly one."""
    printed = compact(text)
    named = [i for i, g in enumerate(ed.appeal_groups) if compact(g.labels[-1]) in printed]
    return named[0] if len(named) == 1 else None


def read_appeals(blocks: list[Block], ed: Edition, silent_blanks: bool = False) -> tuple[TableResult, int | None]:
    """Table 4's fifteen cells; also the index of the block after its data row.  ``silent_blanks`` as
    for table 2."""
    result = TableResult()
    columns = [(g, c) for g in ed.appeal_groups for c in ed.appeal_columns]
    n = len(columns)
    collected: list[str] = []
    joined = False
    end = None
    size = len(ed.appeal_columns)
    named = first = None  # the group the last header line names; the one named before the first numbers
    for i, block in enumerate(blocks):
        [row] = value_rows([block]) or [None]
        if row is None or not row.has_numbers:
            group = _group_named(block.text, ed)
            if collected:
                if first == 0 and len(collected) % size == 0 and group == len(collected) // size:
                    continue  # table 4 printed group by group: the next group's own header names it
                break
            named = group if group is not None else named
            continue
        first = named if not collected else first
        joined = joined or row.joined
        values = fit(row.values, n) if not collected else None
        collected = values if values is not None else collected + [v for v in row.values if not is_blank(v)]
        end = i + 1
        if len(collected) >= n:
            break
    if end is not None:
        # numbers right after the data row with no words (a value wrapped in a narrow cell): never dropped silently
        for row in value_rows(blocks[end:]):
            if row.label or not row.has_numbers:
                break
            result.findings.append(_stray(row, "表四"))
    if len(collected) < n and joined:
        keys = [f"appeals.{g.key}.{c.key}" for g, c in columns]
        row = ValueRow("", collected, " ".join(collected), True)
        cells = _split_row(row, [c for _, c in columns], keys, result.findings, _groups_hold, silent_blanks)
        for (_, column), raw, key in zip(columns, cells, keys, strict=True):
            result.values[key] = _cell_value(raw, column, key, result.findings)
        return result, end
    if len(collected) != n and len(spread(collected)) == n:  # a group's numbers printed in one cell
        collected = spread(collected)
    if len(collected) != n:
        if collected:
            result.findings.append(Finding(
                "READ-AMBIGUOUS", "warning", f"表四应有 {n} 个数值，读到 {len(collected)} 个，未填入",
                f"table 4 needs {n} values, found {len(collected)}; left blank",
                tuple(f"appeals.{g.key}.{c.key}" for g, c in columns), expected=n, found=len(collected)))
        return result, end
    for (group, column), raw in zip(columns, collected, strict=True):
        key = f"appeals.{group.key}.{column.key}"
        result.values[key] = _cell_value(raw, column, key, result.findings)
    return result, end


__all__ = ["edition_markers", "read_appeals", "read_proactive", "read_requests", "value_rows", "number_tokens"]
