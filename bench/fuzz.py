"""The long fuzz campaign of the readers (issue #13): inputs per format, outcomes, slowest, largest memory.

    uv run python bench/fuzz.py [--inputs 100000] [--seed 1] [--timeout 10] [--memory-mb 500] [--save DIR]
                                [--progress 5000]

The harness is ``tests/fuzz_harness.py`` (mutations, seeds, the bounded worker); this script only chooses how
many inputs of each format and prints the figures.  Formats are weighted by what an input costs to read (a PDF
or a workbook costs several times a text file), every format getting at least 2 % of the inputs.  One process
reads, one generates: run it when nothing else is running.  An input whose outcome is neither a report nor one
``ReadError`` (an exception of another type, a timeout, a memory death) is listed, and saved under ``--save``.
Exit status 1 when there is any such input.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_harness import BAD, FORMATS, Worker, campaign, make_input, seeds  # noqa: E402

WEIGHTS = {"txt": 27, "md": 12, "html": 27, "docx": 22, "pdf": 4, "xlsx": 4, "sheet": 4}  # percent


def counts(total: int) -> dict[str, int]:
    out = {fmt: total * WEIGHTS[fmt] // 100 for fmt in FORMATS}
    out["txt"] += total - sum(out.values())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input (the CLI's default)")
    parser.add_argument("--memory-mb", type=int, default=500, help="the worker's address space (the CLI's default)")
    parser.add_argument("--save", type=Path, help="folder for the inputs that were neither a report nor a ReadError")
    parser.add_argument("--progress", type=int, default=0, help="print the running figures every N inputs")
    parser.add_argument("--replay", type=Path, help="read the files of this folder (a --save of an earlier run) "
                        "through the same worker and print each outcome, instead of a campaign")
    args = parser.parse_args()
    if args.replay:
        return replay(args.replay, Worker(timeout=args.timeout, memory_mb=args.memory_mb))

    # a campaign stopped early (Ctrl-C, or SIGTERM: a background job ignores SIGINT) still prints its figures
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.perf_counter()
    seed_files = seeds()
    plan = counts(args.inputs)
    print(f"seeds: {', '.join(f'{fmt} {len(files)}' for fmt, files in seed_files.items())} "
          f"({time.perf_counter() - started:.1f} s); plan: {plan}; seed {args.seed}, "
          f"timeout {args.timeout:g} s, memory {args.memory_mb} MB", flush=True)
    outcomes: dict[str, Counter[str]] = {fmt: Counter() for fmt in FORMATS}
    slowest: dict[str, tuple[float, str, str]] = {}
    exceptions: Counter[str] = Counter()
    bad = []
    peak = (0.0, "")
    seconds = 0.0
    worker = Worker(timeout=args.timeout, memory_mb=args.memory_mb)
    try:
        for done, outcome in enumerate(campaign(plan, args.seed, seed_files, worker), start=1):
            peak = _count(outcome, outcomes, slowest, exceptions, bad, peak, args, seed_files)
            seconds += outcome.seconds
            if args.progress and done % args.progress == 0:
                print(f"... {done:,} inputs, {time.perf_counter() - started:.0f} s, bad {len(bad)}", flush=True)
    except KeyboardInterrupt:  # a campaign stopped early still reports what it did
        print("\ninterrupted: the figures below cover the inputs read so far")

    total = sum(sum(c.values()) for c in outcomes.values())
    kinds = ("ok", "readerror", "exception", "timeout", "memory")
    print(f"\n{total:,} inputs in {time.perf_counter() - started:.0f} s ({seconds:.0f} CPU s reading), "
          f"one worker process, timeout {args.timeout:g} s, memory limit {args.memory_mb} MB")
    print(f"{'format':7} {'inputs':>8} " + " ".join(f"{k:>9}" for k in kinds) + "  slowest")
    for fmt in FORMATS:
        c = outcomes[fmt]
        slow = slowest.get(fmt, (0.0, "-", ""))
        print(f"{fmt:7} {sum(c.values()):>8,} " + " ".join(f"{c[k]:>9,}" for k in kinds)
              + f"  {slow[0]:.2f} CPU s {slow[1]} [{slow[2][:70]}]")
    print(f"largest memory: {peak[0]:.0f} MB peak resident in the worker (the parent it is forked from: "
          f"{_baseline():.0f} MB), reached at {peak[1][:120]}")
    print(f"other exceptions, timeouts, memory deaths: {len(bad)}")
    for problem, n in exceptions.most_common():
        print(f"  {n:>6} {problem}")
    return 1 if bad else 0


def replay(folder: Path, worker: Worker) -> int:
    """Each saved input again, alone: its outcome and CPU seconds (a timeout of a loaded run, judged again)."""
    bad = 0
    try:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            fmt = path.name.rsplit("_", 1)[-1].split(".")[0]
            outcome = worker.run(path.name, fmt, "replay", path.read_bytes())
            bad += outcome.outcome in BAD
            print(f"{outcome.outcome:9} {outcome.seconds:6.2f} CPU s {outcome.peak_mb:5.0f} MB  {path.name} "
                  f"{outcome.problem[:80]}", flush=True)
    finally:
        worker.close()
    return 1 if bad else 0


def _count(outcome, outcomes, slowest, exceptions, bad, peak, args, seed_files) -> tuple[float, str]:
    """Add one outcome to the figures; list (and save) it when it is neither a report nor a ReadError."""
    outcomes[outcome.format][outcome.outcome] += 1
    if outcome.seconds > slowest.get(outcome.format, (0.0,))[0]:
        slowest[outcome.format] = (outcome.seconds, outcome.name, outcome.how)
    if outcome.outcome in BAD:
        bad.append(outcome)
        exceptions[outcome.problem.split(" @ ")[0][:100]] += 1
        print(f"BAD {outcome.outcome} {outcome.name} [{outcome.how}] {outcome.stage}: {outcome.problem}", flush=True)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            index = int(outcome.name.split("_")[2])
            data, _ = make_input(seed_files, outcome.format, index, args.seed)
            (args.save / outcome.name).write_bytes(data)
    return max(peak, (outcome.peak_mb, f"{outcome.name} ({outcome.how})"))


def _baseline() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
