"""Audit speed: N generated reports in mixed formats, audited as one region, on this machine.

    uv run python bench/audit.py [--reports 1000] [--jobs 2] [--pdf-every 50]

Reports are random and consistent within themselves (``tests/audit_region.py``: tables whose identities
hold, texts of random characters so no two sections are alike) for counties × departments × years, written by gongkai's own
writers (txt, md, html, docx, xlsx, and every ``--pdf-every``-th a PDF through WeasyPrint).  Every file is
read in its own bounded process (``gongkai.batch``), then the region's rules run.  Printed: reports/s of the
whole audit, and the time of reading against the time of the cross-report checks and the outputs in the
same run.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from audit_region import fill_other_tables, fill_table3, fill_texts  # noqa: E402

from gongkai.audit.collect import collect  # noqa: E402
from gongkai.audit.output import write_outputs  # noqa: E402
from gongkai.audit.review import save  # noqa: E402
from gongkai.audit.run import Audit, analyse  # noqa: E402
from gongkai.render import WRITERS  # noqa: E402
from gongkai.report import Report, edition_for_year  # noqa: E402

FORMATS = ("txt", "md", "html", "docx", "xlsx")
DEPARTMENTS = ("教育局", "公安局", "民政局", "财政局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
               "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局",
               "医疗保障局", "统计局", "司法局")
YEARS = range(2020, 2025)


def generate(folder: Path, n: int, pdf_every: int, seed: int) -> int:
    """Write n reports; return how many."""
    rng = random.Random(seed)
    per_county = (1 + len(DEPARTMENTS)) * len(YEARS)
    written = 0
    carry: dict[str, dict[str, int]] = {}
    in_force: dict[str, dict[str, int]] = {}
    for county in range(n // per_county + 1):
        place = f"第{county + 1}县"
        for organ in ("人民政府", *DEPARTMENTS):
            for year in YEARS:
                if written >= n:
                    return written
                ed = edition_for_year(year)
                report = Report(edition=ed.id, agency=place + organ, year=year,
                                published=date(year + 1, 1 if organ != "人民政府" else 3, rng.randint(1, 31)))
                carry[report.agency] = fill_table3(rng, report, carry.get(report.agency, {}), own=organ == "人民政府")
                fill_other_tables(rng, report, in_force.setdefault(report.agency, {}))
                fill_texts(rng, report)
                fmt = "pdf" if pdf_every and written % pdf_every == pdf_every - 1 else FORMATS[written % len(FORMATS)]
                writer = WRITERS[fmt]
                (folder / f"{written:05d}{writer.suffix}").write_bytes(writer.render(report))
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pdf-every", type=int, default=50, help="one report in this many is a PDF (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "reports", Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        start = time.perf_counter()
        n = generate(folder, args.reports, args.pdf_every, args.seed)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        records = collect([folder], out / "cache", jobs=args.jobs)
        read = time.perf_counter() - start
        start = time.perf_counter()
        findings, rows = analyse(records)
        checks = time.perf_counter() - start
        start = time.perf_counter()
        audit = Audit(records, findings, rows, read, checks)
        save(out / "review.csv", findings, {})
        write_outputs(audit, out)
        outputs = time.perf_counter() - start
        start = time.perf_counter()
        cached = collect([folder], out / "cache", jobs=args.jobs)
        again = time.perf_counter() - start
        assert all(r.cached for r in cached if r.error is None)
        failed = sum(r.error is not None for r in records)
        total = read + checks + outputs
        formats = {}
        for r in records:
            formats[r.format] = formats.get(r.format, 0) + 1
        print(f"{n} reports generated in {generated:.1f} s ({', '.join(f'{k} {v}' for k, v in sorted(formats.items()))}); "
              f"{failed} unreadable; {len(audit.reports)} agency-years; {len(findings)} findings")
        print(f"reading ({args.jobs} jobs)      {read:8.2f} s  {n / read:7.1f} reports/s")
        print(f"cross-report checks     {checks:8.2f} s  {100 * checks / read:6.1f}% of reading")
        print(f"outputs (csv/xlsx/html) {outputs:8.2f} s  {100 * outputs / read:6.1f}% of reading")
        print(f"whole audit             {total:8.2f} s  {n / total:7.1f} reports/s")
        print(f"second run, all cached  {again:8.2f} s")


if __name__ == "__main__":
    main()
