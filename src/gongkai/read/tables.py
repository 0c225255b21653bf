"""Placing the numbers of the three template tables into report keys.

Rows are matched to the template by their label; rows that lost their label take the free
template rows between their labelled neighbours, in template order, only when the count fits
exactly.  Anything else is a finding, never a guessed number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..report.findings import Finding
from ..report.model import MAX_DIGITS, digit_count
from ..report.template import Column, Edition, Row
from .blocks import Block
from .cells import is_blank, is_text, normalize, number_tokens, parse_number
from .labels import best_match, compact, overlap, remove_prefixes
from .sections import is_page_number

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
    parts: tuple[str, ...] = ()  # its cells (a paragraph: its words), for a row whose values are all refused

    @property
    def has_numbers(self) -> bool:
        return any(parse_number(v) is not None for v in self.values)


@dataclass
class TableResult:
    values: dict[str, int | Decimal | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def value_rows(blocks: Iterable[Block]) -> list[ValueRow]:
    """Each block as a label followed by value cells."""
    rows = []
    for block in blocks:
        if block.is_row:
            cells = [c for c in block.cells if c is not None]
            first_number = next((i for i, c in enumerate(cells) if parse_number(c) is not None), len(cells))
            texts = [i for i, c in enumerate(cells[:first_number]) if is_text(c)]
            end = texts[-1] + 1 if texts else 0
            rows.append(ValueRow("".join(cells[:end]), cells[end:], block.text, tuple(cells)))
        elif not is_page_number(block.text):
            label, numbers = number_tokens(block.text)
            rows.append(ValueRow(label, numbers, block.text, tuple(normalize(block.text).split())))
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
    return ValueRow(label, values, row.text, row.parts)


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


def _cell_value(raw: str, column: Column, key: str, findings: list[Finding]) -> int | Decimal | None:
    if is_blank(raw):
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
        if number.unit == "元":
            return number.value / 10000
        if number.unit is None and column.unit_in_cell:
            findings.append(Finding("READ-UNIT", "warning", f"金额未注明单位，按万元计：{raw}",
                                    f"amount without a unit, taken as 万元: {raw}", (key,), found=raw))
        return number.value
    if number.value == number.value.to_integral_value():
        return int(number.value)
    return number.value  # not a whole number: kept as printed, R5 reports it


# -- table 2 ----------------------------------------------------------------------------------
def read_proactive(blocks: list[Block], ed: Edition) -> TableResult:
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
        split = refused_values(row, len(block.columns), lambda label: best_match(label, targets)[0])
        values = split.values if split else fit(row.values, len(block.columns))
        if values is None:
            if row.has_numbers or row.values:
                result.findings.append(_stray(row, "表二"))
            continue
        if target in seen:
            result.findings.append(_stray(row, "表二"))
            continue
        seen.add(target)
        for column, raw in zip(block.columns, values, strict=True):
            key = f"proactive.{target[1]}.{column.key}"
            result.values[key] = _cell_value(raw, column, key, result.findings)
    return result


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


def read_requests(blocks: list[Block], ed: Edition) -> tuple[TableResult, bool]:
    """Table 3; also says whether its （六）其他处理 is one row."""
    ncols = len(ed.request_columns)
    result = TableResult()
    variants = request_variants(ed)
    known = {row.key: row.labels for rows in variants.values() for row in rows}
    prefixes = tuple({p for rows in variants.values() for r in rows for p in (r.group, r.subgroup) if p})
    candidates: list[ValueRow] = []
    rows, result.findings = drop_subtotal(value_rows(blocks), ncols)
    for row in rows:
        row = refused_values(row, ncols, lambda label: best_match(remove_prefixes(label, prefixes), known)[0]) or row
        values = fit(row.values, ncols)
        if values is not None and (row.has_numbers or best_match(remove_prefixes(row.label, prefixes), known)[0]):
            candidates.append(ValueRow(row.label, values, row.text))  # a row of numbers, or a labelled blank row
        elif row.has_numbers:
            result.findings.append(_stray(row, "表三"))
    alignments = {name: align(candidates, rows) for name, rows in variants.items()}
    name = max(alignments, key=lambda n: (alignments[n].score, n == _printed_variant(blocks, ed)))
    best = alignments[name]
    result.findings += best.findings
    for t, o in best.assigned.items():
        row = best.rows[t]
        for column, raw in zip(ed.request_columns, candidates[o].values, strict=True):
            key = f"requests.{row.key}.{column.key}"
            result.values[key] = _cell_value(raw, column, key, result.findings)
    used = set(best.assigned.values())
    for o, row in enumerate(candidates):
        if o not in used and row.has_numbers and not any(f.quote == row.text for f in best.findings):
            result.findings.append(_stray(row, "表三"))
    return result, name == "collapsed"


# -- table 4 ----------------------------------------------------------------------------------
def read_appeals(blocks: list[Block], ed: Edition) -> tuple[TableResult, int | None]:
    """Table 4's fifteen cells; also the index of the block after its data row."""
    result = TableResult()
    columns = [(g, c) for g in ed.appeal_groups for c in ed.appeal_columns]
    n = len(columns)
    collected: list[str] = []
    end = None
    for i, block in enumerate(blocks):
        [row] = value_rows([block]) or [None]
        if row is None or not row.has_numbers:
            if collected:
                break
            continue
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
    if len(collected) != n:
        if collected:
            result.findings.append(Finding(
                "READ-AMBIGUOUS", "warning", f"表四应有 {n} 个数值，读到 {len(collected)} 个，未填入",
                f"table 4 needs {n} values, found {len(collected)}; left blank", expected=n, found=len(collected)))
        return result, end
    for (group, column), raw in zip(columns, collected, strict=True):
        key = f"appeals.{group.key}.{column.key}"
        result.values[key] = _cell_value(raw, column, key, result.findings)
    return result, end


__all__ = ["edition_markers", "read_appeals", "read_proactive", "read_requests", "value_rows", "number_tokens"]
