"""Committed data survives a crash, and a backup moves a ledger between SQLite and PostgreSQL.

These run the real commands in their own processes against their own databases (a SQLite file with WAL, and a
scratch PostgreSQL database), so every transaction really commits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("crash_writer.py")
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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_in_a_stream_of_writes_loses_no_committed_request(tmp_path, backend, request):
    url = f"sqlite:///{tmp_path / 'g.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("scratch_postgres")
    env = _env(url, tmp_path)
    assert _gongkai(env, "demo").returncode == 0
    writer = subprocess.Popen([sys.executable, str(WRITER), "某县教育局", "100000"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    committed = []
    for line in writer.stdout:  # kill it in the middle of the stream, after 150 commits
        committed.append(int(line))
        if len(committed) == 150:
            os.kill(writer.pid, signal.SIGKILL)
            break
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    check = ("import json, sys; from gongkai.web.bootstrap import setup_django; setup_django();"
             "from gongkai.web.requests.models import Request;"
             "rows = {r.pk: [e.kind for e in r.events.order_by('pk')] for r in Request.objects.filter(agency__name='某县教育局')};"
             "print(json.dumps({str(k): v for k, v in rows.items()}))")
    after = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True).stdout
    import json

    events = {int(k): v for k, v in json.loads(after).items()}
    assert set(committed) <= set(events)  # every committed write is there
    new = {pk: kinds for pk, kinds in events.items() if pk >= min(committed)}
    assert all(kinds == ["received", "decided"] for kinds in new.values()), new  # none half-written
    if backend == "sqlite":  # through Django's connection: the schema's expressions use its SQL functions
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
