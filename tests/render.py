"""Test support: random reports of both editions, and simple renderings of them (HTML for
WeasyPrint, tab-separated text, Markdown), used by the round-trip tests and ``bench/read.py``.

These are not the product's writers; the HTML lays the template's tables out the way agencies
print them (group labels in merged cells, wrapped headers, page numbers and a running header).
"""

from __future__ import annotations

import random
from decimal import Decimal
from html import escape

from hypothesis import strategies as st

from gongkai.report.model import Report
from gongkai.report.template import TEXT_KEYS, edition

AGENCIES = ("淮安市洪泽区人民政府", "上海市科学技术委员会", "某某县教育局", "北京市海淀区人民政府办公室", "国家统计局")
WORDS = ("政府信息公开", "主动公开", "依申请公开", "政务新媒体", "平台建设", "监督保障", "工作机制", "规范办理",
         "全面推进", "进一步加强", "年度考核", "答复文书", "政策解读", "群众期盼")

def _text(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        sentences = ("，".join(rng.choices(WORDS, k=rng.randint(3, 12))) + "。" for _ in range(rng.randint(1, 5)))
        paragraphs.append("".join(sentences))
    return "\n".join(paragraphs)


def random_report(rng: random.Random) -> Report:
    """A random complete report of either edition: every cell printed, texts of a few paragraphs."""
    ed = edition(rng.choice(("2021", "2019")))
    year = rng.randint(2021, 2025) if ed.id == "2021" else rng.randint(2019, 2020)
    report = Report(edition=ed.id, agency=rng.choice(AGENCIES), year=year)
    if ed.collapsed_rows and rng.random() < 0.3:
        report.collapse_other_handling()  # its three sub-rows stay blank
    for key in report.keys:
        if report.collapsed and key in ed.cells and key.startswith("requests.other_handling."):
            continue
        column = ed.cell(key).column
        if column.type == "money":
            report.values[key] = Decimal(rng.randint(0, 10**8)).scaleb(-rng.randint(0, 4))
        else:
            report.values[key] = rng.choice((0, 1, rng.randint(-500 if column.signed else 0, 99999)))
    for key in TEXT_KEYS:
        report.texts[key] = _text(rng)
    return report


reports = st.builds(random_report, st.randoms(use_true_random=False))


def _number(report: Report, key: str) -> str:
    value = report.values[key]
    if value is None:  # a blank cell prints nothing
        return ""
    if isinstance(value, Decimal):
        return format(value, "f") + ("万元" if report.template.cell(key).column.unit_in_cell else "")
    return str(value)


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    return f'<td rowspan="{rowspan}" colspan="{colspan}">{escape(text)}</td>'


def _proactive(report: Report) -> str:
    ed = report.template
    out = []
    for block in ed.proactive:
        rows = [f"<tr>{_td(block.caption, colspan=len(block.columns) + 1)}</tr>",
                "<tr>" + _td(ed.proactive_first_column) + "".join(_td(c.label) for c in block.columns) + "</tr>"]
        for row in block.rows:
            cells = "".join(_td(_number(report, block.key(row, c))) for c in block.columns)
            rows.append(f"<tr>{_td(row.label)}{cells}</tr>")
        out.append(f"<table>{''.join(rows)}</table>")
    return "".join(out)


def _requests(report: Report) -> str:
    ed = report.template
    rows = report.template.request_rows
    if report.collapsed:
        subrows = [i for i, r in enumerate(rows) if r.key.startswith("other_handling.")]
        rows = (*rows[:subrows[0]], *ed.collapsed_rows, *rows[subrows[-1] + 1:])
    html = ["<tr>" + "".join(_td(h.text, h.rowspan, h.colspan) for h in line) + "</tr>" for line in ed.request_header]
    for i, row in enumerate(rows):
        cells = []
        if row.group is None:
            cells.append(_td(row.label, colspan=3))
        else:
            if i == 0 or rows[i - 1].group != row.group:
                cells.append(_td(row.group, rowspan=sum(r.group == row.group for r in rows)))
            if row.subgroup is None:
                cells.append(_td(row.label, colspan=2))
            else:
                if rows[i - 1].subgroup != row.subgroup:
                    cells.append(_td(row.subgroup, rowspan=sum(r.subgroup == row.subgroup for r in rows)))
                cells.append(_td(row.label))
        cells += [_td(_number(report, f"requests.{row.key}.{c.key}")) for c in ed.request_columns]
        html.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table>{''.join(html)}</table>"


def _appeals(report: Report) -> str:
    ed = report.template
    html = ["<tr>" + "".join(_td(h.text, h.rowspan, h.colspan) for h in line) + "</tr>" for line in ed.appeal_header]
    keys = [f"appeals.{g.key}.{c.key}" for g in ed.appeal_groups for c in ed.appeal_columns]
    html.append("<tr>" + "".join(_td(_number(report, k)) for k in keys) + "</tr>")
    return f"<table>{''.join(html)}</table>"


def _paragraphs(text: str | None) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in (text or "").split("\n") if p)


CSS = """
@page { size: A4; margin: 2.5cm 2cm; @top-center { content: "政府信息公开工作年度报告"; font-size: 9pt; }
        @bottom-center { content: "- " counter(page) " -"; font-size: 10pt; } }
body { font-family: "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.6; }
h1 { font-size: 18pt; text-align: center; } h2 { font-size: 14pt; }
p { text-indent: 2em; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 9pt; }
td { border: 0.5pt solid black; padding: 2pt 3pt; text-align: center; }
tr { break-inside: avoid; }
"""


# no rules, and cells whose baselines drift by up to 3pt from column to column
BORDERLESS = ("td { border: none; vertical-align: top; } td:nth-child(3n+1) { padding-top: 5pt; }"
              " td:nth-child(3n+2) { padding-top: 3.5pt; }")


# narrow tables whose numbers and labels wrap inside their ruled cells (as in Word/WPS exports), values set
# at the top of their cells or in the middle
WRAPPING = "table { width: 58%; } td { word-break: break-all; vertical-align: top; }"
WRAPPING_MIDDLE = "table { width: 58%; } td { word-break: break-all; vertical-align: middle; }"
# a WPS Office export: 公文 margins, another font set (monospaced CJK, condensed Latin digits), 五号 (10.5pt)
# type in narrow ruled tables where numbers and labels wrap inside their cells
WPS_EXPORT = ("@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; } "
              "body { font-family: 'Noto Sans Mono CJK SC', monospace; font-size: 16pt; line-height: 1.5; } "
              "table { width: 52%; font-size: 10.5pt; } "
              "td { font-family: 'DejaVu Serif Condensed', 'Noto Sans Mono CJK SC'; word-break: break-all; "
              "vertical-align: middle; padding: 1pt 1.5pt; line-height: 1.2; }")
# column rules only: no horizontal rule between two rows, so only the text itself says where a cell wraps
COLUMN_RULES_ONLY = "td { border-top: none; border-bottom: none; }"


def render_html(report: Report, css: str = "") -> str:
    ed = report.template
    heading = {s.key: s.heading for s in ed.sections}
    body = [f"<h1>{escape(report.agency or '')}{report.year}年政府信息公开工作年度报告</h1>",
            f"<h2>{heading['overview']}</h2>", _paragraphs(report.texts["overview"]),
            f"<h2>{heading['proactive']}</h2>", _proactive(report),
            f"<h2>{heading['requests']}</h2>", _requests(report),
            f"<h2>{heading['appeals']}</h2>", _appeals(report),
            f"<h2>{heading['problems']}</h2>", _paragraphs(report.texts["problems"]),
            f"<h2>{heading['other']}</h2>", _paragraphs(report.texts["other"]),
            f'<p style="text-align: right">{escape(report.agency or "")}</p>']
    if report.published is not None:  # the date under the signature is the publication date
        body.append(f'<p style="text-align: right">{report.published.year}年{report.published.month}月'
                    f'{report.published.day}日</p>')
    return f"<html><head><meta charset='utf-8'><style>{CSS}{css}</style></head><body>{''.join(body)}</body></html>"


def render_pdf(report: Report, css: str = "") -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report, css)).write_pdf()


def render_lines(report: Report) -> list[str | list[str]]:
    """The report as paragraphs (strings) and table rows (lists of cells), merged cells printed once."""
    ed = report.template
    heading = {s.key: s.heading for s in ed.sections}
    out: list[str | list[str]] = [f"{report.agency}{report.year}年政府信息公开工作年度报告", heading["overview"]]
    out += (report.texts["overview"] or "").split("\n")
    out.append(heading["proactive"])
    for block in ed.proactive:
        out += [[block.caption], [ed.proactive_first_column, *(c.label for c in block.columns)]]
        out += [[row.label, *(_number(report, block.key(row, c)) for c in block.columns)] for row in block.rows]
    out += [heading["requests"], [ed.request_note, "申请人情况"], ["", *(c.label for c in ed.request_columns)]]
    rows = ed.request_rows
    if report.collapsed:
        subrows = [i for i, r in enumerate(rows) if r.key.startswith("other_handling.")]
        rows = (*rows[:subrows[0]], *ed.collapsed_rows, *rows[subrows[-1] + 1:])
    previous = None
    for row in rows:
        group = row.group if row.group and (previous is None or previous.group != row.group) else ""
        subgroup = row.subgroup if row.subgroup and (previous is None or previous.subgroup != row.subgroup) else ""
        values = [_number(report, f"requests.{row.key}.{c.key}") for c in ed.request_columns]
        out.append([group, subgroup, row.label, *values])
        previous = row
    out += [heading["appeals"], [g.label for g in ed.appeal_groups], [c.label for c in ed.appeal_columns] * 3]
    out.append([_number(report, f"appeals.{g.key}.{c.key}") for g in ed.appeal_groups for c in ed.appeal_columns])
    for key in ("problems", "other"):
        out += [heading[key], *(report.texts[key] or "").split("\n")]
    return out


def render_text(report: Report) -> str:
    """Plain text as copied from a web page: tab-separated cells."""
    return "\n".join(x if isinstance(x, str) else "\t".join(x) for x in render_lines(report)) + "\n"


def render_markdown(report: Report) -> str:
    """Markdown with pipe tables."""
    lines: list[str] = []
    for x in render_lines(report):
        if isinstance(x, str):
            lines += ["", x, ""]
        else:
            lines.append("| " + " | ".join(x) + " |")
    return "\n".join(lines) + "\n"
