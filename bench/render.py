"""Time the writers: milliseconds per report for PDF, DOCX and XLSX, each beside a baseline in the same run.

    uv run python bench/render.py [--reports N]

The reports are random reports of both editions (``tests/render.py::random_report``), so no writer can cache a
result.  Baselines: for PDF, WeasyPrint alone rendering the same HTML (what our writer adds is the HTML and
the fonts); for DOCX, python-docx loading and saving the document our writer produced (the floor of any
python-docx writer); for XLSX, openpyxl loading and saving the workbook our writer produced.
Targets: PDF < 2 s, DOCX < 0.2 s per report.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import docx  # noqa: E402
import openpyxl  # noqa: E402
from render import random_report  # noqa: E402
from weasyprint import HTML  # noqa: E402

from gongkai.render import WRITERS  # noqa: E402
from gongkai.render.html_document import html_document  # noqa: E402


def per_report(function, items) -> float:
    started = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - started) / len(items) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(1)
    reports = [random_report(rng) for _ in range(args.reports)]
    WRITERS["pdf"].render(reports[0])  # warm-up: fonts, imports
    docs = {name: [WRITERS[name].render(r) for r in reports] for name in ("docx", "xlsx")}
    pages = [html_document(r) for r in reports]
    baselines = {
        "pdf": ("WeasyPrint on the same HTML", lambda page: HTML(string=page).write_pdf(), pages),
        "docx": ("python-docx load + save", lambda data: docx.Document(io.BytesIO(data)).save(io.BytesIO()),
                 docs["docx"]),
        "xlsx": ("openpyxl load + save", lambda data: openpyxl.load_workbook(io.BytesIO(data)).save(io.BytesIO()),
                 docs["xlsx"]),
    }
    print(f"{'writer':6} {'ms/report':>10}   baseline (same run)                    {'ms':>8}  ratio")
    for name, (label, baseline, items) in baselines.items():
        ours = per_report(WRITERS[name].render, reports)
        theirs = per_report(baseline, items)
        print(f"{name:6} {ours:10.1f}   {label:38} {theirs:8.1f}  {ours / theirs:5.2f}x")
    print(f"({args.reports} random reports of both editions; targets: pdf < 2000 ms, docx < 200 ms per report)")


if __name__ == "__main__":
    main()
