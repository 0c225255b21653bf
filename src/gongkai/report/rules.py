"""Rules R1–R6 and X1–X3 of the spec (and D1, a draft's placeholders left unfilled), as small declarative checks.

R1–R4 are equations between printed cells, listed by :func:`equations`; R5 checks each cell;
R6 the template itself; X1–X3 compare with the previous year's report and with the prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .findings import Finding
from .model import MAX_DIGITS, Report
from .placeholders import unfilled

RULES = {
    "R1": ("本年新收 + 上年结转 = 办理结果总计 + 结转下年度", "new + carried over = handled + carried forward"),
    "R2": ("办理结果总计 = 各项办理结果之和", "total handled = sum of the result rows"),
    "R3": ("总计 = 各类申请人之和", "row total = sum of the six applicant columns"),
    "R4": ("复议、诉讼总计 = 维持 + 纠正 + 其他 + 尚未审结", "appeal total = upheld + corrected + other + pending"),
    "R5": ("数值须为非负整数（收费为非负小数）", "counts are whole numbers ≥ 0, the fee a decimal ≥ 0"),
    "R6": ("须使用现行模板", "the report must follow the template in force"),
    "X1": ("本年上年结转 = 上年结转下年度", "carried over = last year's carried forward"),
    "X2": ("现行有效件数 = 上年现行有效 + 本年制发 − 本年废止", "in force = last year + issued − repealed"),
    "X3": ("正文数字与表格一致", "numbers in the prose agree with the tables"),
    "D1": ("草稿中的待填写内容须填写后方可签发", "placeholders of a draft must be filled before signing"),
}


@dataclass(frozen=True)
class Equation:
    """``sum(left) = sum(right)``, an identity the template prints or implies."""

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]


def equations(report: Report) -> Iterator[Equation]:
    ed = report.template
    cols = [c.key for c in ed.request_columns]
    results = [r.key for r in ed.result_rows]
    if report.collapsed:
        subrows = [r.key for r in ed.result_rows if r.key.startswith("other_handling.")]
        at = results.index(subrows[0])
        results = results[:at] + [r.key for r in ed.collapsed_rows] + results[at + len(subrows):]
    for col in cols:
        yield Equation("R1", (f"requests.new_received.{col}", f"requests.carried_over.{col}"),
                       (f"requests.total_handled.{col}", f"requests.carried_forward.{col}"))
    for col in cols:
        yield Equation("R2", (f"requests.total_handled.{col}",), tuple(f"requests.{r}.{col}" for r in results))
    rows = [r.key for r in ed.request_rows if r.key not in {c.key for c in ed.collapsed_rows}]
    rows = rows if not report.collapsed else rows[: rows.index("total_handled")] + [
        r.key for r in ed.collapsed_rows] + rows[rows.index("total_handled"):]
    for row in rows:
        yield Equation("R3", (f"requests.{row}.total",), tuple(f"requests.{row}.{c}" for c in cols[:-1]))
    for group in ed.appeal_groups:
        parts = tuple(f"appeals.{group.key}.{c.key}" for c in ed.appeal_columns if c.key != "total")
        yield Equation("R4", (f"appeals.{group.key}.total",), parts)


def check(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding of R1–R6 (and X1–X3; X1/X2 only with the previous year's report)."""
    findings = [*_cells(report), *_equations(report), *_template(report), *_prose(report), *_placeholders(report)]
    if previous is not None:
        findings += [*_carry_over(report, previous), *_in_force(report, previous)]
    return findings


def _finding(report: Report, rule: str, severity: str, keys, zh: str, en: str, **kw) -> Finding:
    ed = report.template
    return Finding(rule, severity, zh, en, tuple(keys), tuple(ed.label(k) for k in keys), **kw)


def _cells(report: Report) -> Iterator[Finding]:
    ed = report.template
    for key in report.keys:
        value = report.values[key]
        column = ed.cell(key).column
        if value is None:
            if key not in ed.collapsed_cells and not (report.collapsed and key.startswith("requests.other_handling.")):
                yield _finding(report, "R5", "warning", [key], "单元格空白，无法核验", "blank cell: cannot be verified")
            continue
        if column.type == "money":
            bad = not isinstance(value, Decimal) or value < 0
            zh, en = "收费金额须为非负小数", "the amount must be a decimal ≥ 0"
        else:
            bad = isinstance(value, bool) or not isinstance(value, int) or (value < 0 and not column.signed)
            zh, en = "数值须为非负整数", "a count must be a whole number ≥ 0"
        if bad:
            yield _finding(report, "R5", "error", [key], zh, en, expected="≥ 0", found=value)


def _equations(report: Report) -> Iterator[Finding]:
    for eq in equations(report):
        keys = eq.left + eq.right
        blanks = [k for k in keys if report.values.get(k) is None]
        if len(blanks) == len(keys):
            continue  # a table that is missing altogether is R6's business
        if blanks:
            yield _finding(report, eq.rule, "warning", blanks,
                           f"{RULES[eq.rule][0]}：含空白单元格，无法核验",
                           f"{RULES[eq.rule][1]}: blank cells, cannot be verified")
            continue
        left = sum(report.values[k] for k in eq.left)
        right = sum(report.values[k] for k in eq.right)
        if left != right:
            yield _finding(report, eq.rule, "error", keys,
                           f"{RULES[eq.rule][0]}：应为 {right}，实为 {left}",
                           f"{RULES[eq.rule][1]}: expected {right}, found {left}",
                           expected=right, found=left)


def _template(report: Report) -> Iterator[Finding]:
    ed = report.template
    if report.year is not None and not ed.first_year <= report.year <= ed.last_year:
        severity = "error" if report.year > ed.last_year else "warning"
        yield Finding("R6", severity,
                      f"{report.year}年度报告使用了{ed.name}，应使用现行模板",
                      f"a {report.year} report uses the {ed.id} edition of the template",
                      ("meta.edition",), (ed.label("meta.edition"),), found=ed.id)
    for table in ("proactive", "requests", "appeals"):
        keys = [k for k in ed.table_keys if k.startswith(table + ".")]
        if report.collapsed and table == "requests":
            keys = [k for k in keys if not k.startswith("requests.other_handling.")]
        if all(report.values[k] is None for k in keys):
            heading = ed.section(table).heading
            yield Finding("R6", "error", f"缺少表格：{heading}", f"table missing: {table}", (), ())
    if report.collapsed:
        yield Finding("R6", "warning", "（六）其他处理未按2021年版模板分列三项",
                      "（六）其他处理 is collapsed into one row (2021 edition has three)",
                      tuple(ed.collapsed_cells)[:1], ())
    for key in ("overview", "problems", "other"):
        if report.texts.get(key) is None:
            heading = ed.section(key).heading
            yield Finding("R6", "warning", f"缺少或无法识别的部分：{heading}",
                          f"section missing or heading not recognised: {key}", (key,), (heading,))


def _placeholders(report: Report) -> Iterator[Finding]:
    """D1: a 【请填写：…】 of a generated draft left in a text (an error: the report cannot be signed)."""
    for key in ("overview", "problems", "other"):
        heading = report.template.section(key).heading
        for mark in unfilled(report.texts.get(key)):
            yield Finding("D1", "error", f"{heading}中有未填写的内容：{mark}",
                          f"{key}: a placeholder is not filled in", (key,), (heading,), quote=mark)


def _carry_over(report: Report, previous: Report) -> Iterator[Finding]:
    for col in report.template.request_columns:
        now, before = f"requests.carried_over.{col.key}", f"requests.carried_forward.{col.key}"
        a, b = report.values.get(now), previous.values.get(before)
        if a is not None and b is not None and a != b:
            yield _finding(report, "X1", "warning", [now],
                           f"上年结转 {a} 与上年报告的结转下年度 {b} 不一致",
                           f"carried over {a} differs from last year's carried forward {b}",
                           expected=b, found=a)


def _in_force(report: Report, previous: Report) -> Iterator[Finding]:
    if report.edition != "2021" or previous.edition != "2021":
        return  # not across the 2020→2021 edition change
    for row in ("regulations", "normative_documents"):
        keys = [f"proactive.{row}.{c}" for c in ("in_force", "issued", "repealed")]
        now, issued, repealed = (report.values.get(k) for k in keys)
        before = previous.values.get(keys[0])
        if None in (now, issued, repealed, before):
            continue
        expected = before + issued - repealed
        if now != expected:
            yield _finding(report, "X2", "warning", keys,
                           f"现行有效件数应为 {before}+{issued}−{repealed}={expected}，实为 {now}",
                           f"in force should be {before}+{issued}-{repealed}={expected}, found {now}",
                           expected=expected, found=now)


_N = rf"(?<!\d)(\d{{1,{MAX_DIGITS}}})\s*件"  # a run of digits read from its start, and never too long to convert
_PROSE = (
    ("new_received", re.compile(r"(?:新收|收到)[^。；，,0-9]{0,16}?申请[^。；，,0-9]{0,6}?" + _N)),
    ("carried_over", re.compile(r"上年结转[^。；，,0-9]{0,16}?" + _N)),
    ("carried_forward", re.compile(r"(?:结转下一?年度?|转下一?年度|结转至下一?年度?|结转到下一?年度?)[^。；，,0-9]{0,16}?" + _N)),
    # "行政复议案件2件" first; "2件行政复议" only where no figure follows the word, and never across a list
    # ("行政诉讼案件1件、行政复议案件2件": the 1 is the lawsuits')
    ("review", re.compile(r"行政复议[^。；，,0-9]{0,10}?" + _N)),
    ("lawsuit", re.compile(r"行政诉讼[^。；，,0-9]{0,10}?" + _N)),
    ("review", re.compile(_N + r"(?:(?!行政诉讼)[^。；，,、0-9]){0,16}?行政复议")),
    ("lawsuit", re.compile(_N + r"(?:(?!行政复议)[^。；，,、0-9]){0,16}?行政诉讼")),
)
_INCLUDES_CARRY = re.compile(r"(?:含|包括)[^。；]{0,8}上年结转")


def _prose(report: Report) -> Iterator[Finding]:
    v = report.values
    targets = {
        "new_received": ["requests.new_received.total"],
        "carried_over": ["requests.carried_over.total"],
        "carried_forward": ["requests.carried_forward.total"],
        "review": ["appeals.review.total"],
        "lawsuit": ["appeals.lawsuit_direct.total", "appeals.lawsuit_after_review.total"],
    }
    for key in ("overview", "problems", "other"):
        for sentence in re.split(r"[。；\n]", report.texts.get(key) or ""):
            said: set[str] = set()
            for what, pattern in _PROSE:
                match = None if what in said else pattern.search(sentence)
                if not match:
                    continue
                said.add(what)
                quoted = int(next(g for g in match.groups() if g is not None))
                keys = list(targets[what])
                if what == "new_received" and _INCLUDES_CARRY.search(sentence):
                    keys.append("requests.carried_over.total")
                if any(v.get(k) is None for k in keys):
                    continue
                table = sum(v[k] for k in keys)
                if quoted != table:
                    yield _finding(report, "X3", "warning", keys,
                                   f"正文称 {quoted} 件，表格为 {table} 件",
                                   f"the prose says {quoted}, the table says {table}",
                                   expected=table, found=quoted, quote=sentence.strip())
