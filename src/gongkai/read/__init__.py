"""Readers: a published report in any format → blocks → the one template matcher → a report.

``read_report(path)`` is the entry point.  One reader per format turns bytes into a
:class:`~gongkai.read.blocks.Document`; :func:`~gongkai.read.matcher.match` does the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .blocks import Block, Document
from .errors import ReadError
from .markdown import parse_markdown
from .matcher import Extraction, match
from .pdf import parse_pdf
from .text import parse_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
Parser = Callable[[bytes, str], Document]

# format name -> parser; a reader for a new format registers itself here
PARSERS: dict[str, Parser] = {"txt": parse_text, "md": parse_markdown, "pdf": parse_pdf}
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


def max_bytes() -> int:
    return int(os.environ.get("GONGKAI_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes, path: str) -> str:
    """The format of a file, from its first bytes first and its name second."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if Path(path).suffix.lower() in {".xlsx", ".xlsm"} or b"xl/" in data[:4096] else "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or b"<body" in lowered:
        return "html"
    suffix = Path(path).suffix.lower()
    if suffix in {".htm", ".html", ".shtml"}:
        return "html"
    return EXTENSIONS.get(suffix, "txt")


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read a file into blocks, refusing what is too big, empty or of an unknown format."""
    source = str(path)
    if data is None:
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise ReadError(source, f"cannot open: {exc.strerror or exc}") from None
        if size > max_bytes():
            raise ReadError(source, f"file too large: {size:,} bytes (limit {max_bytes():,})")
        with open(path, "rb") as fh:
            data = fh.read()
    if len(data) > max_bytes():
        raise ReadError(source, f"file too large: {len(data):,} bytes (limit {max_bytes():,})")
    if not data.strip():
        raise ReadError(source, "empty file")
    fmt = sniff(data, source)
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ReadError(source, f"cannot read {fmt} files")
    return parser(data, source)


def read_report(path: str | Path, data: bytes | None = None) -> Extraction:
    """The report a file holds, with the reader's findings."""
    return match(read_document(path, data))


__all__ = ["Block", "Document", "Extraction", "PARSERS", "ReadError", "match", "read_document", "read_report", "sniff"]
