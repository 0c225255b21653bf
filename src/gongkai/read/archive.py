"""Refusing a zip archive (DOCX, XLSX) that would unpack to too much, before anything is unpacked."""

from __future__ import annotations

import zipfile
import zlib

from .errors import ReadError

# What zipfile raises on a damaged archive: a shortened file (negative seek: ValueError, EOFError), a broken
# deflate stream (zlib.error), an unknown compression method (NotImplementedError), an encrypted member
# (RuntimeError), a bad directory (BadZipFile, LargeZipFile), and reading errors (OSError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
              NotImplementedError, RuntimeError)

RATIO_FROM = 1024 * 1024  # small entries compress well legitimately: only larger ones are held to the ratio


def refuse_zip_bomb(archive: zipfile.ZipFile, source: str, max_unpacked: int, max_ratio: int) -> None:
    """Raise ``ReadError`` when the directory declares more than ``max_unpacked`` bytes in all, or a large
    entry compressed more than ``max_ratio`` to 1 (zipfile never inflates an entry past its declared size)."""
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise ReadError(source, f"refused: the zip would unpack to {unpacked:,} bytes (limit {max_unpacked:,})")
    for info in infos:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ReadError(source, f"refused: {info.filename} is compressed {ratio} to 1 (limit {max_ratio}), "
                                    "a zip bomb")
