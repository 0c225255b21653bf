"""Markdown: headings, paragraphs and one pipe table per template table (spans flattened)."""

from __future__ import annotations

from gongkai.report.model import Report

from .layout import document_title, layout, printed_rows


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def write_markdown(report: Report) -> str:
    lines = [f"# {document_title(report)}", ""]
    if report.published is not None:
        lines += [f"发布日期：{report.published.isoformat()}", ""]
    grids = {g.section: g for g in layout(report.template, report)}
    for section in report.template.sections:
        lines += [f"## {section.heading}", ""]
        if section.key in grids:
            rows = printed_rows(grids[section.key])
            lines += [_pipe(rows[0]), _pipe(["---"] * len(rows[0])), *(_pipe(r) for r in rows[1:])]
        else:
            for line in (report.texts.get(section.key) or "").split("\n"):
                if line.strip():
                    lines += [line.strip(), ""]
        lines.append("")
    return "\n".join(lines)
