"""Test-only readers for the batch: one that allocates too much, one whose process dies, one that hangs,
one that writes to its standard output and error, one with a bug.

Each misbehaves only for files whose name says so, and reads any other file normally.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import time
from pathlib import Path

from gongkai.read import Extraction, read_report


def read(path: Path) -> Extraction:
    if "hog" in path.name:
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, 64 MB at a time
        raise AssertionError(f"allocated {len(hoard)} blocks despite the memory limit")
    if "crash" in path.name:
        faulthandler.disable()  # pytest's traceback dump would only be noise here
        os.abort()  # what a C library does when malloc fails under the limit
    if "slow" in path.name:
        time.sleep(60)
    if "noisy" in path.name:
        print("Exception ignored in: <noise on stdout>")
        print("Exception ignored in: <noise on stderr>", file=sys.stderr, flush=True)
        os.write(2, b"noise written straight to fd 2\n")
        raise MemoryError
    if "buggy" in path.name:
        return {}["a reader bug"]
    return read_report(path)
