"""The CI slice of the fuzz campaign (tests/fuzz_harness.py): a few thousand mutated inputs, every one a report or
one ReadError, within the CLI's time and memory bounds.  The long campaign is bench/fuzz.py."""

from __future__ import annotations

import time

import fuzz_harness
import pytest
from fuzz_harness import BAD, Worker, campaign, make_input, seeds

SLICE = {"txt": 300, "md": 200, "html": 250, "docx": 350, "pdf": 100, "xlsx": 100, "sheet": 100}
SEED = 13  # the CI slice's own inputs: not the long campaign's (seed 1)


@pytest.fixture(scope="module")
def seed_files():
    return seeds(generated=1)


@pytest.mark.parametrize("fmt", sorted(SLICE))
def test_fuzz_slice(seed_files, fmt):
    outcomes = list(campaign({fmt: SLICE[fmt]}, SEED, seed_files))
    assert len(outcomes) == SLICE[fmt]
    assert [f"{o.name} [{o.how}] {o.outcome} {o.stage}: {o.problem}" for o in outcomes if o.outcome in BAD] == []
    assert {o.outcome for o in outcomes} == {"ok", "readerror"}  # the mutations leave some reports readable


def test_inputs_are_the_same_bytes_for_the_same_seed(seed_files):
    for fmt in SLICE:
        assert make_input(seed_files, fmt, 7, SEED) == make_input(seed_files, fmt, 7, SEED)
        assert make_input(seed_files, fmt, 7, SEED)[0] != make_input(seed_files, fmt, 8, SEED)[0]


def _buggy(path, data):
    raise TypeError("a reader bug")


def _slow(path, data):
    time.sleep(30)


def test_the_harness_reports_other_exceptions_and_timeouts(seed_files, monkeypatch):
    monkeypatch.setattr(fuzz_harness, "read_report", _buggy)  # the forked worker inherits it
    [bug] = campaign({"txt": 1}, SEED, seed_files)
    assert (bug.outcome, bug.stage) == ("exception", "read") and bug.problem.startswith("TypeError: a reader bug")
    monkeypatch.setattr(fuzz_harness, "read_report", _slow)
    [slow] = campaign({"txt": 1}, SEED, seed_files, Worker(timeout=1))
    assert slow.outcome == "timeout"
