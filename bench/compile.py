"""Benchmark: compile table 3 from a ledger of 1,000,000 requests, against a bare GROUP BY.

    uv run python bench/compile.py --database sqlite                      # file under bench/out/
    uv run python bench/compile.py --database postgresql://postgres@127.0.0.1:5432/test

For PostgreSQL the URL names the server; the bench (re)creates its own database ``gongkai_bench`` there.
The ledger is written with bulk inserts (``executemany`` on SQLite, ``COPY`` on PostgreSQL): agencies,
applicants, requests with their ``received`` and ``decided`` events, and each request's ``closed_on``/
``outcome`` set to what its events say.  Then, in the same run, it times (best of several runs):

- ``compile table 3``: ``count_requests`` + ``requests_table`` (the query and the mapping the report uses);
- ``bare GROUP BY``: one SQL ``SELECT type, outcome, COUNT(*) … GROUP BY type, outcome`` over the same rows;

for one agency-year and for the whole agency tree in one year.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "gongkai_bench"
YEARS = range(2019, 2026)
YEAR = 2024


def prepare_database(target: str) -> str:
    """The database URL to use, created fresh."""
    if target == "sqlite":
        path = Path(__file__).parent / "out" / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return f"sqlite:///{path.resolve()}"
    import psycopg

    parts = urlsplit(target)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def generate(n_requests: int, n_agencies: int, n_applicants: int, seed: int = 1):
    """Rows for the applicant, request and event tables."""
    from gongkai.web.reports.tables import APPLICANT_COLUMNS, RESULT_ROWS

    rng = random.Random(seed)
    applicants = [(i, rng.choices(APPLICANT_COLUMNS, weights=(80, 8, 2, 2, 4, 4))[0], f"申请人{i}", "", "", "", 0)
                  for i in range(1, n_applicants + 1)]
    first, days = date(YEARS[0], 1, 1), (date(YEARS[-1], 12, 31) - date(YEARS[0], 1, 1)).days
    outcome_weights = [40, 15] + [1] * (len(RESULT_ROWS) - 2)
    requests, events = [], []
    event_id = 0
    for i in range(1, n_requests + 1):
        received = first + timedelta(days=rng.randrange(days))
        closed = outcome = None
        if rng.random() > 0.02:
            closed = received + timedelta(days=rng.randrange(1, 60))
            outcome = rng.choices(RESULT_ROWS, weights=outcome_weights)[0]
        requests.append((i, rng.randrange(2, n_agencies + 2), rng.randrange(1, n_applicants + 1), received,
                         "online", closed, outcome, 0))
        event_id += 1
        events.append((event_id, i, "received", received, None, "", 0))
        if closed:
            event_id += 1
            events.append((event_id, i, "decided", closed, outcome, "", 0))
    return applicants, requests, events


TABLES = {
    "requests_applicant": ("id", "type", "name", "id_number", "phone", "address", "version"),
    "requests_request": ("id", "agency_id", "applicant_id", "received_on", "channel", "closed_on", "outcome", "version"),
    "requests_requestevent": ("id", "request_id", "kind", "occurred_on", "outcome", "note", "version"),
}


def bulk_insert(connection, table: str, rows: list[tuple]) -> None:
    columns = TABLES[table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


BARE_SQL = """
SELECT a.type, r.outcome, COUNT(*) FROM requests_request r JOIN requests_applicant a ON a.id = r.applicant_id
WHERE r.agency_id IN ({ids}) AND r.received_on <= %s AND (r.closed_on IS NULL OR r.closed_on >= %s)
GROUP BY a.type, r.outcome
"""


def best_of(runs: int, function) -> tuple[float, float]:
    """(best, median) wall time in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a postgresql:// server URL")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--applicants", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    os.environ["GONGKAI_DATABASE_URL"] = prepare_database(args.database)
    from gongkai.web.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.web.agencies.models import Agency
    from gongkai.web.reports.compile import SUBTREE, compile_report, count_requests
    from gongkai.web.reports.tables import requests_table

    call_command("migrate", verbosity=0)
    root = Agency.objects.create(name="某市人民政府", kind=Agency.Kind.GOVERNMENT)
    Agency.objects.bulk_create([Agency(id=root.pk + 1 + i, name=f"部门{i}", kind=Agency.Kind.DEPARTMENT, parent=root)
                                for i in range(args.agencies)])

    started = time.perf_counter()
    applicants, requests, events = generate(args.requests, args.agencies, args.applicants)
    generated = time.perf_counter() - started
    with transaction.atomic():
        for table, rows in (("requests_applicant", applicants), ("requests_request", requests),
                            ("requests_requestevent", events)):
            bulk_insert(connection, table, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    loaded = time.perf_counter() - started - generated
    print(f"{connection.vendor}: {len(requests):,} requests, {len(events):,} events, {len(applicants):,} applicants,"
          f" {args.agencies} agencies; generated in {generated:.1f} s, loaded in {loaded:.1f} s")

    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    for label, ids in ((f"one agency, {YEAR}", [root.pk + 1]), (f"whole tree ({args.agencies + 1} agencies), {YEAR}",
                                                                root.subtree_ids())):
        def bare(ids=ids):
            with connection.cursor() as cursor:
                cursor.execute(BARE_SQL.format(ids=", ".join(["%s"] * len(ids))), [*ids, end, start])
                return cursor.fetchall()

        def table3(ids=ids):
            return requests_table(count_requests(ids, YEAR).get(SUBTREE, []))

        rows = sum(n for *_, n in bare())
        assert rows == table3()["requests.new_received.total"] + table3()["requests.carried_over.total"]
        bare_best, bare_median = best_of(args.runs, bare)
        compile_best, compile_median = best_of(args.runs, table3)
        print(f"  {label}: {rows:,} rows counted")
        print(f"    bare GROUP BY     best {bare_best * 1000:8.1f} ms   median {bare_median * 1000:8.1f} ms")
        print(f"    compile table 3   best {compile_best * 1000:8.1f} ms   median {compile_median * 1000:8.1f} ms"
              f"   ratio {compile_best / bare_best:.2f}")
    whole_best, _ = best_of(3, lambda: compile_report(root, YEAR, subtree=True))
    print(f"  whole report (tables 2, 3, 4 and texts), whole tree: best {whole_best * 1000:.1f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
