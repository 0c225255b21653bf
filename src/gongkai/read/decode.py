"""Bytes to text: BOM, then UTF-8, then GB18030 (which covers GB2312 and GBK)."""

from __future__ import annotations

import codecs

from .errors import ReadError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, source: str = "<input>", declared: str | None = None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
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
