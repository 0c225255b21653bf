"""Committed data survives a crash, and a backup moves a ledger between SQLite and PostgreSQL.

These run the real commands in their own processes against their own databases (a SQLite file with WAL, and a
scratch PostgreSQL database), so every transaction really commits.  The crash: ``gongkai serve`` (gunicorn, its
master and workers) killed with SIGKILL while a client streams writes to it through the API (issue #13 item 5).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from .live_server import environment, free_port, wait_until_answering

POSTGRES = "postgresql://postgres@127.0.0.1:5432/{}"


def _env(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(GONGKAI_DATABASE_URL=url, GONGKAI_DATA_DIR=str(data_dir))
    return env


def _gongkai(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def scratch_postgres():
    """An empty PostgreSQL database of its own, dropped afterwards."""
    import psycopg

    name = f"gongkai_scratch_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield POSTGRES.format(name)
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sqlite_runs_in_wal_mode(tmp_path):
    env = _env(f"sqlite:///{tmp_path / 'g.sqlite3'}", tmp_path)
    assert _gongkai(env, "init").returncode == 0
    script = ("from gongkai.web.bootstrap import setup_django; setup_django(); from django.db import connection; "
              "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "wal"


@contextmanager
def _server(env: dict[str, str], seconds: float = 120) -> Iterator[tuple[str, subprocess.Popen]]:
    """``gongkai serve`` with two workers in a process group of its own (so that one signal reaches the master
    and every worker), until its login page answers; stopped, if still running, by SIGKILL to the group."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, server, seconds, lambda: server.stderr.read())
        yield base, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def _api(base: str, token: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}{path}", method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class WriteStream(threading.Thread):
    """Requests registered (POST /api/requests/) and decided (POST …/events/) one after the other, as fast as
    the server answers; ``acknowledged`` holds what it answered 201 for — the writes it promised to keep."""

    def __init__(self, base: str, token: str, agency: int) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.agency = base, token, agency
        self.requests: list[int] = []  # acknowledged intakes
        self.decided: list[int] = []   # acknowledged decisions
        self.ended_by: BaseException | None = None
        self.acknowledged = threading.Semaphore(0)

    def run(self) -> None:
        start = date(2025, 3, 3)  # a Monday: every received_on below is a Monday, decided the next day
        try:
            for i in range(100_000):
                day = start + timedelta(days=7 * (i % 40))
                status, created = _api(self.base, self.token, "/api/requests/", {
                    "agency": self.agency, "received_on": day.isoformat(), "channel": "in_person",
                    "applicant": {"type": "natural_person", "name": f"流式申请人{i}", "id_number": "",
                                  "phone": "", "address": ""}})
                assert status == 201, created
                self.requests.append(created["id"])
                self.acknowledged.release()
                status, event = _api(self.base, self.token, f"/api/requests/{created['id']}/events/", {
                    "kind": "decided", "occurred_on": (day + timedelta(days=1)).isoformat(), "outcome": "granted"})
                assert status == 201, event
                self.decided.append(created["id"])
                self.acknowledged.release()
        except (OSError, AssertionError) as error:  # the server is gone (or refused: reported by the test)
            self.ended_by = error


STREAMED = ("import json; from gongkai.web.bootstrap import setup_django; setup_django();"
            "from gongkai.web.requests.models import Applicant;"
            "print(json.dumps([[a.name, [[r.pk, [e.kind for e in r.events.order_by('pk')]] for r in a.requests.all()]]"
            " for a in Applicant.objects.filter(name__startswith='流式申请人')]))")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_of_the_server_mid_stream_loses_no_acknowledged_write(tmp_path, backend, request):
    url = f"sqlite:///{tmp_path / 'g.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("scratch_postgres")
    env = environment(tmp_path, GONGKAI_DATABASE_URL=url)
    assert _gongkai(env, "demo").returncode == 0
    token = _gongkai(env, "token", "jiaoyu_head").stdout.strip()  # the head: the decision is the head's
    with _server(env) as (base, server):
        status, agencies = _api(base, token, "/api/agencies/")
        agency = next(a["id"] for a in agencies["results"] if a["name"] == "某县教育局")
        stream = WriteStream(base, token, agency)
        stream.start()
        for _ in range(60):  # in the middle of the stream: after 60 acknowledged writes, while it goes on
            assert stream.acknowledged.acquire(timeout=60), f"the stream stalled: {stream.ended_by}"
        os.killpg(server.pid, signal.SIGKILL)  # the master and both workers, at once
        server.wait(timeout=30)
        assert server.returncode == -signal.SIGKILL
        stream.join(timeout=60)
    assert isinstance(stream.ended_by, OSError), stream.ended_by  # it ended because the server died
    assert len(stream.requests) >= 30
    with _server(env) as (base, _):  # restarted on the same database
        for pk in stream.requests:
            status, found = _api(base, token, f"/api/requests/{pk}/")
            kinds = [event["kind"] for event in found["events"]]
            assert status == 200 and kinds[0] == "received", (pk, found)
            assert ("decided" in kinds) == (pk in stream.decided) or pk == stream.requests[-1], (pk, kinds)
    streamed = json.loads(subprocess.run([sys.executable, "-c", STREAMED], env=env, capture_output=True, text=True,
                                         check=True).stdout)
    # nothing half-written, acknowledged or not: each applicant with its one request, received, perhaps decided
    # (a write in flight at the kill may have committed without its answer: whole, never in part)
    assert all(len(requests) == 1 for _, requests in streamed), streamed
    kinds = {requests[0][0]: requests[0][1] for _, requests in streamed}
    assert all(k in (["received"], ["received", "decided"]) for k in kinds.values()), kinds
    assert set(stream.requests) <= set(kinds) and len(kinds) <= len(stream.requests) + 1
    assert all(kinds[pk] == ["received", "decided"] for pk in stream.decided)
    if backend == "sqlite":
        script = ("from gongkai.web.bootstrap import setup_django; setup_django(); from django.db import connection;"
                  "c = connection.cursor(); c.execute('PRAGMA integrity_check'); print(c.fetchone()[0])")
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "ok"


def test_backup_moves_a_ledger_from_sqlite_to_postgresql_and_back(tmp_path, scratch_postgres):
    sqlite_env = _env(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path)
    assert _gongkai(sqlite_env, "demo").returncode == 0
    compiled = _gongkai(sqlite_env, "compile", "--agency", "某县人民政府", "--year", "2025", "--subtree", "--to", "flat")
    assert compiled.returncode == 0 and '"requests.new_received.total"' in compiled.stdout
    assert _gongkai(sqlite_env, "backup", str(tmp_path / "a.json.gz")).returncode == 0

    pg_env = _env(scratch_postgres, tmp_path)
    restored = _gongkai(pg_env, "restore", str(tmp_path / "a.json.gz"))
    assert restored.returncode == 0, restored.stderr
    again = _gongkai(pg_env, "compile", "--agency", "某县人民政府", "--year", "2025", "--subtree", "--to", "flat")
    assert again.stdout == compiled.stdout
    assert _gongkai(pg_env, "backup", str(tmp_path / "b.json")).returncode == 0

    back_env = _env(f"sqlite:///{tmp_path / 'b.sqlite3'}", tmp_path)
    assert _gongkai(back_env, "restore", str(tmp_path / "b.json")).returncode == 0
    back = _gongkai(back_env, "compile", "--agency", "某县人民政府", "--year", "2025", "--subtree", "--to", "flat")
    assert back.stdout == compiled.stdout
