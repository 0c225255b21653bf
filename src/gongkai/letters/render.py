"""Render a letter: the template (an office's own in ``$GONGKAI_DATA_DIR/letters/`` first, else the
shipped one) filled with a ``LetterContext`` by docxtpl → DOCX bytes; DOCX → PDF by LibreOffice.
"""

from __future__ import annotations

import io
import os
from importlib import resources
from pathlib import Path

from docxtpl import DocxTemplate

from gongkai.office_convert import ConversionError, convert

from .context import REQUIRED_LABELS, LetterContext, LetterDataError, LetterKind, variables
from .definitions import definitions

PDF_TIMEOUT_S = 120


class LetterPdfError(RuntimeError):
    """LibreOffice is missing, failed, or took longer than the timeout."""


def office_templates_dir() -> Path:
    """``$GONGKAI_DATA_DIR/letters`` (``./data/letters`` when the variable is not set)."""
    return Path(os.environ.get("GONGKAI_DATA_DIR", "data")) / "letters"


def template_source(kind: LetterKind | str, outcome: str | None = None) -> tuple[bytes, str]:
    """The template bytes of ``kind`` and where they came from (``office`` or ``shipped``).

    An office's ``decision.<outcome>.docx`` (e.g. ``decision.withheld.state_secret.docx``) is used for
    the 答复书 of that outcome before its ``decision.docx``.
    """
    kind = LetterKind(kind)
    names = [f"{kind.value}.docx"]
    if kind is LetterKind.DECISION and outcome:
        names.insert(0, f"{kind.value}.{outcome}.docx")
    for name in names:
        own = office_templates_dir() / name
        if own.is_file():
            return own.read_bytes(), "office"
    return resources.files(__package__).joinpath("templates", f"{kind.value}.docx").read_bytes(), "shipped"


def render_letter(kind: LetterKind | str, context: LetterContext) -> bytes:
    """The letter ``kind`` for ``context`` as DOCX bytes; LetterDataError names what is missing."""
    kind = LetterKind(kind)
    missing = context.missing(definitions()[kind.value]["requires"])
    if missing:
        names = "、".join(REQUIRED_LABELS.get(name, name) for name in missing)
        raise LetterDataError(f"{definitions()[kind.value]['name']}缺少：{names}")
    values = variables(context)  # refuses bad data before any template is read
    data, _ = template_source(kind, context.outcome)
    template = DocxTemplate(io.BytesIO(data))
    template.render(values, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def letter_pdf(docx: bytes, timeout: float = PDF_TIMEOUT_S) -> bytes:
    """Convert a letter to PDF with LibreOffice headless (own profile per call, bounded by ``timeout``)."""
    try:
        return convert(docx, ".docx", "pdf", timeout)
    except ConversionError as error:
        if error.reason == "missing":
            raise LetterPdfError("未安装 LibreOffice（soffice），无法生成 PDF") from None
        if error.reason == "timeout":
            raise LetterPdfError(f"PDF 转换超时（{timeout:g} 秒）") from None
        raise LetterPdfError(f"PDF 转换失败：{error.detail}") from None
