"""The bench scripts run (at a tiny size) and print their figures: a bench that rots is found here.

Not a timed test: the figures themselves are read from the scripts' own output when they run at full size.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script, args, expect", [
    ("read.py", ["--reports", "2", "--repeat", "1"], "ratio parse_pdf / pdftotext"),
    ("render.py", ["--reports", "2"], "ms/report"),
    ("limits.py", ["--repeat", "1", "--scale", "0.01"], "× seed"),
    ("audit.py", ["--reports", "8", "--pdf-every", "0"], "cross-report checks"),
    ("compile.py", ["--requests", "3000", "--applicants", "300", "--agencies", "3", "--runs", "1"], "ratio"),
    ("fuzz.py", ["--inputs", "70"], "other exceptions, timeouts, memory deaths: 0"),
    # needs PostgreSQL at 127.0.0.1:5432 (scripts/postgres.sh starts it): fails, never skips, without it
    ("web.py", ["--requests", "2000", "--clients", "4", "--seconds", "3", "--db-name", "gongkai_webbench_smoke"],
     "bare SELECT of the same page"),
    ("line_length.py", ["--sizes", "500,1000", "--repeat", "1"], "µs per number"),
])
def test_bench_script_runs(script, args, expect, tmp_path):
    result = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert expect in result.stdout
