"""Write the shipped letter templates (``templates/<kind>.docx``) from ``definitions.toml``.

Run after editing the definitions: ``python3 -m uv run python -m gongkai.letters.build``.
The page, styles and font table are the annual report's (``gongkai.render.docx``, GB/T 9704):
A4, margins 37/35/28/26 mm, 22 lines of 28 chars, 方正小标宋简体 二号 title, 仿宋_GB2312 三号 body
with Times New Roman for digits, fallbacks in the font table for machines without those fonts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from gongkai.render.docx import STYLES, _font_table, _page, _styles

from .definitions import definitions

TEMPLATES_DIR = Path(__file__).with_name("templates")
BODY_PT = STYLES["GK Body"][1]


def _paragraph(doc, text: str, *, indent: bool = True, align=None, right_chars: int = 0):
    p = doc.add_paragraph(text, style="GK Body")
    fmt = p.paragraph_format
    if not indent or text.startswith("{%p"):
        fmt.first_line_indent = Pt(0)
        p._p.get_or_add_pPr().get_or_add_ind().set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}firstLineChars", "0")
    if align is not None:
        fmt.alignment = align
    if right_chars:
        fmt.right_indent = Pt(right_chars * BODY_PT)
    return p


def build_template(kind: str, target: Path) -> None:
    """One letter template: title, 文号, addressee, body, signer, date and the contact line (附注)."""
    spec = definitions()[kind]
    doc = Document()
    _page(doc)
    _styles(doc)
    _font_table(doc)
    doc.core_properties.title = spec["title"]
    doc.add_paragraph(spec["title"], style="GK Title")
    _paragraph(doc, "{{ doc_number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "", indent=False)
    _paragraph(doc, spec["addressee"], indent=False)
    for text in spec["body"]:
        last = _paragraph(doc, text)
    # the signer never stands alone on a page (GB/T 9704 7.3.5.4): the closing line goes with it
    signature = [last, _paragraph(doc, "", indent=False), _paragraph(doc, "", indent=False),
                 _paragraph(doc, "{{ agency }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)]
    for paragraph in signature:
        paragraph.paragraph_format.keep_with_next = True
    _paragraph(doc, "{{ issued }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)
    # GB/T 9704 附注: under the date, in parentheses, indented two characters
    for text in ("{%p if contact %}", "（联系人及电话：{{ contact }}）", "{%p endif %}"):
        _paragraph(doc, text)
    doc.save(target)


def build_all(directory: Path = TEMPLATES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in definitions():
        path = directory / f"{kind}.docx"
        build_template(kind, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES_DIR):
        print(path)
