"""Writers: a report → a document in one format.  ``WRITERS`` maps a format name to its writer.

Text formats return ``str``; binary formats (docx, pdf, xlsx) write to a path or a binary stream.
"""

from __future__ import annotations

import importlib
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


def _lazy(module: str, name: str) -> Callable:
    """A binary writer imported on first use (WeasyPrint and python-docx are slow to import)."""

    def write(report, target):
        return getattr(importlib.import_module(module, __package__), name)(report, target)

    return write


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("txt", ".txt", write_text),
    Writer("md", ".md", write_markdown),
    Writer("html", ".html", html_document),
    Writer("json", ".json", write_json),
    Writer("flat", ".json", write_flat),
    Writer("csv", ".csv", write_csv),
    Writer("docx", ".docx", _lazy(".docx", "write_docx"), binary=True),
    Writer("pdf", ".pdf", _lazy(".pdf", "write_pdf"), binary=True),
    Writer("xlsx", ".xlsx", _lazy(".xlsx", "write_xlsx"), binary=True),
)}

__all__ = ["WRITERS", "Writer"]
