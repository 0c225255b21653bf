"""How long hostile and oversized inputs take to be read or refused, in process, against reading the seed
report in the same run (the baseline).  These were timed assertions in the unit tests; a time is a figure
to watch, not a pass/fail condition on a shared machine.

    uv run python bench/limits.py [--repeat 3] [--scale 1.0]

``--scale`` shrinks the inputs (the test of the bench scripts runs it small).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests/corpus/seed/000_db8b9a3c8d2b1499.txt"
HONGZE = ROOT / "tests/corpus/real/huaian-hongze-2024.pdf"

from gongkai.read import ReadError, read_report  # noqa: E402


def cases(scale: float) -> dict[str, tuple[str, Callable[[], bytes]]]:
    seed = SEED.read_text(encoding="utf-8")
    n = lambda count: max(1, int(count * scale))  # noqa: E731
    row = "\t".join(["1.属于国家秘密"] + ["0"] * 7)
    line = "<p>这是一个普通网页的段落，用来测试一个很大的页面，它不是年度报告。</p>\n"
    cell = '<td rowspan="1000" colspan="1000">1</td>' * 50
    return {
        "seed report (baseline)": ("seed.txt", lambda: SEED.read_bytes()),
        "30,000-row table (txt)": ("huge.txt", lambda: (
            "某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            + "\n".join([row] * n(30_000))).encode()),
        "10,000-deep nesting (html)": ("deep.html", lambda: (
            "<html><body>" + "<div><span>" * n(5000) + seed.replace("\n", "<br>")
            + "</span></div>" * n(5000) + "</body></html>").encode()),
        "5 MB page, not a report (html)": ("big.html", lambda: (
            "<html><body>" + line * n(5_000_000 // len(line.encode())) + "</body></html>").encode()),
        "huge spans (html)": ("spans.html", lambda: (
            f"<html><body><table>{('<tr>' + cell + '</tr>') * n(2000)}</table></body></html>").encode()),
        "truncated PDF": ("truncated.pdf", lambda: HONGZE.read_bytes()[: len(HONGZE.read_bytes()) // 2]),
        "random bytes": ("junk.bin", lambda: random.Random(3).randbytes(5000)),
    }


def timed(name: str, data: bytes, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            read_report(name, data)
            outcome = "read"
        except ReadError as exc:
            outcome = f"ReadError: {exc.problem}"
        best = min(best, time.perf_counter() - start)
    return best, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    rows = []
    for label, (name, make) in cases(args.scale).items():
        data = make()
        seconds, outcome = timed(name, data, args.repeat)
        rows.append((label, len(data), seconds, outcome))
    baseline = rows[0][2]
    print(f"{'input':34} {'bytes':>11} {'ms':>9} {'× seed':>8}  outcome")
    for label, size, seconds, outcome in rows:
        print(f"{label:34} {size:>11,} {seconds * 1000:>9.1f} {seconds / baseline:>8.1f}  {outcome[:60]}")


if __name__ == "__main__":
    sys.exit(main())
