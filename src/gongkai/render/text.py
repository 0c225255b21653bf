"""Plain text in the seed's layout: one paragraph per line, table cells separated by tabs."""

from __future__ import annotations

from gongkai.report.model import Report

from .layout import document_title, layout, printed_rows


def write_text(report: Report) -> str:
    lines = [document_title(report), ""]
    if report.published is not None:
        lines += [f"发布日期：{report.published.isoformat()}", ""]
    grids = {g.section: g for g in layout(report.template, report)}
    for section in report.template.sections:
        lines += [section.heading, ""]
        if section.key in grids:
            lines += ["\t".join(row) for row in printed_rows(grids[section.key])]
        else:
            lines += [p for line in (report.texts.get(section.key) or "").split("\n") if (p := line.strip())]
        lines.append("")
    return "\n".join(lines)
