"""The variation generator: random reports (``render.random_report``) rendered through the layouts real
publishers produce, and the judge that compares what the reader gives back with the report.

A layout is a function ``(report, rng) -> (file name, bytes)``; ``LOSSY`` says, for the layouts that
genuinely lose information, what is lost and why.  ``judge`` sorts one read-back into exact,
blank-with-finding (every lost cell blank and named by a reader finding) or wrong (a different number,
agency or year, or a blank no reader finding names).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from render import (
    BORDERLESS,
    COLUMN_RULES_ONLY,
    WPS_EXPORT,
    WRAPPING,
    WRAPPING_MIDDLE,
    random_report,
    render_html,
    render_lines,
    render_pdf,
)

from gongkai.read import Extraction
from gongkai.report.model import Report
from gongkai.report.template import TEXT_KEYS

Layout = Callable[[Report, random.Random], tuple[str, bytes]]
Lines = list[str | list[str]]

SUBHEADINGS = ("（一）主动公开政府信息情况", "（二）依申请公开政府信息情况", "（三）政府信息管理情况",
               "（四）平台建设情况", "（五）监督保障情况")


def reports_of(edition_id: str, count: int, seed: int) -> list[Report]:
    """``count`` random reports of one edition, the same for the same seed."""
    rng = random.Random(seed)
    out: list[Report] = []
    while len(out) < count:
        report = random_report(rng)
        if report.edition == edition_id:
            out.append(report)
    return out


# -- layouts of rows and paragraphs -------------------------------------------------------------------
def _is_caption(x: str | list[str]) -> bool:
    return isinstance(x, list) and len(x) == 1 and x[0].startswith("第二十条")


def _tables(lines: Lines) -> list[list[int]]:
    """Indexes of the rows of each table (runs of consecutive rows)."""
    out: list[list[int]] = []
    for i, x in enumerate(lines):
        if isinstance(x, list):
            if i == 0 or not isinstance(lines[i - 1], list):
                out.append([])
            out[-1].append(i)
    return out


def _text_of(lines: Lines, sep: str = "\t") -> bytes:
    return ("\n".join(x if isinstance(x, str) else sep.join(x) for x in lines) + "\n").encode()


def _markdown(lines: Lines, outer: bool = True, align: bool = False) -> bytes:
    out: list[str] = []
    previous_row = False
    for x in lines:
        if isinstance(x, str):
            out += ["", x, ""]
            previous_row = False
            continue
        if not outer and len(x) == 1:  # without outer pipes a one-cell row is a line of its own
            out.append(x[0])
            previous_row = False
            continue
        row = " | ".join(c if c else " " for c in x)
        out.append(f"| {row} |" if outer else row)
        if align and not previous_row:  # the alignment row under each table's first row
            rule = " | ".join(":---" if i == 0 else "---:" for i in range(len(x)))
            out.append(f"| {rule} |" if outer else rule)
        previous_row = True
    return ("\n".join(out) + "\n").encode()


def text_tabs(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _text_of(render_lines(report))


def markdown_pipes(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(render_lines(report))


def markdown_aligned(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(render_lines(report), align=True)


def markdown_no_outer_pipes(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(render_lines(report), outer=False, align=True)


def _repeat_headers(lines: Lines, rng: random.Random) -> Lines:
    """Table 3's two header rows printed again in the middle of the table, as after a page break."""
    out = list(lines)
    table3 = next(t for t in _tables(out) if any(isinstance(out[i], list) and "自然人" in out[i] for i in t))
    headers = [out[i] for i in table3[:2]]
    at = rng.randint(table3[3], table3[-2])
    out[at:at] = [list(h) for h in headers]
    return out


def markdown_repeated_header(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(_repeat_headers(render_lines(report), rng))


def text_repeated_header(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _text_of(_repeat_headers(render_lines(report), rng))


def _merge_item_headings(lines: Lines, into: str) -> Lines:
    """Each 第二十条第（X）项 caption printed in the table's next row: its header row or its first row."""
    out: Lines = []
    pending = None
    for x in lines:
        if _is_caption(x):
            pending = x[0]
            continue
        if pending is not None and isinstance(x, list) and (into == "header" or x[0] != "信息内容"):
            out.append([f"{pending} {x[0]}", *x[1:]])
            pending = None
            continue
        out.append(x)
    return out


def markdown_item_heading_in_header(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(_merge_item_headings(render_lines(report), "header"))


def markdown_item_heading_in_first_row(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(_merge_item_headings(render_lines(report), "first row"))


def text_item_heading_in_first_row(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _text_of(_merge_item_headings(render_lines(report), "first row"))


def _table2_rows(lines: Lines) -> list[int]:
    """The rows of table 2's first block (第二十条第（一）项: 规章, 规范性文件)."""
    header = next(i for i, x in enumerate(lines) if isinstance(x, list) and x[0] == "信息内容")
    rows = []
    for i in range(header + 1, len(lines)):
        if not isinstance(lines[i], list) or _is_caption(lines[i]):
            break
        rows.append(i)
    return rows


def markdown_merged_cell(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """A table-2 row whose two value cells are printed in one (``| 规章 | 22 235 | 0 |``)."""
    lines = render_lines(report)
    for i in _table2_rows(lines):
        row = lines[i]
        lines[i] = [row[0], f"{row[1]} {row[2]}", row[3]] if rng.random() < 0.5 else [f"{row[0]} {row[1]}", *row[2:]]
    return "report.md", _markdown(lines)


def markdown_missing_cell(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """A table-2 row printed one cell short: which of its numbers is missing, nothing says."""
    lines = render_lines(report)
    i = rng.choice(_table2_rows(lines))
    row = lines[i]
    lines[i] = [row[0], *row[1:][:2]]
    return "report.md", _markdown(lines)


def _table3_rows(lines: Lines) -> list[int]:
    """The value rows of table 3 (those with the seven applicant columns after three label cells)."""
    return [i for i, x in enumerate(lines) if isinstance(x, list) and len(x) == 10 and x[2]]


def markdown_merged_cell_table3(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """Two of a table-3 row's numbers printed in one cell (the row keeps its label)."""
    lines = render_lines(report)
    for i in rng.sample(_table3_rows(lines), 3):
        row = lines[i]
        at = rng.randint(3, 8)
        lines[i] = [*row[:at], f"{row[at]} {row[at + 1]}", *row[at + 2:]]
    return "report.md", _markdown(lines)


def markdown_missing_cell_table3(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """A table-3 row printed one cell short: which of its numbers is missing, nothing says."""
    lines = render_lines(report)
    i = rng.choice(_table3_rows(lines))
    row = lines[i]
    at = rng.randint(3, 9)
    lines[i] = [*row[:at], *row[at + 1:]]
    return "report.md", _markdown(lines)


def markdown_appeals_cell_per_group(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """Table 4's numbers in three cells, one per group (``| 0 0 1 0 1 | …``)."""
    lines = render_lines(report)
    at = next(i for i, x in enumerate(lines) if isinstance(x, list) and x and x[0] == "行政复议")
    values = lines[at + 2]
    size = len(values) // 3
    lines[at + 2] = [" ".join(values[g * size:(g + 1) * size]) for g in range(3)]
    return "report.md", _markdown(lines)


def _appeals_by_group(lines: Lines) -> Lines:
    """Table 4 as three short tables, one per group: the group, its five headers, its five numbers."""
    at = next(i for i, x in enumerate(lines) if isinstance(x, list) and x and x[0] == "行政复议")
    groups, columns, values = lines[at], lines[at + 1], lines[at + 2]
    size = len(columns) // len(groups)
    rows: Lines = []
    for g, group in enumerate(groups):
        rows += [[group, *columns[g * size:(g + 1) * size]], ["", *values[g * size:(g + 1) * size]]]
    return [*lines[:at], *rows, *lines[at + 3:]]


def text_appeals_by_group(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _text_of(_appeals_by_group(render_lines(report)))


def text_appeals_one_line(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """Table 4's headers as paragraphs and its fifteen numbers on one line separated by spaces."""
    lines = render_lines(report)
    at = next(i for i, x in enumerate(lines) if isinstance(x, list) and x and x[0] == "行政复议")
    lines[at:at + 3] = [" ".join(lines[at]), " ".join(lines[at + 1]), " ".join(lines[at + 2])]
    return "report.txt", _text_of(lines)


def _with_subheadings(report: Report) -> Report:
    copy = _copy(report)
    paragraphs = (report.texts["overview"] or "").split("\n")
    copy.texts["overview"] = "\n".join(f"{h}\n{paragraphs[i % len(paragraphs)]}" for i, h in enumerate(SUBHEADINGS))
    return copy


def _consistent(report: Report) -> Report:
    """The report with its arithmetic made to hold (R1–R4), as a real report's mostly does: reading
    run-together digits leans on the printed totals, which random numbers do not satisfy; and the
    small counts most agencies print (a cell of 0–19 before the totals)."""
    from gongkai.report.rules import equations

    copy = _copy(report)
    v = copy.values
    for key, value in v.items():  # the small counts most agencies print
        v[key] = value % 20 if isinstance(value, int) else value
    eqs = [e for e in equations(copy) if any(v[k] is not None for k in e.right)]
    for eq in (e for e in eqs if e.rule == "R2" and not e.left[0].endswith(".total")):
        v[eq.left[0]] = sum(v[k] or 0 for k in eq.right)
    for eq in (e for e in eqs if e.rule == "R1" and not e.left[0].endswith(".total")):
        (new, carried), (handled, forward) = eq.left, eq.right
        v[carried] = min(v[carried], v[handled] + v[forward])
        v[new] = v[handled] + v[forward] - v[carried]
    for eq in (e for e in eqs if e.rule in ("R3", "R4")):
        v[eq.left[0]] = sum(v[k] or 0 for k in eq.right)
    return copy


def _copy(report: Report) -> Report:
    copy = Report(edition=report.edition, agency=report.agency, year=report.year, published=report.published)
    if report.collapsed:
        copy.collapse_other_handling()
    copy.values.update(report.values)
    copy.texts.update(report.texts)
    return copy


# -- running text -----------------------------------------------------------------------------------
def _running(lines: Lines, label_gap: str, value_gap: str) -> bytes:
    """The whole report as one paragraph (a site archive's text of a page): headings, rows and
    paragraphs joined by spaces; in a row, ``label_gap`` after the label and ``value_gap`` between numbers."""
    parts = []
    for x in lines:
        if isinstance(x, str):
            parts.append(x)
            continue
        cells = [c for c in x if c]
        first = next((i for i, c in enumerate(cells) if re.fullmatch(r"-?[\d.]+(万元)?", c)), len(cells))
        label, values = " ".join(cells[:first]), cells[first:]
        parts.append(label + (label_gap if label and values else "") + value_gap.join(values))
    return (" ".join(p for p in parts if p) + "\n").encode()


def running_spaces(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _running(render_lines(report), " ", " ")


def running_label_touching(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _running(render_lines(report), "", " ")


def running_digits_together(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _running(render_lines(report), " ", "")


def _hard_wrapped(text: str, width: int) -> str:
    """Each line of ``text`` wrapped at ``width`` characters as a site archive or an e-mail does: anywhere
    inside words and labels, never inside a number (the break moves back to before it); a space at
    the break is dropped."""
    out: list[str] = []
    for line in text.splitlines():
        while len(line) > width:
            cut = width
            while cut > 0 and re.match(r"[\d.]", line[cut - 1]) and re.match(r"[\d.万元]", line[cut]):
                cut -= 1  # inside a number: break before it
            cut = cut or width
            out.append(line[:cut].rstrip())
            line = line[cut:].lstrip(" ")
        out.append(line)
    return "\n".join(out) + "\n"


def _running_wrapped(width: int, running: Layout | None = None) -> Layout:
    def layout(report: Report, rng: random.Random) -> tuple[str, bytes]:
        _, data = (running or running_spaces)(report, rng)
        return "report.txt", _hard_wrapped(data.decode(), width).encode()
    return layout


# -- web pages ------------------------------------------------------------------------------------
def _blank_some(report: Report) -> Report:
    """About one cell in eight left blank (an agency that prints nothing, or a dash, for a zero)."""
    copy = _copy(report)
    rng = random.Random(f"{report.agency}{report.year}")
    for key, value in copy.values.items():
        if value is not None and rng.random() < 0.125:
            copy.values[key] = None
    return copy


def _blank_zeros(report: Report) -> Report:
    """Half the zeros left blank (not the totals): the arithmetic still holds, a blank counting as nothing."""
    copy = _copy(report)
    rng = random.Random(f"{report.agency}{report.year}")
    for key, value in copy.values.items():
        if value == 0 and not key.endswith(".total") and rng.random() < 0.5:
            copy.values[key] = None
    return copy


def _silent_zeros(report: Report) -> Report:
    """An agency that prints nothing for zero: about half the counts 0, the arithmetic made to hold,
    then every 0 (totals too) left blank, so the page prints no 0 anywhere in its tables."""
    copy = _copy(report)
    rng = random.Random(f"silent/{report.agency}{report.year}")
    for key, value in copy.values.items():
        if isinstance(value, int) and not key.endswith(".total") and rng.random() < 0.5:
            copy.values[key] = 0
    copy = _consistent(copy)
    for key, value in copy.values.items():
        if value is not None and value == 0:
            copy.values[key] = None
    return copy


def _dash_blanks(lines: Lines, mark: str) -> Lines:
    """Blank value cells printed as ``mark``: from the first value column of each row on."""
    out: Lines = []
    for x in lines:
        if isinstance(x, list) and len(x) > 1:
            first = 3 if len(x) == 10 else 0 if all(c == "" or c[0].isdigit() for c in x) else 1
            x = [mark if i >= first and c == "" else c for i, c in enumerate(x)]
        out.append(x)
    return out


def text_blank_cells_dashed(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.txt", _text_of(_dash_blanks(render_lines(report), "—"))


def markdown_blank_cells_slashed(report: Report, rng: random.Random) -> tuple[str, bytes]:
    return "report.md", _markdown(_dash_blanks(render_lines(report), "/"))


def html_title_only_in_head(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """The page's <title> the only place the title is printed; the body starts with the preamble."""
    _, page = html_in_site_chrome(report, rng)
    return "report.html", re.sub(rb"<h1>.*?</h1>", b"", page.replace(b"\xe5\x8f\x91\xe5\xb8\x83", b"", 0), count=1)


def html_in_site_chrome(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """The report inside a site page: <title>, navigation, breadcrumbs, the title in an <h1> outside
    the body, a 发布时间 line and a preamble naming the agency inside a longer phrase."""
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    body = render_html(report).split("<body>", 1)[1].split("</body>", 1)[0]
    body = re.sub(r"<h1>.*?</h1>", "", body, count=1)
    preamble = (f"<p>根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现向社会公布"
                f"{escape(report.agency or '')}{report.year}年政府信息公开工作年度报告。本报告所列数据的统计期限自"
                f"{report.year}年1月1日起至{report.year}年12月31日止。</p>")
    nav = "".join(f"<li><a href='/{i}'>{t}</a></li>" for i, t in enumerate(("首页", "政务公开", "政府信息公开年报", "互动交流")))
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}_{escape(report.agency or '')}"
            f"</title></head><body><div class='header'><ul class='nav'>{nav}</ul></div>"
            f"<div class='crumbs'>当前位置：<a href='/'>首页</a> &gt; <a href='/gk'>政务公开</a> &gt; 年度报告</div>"
            f"<h1>{escape(title)}</h1><div class='info'>发布时间：{report.year + 1}-01-20 来源：办公室 浏览次数：123</div>"
            f"<div class='article'>{preamble}{body}</div>"
            f"<div class='footer'>主办单位：{escape(report.agency or '')} 网站标识码：3200000001 ICP备案号：苏ICP备05009171号</div>"
            f"</body></html>")
    return "report.html", page.encode()


# -- PDF ------------------------------------------------------------------------------------------
def _pdf(css: str) -> Layout:
    def layout(report: Report, rng: random.Random) -> tuple[str, bytes]:
        return "report.pdf", render_pdf(report, css)
    return layout


def _table3_header_repeated(html: str) -> str:
    """Table 3's header rows in <thead>: WeasyPrint prints them again on every page the table spans."""
    tables = html.split("<table>")
    at = next(i for i, t in enumerate(tables) if "申请人情况" in t.split("</table>")[0])
    rows = tables[at].split("</tr>")
    head = next(i for i, row in enumerate(rows) if "商业企业" in row) + 1  # every header row
    tables[at] = "<thead>" + "</tr>".join(rows[:head]) + "</tr></thead><tbody>" + "</tr>".join(rows[head:])
    tables[at] = tables[at].replace("</table>", "</tbody></table>", 1)
    return "<table>".join(tables)


def pdf_repeated_header(report: Report, rng: random.Random) -> tuple[str, bytes]:
    from weasyprint import HTML

    return "report.pdf", HTML(string=_table3_header_repeated(render_html(report, "table { font-size: 12pt; }"))).write_pdf()


def pdf_wps_export(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """A WPS Office export: another font set, narrow ruled tables whose numbers and labels wrap inside
    their cells, table 3 across pages with its header rows repeated."""
    from weasyprint import HTML

    return "report.pdf", HTML(string=_table3_header_repeated(render_html(report, WPS_EXPORT))).write_pdf()


# LibreOffice hiding the metric-compatible fonts: the digits set wider, wrapping in the DOCX's cells
WITHOUT_METRIC_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*/liberation*</glob><glob>*/Liberation*</glob></rejectfont></selectfont>
</fontconfig>
"""


def libreoffice_export(report: Report, rng: random.Random) -> tuple[str, bytes]:
    """gongkai's own DOCX saved as PDF by LibreOffice, with a font set without Liberation."""
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    from conftest import require_tool

    from gongkai.render import WRITERS

    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "fonts.conf").write_text(WITHOUT_METRIC_FONTS, encoding="utf-8")
        (Path(tmp) / "report.docx").write_bytes(WRITERS["docx"].render(report))
        env = {**os.environ, "FONTCONFIG_FILE": str(Path(tmp) / "fonts.conf")}
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(Path(tmp) / "report.docx")], check=True, capture_output=True,
                       timeout=240, env=env)
        return "report.pdf", (Path(tmp) / "report.pdf").read_bytes()


LAYOUTS: dict[str, Layout] = {
    "text: tab-separated": text_tabs,
    "text: repeated header rows": text_repeated_header,
    "text: item heading in first row": text_item_heading_in_first_row,
    "text: table 4 by group": text_appeals_by_group,
    "text: table 4 on one line": text_appeals_one_line,
    "running text: single spaces": running_spaces,
    "running text: label touching digits": running_label_touching,
    "running text: digits run together": running_digits_together,
    "running text hard-wrapped at 72 characters": _running_wrapped(72),
    "running text hard-wrapped at 40 characters": _running_wrapped(40),
    "running text, digits run together, hard-wrapped at 72 characters": _running_wrapped(72, running_digits_together),
    "markdown: outer pipes": markdown_pipes,
    "markdown: alignment rows": markdown_aligned,
    "markdown: no outer pipes": markdown_no_outer_pipes,
    "markdown: repeated header rows": markdown_repeated_header,
    "markdown: item heading in header row": markdown_item_heading_in_header,
    "markdown: item heading in first row": markdown_item_heading_in_first_row,
    "markdown: merged cell": markdown_merged_cell,
    "markdown: missing cell": markdown_missing_cell,
    "markdown: two numbers in one table-3 cell": markdown_merged_cell_table3,
    "markdown: table-3 row one cell short": markdown_missing_cell_table3,
    "markdown: table 4 one cell per group": markdown_appeals_cell_per_group,
    "text: blank cells printed as —": text_blank_cells_dashed,
    "markdown: blank cells printed as /": markdown_blank_cells_slashed,
    "html: site chrome and preamble": html_in_site_chrome,
    "html: title only in <title>": html_title_only_in_head,
    "pdf: ruled": _pdf(""),
    "pdf: narrow, wrapping (top)": _pdf(WRAPPING),
    "pdf: narrow, wrapping (middle)": _pdf(WRAPPING_MIDDLE),
    "pdf: column rules only": _pdf(COLUMN_RULES_ONLY),
    "pdf: borderless": _pdf(BORDERLESS),
    "pdf: narrow, wrapping, sans-serif fonts (DejaVu Sans, Noto Sans CJK)": _pdf(WRAPPING + " td { font-family: 'DejaVu Sans',"
                                                                 " 'Noto Sans CJK SC'; font-size: 10pt; }"),
    "pdf: header rows repeated across pages": pdf_repeated_header,
    "pdf: WPS-style export (monospaced CJK, condensed digits, narrow wrapping cells, header repeated)": pdf_wps_export,
    "pdf: LibreOffice export of the DOCX, no Liberation fonts": libreoffice_export,
}
# layouts that change the report itself before rendering it (the overview's own sub-headings)
PREPARE: dict[str, Callable[[Report], Report]] = {}
for _name, _layout in (("text: overview with （一）…（五）", text_tabs), ("running text: overview with （一）…（五）", running_spaces),
                       ("markdown: overview with （一）…（五）", markdown_pipes)):
    LAYOUTS[_name] = _layout
    PREPARE[_name] = _with_subheadings

PREPARE["running text: digits run together"] = _consistent
PREPARE["running text, digits run together, hard-wrapped at 72 characters"] = _consistent
for _name, _layout in (("running text: blank cells print nothing, single spaces", running_spaces),
                       ("running text: blank cells print nothing, digits run together", running_digits_together)):
    LAYOUTS[_name] = _layout
    PREPARE[_name] = _silent_zeros
LAYOUTS["running text: some blank cells print nothing, 0 in others"] = running_spaces
PREPARE["running text: some blank cells print nothing, 0 in others"] = lambda r: _blank_zeros(_consistent(r))
PREPARE["text: blank cells printed as —"] = PREPARE["markdown: blank cells printed as /"] = _blank_some

# what a layout genuinely loses, and why (the cells it may leave blank, named by a finding)
LOSSY = {
    "running text: digits run together": "数字连写（142000016）：一行的数字可有多种拆分；总计与勾稽关系定不下来时，这些单元格留空并列出各种拆分（READ-AMBIGUOUS）",
    "running text: blank cells print nothing, single spaces": "空单元格什么也不印、全表不印 0：一行少印的数值可以是空格，也可以是连写的数字；总计与勾稽关系定不下来的单元格留空并列出各种解释（READ-AMBIGUOUS）",
    "running text: blank cells print nothing, digits run together": "同上，且数字连写（93291）：空单元格可在任何两个数字之间；定不下来的单元格留空并列出各种解释（READ-AMBIGUOUS）",
    "running text: some blank cells print nothing, 0 in others": "有的空单元格印 0、有的什么也不印（单元格之间有空格）：少印数值的一行可以是空格也可以是连写的数字，两种解释都试；定不下来的单元格留空并列出各种解释（READ-AMBIGUOUS）",
    "running text, digits run together, hard-wrapped at 72 characters": "同“数字连写”：折行本身不丢信息（折行处在数字之间，按定宽还原），连写的数字同上",
    "markdown: missing cell": "表二一行少印一个单元格：无从知道缺的是哪一列，该行留空并说明（READ-CELLS）",
    "markdown: table-3 row one cell short": "表三一行少印一个单元格：同上，该行七个单元格留空，行仍按标签占位（READ-CELLS）",
}
EDITIONS = ("2021", "2019")


def examples(name: str) -> int:
    """Reports per edition: PDFs cost a second or more each (LibreOffice several), the rest milliseconds."""
    return (3 if "WPS" in name else 1) if name.startswith("pdf") else 6


@dataclass
class Tally:
    examples: int = 0
    exact: int = 0
    blank: int = 0  # blank-with-finding
    wrong: int = 0
    failures: list[str] = field(default_factory=list)


def run(name: str, edition_id: str, seed: int = 2026) -> Tally:
    """The layout applied to this edition's random reports, each read back and judged."""
    tally = Tally()
    for i, report in enumerate(reports_of(edition_id, examples(name), seed)):
        printed, back = read_variant(name, report)
        verdict = judge(printed, back)
        tally.examples += 1
        tally.exact += verdict.kind == "exact"
        tally.blank += verdict.kind == "blank-with-finding"
        if verdict.kind == "wrong":
            tally.wrong += 1
            tally.failures.append(f"{name} / {edition_id} / report {i}: " + "; ".join(verdict.problems[:5]))
    return tally


def table(tallies: dict[tuple[str, str], Tally]) -> str:
    """The Markdown table of layouts × editions, and why the lossy layouts lose what they lose."""
    lines = ["| layout | edition | examples | exact | blank with finding | wrong |", "|---|---|---:|---:|---:|---:|"]
    for (name, ed), t in tallies.items():
        lines.append(f"| {name} | {ed} | {t.examples} | {t.exact} | {t.blank} | {t.wrong} |")
    total = Tally()
    for t in tallies.values():
        total.examples += t.examples
        total.exact += t.exact
        total.blank += t.blank
        total.wrong += t.wrong
    lines.append(f"| **all** | | {total.examples} | {total.exact} | {total.blank} | {total.wrong} |")
    return "\n".join(lines)


# -- the judge ------------------------------------------------------------------------------------
@dataclass
class Verdict:
    kind: str  # "exact", "blank-with-finding", "wrong"
    problems: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)


def _equal(key: str, a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return a == b


def judge(expected: Report, back: Extraction) -> Verdict:
    """Exact, blank-with-finding, or wrong (with what is wrong)."""
    got = back.report
    problems = []
    if (got.agency, got.year) != (expected.agency, expected.year):
        problems.append(f"title: {got.agency} {got.year} != {expected.agency} {expected.year}")
    if got.edition != expected.edition or got.collapsed != expected.collapsed:
        problems.append(f"template: {got.edition} collapsed={got.collapsed}")
    named = {k for f in back.findings for k in f.keys}
    blank = []
    for key in expected.keys:
        want, have = expected.values.get(key), got.values.get(key)
        if have is None and want is not None:
            blank.append(key)
            if key not in named:
                problems.append(f"{key}: blank and no reader finding names it (printed {want})")
        elif not _equal(key, have, want):
            problems.append(f"{key}: {have!r} != {want!r}")
    for key in TEXT_KEYS:
        if "".join((got.texts.get(key) or "").split()) != "".join((expected.texts.get(key) or "").split()):
            problems.append(f"{key}: text differs: {got.texts.get(key)!r}")
    if problems:
        return Verdict("wrong", problems, blank)
    return Verdict("blank-with-finding" if blank else "exact", [], blank)


def read_variant(name: str, report: Report) -> tuple[Report, Extraction]:
    """The report as the layout prints it (``PREPARE``), and what the reader gives back."""
    from gongkai.read import read_report

    printed = PREPARE.get(name, lambda r: r)(report)
    rng = random.Random(f"{name}/{report.agency}/{report.year}")
    filename, data = LAYOUTS[name](printed, rng)
    return printed, read_report(filename, data)
