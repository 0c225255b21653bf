"""Shared test fixtures: where the shared corpus and spec are (never skipped: missing = failure)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``shared/`` beside the repository (CI lays it there), or ``GONGKAI_SHARED_DIR``."""
    candidates = [os.environ.get("GONGKAI_SHARED_DIR"), REPO.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "spec" / "report-keys.json").is_file():
            return Path(candidate)
    pytest.fail("shared/ (spec and corpus) not found beside the repository; set GONGKAI_SHARED_DIR", pytrace=False)


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()
