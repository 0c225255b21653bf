"""The annual report as a Word document in the national layout, set per GB/T 9704.

Fonts.  Every run names its Chinese font in ``w:eastAsia`` (with ``w:hint="eastAsia"``) — the
customary official-document fonts 方正小标宋简体 (title), 黑体 (headings), 仿宋_GB2312 (body) and
宋体 (tables) — and Times New Roman in ``w:ascii``/``w:hAnsi`` for digits and Latin letters, as
official documents do.  Word cannot list a fallback chain in ``w:rFonts``, so the fallback lives
in the font table: each customary font gets ``w:altName`` (the font every Chinese Windows/WPS
has: 方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋) plus its GB2312 charset and family, which Word
uses to substitute when the font is missing.  Machines without any of these (Linux, LibreOffice)
resolve the names by charset/language through fontconfig, whose CJK fonts are Noto Serif/Sans
CJK SC; the runs carry ``w:lang w:eastAsia="zh-CN"`` so the Simplified Chinese face is chosen.
"""

from __future__ import annotations

from typing import IO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt
from lxml import etree

from gongkai.report.model import Report

from .layout import TABLE_PT, Grid, GridCell, column_weights, document_title, layout, value_font_pt

LATIN_FONT = "Times New Roman"
# style name → (East-Asian font, size in pt)
STYLES = {
    "GK Title": ("方正小标宋简体", 22),  # 二号
    "GK Heading": ("黑体", 16),  # 三号
    "GK Body": ("仿宋_GB2312", 16),  # 三号
    "GK Table": ("宋体", 10.5),  # 五号
    "GK Page": ("宋体", 14),  # 四号
}
# customary font → (altName, w:family) written to the font table for substitution
FALLBACKS = {"方正小标宋简体": ("宋体", "roman"), "仿宋_GB2312": ("仿宋", "modern"),
             "黑体": ("SimHei", "modern"), "宋体": ("SimSun", "roman")}
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704
LINE_PITCH = Pt(28.95)  # GB/T 9704: 22 lines on the 225 mm type area


def write_docx(report: Report, target: str | IO[bytes]) -> None:
    """Write ``report`` as a .docx to a path or a binary stream."""
    doc = Document()
    _page(doc)
    _styles(doc)
    _font_table(doc)
    doc.add_paragraph(document_title(report), style="GK Title")
    if report.published is not None:
        meta = doc.add_paragraph(f"发布日期：{report.published.isoformat()}", style="GK Body")
        meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
        meta.paragraph_format.first_line_indent = None
    grids = {g.section: g for g in layout(report.template, report)}
    for section in report.template.sections:
        doc.add_paragraph(section.heading, style="GK Heading")
        if section.key in grids:
            _table(doc, grids[section.key])
        else:
            for line in (report.texts.get(section.key) or "").split("\n"):
                if line.strip():
                    doc.add_paragraph(line.strip(), style="GK Body")
    doc.save(target)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.footer_distance = Mm(28) - Pt(14)  # page number 7 mm below the type area
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    _page_field(footer)
    footer.add_run(" -")
    for run in footer.runs:
        _run_fonts(run._r.get_or_add_rPr(), *STYLES["GK Page"])


def _page_field(paragraph) -> None:
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)


def _run_fonts(rpr, east_asia: str, size: float) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(round(size * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    for name, (font, size) in STYLES.items():
        style = doc.styles.add_style(name, 1)  # paragraph style
        style.base_style = doc.styles["Normal"]
        _run_fonts(style.element.get_or_add_rPr(), font, size)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        if name in ("GK Heading", "GK Body"):
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_PITCH
            fmt.first_line_indent = Pt(2 * size)
            ind = style.element.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:firstLineChars"), "200")
        if name == "GK Heading":
            fmt.keep_with_next = True
        if name == "GK Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(size)
            fmt.line_spacing = 1.25
        if name == "GK Table":
            fmt.line_spacing = 1.0


def _font_table(doc) -> None:
    part = doc.part.part_related_by(RT.FONT_TABLE)
    fonts = parse_xml(part.blob)
    for name, (alt, family) in FALLBACKS.items():
        fonts.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'))
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table(doc, grid: Grid) -> None:
    weights = column_weights(grid)
    section = doc.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [int(usable * w / sum(weights)) for w in weights]
    table = doc.add_table(rows=0, cols=grid.width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    table._tbl.tblPr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar>"))
    # Built as XML (python-docx's cell lookup is quadratic): a cell spanning rows is a
    # vMerge="restart" cell followed by vMerge continuation cells of the same gridSpan below it.
    continued: dict[int, GridCell] = {}  # grid column → cell still spanning down, with rows left
    value_pt = value_font_pt(grid, weights)  # numbers never wrap: smaller type where the longest would not fit
    for r, row in enumerate(grid.placed()):
        tr = OxmlElement("w:tr")
        props = OxmlElement("w:trPr")
        props.append(OxmlElement("w:cantSplit"))
        if r < grid.header_rows:
            props.append(OxmlElement("w:tblHeader"))
        tr.append(props)
        starts = dict(row)
        col = 0
        while col < grid.width:
            if col in starts:
                cell = starts[col]
                merge = "restart" if cell.rowspan > 1 else None
                if cell.rowspan > 1:
                    continued[col] = cell._replace(rowspan=cell.rowspan - 1)
            else:
                cell = continued[col]
                merge = "continue"
                if cell.rowspan > 1:
                    continued[col] = cell._replace(rowspan=cell.rowspan - 1)
                else:
                    del continued[col]
            tr.append(_tc(cell, merge, Length(sum(widths[col:col + cell.colspan])).twips, value_pt))
            col += cell.colspan
        table._tbl.append(tr)
    # a paragraph after the table keeps the next heading from sticking to the table
    doc.add_paragraph("", style="GK Table")


def _tc(cell: GridCell, merge: str | None, twips: int, value_pt: float):
    """One w:tc; a vMerge continuation cell holds only an empty paragraph."""
    align = "left" if cell.kind == "label" and cell.rowspan == 1 else "center"
    span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
    vmerge = f'<w:vMerge w:val="{merge}"/>' if merge else ""
    vmerge += "<w:noWrap/>" if cell.kind == "value" else ""
    run = ""
    if merge != "continue" and cell.text:
        if cell.kind == "header":
            props = "<w:rPr><w:b/></w:rPr>"
        elif cell.kind == "value" and value_pt < TABLE_PT:
            props = f'<w:rPr><w:sz w:val="{round(2 * value_pt)}"/><w:szCs w:val="{round(2 * value_pt)}"/></w:rPr>'
        else:
            props = ""
        run = f"<w:r>{props}<w:t xml:space=\"preserve\">{escape(cell.text)}</w:t></w:r>"
    return parse_xml(
        f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/>{span}{vmerge}'
        f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="GKTable"/>'
        f'<w:jc w:val="{align}"/></w:pPr>{run}</w:p></w:tc>')
