"""Two versions of a report and what changed between them: once a report is signed off, a later change makes a
new version, and its diff says which cells changed (with their Chinese labels, old → new) and how the texts
changed (a unified diff of the paragraphs).

A version is a :class:`Report` or its flat form.  Money compares by value (``25.1`` = ``25.1000``) and texts
compare without whitespace, as the spec's flat form does: a change that is only whitespace is no change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from .model import Report
from .template import META_KEYS, OPTIONAL_META_KEYS, TEXT_KEYS


@dataclass(frozen=True)
class CellChange:
    key: str
    label: str
    old: Any  # flat-form values: int, decimal string, str or None
    new: Any


@dataclass(frozen=True)
class TextChange:
    key: str
    heading: str
    diff: tuple[str, ...]  # unified diff lines of the paragraphs, headers included


@dataclass(frozen=True)
class ReportDiff:
    old_label: str
    new_label: str
    cells: tuple[CellChange, ...]
    texts: tuple[TextChange, ...]

    @property
    def empty(self) -> bool:
        return not self.cells and not self.texts

    def to_json(self) -> dict[str, Any]:
        """The diff as plain JSON (flat-form values), for the API and the audit log."""
        return {
            "old": self.old_label, "new": self.new_label,
            "cells": [{"key": c.key, "label": c.label, "old": c.old, "new": c.new} for c in self.cells],
            "texts": [{"key": t.key, "heading": t.heading, "diff": list(t.diff)} for t in self.texts],
        }


def diff_reports(old: Report | dict, new: Report | dict, *, old_label: str = "原版本",
                 new_label: str = "新版本") -> ReportDiff:
    """What changed from ``old`` to ``new``: metadata and cells in template order, then the three texts."""
    old_report, new_report = _report(old), _report(new)
    a, b = old_report.flat(), new_report.flat()
    order = [*META_KEYS, *OPTIONAL_META_KEYS, *new_report.keys,
             *(k for k in old_report.keys if k not in new_report.values)]
    cells = []
    for key in order:
        x, y = a.get(key), b.get(key)
        if not _same(x, y):
            template = new_report.template if key in b else old_report.template
            cells.append(CellChange(key, template.label(key), x, y))
    texts = []
    for key in TEXT_KEYS:
        x, y = a.get(key) or "", b.get(key) or ""
        if "".join(x.split()) == "".join(y.split()):
            continue
        heading = new_report.template.section(key).heading
        lines = difflib.unified_diff(_paragraphs(x), _paragraphs(y), f"{old_label} {heading}",
                                     f"{new_label} {heading}", lineterm="", n=1)
        texts.append(TextChange(key, heading, tuple(lines)))
    return ReportDiff(old_label, new_label, tuple(cells), tuple(texts))


def _report(version: Report | dict) -> Report:
    return version if isinstance(version, Report) else Report.from_flat(version)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, str) and isinstance(y, str) and x != y:
        try:
            return Decimal(x) == Decimal(y)
        except ArithmeticError:
            return False
    return x == y


def shown(value: Any) -> str:
    """A flat-form value as a clerk reads it."""
    if value is None:
        return "（空白）"
    return str(value)


# -- renderers ------------------------------------------------------------------------------------------
def diff_text(diff: ReportDiff) -> str:
    """The diff as plain Chinese text."""
    lines = [f"{diff.old_label} → {diff.new_label}"]
    if diff.empty:
        return lines[0] + "：无变化\n"
    if diff.cells:
        lines.append(f"变更的数据（{len(diff.cells)}项）：")
        lines += [f"  {c.label}：{shown(c.old)} → {shown(c.new)}" for c in diff.cells]
    for change in diff.texts:
        lines.append(f"变更的文字：{change.heading}")
        lines += [f"  {line}" for line in change.diff]
    return "\n".join(lines) + "\n"


def diff_html(diff: ReportDiff) -> str:
    """The diff as an HTML fragment (every text escaped): a table of changed cells, then each text's diff."""
    title = f"{escape(diff.old_label)} → {escape(diff.new_label)}"
    if diff.empty:
        return f'<section class="report-diff"><h3>{title}</h3><p>无变化</p></section>'
    out = [f'<section class="report-diff"><h3>{title}</h3>']
    if diff.cells:
        rows = "".join(
            f"<tr><td>{escape(c.label)}</td><td><del>{escape(shown(c.old))}</del></td>"
            f"<td><ins>{escape(shown(c.new))}</ins></td></tr>" for c in diff.cells)
        out.append(f"<h4>变更的数据（{len(diff.cells)}项）</h4><table><thead><tr><th>项目</th>"
                   f"<th>{escape(diff.old_label)}</th><th>{escape(diff.new_label)}</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>")
    for change in diff.texts:
        out.append(f"<h4>变更的文字：{escape(change.heading)}</h4><pre>")
        out += [_diff_line(line) for line in change.diff]
        out.append("</pre>")
    out.append("</section>")
    return "".join(out)


def _diff_line(line: str) -> str:
    if line.startswith(("+++", "---", "@@")):
        return f'<span class="diff-head">{escape(line)}</span>\n'
    if line.startswith("+"):
        return f"<ins>{escape(line)}</ins>\n"
    if line.startswith("-"):
        return f"<del>{escape(line)}</del>\n"
    return f"{escape(line)}\n"
