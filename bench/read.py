"""Reading speed per format, on one core: the corpus, and a larger set of random rendered reports.

    uv run python bench/read.py [--reports 30] [--repeat 3]

Generated files are random reports (``tests/render.py::random_report``, both editions) written by
gongkai's own writers (``gongkai.render.WRITERS``: txt, md, html, docx, pdf through WeasyPrint, xlsx).
Every generated file is also checked against the report it was made from.  For PDF, our reader's
time is compared with ``pdftotext -layout`` on the same files in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from answer_keys import CORPUS, differences  # noqa: E402
from render import random_report  # noqa: E402

from gongkai.read import PARSERS, ReadError, read_report, sniff  # noqa: E402
from gongkai.read.pdf import parse_pdf  # noqa: E402
from gongkai.render import WRITERS  # noqa: E402


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def read_all(files: list[Path], repeat: int) -> tuple[float, int]:
    """Seconds to read every file once (best of ``repeat`` per file) and how many failed."""
    total, failed = 0.0, 0
    for path in files:
        data = path.read_bytes()

        def read(path: Path = path, data: bytes = data) -> None:
            try:
                read_report(path, data)
            except ReadError:
                pass

        total += best(read, repeat)
        try:
            read_report(path, data)
        except ReadError:
            failed += 1
    return total, failed


def pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30, help="random reports rendered per format")
    parser.add_argument("--repeat", type=int, default=3, help="timings per file (the best counts)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    formats = [f for f in ("txt", "md", "html", "docx", "pdf", "xlsx") if f in PARSERS]
    corpus = [p for p in sorted(CORPUS.rglob("*"))  # the reports in its folders, not its README
              if p.is_file() and p.parent != CORPUS and not p.name.endswith(".expected.json")]
    by_format: dict[str, list[Path]] = {f: [] for f in formats}
    for path in corpus:
        fmt = sniff(path.read_bytes()[:4096], str(path))
        if fmt in by_format:
            by_format[fmt].append(path)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        generated: dict[str, list[Path]] = {}
        wrong: dict[str, int] = {}
        rng = random.Random(args.seed)
        reports = [random_report(rng) for _ in range(args.reports)]
        for fmt in formats:
            if fmt not in WRITERS:
                continue
            writer = WRITERS[fmt]
            generated[fmt], wrong[fmt] = [], 0
            for i, report in enumerate(reports):
                path = Path(tmp) / f"{i:04d}{writer.suffix}"
                path.write_bytes(writer.render(report))
                generated[fmt].append(path)
                try:
                    wrong[fmt] += bool(differences(read_report(path).report.flat(), report.flat()))
                except ReadError:
                    wrong[fmt] += 1
        for fmt in formats:
            for name, files in (("corpus", by_format[fmt]), ("generated", generated.get(fmt, []))):
                if not files:
                    continue
                seconds, failed = read_all(files, args.repeat)
                incorrect = f"{wrong[fmt]} wrong" if name == "generated" else f"{failed} failed"
                rows.append((fmt, name, len(files), len(files) / seconds, 1000 * seconds / len(files), incorrect))

        print(f"{'format':6} {'set':9} {'files':>5} {'reports/s':>9} {'ms/file':>8}  check")
        for fmt, name, n, rate, ms, note in rows:
            print(f"{fmt:6} {name:9} {n:5d} {rate:9.1f} {ms:8.2f}  {note}")
        if "pdf" in formats:
            pdfs = by_format["pdf"] + generated.get("pdf", [])
            ours = sum(best(lambda p=p: parse_pdf(p.read_bytes(), str(p)), args.repeat) for p in pdfs)
            theirs = sum(best(lambda p=p: pdftotext(p), args.repeat) for p in pdfs)
            spawn = best(lambda: subprocess.run(["true"], check=True), args.repeat) * len(pdfs)
            print(f"\nPDF, {len(pdfs)} files: parse_pdf {1000 * ours / len(pdfs):.2f} ms/file, "
                  f"pdftotext -layout {1000 * theirs / len(pdfs):.2f} ms/file "
                  f"(of which ~{1000 * spawn / len(pdfs):.2f} ms starting a process)")
            print(f"ratio parse_pdf / pdftotext: {ours / theirs:.2f}x "
                  f"({ours / max(theirs - spawn, 1e-9):.2f}x without the process start)")


if __name__ == "__main__":
    main()
