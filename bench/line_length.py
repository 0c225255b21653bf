"""Reading time against the length of one line: linear, per format (issue #13 found it quadratic).

    uv run python bench/line_length.py [--sizes 2000,4000,8000,16000,32000,64000] [--repeat 2]

One line of N numbers is put into a report — a paragraph and a table row in text (tab-separated), a pipe row in
Markdown, a paragraph and a table row in HTML, one printed line in a PDF (a page as wide as the line) — and the
whole of ``gongkai check``'s reading is timed: ``read_report`` and the rules.  A reader linear in the length of a
line keeps the time per number (µs/number) flat as N doubles; a quadratic one doubles it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from answer_keys import CORPUS  # noqa: E402

from gongkai.read import ReadError, read_report  # noqa: E402
from gongkai.render import WRITERS  # noqa: E402
from gongkai.report.model import Report  # noqa: E402

SEED = CORPUS / "seed/000_db8b9a3c8d2b1499"


def _numbers(n: int, sep: str = " ") -> str:
    return sep.join(str((i * 7919) % 1000) for i in range(n))


def _insert(text: str, line: str, after: str) -> str:
    at = text.index(after) + len(after)
    return text[:at] + "\n" + line + "\n" + text[at:]


def _pdf(n: int) -> bytes:
    """A one-page PDF whose second line prints n numbers, on a page as wide as that line."""
    width = 20 * n + 200
    words = " ".join(f"1 0 0 1 {100 + 20 * i} 300 Tm ({(i * 7919) % 1000}) Tj" for i in range(n))
    content = f"BT /F1 8 Tf 1 0 0 1 100 400 Tm (Annual report) Tj {words} ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} 600] /Contents 4 0 R "
               f"/Resources << /Font << /F1 5 0 R >> >> >>".encode(),
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def cases() -> dict[str, Callable[[int], tuple[str, bytes]]]:
    report = Report.from_flat(json.loads(SEED.with_suffix(".expected.json").read_text("utf-8")))
    text = SEED.with_suffix(".txt").read_text("utf-8")
    markdown = WRITERS["md"].render(report).decode("utf-8")
    html = WRITERS["html"].render(report).decode("utf-8")
    heading = "二、主动公开政府信息情况"
    return {
        "txt paragraph": lambda n: ("r.txt", _insert(text, "行政许可 " + _numbers(n), heading).encode()),
        "txt table row": lambda n: ("r.txt", _insert(text, "行政许可\t" + _numbers(n, "\t"), heading).encode()),
        "md pipe row": lambda n: ("r.md", _insert(markdown, "| 行政许可 | " + _numbers(n, " | ") + " |",
                                                  heading).encode()),
        "html paragraph": lambda n: ("r.html", html.replace("</h2>", "</h2><p>行政许可 " + _numbers(n) + "</p>",
                                                            1).encode()),
        "html table row": lambda n: ("r.html", re.sub(
            r"(<table[^>]*>)", lambda m: m[1] + "<tr><td>行政许可</td><td>" + _numbers(n, "</td><td>") + "</td></tr>",
            html, count=1).encode()),
        "pdf line": lambda n: ("r.pdf", _pdf(n)),
    }


def timed(name: str, data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            read_report(name, data).check()
        except ReadError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,4000,8000,16000,32000,64000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'case':16} " + " ".join(f"{n:>14,}" for n in sizes) + "   (seconds, µs per number)")
    for case, make in cases().items():
        cells = []
        for n in sizes:
            name, data = make(n)
            seconds = timed(name, data, args.repeat)
            cells.append(f"{seconds:6.3f}s {seconds / n * 1e6:5.1f}µs")
        print(f"{case:16} " + " ".join(f"{c:>14}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
