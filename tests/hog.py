"""Test-only readers for the batch: one that allocates too much, one whose process dies, one that hangs.

Each misbehaves only for files whose name says so, and reads any other file normally.
"""

from __future__ import annotations

import faulthandler
import os
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
    return read_report(path)
