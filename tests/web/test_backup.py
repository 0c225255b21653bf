"""`gongkai backup` / `gongkai restore`: every table round-trips (on SQLite and, in `make test`, on PostgreSQL),
the restored database compiles the same reports, and a restore never lands on data or half-way."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from gongkai.cli import app


def _rows() -> dict[str, list]:
    """Every row of every backed-up table, with references by natural key (ids of content types may differ)."""
    from django.core import serializers

    from gongkai.web.backup import _models

    return {m._meta.label_lower: serializers.serialize("python", m._default_manager.order_by("pk"),
                                                        use_natural_foreign_keys=True) for m in _models()}


def _reports() -> dict:
    from gongkai.web.agencies.models import Agency
    from gongkai.web.reports.compile import compile_report

    return {(a.name, year): compile_report(a, year, subtree=True).flat()
            for a in Agency.objects.order_by("name") for year in (2025, 2026)}


def _wipe() -> None:
    """Every table emptied inside the test's transaction (content types and permissions come back with new ids)."""
    from django.core.management import call_command
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:  # TRUNCATE refuses tables with deferred foreign-key checks still pending: run them first
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.parametrize("name", ["ledger.json", "ledger.json.gz"])
def test_every_table_round_trips_into_an_empty_database(django_database, db, tmp_path, name):
    from gongkai.web.backup import backup, restore
    from gongkai.web.demo import create_demo

    create_demo()
    rows, reports = _rows(), _reports()
    assert sum(len(r) for r in rows.values()) > 100 and rows["requests.request"]  # a real ledger, not an empty one
    counts = backup(tmp_path / name)
    assert counts == {label: len(r) for label, r in rows.items()}
    if name.endswith(".gz"):
        assert json.loads(gzip.decompress((tmp_path / name).read_bytes()))["format"] == "gongkai-backup"
    _wipe()
    assert not any(_rows().values())
    assert restore(tmp_path / name) == counts
    assert _rows() == rows
    assert _reports() == reports


def test_restored_ids_continue_after_the_restored_rows(django_database, db, tmp_path):
    from gongkai.web.agencies.models import Agency
    from gongkai.web.backup import backup, restore
    from gongkai.web.demo import create_demo

    create_demo()
    top = Agency.objects.order_by("-pk").first().pk
    backup(tmp_path / "b.json")
    _wipe()
    restore(tmp_path / "b.json")
    assert Agency.objects.create(name="新机关", kind=Agency.Kind.DEPARTMENT).pk > top


def test_restore_refuses_a_database_with_data_and_a_broken_file(django_database, db, tmp_path):
    from gongkai.web.backup import BackupError, backup, restore
    from gongkai.web.demo import create_demo
    from gongkai.web.requests.models import Request

    create_demo()
    backup(tmp_path / "b.json")
    before = Request.objects.count()
    with pytest.raises(BackupError, match="只能恢复到空数据库"):
        restore(tmp_path / "b.json")
    assert Request.objects.count() == before

    _wipe()
    document = json.loads((tmp_path / "b.json").read_text("utf-8"))
    broken = next(o for o in document["objects"] if o["model"] == "requests.request")
    broken["fields"]["agency"] = 999_999  # a request of an agency that is not in the file
    (tmp_path / "broken.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with pytest.raises(BackupError, match="数据库未作任何改动"):
        restore(tmp_path / "broken.json")
    assert not any(_rows().values())  # one transaction: nothing of the broken backup stayed
    (tmp_path / "junk.json").write_bytes(b"\x1f\x8b not gzip")
    with pytest.raises(BackupError, match="无法读取备份文件"):
        restore(tmp_path / "junk.json")


def test_cli_backup_and_restore(django_database, db, tmp_path):
    from gongkai.web.demo import create_demo

    create_demo()
    runner = CliRunner()
    done = runner.invoke(app, ["backup", str(tmp_path / "b.json.gz")])
    assert done.exit_code == 0 and "备份完成" in done.output, done.output
    refused = runner.invoke(app, ["restore", str(tmp_path / "b.json.gz")])
    assert refused.exit_code == 2 and "只能恢复到空数据库" in refused.output and "Traceback" not in refused.output
    _wipe()
    done = runner.invoke(app, ["restore", str(tmp_path / "b.json.gz")])
    assert done.exit_code == 0 and "恢复完成" in done.output, done.output


def test_api_tokens_are_kept_and_work_after_a_restore(django_database, db, tmp_path):
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from gongkai.web.backup import backup, restore
    from gongkai.web.demo import create_demo

    create_demo()
    user = User.objects.get(username="jiaoyu_staff")
    key = Token.objects.create(user=user).key
    counts = backup(tmp_path / "b.json")
    assert counts["authtoken.token"] == 1
    _wipe()
    assert not Token.objects.exists()
    restore(tmp_path / "b.json")
    assert Token.objects.get(key=key).user.username == "jiaoyu_staff"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + key)
    assert client.get("/api/requests/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/requests/").status_code == 401


def test_a_backup_made_before_tokens_were_kept_still_restores(django_database, db, tmp_path):
    from gongkai.web.backup import backup, restore
    from gongkai.web.demo import create_demo

    create_demo()
    counts = backup(tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text("utf-8"))
    del document["counts"]["authtoken.token"]  # as an older gongkai wrote it
    (tmp_path / "old.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    _wipe()
    assert restore(tmp_path / "old.json") == counts


def test_a_backup_made_before_requests_carried_their_applicants_type_still_restores(django_database, db, tmp_path):
    """Requests restored from a backup without ``applicant_type`` get it from their applicant, so that the list's
    filter by applicant type finds them."""
    from gongkai.web.backup import backup, restore
    from gongkai.web.demo import create_demo
    from gongkai.web.requests.models import Request

    create_demo()
    before = sorted(Request.objects.values_list("pk", "applicant__type"))
    assert {t for _, t in before} >= {"natural_person", "commercial"}
    counts = backup(tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text("utf-8"))
    for item in document["objects"]:
        if item["model"] == "requests.request":
            del item["fields"]["applicant_type"]  # as an older gongkai wrote it
    (tmp_path / "old.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    _wipe()
    assert restore(tmp_path / "old.json") == counts
    assert sorted(Request.objects.values_list("pk", "applicant_type")) == before
