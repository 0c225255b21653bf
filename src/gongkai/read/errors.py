"""The one exception every reader raises for a file it cannot read."""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """A file that cannot be read as a report: names the file and the problem."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else "<input>"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
