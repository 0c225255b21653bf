"""The annual report as one standalone, printable HTML5 document (no external assets).

The tables come from :mod:`gongkai.render.layout` (the template's rowspans/colspans); the header
rows of a table sit in ``<thead>`` so browsers and WeasyPrint repeat them on every page.  The CSS
follows GB/T 9704: A4, margins 37/35/28/26 mm, body 三号 (16 pt) 仿宋, headings 黑体, title
小标宋, page numbers "- N -".  Customary font names come first; machines without them fall back
to Noto Serif/Sans CJK SC.
"""

from __future__ import annotations

from html import escape

from gongkai.report.model import Report

from .layout import SECTION_PT, TABLE_PT, Grid, column_weights, document_title, layout, value_font_pt

SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", serif'
SANS = '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'

CSS = f"""
@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{ content: "- " counter(page) " -"; font: 14pt {SERIF}; vertical-align: top;
                   padding-top: 7mm; }}
}}
html {{ font: 16pt/28.95pt "仿宋_GB2312", "仿宋", "FangSong", {SERIF}; color: #000; }}
body {{ margin: 0 auto; max-width: 156mm; }}
h1 {{ font: 22pt/1.5 "方正小标宋简体", "华文中宋", {SERIF}; text-align: center; margin: 0 0 0.5em; }}
.meta {{ text-align: center; margin: 0 0 0.5em; }}
h2 {{ font: 16pt/28.95pt "黑体", "SimHei", {SANS}; text-indent: 2em; margin: 0;
     break-after: avoid; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.3em 0 0.6em;
        font: 10.5pt/1.35 "宋体", "SimSun", {SERIF}; }}
th, td {{ border: 0.75pt solid #000; padding: 0.6mm 1mm; vertical-align: middle; text-indent: 0;
         overflow-wrap: anywhere; }}
th {{ font-weight: normal; text-align: center; }}
th.header {{ font-weight: bold; }}
th.label {{ text-align: left; }}
th.label.span {{ text-align: center; }}
td {{ text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }}
table.appeals {{ font-size: 9pt; }}
table.appeals td, table.appeals th {{ padding: 0.6mm 0.3mm; }}
tr {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
"""


def html_document(report: Report) -> str:
    """The complete HTML document of ``report``."""
    title = document_title(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if report.published is not None:
        parts.append(f'<p class="meta">发布日期：{report.published.isoformat()}</p>')
    grids = {g.section: g for g in layout(report.template, report)}
    for section in report.template.sections:
        parts.append(f'<section id="{section.key}">')
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        if section.key in grids:
            parts.append(html_table(grids[section.key]))
        else:
            for line in (report.texts.get(section.key) or "").split("\n"):
                if line.strip():
                    parts.append(f"<p>{escape(line.strip())}</p>")
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def html_table(grid: Grid) -> str:
    """One template table as ``<table>``, header rows in ``<thead>``."""
    weights = column_weights(grid)
    cols = "".join(f'<col style="width:{100 * w / sum(weights):.2f}%">' for w in weights)
    value_pt = value_font_pt(grid, weights)
    rows = [_tr(row, value_pt if value_pt < SECTION_PT.get(grid.section, TABLE_PT) else None) for row in grid.rows]
    head = f"<thead>{''.join(rows[:grid.header_rows])}</thead>" if grid.header_rows else ""
    return (f'<table class="{grid.section}"><colgroup>{cols}</colgroup>{head}'
            f"<tbody>{''.join(rows[grid.header_rows:])}</tbody></table>")


def _tr(row, value_pt: float | None) -> str:
    """A row; ``value_pt`` sets a smaller type for the numbers when the longest would not fit."""
    cells = []
    small = f' style="font-size:{value_pt}pt"' if value_pt else ""
    for cell in row:
        spans = "".join(f' {name}="{n}"' for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
                        if n > 1)
        if cell.kind == "value":
            cells.append(f'<td{spans}{small} data-key="{cell.key}">{escape(cell.text)}</td>')
        else:
            cls = cell.kind + (" span" if cell.rowspan > 1 else "")
            cells.append(f'<th class="{cls}"{spans}>{escape(cell.text)}</th>')
    return f"<tr>{''.join(cells)}</tr>"
