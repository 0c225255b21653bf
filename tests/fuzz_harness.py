"""A mutation fuzzer for the readers: the corpus and generated reports, mutated per format, read in a bounded worker.

Every input goes through what ``gongkai check`` does with a file — ``read_report``, the rules (with the report
as its own previous year, so X1/X2 run too), the flat form as JSON and back through ``Report.from_flat`` — in one
worker process under the CLI's memory limit, and is timed against the CLI's timeout — in the worker's CPU
seconds, so that a machine loaded by other work does not turn a slow wall clock into a timeout (a wall-clock
backstop of ``WALL_FACTOR`` × the timeout still stops a worker that waits without computing).  The only acceptable
outcomes are a report (``ok``) or one ``ReadError`` (``readerror``); anything else is a finding of the fuzzer:
``exception`` (a type other than ReadError, with the stage it came from), ``timeout`` or ``memory``.

Inputs are deterministic: input ``i`` of a run with seed ``s`` is always the same bytes.  Mutations:

- text formats (txt, md, html): numbers of thousands of digits and odd numbers (一百, 1e999, Infinity …),
  very long lines, many lines or columns, control and invisible characters, shuffled, deleted and repeated
  lines, every encoding a published file comes in (UTF-8 with and without BOM, GBK, UTF-16, UTF-32, a BOM
  in front of GBK, an odd byte count), huge row/column spans in HTML;
- zip formats (docx, xlsx): the same text mutations on the main XML part, huge ``gridSpan`` / merged ranges /
  numbers in cells, and damage to the archive itself (flipped and removed bytes, compression method,
  encryption flag, truncation);
- every format: flipped, replaced, removed, repeated and inserted bytes, and truncation (PDF: only these,
  PDFium is what they exercise).

``tests/test_fuzz_harness.py`` runs a bounded slice in CI; ``bench/fuzz.py`` runs the long campaign.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import re
import resource
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from answer_keys import CORPUS

from gongkai.batch import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, _silence
from gongkai.read import ReadError, read_report
from gongkai.report.model import Report

FORMATS = ("txt", "md", "html", "docx", "pdf", "xlsx", "sheet")  # sheet: a workbook not in gongkai's layout
SUFFIX = {"txt": ".txt", "md": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf", "xlsx": ".xlsx",
          "sheet": ".xlsx"}


# -- seeds ------------------------------------------------------------------------------------------
def seeds(generated: int = 2, pdf: bool = True) -> dict[str, list[bytes]]:
    """Per format: the corpus file of that format and ``generated`` random reports written by gongkai's writers."""
    from render import random_report

    from gongkai.render import WRITERS

    out: dict[str, list[bytes]] = {
        "txt": [(CORPUS / "seed/000_db8b9a3c8d2b1499.txt").read_bytes()],
        "md": [(CORPUS / "real/shanghai-stcsm-2024.md").read_bytes()],
        "html": [(CORPUS / "real/shanghai-gov-office-2019.html").read_bytes()],
        "docx": [(CORPUS / "template/national-template-2021.docx").read_bytes()],
        "pdf": [(CORPUS / "real/huaian-hongze-2024.pdf").read_bytes()],
        "xlsx": [], "sheet": [],
    }
    rng = random.Random(20261202)
    for _ in range(generated):
        report = random_report(rng)
        for fmt in ("txt", "md", "html", "docx", "xlsx") + (("pdf",) if pdf else ()):
            out[fmt].append(WRITERS[fmt].render(report))
        out["sheet"].append(_without_own_sheets(out["xlsx"][-1]))
    return out


def _without_own_sheets(xlsx: bytes) -> bytes:
    """A gongkai workbook without its flat and meta sheets: read as any workbook laid out like the template."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    for name in ("flat", "meta", "findings"):
        if name in book.sheetnames:
            del book[name]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- text mutations ---------------------------------------------------------------------------------------
_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")
ODD_NUMBERS = ("1e999", "１２３", "Infinity", "NaN", "-0", "一百", "约10", "1,2,3", "0." + "0" * 30 + "1", "3.5",
               "10件", "+5", "9" * 25, "1,234,567,890,123,456,789,012", "-" * 3, "٣", "⑤", "1/2", "1_000")
_INVISIBLE = ("\u200b", "\u200f", "\u202e", "\ufeff", "\u00ad", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe",
              "\ud800", "\U0010ffff")


def _replace_number(text: str, rng: random.Random, make: Callable[[], str]) -> str:
    spots = [m.span() for m in _NUMBER.finditer(text)]
    if not spots:
        return text
    a, b = rng.choice(spots)
    return text[:a] + make() + text[b:]


def hugenum(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        text = _replace_number(text, rng, lambda: "9" * rng.choice((21, 30, 400, 4301, 6000)))
    return text


def numoddity(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        text = _replace_number(text, rng, lambda: rng.choice(ODD_NUMBERS))
    return text


def longline(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(4)
    if kind == 0:  # a line of tens of thousands of numbers
        filler = " ".join(str(rng.randrange(1000)) for _ in range(rng.choice((2000, 20000, 50000))))
    elif kind == 1:  # one huge run of digits
        filler = "1" * rng.choice((10_000, 60_000, 200_000))
    elif kind == 2:  # running text
        filler = "政务公开信息" * rng.choice((2000, 20000))
    else:  # every line joined into one
        return " ".join(lines) * rng.randint(1, 3)
    lines.insert(rng.randrange(len(lines) + 1), filler)
    return "\n".join(lines)


def manylines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    line = rng.choice(lines)
    times = min(rng.choice((100, 5000, 30000)), 4_000_000 // (len(line) + 1) + 1)  # a few MB at most
    lines[rng.randrange(len(lines))] += "\n" + "\n".join([line] * times)
    return "\n".join(lines)


def manycols(text: str, rng: random.Random) -> str:
    sep = rng.choice(("\t", "|", "</td><td>"))
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i] += sep.join(str(rng.randrange(100)) for _ in range(rng.choice((50, 1000, 20000))))
    return "\n".join(lines)


def invisible(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 40)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(_INVISIBLE))
    return "".join(chars)


def shuffle_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(2, 30))
    part = lines[a:b]
    rng.shuffle(part)
    return "\n".join(lines[:a] + part + lines[b:])


def deletechunk(text: str, rng: random.Random) -> str:
    a = rng.randrange(len(text) + 1)
    return text[:a] + text[a + rng.randint(1, max(1, len(text) // 4)):]


def dupchunk(text: str, rng: random.Random) -> str:
    a = rng.randrange(len(text) + 1)
    chunk = text[a:a + rng.randint(1, 2000)]
    return text[:a] + chunk * rng.randint(2, 50) + text[a:]


def fullwidth(text: str, rng: random.Random) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F) if rng.random() < 0.5})


def spans(text: str, rng: random.Random) -> str:
    """HTML and Word: huge row and column spans, many of them."""
    big = str(rng.choice((1000, 65535, 10**9, -5, 0)))
    text = re.sub(r"<td", lambda m: m[0] + (f' colspan="{big}"' if rng.random() < 0.3 else "")
                  + (f' rowspan="{big}"' if rng.random() < 0.1 else ""), text)
    text = re.sub(r'w:gridSpan w:val="\d+"', f'w:gridSpan w:val="{big}"', text)
    text = re.sub(r'w:gridBefore w:val="\d+"', f'w:gridBefore w:val="{big}"', text)
    if "<w:tc>" in text and rng.random() < 0.5:
        cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{big}"/></w:tcPr><w:p/></w:tc>'
        text = text.replace("</w:tr>", cell * rng.randint(1, 300) + "</w:tr>", rng.randint(1, 50))
    return text


def nesting(text: str, rng: random.Random) -> str:
    depth = rng.choice((300, 3000, 30000))
    tag = rng.choice(("div", "table", "span", "b", "w:sdt"))
    at = rng.randrange(len(text) + 1)
    return text[:at] + f"<{tag}>" * depth + "x" + f"</{tag}>" * depth + text[at:]


def merges(text: str, rng: random.Random) -> str:
    """XLSX: merged ranges (huge, many, malformed) and odd cell values."""
    ref = rng.choice(("A1:ZZ20000", "A1:XFD1048576", "B2:A1", "A0:B1", "ZZZZ1:A1", "A1:B99999999999", "A1", ""))
    merge = f'<mergeCell ref="{ref}"/>' * rng.choice((1, 10, 3000))
    if "</sheetData>" in text:
        text = text.replace("</sheetData>", f'</sheetData><mergeCells count="1">{merge}</mergeCells>', 1)
    value = rng.choice(("9" * 5000, "1e308", "-1e308", "NaN", "nan", "1E+30", "0x10", ""))
    return re.sub(r"<v>[^<]*</v>", lambda m: f"<v>{value}</v>" if rng.random() < 0.05 else m[0], text)


TEXT_MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    f.__name__: f for f in (hugenum, numoddity, longline, manylines, manycols, invisible, shuffle_lines,
                            deletechunk, dupchunk, fullwidth, spans, nesting)}
XML_MUTATIONS = {**TEXT_MUTATIONS, "merges": merges}


def encode(text: str, rng: random.Random) -> tuple[bytes, str]:
    """The text in an encoding a published file may come in, some of them broken."""
    name = rng.choice(("utf-8", "utf-8", "utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-32",
                       "bom+gbk", "utf-16-odd"))
    if name == "bom+gbk":
        return b"\xef\xbb\xbf" + text.encode("gbk", "replace"), name
    if name == "utf-16-odd":
        data = text.encode("utf-16", "surrogatepass")
        return data[:-1] if len(data) % 2 == 0 else data, name
    return text.encode(name, "surrogatepass" if name.startswith("utf") else "replace"), name


# -- byte and archive mutations ------------------------------------------------------------------------------
def byte_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    data = bytearray(data)
    kind = rng.choice(("flip", "byte", "rm", "dup", "insert", "trunc"))
    if not data:
        return bytes(data), kind
    at = rng.randrange(len(data))
    if kind == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == "byte":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "rm":
        del data[at:at + rng.randint(1, 4096)]
    elif kind == "dup":
        data[at:at] = data[at:at + rng.randint(1, 4096)] * rng.randint(1, 20)
    elif kind == "insert":
        data[at:at] = rng.randbytes(rng.randint(1, 512))
    else:
        del data[at:]
    return bytes(data), kind


def _main_member(names: list[str], fmt: str, rng: random.Random) -> str | None:
    if fmt == "docx":
        wanted = [n for n in names if n == "word/document.xml"]
    else:
        wanted = [n for n in names if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"]
    return rng.choice(wanted) if wanted else None


def zip_mutation(data: bytes, fmt: str, rng: random.Random) -> tuple[bytes, str]:
    """Mutate the XML inside a DOCX/XLSX (and re-zip it), or damage the archive itself."""
    kind = rng.random()
    if kind < 0.6:
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
            member = _main_member(source.namelist(), fmt, rng)
        except zipfile.BadZipFile:
            return byte_mutation(data, rng)
        if member is None:
            return byte_mutation(data, rng)
        names = rng.sample(sorted(XML_MUTATIONS), rng.randint(1, 2))
        out = io.BytesIO()
        stored = rng.random() < 0.2
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == member:
                    text = content.decode("utf-8", "replace")
                    for name in names:
                        text = XML_MUTATIONS[name](text, rng)
                    content = text.encode("utf-8", "surrogatepass")
                z.writestr(info.filename, content)
        return out.getvalue(), f"{member}:{'+'.join(names)}" + (" stored" if stored else "")
    if kind < 0.75:  # a local header's compression method or flags changed
        data = bytearray(data)
        heads = [m.start() for m in re.finditer(rb"PK\x03\x04", data)]
        if heads:
            at = rng.choice(heads)
            if rng.random() < 0.5:
                data[at + 8:at + 10] = rng.choice((99, 12, 14, 1)).to_bytes(2, "little")
                return bytes(data), "method"
            data[at + 6] |= 1  # encrypted
            return bytes(data), "encrypted"
    return byte_mutation(data, rng)


# -- one input ---------------------------------------------------------------------------------------------
def make_input(seed_files: dict[str, list[bytes]], fmt: str, index: int, seed: int) -> tuple[bytes, str]:
    """Input ``index`` of format ``fmt``: always the same bytes for the same seed, and how they were made."""
    rng = random.Random(f"{seed}:{fmt}:{index}")
    base = rng.randrange(len(seed_files[fmt]))
    data = seed_files[fmt][base]
    if fmt in ("txt", "md", "html"):
        if rng.random() < 0.15:
            mutated, how = byte_mutation(data, rng)
            return mutated, f"seed{base}: bytes {how}"
        text = data.decode("utf-8")
        names = rng.sample(sorted(TEXT_MUTATIONS), rng.randint(1, 3))
        for name in names:
            text = TEXT_MUTATIONS[name](text, rng)
        mutated, encoding = encode(text, rng)
        return mutated, f"seed{base}: {'+'.join(names)} enc={encoding}"
    if fmt in ("docx", "xlsx", "sheet"):
        mutated, how = zip_mutation(data, "docx" if fmt == "docx" else "xlsx", rng)
        return mutated, f"seed{base}: {how}"
    for _ in range(rng.randint(1, 3)):
        data, how = byte_mutation(data, rng)
    return data, f"seed{base}: bytes {how}"


# -- the bounded worker ------------------------------------------------------------------------------------
WALL_FACTOR = 6
"""The wall-clock backstop, in timeouts: a worker that has not answered after this long is stopped, whatever its
CPU time says (it sleeps, or the machine is starved)."""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (``/proc/PID/stat``), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class Outcome:
    name: str
    format: str
    how: str
    outcome: str  # ok, readerror, exception, timeout, memory
    seconds: float  # CPU seconds of the worker on this input
    stage: str = ""
    problem: str = ""
    peak_mb: float = 0.0  # the worker's peak resident memory after this input (it only grows)


def _serve(conn: Connection, memory_mb: int) -> None:
    """The worker: read inputs sent over ``conn`` one at a time until it gets None."""
    _silence()
    limit = _address_space() + memory_mb * 1024 * 1024  # on top of what the worker inherits (pytest is large)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while (message := conn.recv()) is not None:
        name, data = message
        stage = "read"
        start = time.process_time()
        try:
            extraction = read_report(name, data)
            stage = "check"
            extraction.check(extraction.report)
            stage = "flat"
            flat = json.loads(json.dumps(extraction.report.flat()))
            stage = "from_flat"
            Report.from_flat(flat)
            outcome, problem = "ok", ""
        except ReadError as exc:
            outcome, problem = "readerror", exc.problem[:200]
        except MemoryError:
            outcome, problem = "memory", f"MemoryError under the {memory_mb} MB limit"
        except BaseException as exc:  # noqa: BLE001 - every other kind is what the fuzzer looks for
            where = traceback.extract_tb(exc.__traceback__)[-1]
            outcome = "exception"
            problem = f"{type(exc).__name__}: {str(exc)[:200]} @ {Path(where.filename).name}:{where.lineno}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send((outcome, stage, problem, time.process_time() - start, peak))


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * resource.getpagesize()


@dataclass
class Worker:
    """A worker process reading inputs one at a time; replaced when an input kills it or runs too long.
    ``memory_mb`` of address space on top of what it inherits from the process it is forked from.

    The CLI reads every file in a fresh process; this worker reads thousands, for speed.  So that an input is
    judged as the CLI would judge it, the worker is also replaced after a ``MemoryError`` (libxml2 and the heap
    are not to be trusted after one: a later parse failed with lxml's "unknown error") and once its resident
    memory has grown by half its allowance (a heap fragmented by thousands of inputs reached the limit on inputs
    that need 100–250 MB in a fresh process).  Seen in a campaign of 2026-12-06: five such failures after about
    17,000 HTML inputs in one worker, each an ``ok`` or a ``ReadError`` when replayed alone.
    """

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    _conn: Connection | None = field(default=None, repr=False)
    _process: multiprocessing.Process | None = field(default=None, repr=False)

    _fresh_mb: float = field(default=0.0, repr=False)

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        self._process.start()
        child.close()
        self._fresh_mb = _resident_mb(os.getpid())  # what the worker starts from: its parent's pages

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        if self._process is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._process.join(5)
        self._stop()

    def run(self, name: str, fmt: str, how: str, data: bytes) -> Outcome:
        if self._process is None:
            self._start()
        pid = self._process.pid
        cpu_start, wall_start = _cpu_seconds(pid), time.perf_counter()
        try:
            self._conn.send((name, data))
            while not self._conn.poll(min(1.0, self.timeout)):
                cpu = _cpu_seconds(pid) - cpu_start
                wall = time.perf_counter() - wall_start
                if cpu > self.timeout or wall > WALL_FACTOR * self.timeout:
                    self._stop()
                    return Outcome(name, fmt, how, "timeout", cpu,
                                   problem=f"over {self.timeout:g} s of CPU" if cpu > self.timeout
                                   else f"no answer after {wall:.0f} s ({cpu:.1f} s of CPU)")
            outcome, stage, problem, seconds, peak = self._conn.recv()
        except (EOFError, OSError):
            self._stop()
            return Outcome(name, fmt, how, "memory", max(0.0, _cpu_seconds(pid) - cpu_start),
                           problem="the worker died (memory limit)")
        if outcome == "memory" or _resident_mb(pid) > self._fresh_mb + self.memory_mb / 2:
            self._stop()  # the next input starts in a fresh worker, as every file does in the CLI
        return Outcome(name, fmt, how, outcome, seconds, stage, problem, peak)


def _resident_mb(pid: int) -> float:
    """Resident memory of a process in MB (``/proc/PID/statm``), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return 0.0


def campaign(counts: dict[str, int], seed: int = 1, seed_files: dict[str, list[bytes]] | None = None,
             worker: Worker | None = None) -> Iterator[Outcome]:
    """``counts[fmt]`` inputs of each format, interleaved, each read by the worker."""
    seed_files = seed_files or seeds()
    worker = worker or Worker()
    try:
        for index in range(max(counts.values(), default=0)):
            for fmt, count in counts.items():
                if index < count:
                    data, how = make_input(seed_files, fmt, index, seed)
                    yield worker.run(f"in_{seed}_{index}_{fmt}{SUFFIX[fmt]}", fmt, how, data)
    finally:
        worker.close()


BAD = ("exception", "timeout", "memory")
