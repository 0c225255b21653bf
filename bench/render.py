"""Time the writers: seconds per report for PDF, DOCX and XLSX over N reports.

    uv run python bench/render.py [N]

The reports are the seed report with every cell set to a different number (N of them, so no
writer can cache a result).  Targets: PDF < 2 s, DOCX < 0.2 s per report.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from gongkai.render.docx import write_docx
from gongkai.render.pdf import write_pdf
from gongkai.render.xlsx import write_xlsx
from gongkai.report.model import Report

SEED = Path("/work/shared/corpus/seed/000_db8b9a3c8d2b1499.expected.json")


def reports(n: int) -> list[Report]:
    out = []
    for i in range(n):
        report = Report.from_flat(json.loads(SEED.read_text("utf-8")))
        for j, key in enumerate(report.values):
            money = report.template.cell(key).column.type == "money"
            report.values[key] = Decimal(f"{i}.{j:04d}") if money else i * 1000 + j
        out.append(report)
    return out


def main(n: int = 20) -> None:
    batch = reports(n)
    with tempfile.TemporaryDirectory() as tmp:
        writers = {
            "pdf": lambda r, i: write_pdf(r, Path(tmp) / f"{i}.pdf"),
            "docx": lambda r, i: write_docx(r, io.BytesIO()),
            "xlsx": lambda r, i: write_xlsx(r, io.BytesIO()),
        }
        for name, write in writers.items():
            write(batch[0], "warm-up")
            start = time.perf_counter()
            for i, report in enumerate(batch):
                write(report, i)
            per = (time.perf_counter() - start) / n
            print(f"{name:5} {per * 1000:8.1f} ms per report  ({n} reports)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
