"""The readable definition of the shipped letters (``definitions.toml``): title, required fields, text."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def definitions() -> dict[str, dict]:
    return tomllib.loads(resources.files(__package__).joinpath("definitions.toml").read_text("utf-8"))
