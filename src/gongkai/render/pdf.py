"""The annual report as PDF: the HTML document typeset by WeasyPrint, fonts embedded."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from weasyprint import HTML

from gongkai.report.model import Report

from .html_document import html_document


def write_pdf(report: Report, target: str | Path | IO[bytes]) -> None:
    """Write ``report`` as an A4 PDF to a path or a binary stream."""
    HTML(string=html_document(report)).write_pdf(target)
