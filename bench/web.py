"""Benchmark: the office's pages under 50 concurrent users, against PostgreSQL holding 1,000,000 requests.

    uv run python bench/web.py                                   # 1,000,000 requests, 50 clients, 60 s
    uv run python bench/web.py --requests 2000 --clients 4 --seconds 3     # smoke size (tests/test_bench.py)

1. Creates its own database (``--db-name``, default ``gongkai_webbench``) on the PostgreSQL server of
   ``--database`` and migrates it; drops it at the end unless ``--keep``.
2. Seeds a city's agency tree (the city government, its departments, counties with their departments, towns and
   subdistricts: 301 agencies), applicants, and ``--requests`` requests spread over the working days since 2019,
   with their events, by ``COPY`` (psycopg 3), and the letters an office keeps (one per event that goes out with
   a letter, and 答复书 awaiting 签发 for some requests in progress): ``web_seed.py``.  Requests are sized by
   agency (a few agencies get most of them); most are closed (decided, withdrawn, or closed by the law when a 补正
   deadline lapsed), a realistic share is open: in progress (some overdue, some extended), awaiting a supplement, consulting, awaiting payment.  Every
   request whose timeline is more than a receipt and a decision gets its ``closed_on``/``outcome`` from the
   ledger's own ``derive_state`` (what ``Request.sync_closing`` writes); a sample is checked against it.
3. Starts ``gongkai serve`` (gunicorn, production settings, ``web/serving.py``) on a free port.
4. ``--clients`` threads log in — office staff of different agencies, ``--supervisors`` supervisors of counties
   and one of the whole city — and each, for ``--seconds``, opens a page and waits a think time (uniform in
   0.5–1.5 × ``--think`` seconds: a clerk reads what the page shows before the next click; ``--think 0`` makes
   a closed loop that measures saturation).  Pages: the dashboard ``/``, the request list ``/requests/`` with
   filters, sorting and pages, and request pages ``/requests/<pk>/`` of the user's agencies.  Threads, not
   ``wrk``: each client needs its own login, CSRF token and the pks it may see, and no package is needed.
5. Prints per page: requests, errors, p50, p95, p99 and throughput, then the bare ``SELECT`` of the same page
   (the main query the page runs, timed with psycopg in the same run, for the same users) and the ratio; the
   load average before and after (the machine is shared).  Then, with the load over, the city supervisor opens
   each of his overviews (各机关办理情况, 年度报告总览) ``--alone-repeat`` times: pages opened now and then, timed
   alone (no target is set for them).

Why the think time: 50 clients with no pause on 2 cores would ask each page to take under 4 ms of CPU for a
p95 under 100 ms; real users read.  ``--think 0`` is there to see the saturation throughput.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import date, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from web_seed import (
    PASSWORD,
    agency_tree,
    check_closings,
    clients_of,
    create_database,
    drop_database,
    ensure_users,
    seed,
)

PAGES = ("dashboard", "list", "request")


# ---------------------------------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    gongkai = Path(sys.executable).parent / "gongkai"
    command = [str(gongkai)] if gongkai.exists() else [sys.executable, "-m", "gongkai.cli"]
    env = {**os.environ, "GONGKAI_DATABASE_URL": database_url, "GONGKAI_DATA_DIR": str(data_dir)}
    env.pop("GONGKAI_DEBUG", None)
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                               str(workers)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gongkai serve exited: {(data_dir / 'server.log').read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gongkai serve did not answer within 120 s")


def cpu_seconds(server: subprocess.Popen) -> tuple[float, float]:
    """CPU time (user + system) used so far by the server's processes (the gunicorn master and its workers) and
    by PostgreSQL's (every process named postgres: the backends of the server's connections among them)."""
    tick, ours, database = os.sysconf("SC_CLK_TCK"), 0.0, 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields, used = rest.split(), 0.0
        used = (int(fields[11]) + int(fields[12])) / tick
        if int(fields[3]) == server.pid:  # the session leader: gongkai serve itself
            ours += used
        elif name.endswith("(postgres"):
            database += used
    return ours, database


ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d+) .* (\d+)ms$')


def server_times(log: Path, offset: int) -> dict[str, list[float]]:
    """Seconds per page kind as the server's access log gives them from ``offset`` on: the time a worker took
    from reading the request to the response, without the wait in the listen queue before it."""
    times: dict[str, list[float]] = defaultdict(list)
    with log.open("rb") as file:
        file.seek(offset)
        for line in file.read().decode(errors="replace").splitlines():
            found = ACCESS_LINE.search(line)
            if found and found.group(2) == "200":
                path = found.group(1)
                page = "dashboard" if path == "/" else "request" if re.fullmatch(r"/requests/\d+/", path) else "list"
                times[page].append(int(found.group(3)) / 1000)
    return times


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# ---------------------------------------------------------------------------------------------------- clients

class Client:
    def __init__(self, base: str, name: str, role: str, pks: list[int], years: list[int], rng: random.Random):
        self.base, self.name, self.role, self.pks, self.years, self.rng = base, name, role, pks, years, rng
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.results: list[tuple[str, float, bool]] = []
        self.refused = False

    def login(self) -> None:
        page = self.opener.open(f"{self.base}/login/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": self.name, "password": PASSWORD,
                                       "next": "/"}).encode()
        request = urllib.request.Request(f"{self.base}/login/", data=data, headers={"Referer": f"{self.base}/login/"})
        response = self.opener.open(request, timeout=60)
        if response.geturl().rstrip("/").endswith("/login"):
            self.refused = True

    def list_url(self) -> str:
        rng = self.rng
        choice = rng.randrange(8)
        if choice == 0:
            return "/requests/"
        if choice == 1:
            return f"/requests/?sort=-received&page={rng.randrange(1, 30)}"
        if choice == 2:
            return f"/requests/?status=open&page={rng.randrange(1, 3)}"
        if choice == 3:
            return "/requests/?deadline=overdue"
        if choice == 4:
            return f"/requests/?status={rng.choice(['awaiting_supplement', 'consulting', 'awaiting_payment'])}"
        if choice == 5:
            return f"/requests/?year={rng.choice(self.years)}&outcome=granted&sort=-number&page={rng.randrange(1, 10)}"
        if choice == 6:
            return f"/requests/?applicant_type=commercial&sort=received&page={rng.randrange(1, 5)}"
        return f"/requests/?q={rng.choice(self.pks)}"

    def url(self, page: str) -> str:
        if page == "dashboard":
            return "/"
        if page == "list":
            return self.list_url()
        return f"/requests/{self.rng.choice(self.pks)}/"

    def warm_up(self) -> None:
        for page in PAGES:
            self.opener.open(f"{self.base}{self.url(page)}", timeout=120).read()

    def run(self, until: float, think: float) -> None:
        rng = self.rng
        while time.monotonic() < until:
            page = rng.choices(PAGES, weights=(3, 4, 3))[0]
            url = self.url(page)
            started = time.perf_counter()
            ok = False
            try:
                response = self.opener.open(f"{self.base}{url}", timeout=60)
                body = response.read()
                ok = response.status == 200 and "/login/" not in response.geturl() and len(body) > 500
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                ok = False
            self.results.append((page, time.perf_counter() - started, ok))
            if think:
                time.sleep(think * rng.uniform(0.5, 1.5))


SUPERVISOR_PAGES = ("/agencies/", "/reports/overview/")
"""A supervisor's overviews (各机关办理情况, 年度报告总览): opened now and then, not in the load's mix."""


def supervisor_pages_alone(client: Client, repeat: int) -> dict[str, tuple[list[float], int]]:
    """Each of ``SUPERVISOR_PAGES`` opened ``repeat`` times by ``client`` with nothing else running: the
    seconds of each and how many failed."""
    found = {}
    for url in SUPERVISOR_PAGES:
        times, failed = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            try:
                response = client.opener.open(f"{client.base}{url}", timeout=120)
                failed += response.status != 200 or len(response.read()) < 500
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                failed += 1
            times.append(time.perf_counter() - started)
        found[url] = times, failed
    return found


def machine_reference() -> float:
    """Milliseconds of CPU a fixed pure-Python loop takes (the least of five): this machine's speed at the time,
    which varies from run to run (a shared host), so that runs made at different times can be compared."""
    times = []
    for _ in range(5):
        started, total = time.process_time(), 0
        for i in range(1_000_000):
            total += i * i
        times.append((time.process_time() - started) * 1000)
    return min(times)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# ---------------------------------------------------------------------------------------------------- bare SQL

BARE = {
    # the dashboard: the open requests of the user's agencies, with their applicant and their events
    "dashboard": ["""SELECT r.id, r.agency_id, r.received_on, r.channel, r.closed_on, a.name, a.type, e.kind,
                            e.occurred_on, e.supplement_by, e.fee_units, e.extension_days
                     FROM requests_request r JOIN requests_applicant a ON a.id = r.applicant_id
                     LEFT JOIN requests_requestevent e ON e.request_id = r.id
                     WHERE r.agency_id = ANY(%(agencies)s) AND (r.closed_on IS NULL OR r.closed_on > %(today)s)"""],
    # the list: one page of 50 requests with applicant and agency, and the count the pager shows
    "list": ["""SELECT r.id, r.received_on, r.closed_on, r.outcome, a.name, a.type, a.id_number, g.name
                FROM requests_request r JOIN requests_applicant a ON a.id = r.applicant_id
                JOIN agencies_agency g ON g.id = r.agency_id
                WHERE r.agency_id = ANY(%(agencies)s) ORDER BY r.received_on DESC, r.id DESC LIMIT 50""",
             "SELECT COUNT(*) FROM requests_request r WHERE r.agency_id = ANY(%(agencies)s)"],
    # the request page: the request with applicant and agency, and its events
    "request": ["""SELECT r.*, a.*, g.name FROM requests_request r JOIN requests_applicant a ON a.id = r.applicant_id
                   JOIN agencies_agency g ON g.id = r.agency_id WHERE r.id = %(pk)s""",
                "SELECT * FROM requests_requestevent WHERE request_id = %(pk)s ORDER BY occurred_on, id"],
}


def bare_selects(database_url: str, users: list[tuple[list[int], list[int]]], today: date, repeat: int):
    """Per page, the times (seconds) of its bare SELECTs, for each user (agency ids, pks) ``repeat`` times."""
    import psycopg

    times = defaultdict(list)
    with psycopg.connect(database_url, autocommit=True) as conn:
        for _ in range(repeat):
            for agencies, pks in users:
                for page, statements in BARE.items():
                    params = {"agencies": agencies, "today": today, "pk": random.choice(pks)}
                    started = time.perf_counter()
                    for sql in statements:
                        conn.execute(sql, params).fetchall()
                    times[page].append(time.perf_counter() - started)
    return times


def visible(database_url: str, agency: int, role: str) -> tuple[list[int], list[int], list[int]]:
    """(agency ids, a sample of request pks, years) a client sees."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        if role == "supervisor":
            ids = [r[0] for r in conn.execute(
                "WITH RECURSIVE t(id) AS (SELECT id FROM agencies_agency WHERE id = %s UNION "
                "SELECT a.id FROM agencies_agency a JOIN t ON a.parent_id = t.id) SELECT id FROM t", [agency])]
        else:
            ids = [agency]
        pks = [r[0] for r in conn.execute(
            "SELECT id FROM requests_request WHERE agency_id = ANY(%s) AND id %% 97 = %s LIMIT 200",
            [ids, random.randrange(97)])]
        pks += [r[0] for r in conn.execute(
            "SELECT id FROM requests_request WHERE agency_id = ANY(%s) AND closed_on IS NULL LIMIT 100", [ids])]
        if not pks:
            pks = [r[0] for r in conn.execute("SELECT id FROM requests_request WHERE agency_id = ANY(%s) LIMIT 50",
                                              [ids])]
        years = sorted({r[0] for r in conn.execute(
            "SELECT DISTINCT EXTRACT(YEAR FROM received_on)::int FROM requests_request WHERE agency_id = ANY(%s)",
            [ids])})
    return ids, pks, years or [date.today().year]


# ---------------------------------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a postgresql:// URL of the server (its database name is not used)")
    parser.add_argument("--db-name", default="gongkai_webbench")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--supervisors", type=int, default=5, help="clients that are supervisors (the last: city)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a client's requests")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (gongkai serve's default)")
    parser.add_argument("--bare-repeat", type=int, default=3)
    parser.add_argument("--alone-repeat", type=int, default=5, help="times each supervisor overview is opened alone")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as it is, without seeding")
    parser.add_argument("--server-log", type=Path, help="keep the server's log (access lines with each page's time)")
    args = parser.parse_args()

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the server's local date (settings.TIME_ZONE)
    load_before, reference_before = os.getloadavg(), machine_reference()
    if args.reuse:
        database_url = urlunsplit(urlsplit(args.database)._replace(path=f"/{args.db_name}"))
    else:
        database_url = create_database(args.database, args.db_name)
    os.environ["GONGKAI_DATABASE_URL"] = database_url
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-webbench-"))
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    server = None
    try:
        from gongkai.web.bootstrap import setup_django

        setup_django()
        if args.reuse:
            from gongkai.web.agencies.models import Agency

            agencies = [(a.pk, a.name, a.kind, a.parent_id, True, 0) for a in Agency.objects.order_by("pk")]
            agencies = [(*a[:5], w[5]) for a, w in zip(agencies, agency_tree(), strict=True)]
            ensure_users(args, agencies)
            print(f"reusing {args.db_name}")
        else:
            agencies, seeder, generated, loaded, (stored, storing) = seed(args, today)
            n_open = sum(1 for r in seeder.requests if r[5] is None or r[5] > today)
            print(f"seeded {len(seeder.requests):,} requests ({n_open:,} open on {today}: "
                  + ", ".join(f"{k} {v:,}" for k, v in sorted(seeder.open_kinds.items()))
                  + f"), {len(seeder.events):,} events, {seeder.letters:,} letters, {len(seeder.applicants):,} applicants,"
                  f" {len(agencies)} agencies"
                  f" in {generated + loaded:.1f} s (generated and derived {generated:.1f} s, COPY {loaded:.1f} s);"
                  f" the stored state of {stored:,} open requests derived and written in {storing:.1f} s")
            wrong = check_closings(seeder)
            print(f"closings checked against Request.sync_closing: {wrong} differ")
            if wrong:
                raise SystemExit("the seeded closings are not what the ledger derives")
            from django.db.models import F

            from gongkai.web.requests.models import Request

            if Request.objects.exclude(applicant_type=F("applicant__type")).exists():
                raise SystemExit("a seeded request's applicant_type is not its applicant's type")
        from django.db import connections

        connections.close_all()
        users = clients_of(args, agencies)
        seen = {(agency, role): visible(database_url, agency, role) for _, agency, role in users}
        port = free_port()
        started = time.perf_counter()
        server = start_server(database_url, data_dir, port, args.workers)
        print(f"gongkai serve ({args.workers} gunicorn workers) answered after {time.perf_counter() - started:.1f} s")
        base = f"http://127.0.0.1:{port}"
        clients = [Client(base, name, role, seen[(agency, role)][1], seen[(agency, role)][2], random.Random(i))
                   for i, (name, agency, role) in enumerate(users)]
        threads = [threading.Thread(target=c.login) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refused = [c.name for c in clients if c.refused]
        if refused:
            raise SystemExit(f"login refused for {', '.join(refused)}")
        warm = [threading.Thread(target=c.warm_up) for c in clients]  # each worker's first pages load code
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        until = time.monotonic() + args.seconds
        log_offset = (data_dir / "server.log").stat().st_size
        started, (cpu_before, database_before) = time.perf_counter(), cpu_seconds(server)
        clients_before = time.process_time()
        threads = [threading.Thread(target=c.run, args=(until, args.think)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        server_cpu, database_cpu = cpu_seconds(server)
        clients_cpu = time.process_time() - clients_before
        server_cpu, database_cpu = server_cpu - cpu_before, database_cpu - database_before
        served = server_times(data_dir / "server.log", log_offset)
        load_after, reference_after = os.getloadavg(), machine_reference()
        alone = supervisor_pages_alone(clients[-1], args.alone_repeat)
        stop_server(server)
        server = None

        staff = sum(role == "office_staff" for _, _, role in users)
        print(f"{len(clients)} clients ({staff} office staff of {len({a for _, a, r in users if r == 'office_staff'})}"
              f" agencies, {len(users) - staff} supervisors: counties and the city), think {args.think} s,"
              f" {elapsed:.1f} s")
        print(f"{'page':<10}{'role':<12}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}")
        for page in PAGES:
            for role in ("all", "office_staff", "supervisor"):
                times = [t for c in clients if role in ("all", c.role) for p, t, ok in c.results if p == page]
                errors = sum(not ok for c in clients if role in ("all", c.role) for p, _, ok in c.results if p == page)
                if times:
                    print(f"{page:<10}{role:<12}{len(times):>9}{errors:>7}{percentile(times, 50) * 1000:>9.1f}"
                          f"{percentile(times, 95) * 1000:>9.1f}{percentile(times, 99) * 1000:>9.1f}"
                          f"{len(times) / elapsed:>8.1f}")
        total = sum(len(c.results) for c in clients)
        errors = sum(not ok for c in clients for _, _, ok in c.results)
        print(f"all pages: {total} requests, {errors} errors, {total / elapsed:.1f} req/s; the server's processes"
              f" used {server_cpu:.1f} s of CPU, {server_cpu / max(total, 1) * 1000:.0f} ms per page"
              f" ({server_cpu / elapsed:.2f} of {os.cpu_count()} cores); PostgreSQL used {database_cpu:.1f} s,"
              f" {database_cpu / max(total, 1) * 1000:.0f} ms per page ({database_cpu / elapsed:.2f} cores);"
              f" the clients (this process's threads) {clients_cpu / elapsed:.2f} cores")
        print(f"a supervisor's other pages, alone after the load ({clients[-1].name}, {args.alone_repeat} times"
              " each, one after the other):")
        for url, (times, failed) in alone.items():
            print(f"  {url:<20} {' '.join(f'{t * 1000:.0f}' for t in times)} ms; {failed} errors")
        print("time in a worker (the server's access log: from reading the request to the response, without the"
              " wait for a free worker):")
        for page in PAGES:
            if served[page]:
                print(f"  {page:<10} p50 {percentile(served[page], 50) * 1000:.1f} ms"
                      f" p95 {percentile(served[page], 95) * 1000:.1f} ms p99 {percentile(served[page], 99) * 1000:.1f} ms")

        bare = bare_selects(database_url, [(seen[(a, r)][0], seen[(a, r)][1]) for _, a, r in users], today,
                            args.bare_repeat)
        print("bare SELECT of the same page (psycopg, one connection, same users), and ratio page / bare:")
        for page in PAGES:
            times = [t for c in clients for p, t, _ in c.results if p == page]
            if times and bare[page]:
                b50, b95 = percentile(bare[page], 50), percentile(bare[page], 95)
                print(f"  {page:<10} bare p50 {b50 * 1000:.1f} ms p95 {b95 * 1000:.1f} ms;"
                      f" ratio p50 {percentile(times, 50) / b50:.1f}× p95 {percentile(times, 95) / b95:.1f}×")
        print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f},"
              f" after the load {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} cores);"
              f" machine reference (a fixed Python loop, least of 5) {reference_before:.0f} ms before,"
              f" {reference_after:.0f} ms after")
    finally:
        if server is not None:
            stop_server(server)
        if args.server_log and (data_dir / "server.log").exists():
            shutil.copyfile(data_dir / "server.log", args.server_log)
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.database, args.db_name)


if __name__ == "__main__":
    main()
