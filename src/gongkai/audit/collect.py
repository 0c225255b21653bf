"""Reading a folder for the audit: the batch reader (one bounded process per file), with a cache.

The cache holds each file's reading under ``OUT_DIR/cache/``, keyed by the SHA-256 of the file's
content and by a digest of the reading code (the readers, the template and the rules), so an interrupted
run resumes where it stopped, an unchanged file is never read twice, and a new reader reads everything
again.  A file that could not be read is not cached: the next run tries it again.  Reading itself is :func:`gongkai.batch.check_paths`: the same worker processes, memory and time
limits as ``gongkai check``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from .. import batch
from .identify import PageHeader, page_header

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass
class Record:
    """One file of the audit: what reading gave, and who published it for which year."""

    source: str
    sha256: str
    format: str | None
    flat: dict[str, Any] | None
    error: str | None
    findings: list[dict[str, Any]]
    seconds: float
    cached: bool
    header: PageHeader = field(default_factory=PageHeader)
    agency_printed: str | None = None
    agency_from: str = "none"
    agency: str | None = None
    year: int | None = None
    kind: str | None = None
    parent: str | None = None
    published: date | None = None
    published_from: str | None = None
    duplicate_of: str | None = None

    @property
    def key(self) -> tuple[str, int] | None:
        return (self.agency, self.year) if self.agency and self.year else None

    @property
    def primary(self) -> bool:
        return self.duplicate_of is None


@cache
def code_digest() -> str:
    """A digest of the code a reading depends on: a changed reader invalidates the cache."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*root.joinpath("read").rglob("*.py"), *root.joinpath("report").rglob("*"), root / "batch.py"]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return digest.hexdigest()


def _cached(folder: Path | None, sha: str) -> dict | None:
    if folder is None:
        return None
    path = folder / f"{sha}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("code") == code_digest() else None


def _store(folder: Path | None, sha: str, result: batch.FileResult) -> None:
    if folder is None or sha.startswith("unreadable:") or result.error is not None:
        return  # an error may be the machine's (a timeout under load): the next run tries the file again
    data = {"code": code_digest(), "seconds": result.seconds, **result.to_json()}
    tmp = folder / f"{sha}.json.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / f"{sha}.json")  # whole or absent: a run killed mid-write leaves no half entry


def collect(paths: Iterable[str | Path], cache_dir: Path | None = None, jobs: int = 1,
            timeout: float = batch.DEFAULT_TIMEOUT, progress: Progress | None = None,
            exclude: Path | None = None) -> list[Record]:
    """Every report file under ``paths`` read (or taken from the cache), in file order."""
    exclude = exclude.resolve() if exclude else None
    files, seen = [], set()
    for path in batch.iter_files(paths):  # a file named twice (a folder and its parent) is read once
        resolved = path.resolve()
        if resolved not in seen and (exclude is None or exclude not in resolved.parents):
            seen.add(resolved)
            files.append(path)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    shas = [_sha256(p) for p in files]
    records: dict[int, Record] = {}
    todo: list[int] = []
    done = 0
    for i, (path, sha) in enumerate(zip(files, shas, strict=True)):
        hit = _cached(cache_dir, sha)
        if hit is None:
            todo.append(i)
            continue
        records[i] = Record(str(path), sha, hit["format"], hit["flat"], hit["error"], hit["findings"],
                            hit.get("seconds", 0.0), cached=True)
        done += 1
        if progress:
            progress(done, len(files))
    pending = [files[i] for i in todo]
    for i, result in zip(todo, batch.check_paths(pending, jobs=jobs, timeout=timeout), strict=True):
        _store(cache_dir, shas[i], result)
        records[i] = Record(str(files[i]), shas[i], result.format, result.flat, result.error, result.findings,
                            result.seconds, cached=False)
        done += 1
        if progress:
            progress(done, len(files))
    out = [records[i] for i in range(len(files))]
    for record in out:
        record.header = page_header(record.source)
    return out
