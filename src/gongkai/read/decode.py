"""Bytes to text: BOM, then UTF-8, then GB18030 (which covers GB2312 and GBK).

Decoding never raises anything but :class:`ReadError`.  A UTF-8 BOM in front of GB18030 text (an
editor that added one to a GBK file) is read as GB18030; a UTF-16 or UTF-32 file that breaks its own
encoding (odd length, lone surrogate) is refused.  Control characters other than tab and line ends
are dropped (a form feed or vertical tab is a line end): no report prints them, and XML, HTML
parsers and spreadsheet writers refuse them.
"""

from __future__ import annotations

import codecs
import re

from .errors import ReadError

# the longer BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
for _name in ("utf-8-sig", "utf-16", "utf-32", "gb18030"):
    codecs.lookup(_name)  # imported now: a reader process under a memory limit must not have to import a codec
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_BREAKS = re.compile(r"[\x0b\x0c]")


_EITHER = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text without control characters (form feed and vertical tab become line ends)."""
    if not _EITHER.search(text):  # the rule: one scan instead of two substitutions
        return text
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def decode(data: bytes, source: str = "<input>", declared: str | None = None) -> str:
    return clean(_decode(data, source, declared))


def _decode(data: bytes, source: str, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                if encoding != "utf-8-sig":
                    raise ReadError(source, f"damaged {encoding.upper()} text (its BOM says {encoding.upper()}): "
                                            f"{exc.reason} at byte {exc.start:,}") from None
                data = data[len(bom):]  # a BOM in front of GB18030 text: read what follows it
                break
    if b"\x00" in data[:4096]:
        raise ReadError(source, "binary data, not text")
    encodings = ["utf-8", "gb18030"]
    if declared and declared.lower().replace("-", "").replace("_", "") in {"gb2312", "gbk", "gb18030", "cp936"}:
        encodings = ["gb18030", "utf-8"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(source, "text in an unknown encoding (neither UTF-8 nor GB18030)")
