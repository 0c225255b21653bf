"""The one error every reader raises for a file it cannot read."""

from __future__ import annotations

from os import PathLike


class ReadError(Exception):
    """A file that is not a readable report: names the file and the problem."""

    def __init__(self, path: str | PathLike | None, problem: str) -> None:
        self.path = str(path) if path is not None else "<stream>"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"
