"""Figures a process keeps for a minute: what many pages show, that only a new day or a rare change alters, and
that costs more to count than the page itself (a year of a city's closings for the charts, the years of a
scope's requests and a supervisor's agencies for the list's filter).  Kept per process and per key (the user's scope and the day); the
page says when it was counted where that matters.  Never used for what a clerk acts on: the open requests,
their states and deadlines are read on every page."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

KEPT_SECONDS = 60
MOST_KEYS = 1000
_kept: dict[tuple, tuple[float, object]] = {}


def kept(key: tuple, count: Callable[[], T], seconds: float | None = None) -> T:
    """``count()``, or what it gave for ``key`` less than ``seconds`` (default ``KEPT_SECONDS``) ago."""
    now = time.monotonic()
    found = _kept.get(key)
    if found is not None and now - found[0] < (KEPT_SECONDS if seconds is None else seconds):
        return found[1]
    value = count()
    if len(_kept) >= MOST_KEYS:
        _kept.clear()
    _kept[key] = (now, value)
    return value


def forget() -> None:
    _kept.clear()


def scope_key(user) -> tuple | None:
    """The user's scope as a key: the agencies they see (None: all)."""
    from gongkai.web.accounts.access import visible_agency_ids

    ids = visible_agency_ids(user)
    return None if ids is None else tuple(sorted(ids))
