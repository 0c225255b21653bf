"""Readers: a published report in any format → blocks → the one template matcher → a report.

``read_report(path)`` is the entry point.  One reader per format turns bytes into a
:class:`~gongkai.read.blocks.Document`; :func:`~gongkai.read.matcher.match` does the rest.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .blocks import Block, Document
from .docx import parse_doc, parse_docx
from .errors import ReadError
from .html import parse_html
from .markdown import parse_markdown
from .matcher import Extraction, match
from .pdf import parse_pdf
from .spreadsheet import parse_spreadsheet
from .text import parse_text
from .xlsx import is_gongkai_workbook, read_xlsx

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
Parser = Callable[[bytes, str], Document]

# format name -> parser; a reader for a new format registers itself here
PARSERS: dict[str, Parser] = {
    "txt": parse_text, "md": parse_markdown, "html": parse_html, "docx": parse_docx, "doc": parse_doc,
    "pdf": parse_pdf, "xlsx": parse_spreadsheet,
}
BINARY_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".xlsx": "xlsx"}
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".doc": "doc",
              ".pdf": "pdf"}
HTML_SUFFIXES = (".htm", ".html", ".shtml")
# every file name suffix of a format gongkai reads (a folder walk reads these whatever their content)
SUFFIXES = {**EXTENSIONS, **BINARY_SUFFIXES, **dict.fromkeys(HTML_SUFFIXES, "html"), ".xlsm": "xlsx"}


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
    if suffix in HTML_SUFFIXES:
        return "html"
    return EXTENSIONS.get(suffix, "txt")


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def not_regular(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file (a FIFO, a socket, a device …)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_file(source: str | Path) -> bytes:
    """The bytes of a regular file within the size limit, opened without blocking: a FIFO, socket or device is
    refused before anything is read from it (a FIFO would wait for a writer for ever)."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ReadError(source, f"cannot open: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        kind = not_regular(info.st_mode)
        if kind is not None:
            raise ReadError(source, f"refused: not a regular file ({kind})")
        if info.st_size > max_bytes():
            raise ReadError(source, f"file too large: {info.st_size:,} bytes (limit {max_bytes():,})")
        try:
            return fh.read(max_bytes() + 1)
        except OSError as exc:
            raise ReadError(source, f"cannot read: {exc.strerror or exc}") from None


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read a file into blocks, refusing what is too big, empty or of an unknown format."""
    source = str(path)
    if data is None:
        data = read_file(source)
    if len(data) > max_bytes():
        raise ReadError(source, f"file too large: {len(data):,} bytes (limit {max_bytes():,})")
    if not data.strip():
        raise ReadError(source, "empty file")
    fmt = sniff(data, source)
    claimed = BINARY_SUFFIXES.get(Path(source).suffix.lower())
    if claimed and fmt != claimed and not (claimed == "docx" and fmt == "xlsx"):
        raise ReadError(source, f"not a {claimed.upper()} file (its content does not start like one)")
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ReadError(source, f"cannot read {fmt} files")
    return parser(data, source)


def read_report(path: str | Path, data: bytes | None = None) -> Extraction:
    """The report a file holds, with the reader's findings.

    A spreadsheet in gongkai's own layout is data already: it is read as such, not matched.

    Raises only :class:`ReadError` (naming the file and the problem), whatever the file holds: damaged
    archives, broken encodings, limits exceeded (size, pages, cells, grid positions, digits of a number).  Inputs
    are refused by limits before the memory for them is allocated, and reading is linear in the length of a
    line, but this call runs in the caller's process with no clock: ``gongkai.batch.read_bounded`` runs it in a
    fresh process under the bounds ``gongkai check`` uses (10 s, 500 MB; both adjustable), where a timeout,
    exhausted memory or a reader bug is a ``ReadError`` too.
    """
    source = str(path)
    if Path(source).suffix.lower() in {".xlsx", ".xlsm"}:
        if data is None:
            data = read_file(source)
        if is_gongkai_workbook(data):
            stream = io.BytesIO(data)
            stream.name = source
            return Extraction(read_xlsx(stream), source, "xlsx")
    return match(read_document(path, data))


__all__ = ["Block", "Document", "Extraction", "PARSERS", "ReadError", "SUFFIXES", "match", "not_regular", "read_document",
           "read_file", "read_report", "sniff"]
