"""Writers: a report → a document in one format.  ``WRITERS`` maps a format name to its writer.

Text formats return ``str``; binary formats (docx, pdf, xlsx) write to a path or a binary stream.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from gongkai.report.model import Report

from .data import write_csv, write_flat, write_json
from .html_document import html_document
from .markdown import write_markdown
from .text import write_text


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    write: Callable  # (report) -> str, or (report, target) -> None when binary
    binary: bool = False

    def render(self, report: Report) -> bytes:
        if not self.binary:
            return self.write(report).encode("utf-8")
        buffer = io.BytesIO()
        self.write(report, buffer)
        return buffer.getvalue()


def _docx(report, target):
    from .docx import write_docx

    write_docx(report, target)


def _pdf(report, target):
    from .pdf import write_pdf

    write_pdf(report, target)


def _xlsx(report, target):
    from .xlsx import write_xlsx

    write_xlsx(report, target)


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("txt", ".txt", write_text),
    Writer("md", ".md", write_markdown),
    Writer("html", ".html", html_document),
    Writer("json", ".json", write_json),
    Writer("flat", ".json", write_flat),
    Writer("csv", ".csv", write_csv),
    Writer("docx", ".docx", _docx, binary=True),
    Writer("pdf", ".pdf", _pdf, binary=True),
    Writer("xlsx", ".xlsx", _xlsx, binary=True),
)}

__all__ = ["WRITERS", "Writer"]
