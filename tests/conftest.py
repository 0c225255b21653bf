"""Shared test fixtures: the test corpus, the seed
report, a report with distinct values, and a DOCX span reader."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from answer_keys import CORPUS

from gongkai.report import Report

SEED = CORPUS / "seed/000_db8b9a3c8d2b1499.expected.json"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """``tests/corpus/``: the real reports, answer keys, national template and key list the tests read."""
    return CORPUS


@pytest.fixture
def seed() -> Report:
    return Report.from_flat(json.loads(SEED.read_text("utf-8")))


@pytest.fixture
def distinct() -> Report:
    from strategies import distinct_report

    return distinct_report()


# -- the test database ----------------------------------------------------------------------
# Test database: SQLite by default, PostgreSQL when ``GONGKAI_TEST_DATABASE_URL`` says so.
#
#     uv run pytest                                                               # SQLite (in memory)
#     GONGKAI_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test uv run pytest   # PostgreSQL
#
# Django's test runner creates a fresh ``test_<name>`` database and drops it afterwards.  When PostgreSQL is
# requested and does not answer, the cluster is started with ``pg_ctlcluster``; if it still does not answer,
# the run stops with an error — it never falls back to SQLite or skips.

TEST_DATABASE_URL = os.environ.get("GONGKAI_TEST_DATABASE_URL", "sqlite:///test.sqlite3")


def _postgres_answers(config: dict[str, str]) -> str | None:
    """None when the server accepts a connection, else the error."""
    import psycopg

    try:
        psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                        password=config["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
    except psycopg.OperationalError as error:
        return str(error).strip()
    return None


def _start_postgres() -> None:
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").exists() else []
    for version in versions:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                       capture_output=True, check=False)
    time.sleep(2)


def _ensure_postgres(config: dict[str, str]) -> None:
    if _postgres_answers(config) is None:
        return
    _start_postgres()
    error = _postgres_answers(config)
    if error is not None:
        raise pytest.UsageError(
            f"GONGKAI_TEST_DATABASE_URL asks for PostgreSQL at {config['HOST']}:{config['PORT'] or 5432}, "
            f"which does not answer even after pg_ctlcluster start: {error}"
        )


def pytest_configure(config: pytest.Config) -> None:
    from gongkai.web.database_url import database_config

    database = database_config(TEST_DATABASE_URL)
    if database["ENGINE"].endswith("postgresql"):
        _ensure_postgres(database)
    os.environ["GONGKAI_DATABASE_URL"] = TEST_DATABASE_URL
    os.environ.setdefault("GONGKAI_SECRET_KEY", "test-only-not-secret")  # the admin tests sign sessions
    from gongkai.web.bootstrap import setup_django

    setup_django()


@pytest.fixture(scope="session")
def django_database():
    from django.db import connections
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # one test database per xdist worker
        settings = connections["default"].settings_dict
        if not settings["ENGINE"].endswith("sqlite3"):
            settings.setdefault("TEST", {})["NAME"] = f"test_{settings['NAME']}_{worker}"
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    yield
    teardown_databases(old, verbosity=0)
    teardown_test_environment()


@pytest.fixture
def db(django_database):
    """A test's database work, rolled back afterwards."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def pytest_report_header() -> str:
    return f"gongkai test database: {TEST_DATABASE_URL}"


def require_tool(name: str, package: str) -> str:
    """The path of an external tool a test needs; a missing one fails the test, never skips it."""
    import shutil

    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install the Debian package {package} (`make test` does)", pytrace=False)
    return path
