"""Bulk reading: thousands of published reports, each read in its own bounded worker process.

``check_paths`` walks files and folders and reads every report file in a fresh process with an
address-space limit and a time limit, so one hostile file (a zip bomb, a PDF that makes a library
loop or crash) costs one error line and never the batch.  ``write_dataset`` writes the results as
JSON Lines, CSV or XLSX with the report keys as columns.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .read import PARSERS, SUFFIXES, Extraction, ReadError, not_regular, read_report, sniff
from .render.data import spreadsheet_text
from .report.model import Report
from .report.template import EDITIONS, OPTIONAL_META_KEYS, edition

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 500
SKIP_SUFFIXES = (".expected.json",)
Reader = Callable[[Path], Extraction]


@dataclass
class FileResult:
    """What reading one file gave: the flat report or the error, the findings, the time taken."""

    source: str
    format: str | None
    flat: dict[str, Any] | None = None
    error: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    detail: str | None = None  # the traceback of a reader bug, for --debug

    @property
    def errors(self) -> int:
        return sum(f["severity"] == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f["severity"] == "warning" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "format": self.format, "error": self.error, "flat": self.flat,
                "findings": self.findings}


@dataclass
class Summary:
    files: int = 0
    read: int = 0
    failed: int = 0
    with_errors: int = 0
    with_warnings: int = 0
    by_format: Counter[str] = field(default_factory=Counter)

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.by_format[result.format or "unknown"] += 1
        if result.error is not None:
            self.failed += 1
            return
        self.read += 1
        self.with_errors += result.errors > 0
        self.with_warnings += result.warnings > 0


def summarize(results: Iterable[FileResult]) -> Summary:
    summary = Summary()
    for result in results:
        summary.add(result)
    return summary


# -- finding the files ---------------------------------------------------------------------------
def _format(path: Path) -> str | None:
    """The format of a regular file from its first bytes (a FIFO or device is never opened for reading)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            if not_regular(os.fstat(fd).st_mode) is not None:
                return None
            head = fh.read(4096)
        except OSError:
            return None
    return sniff(head, str(path)) if head.strip() else SUFFIXES.get(path.suffix.lower())


def _readable(path: Path) -> bool:
    """A file in a folder worth reading: a format the registry knows, by its name or its first bytes.
    A FIFO, socket or device with such a name is listed too, so that it gets its line (a refusal)."""
    if path.name.startswith(".") or path.name.endswith(SKIP_SUFFIXES):
        return False
    if SUFFIXES.get(path.suffix.lower()) in PARSERS:
        return True
    fmt = _format(path)
    return fmt in PARSERS and fmt != "txt"  # no extension we know: only recognisable first bytes


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and the readable files inside folders (sorted, recursively)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (Path(root) / n for n in sorted(names) if _readable(Path(root) / n))
        else:
            yield path


def _refusal(path: Path) -> str | None:
    """Why a file is not read at all (it is not a regular file), or None."""
    try:
        kind = not_regular(os.stat(path).st_mode)
    except OSError:
        return None  # the reader says what is wrong with it
    return f"{path}: refused: not a regular file ({kind})" if kind else None


# -- the worker ----------------------------------------------------------------------------------
def _work(conn: Connection, path: Path, reader: Reader, memory_mb: int,
          previous: Mapping[tuple[str, int], dict[str, Any]] | None) -> None:
    """In the child: read one file under the memory limit and send back a plain dict.

    Its standard output and error go to /dev/null: what a library or a dying interpreter prints there
    (``Exception ignored in …``) must never land inside another file's line.  A reader bug's traceback
    travels in the payload instead, for ``--debug``."""
    _silence()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        extraction = reader(path)
        report = extraction.report
        prior = previous.get((report.agency, report.year - 1)) if previous and report.year else None
        findings = extraction.check(Report.from_flat(prior) if prior else None)
        payload = {"flat": report.flat(), "findings": [f.to_json() for f in findings]}
    except ReadError as exc:
        payload = {"error": str(exc)}
    except MemoryError:
        payload = {"error": f"{path}: out of memory (limit {memory_mb} MB)"}
    except RecursionError:
        payload = {"error": f"{path}: document nested too deeply"}
    except Exception as exc:  # a reader bug must cost one file, not the batch: name it
        payload = {"error": f"{path}: reader failed: {type(exc).__name__}: {_one_line(exc)}",
                   "detail": traceback.format_exc()}
    try:
        conn.send(payload)
    except MemoryError:
        conn.send({"error": f"{path}: out of memory (limit {memory_mb} MB)"})
    conn.close()


def _silence() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process's life


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def read_bounded(path: str | Path, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB) -> Extraction:
    """``read_report`` under the bounds ``gongkai check`` uses: in a fresh process limited to ``memory_mb`` of
    address space, killed after ``timeout`` seconds.  Raises only ``ReadError`` — for a file it cannot read,
    and also for a timeout, an exhausted memory limit or a reader bug."""
    path = Path(path)
    refusal = _refusal(path)
    if refusal is not None:
        raise ReadError(path, refusal.split(": ", 1)[1])
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_read_work, args=(sender, path, memory_mb), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ReadError(path, f"timed out after {timeout:g} s")
        try:
            outcome, value = receiver.recv()
        except (EOFError, OSError):
            process.join()
            outcome, value = "error", _died(path, process.exitcode, memory_mb).split(": ", 1)[1]
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if outcome == "error":
        raise ReadError(path, value)
    return value


def _read_work(conn: Connection, path: Path, memory_mb: int) -> None:
    """In the child of ``read_bounded``: ("ok", the extraction) or ("error", the problem)."""
    _silence()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        outcome = ("ok", read_report(path))
    except ReadError as exc:
        outcome = ("error", exc.problem)
    except MemoryError:
        outcome = ("error", f"out of memory (limit {memory_mb} MB)")
    except RecursionError:
        outcome = ("error", "document nested too deeply")
    except Exception as exc:  # a reader bug: still one ReadError for the caller
        outcome = ("error", f"reader failed: {type(exc).__name__}: {_one_line(exc)}")
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("error", f"out of memory (limit {memory_mb} MB)"))
    conn.close()


def _died(path: Path, exitcode: int | None, memory_mb: int) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        return f"{path}: out of memory (limit {memory_mb} MB): the reader process died ({name})"
    return f"{path}: the reader process exited without a result (exit code {exitcode})"


def check_paths(
    paths: Iterable[str | Path],
    jobs: int = 1,
    previous: Mapping[tuple[str, int], dict[str, Any]] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    reader: Reader = read_report,
) -> Iterator[FileResult]:
    """Read every report under ``paths``, ``jobs`` files at a time, each in a fresh process.

    Results come in file order.  ``previous`` maps (agency, year) to the flat form of an earlier
    report, for the cross-year rules.  A file that runs longer than ``timeout`` seconds is killed; one
    that exceeds ``memory_mb`` is reported as out of memory.
    """
    context = multiprocessing.get_context("fork")
    files = enumerate(iter_files(paths))
    running: dict[Connection, tuple[int, Path, multiprocessing.Process, float]] = {}
    done: dict[int, FileResult] = {}
    next_out = 0
    exhausted = False
    while True:
        while not exhausted and len(running) < max(jobs, 1):
            item = next(files, None)
            if item is None:
                exhausted = True
                break
            index, path = item
            refusal = _refusal(path)
            if refusal is not None:  # a FIFO, socket or device: never opened, never given to a worker
                done[index] = FileResult(str(path), None, error=refusal)
                continue
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(sender, path, reader, memory_mb, previous), daemon=True)
            process.start()
            sender.close()
            running[receiver] = (index, path, process, time.monotonic())
        if not running:  # every file started (the loop above stops early only when `jobs` are running)
            break
        first_deadline = min(start for *_, start in running.values()) + timeout
        for conn in wait(list(running), timeout=max(0.0, first_deadline - time.monotonic())):
            index, path, process, start = running.pop(conn)
            try:
                payload = conn.recv()
            except (EOFError, OSError):
                payload = None
            conn.close()
            process.join()
            done[index] = _result(path, payload, process.exitcode, memory_mb, time.monotonic() - start)
        now = time.monotonic()
        for conn, (index, path, process, start) in list(running.items()):
            if now - start >= timeout:
                process.kill()
                process.join()
                conn.close()
                del running[conn]
                done[index] = FileResult(str(path), _format(path), error=f"{path}: timed out after {timeout:g} s",
                                         seconds=now - start)
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1
    while next_out in done:  # refusals after the last worker
        yield done.pop(next_out)
        next_out += 1


def _result(path: Path, payload: dict | None, exitcode: int | None, memory_mb: int, seconds: float) -> FileResult:
    result = FileResult(str(path), _format(path), seconds=seconds)
    if payload is None:
        result.error = _died(path, exitcode, memory_mb)
    elif "error" in payload:
        result.error, result.detail = payload["error"], payload.get("detail")
    else:
        result.flat, result.findings = payload["flat"], payload["findings"]
    return result


# -- datasets ------------------------------------------------------------------------------------
def flat_columns() -> list[str]:
    """Every flat key of both editions, in template order (keys only 2019 has come
    before the next key both editions share)."""
    columns: list[str] = []
    for ed in (edition(e) for e in EDITIONS):
        keys = list(ed.keys)
        keys[keys.index("meta.edition") + 1:keys.index("meta.edition") + 1] = OPTIONAL_META_KEYS
        if ed.collapsed_cells:
            first = next(i for i, k in enumerate(keys) if k.startswith("requests.other_handling."))
            keys[first:first] = list(ed.collapsed_cells)
        pending: list[str] = []
        for key in keys:
            if key in columns:
                at = columns.index(key)
                columns[at:at] = pending
                pending = []
            else:
                pending.append(key)
        columns += pending
    return columns


def _rows(results: Iterable[FileResult]) -> Iterator[list[Any]]:
    columns = flat_columns()
    for r in results:
        flat = r.flat or {}
        row = [r.source, r.format, r.error, *(flat.get(k) for k in columns), r.errors, r.warnings]
        yield [spreadsheet_text(v) for v in row]


FINDING_COLUMNS = ["source", "rule", "severity", "keys", "labels", "expected", "found", "message_zh", "message_en"]


def _finding_row(source: str, finding: dict[str, Any]) -> list[Any]:
    row: list[Any] = [source]
    for column in FINDING_COLUMNS[1:]:
        value = finding.get(column)
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif value is not None and not isinstance(value, int | str):
            value = json.dumps(value, ensure_ascii=False)
        row.append(spreadsheet_text(value))
    return row


def write_dataset(results: Iterable[FileResult], path: str | Path) -> Path:
    """Write results as ``.jsonl`` (one object per report), ``.csv`` or ``.xlsx`` (one row per report)."""
    path = Path(path)
    results = list(results)
    header = ["source", "format", "error", *flat_columns(), "errors", "warnings"]
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with open(path, "w", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    elif suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # with a BOM, so Excel reads it as UTF-8
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(_rows(results))
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("reports")
        sheet.append(header)
        for row in _rows(results):
            sheet.append(row)
        sheet = book.create_sheet("findings")
        sheet.append(FINDING_COLUMNS)
        for r in results:
            for f in r.findings:
                sheet.append(_finding_row(r.source, f))
        book.save(path)
    else:
        raise ValueError(f"unknown dataset format {path.suffix!r}: use .jsonl, .csv or .xlsx")
    return path


__all__ = ["FileResult", "Summary", "check_paths", "flat_columns", "iter_files", "read_bounded", "summarize",
           "write_dataset"]
