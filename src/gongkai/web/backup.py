"""Backup and restore of the whole ledger database, between SQLite and PostgreSQL alike.

A backup is one JSON document (gzip-compressed when the file name ends in ``.gz``)::

    {"format": "gongkai-backup", "version": 1, "created": "…", "migrations": {app: [names]},
     "counts": {"app.model": rows}, "objects": [Django's serialised objects]}

Every row of every table of the project's apps, of Django's users and groups and of the API's tokens (DRF's
``authtoken``: a restore keeps every script and integration that holds a token working) is in it, with content
types and permissions referred to by natural key (they are recreated by ``migrate`` and may get other ids in the
target database).  Sessions are left out: a restore logs everybody out.  A backup made before tokens were kept
restores with no tokens (a table the backup does not list is expected empty).

A restore goes into an **empty** database only (after ``migrate``): it refuses a database that holds any row of
a backed-up table, and one whose applied migrations differ from the backup's (restore with the gongkai version
that made the backup, then upgrade).  It runs in one transaction, so a failed restore leaves the database empty,
then sets PostgreSQL's id sequences past the restored ids and checks every table's row count against the
backup's.  The audit log's own signals are not fired by a restore (Django's loaddata path: ``raw`` saves).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

FORMAT, VERSION = "gongkai-backup", 1
DJANGO_APPS = ("auth", "authtoken")  # users, groups and API tokens; contenttypes and permissions come from migrate
SKIPPED = {"auth.permission", "contenttypes.contenttype", "sessions.session"}


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why, in Chinese."""


def _models() -> list:
    """The models whose rows a backup holds, parents before children (the order loaddata needs)."""
    from django.apps import apps
    from django.core.serializers import sort_dependencies

    chosen = [app for app in apps.get_app_configs() if app.name.startswith("gongkai.") or app.label in DJANGO_APPS]
    if apps.is_installed("django.contrib.admin"):
        chosen.append(apps.get_app_config("admin"))
    ordered = sort_dependencies([(app, None) for app in chosen], allow_cycles=True)
    return [m for m in ordered if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed]


def _migrations() -> dict[str, list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _objects(models: Iterable) -> Iterable[Any]:
    for model in models:
        yield from model._default_manager.order_by("pk").iterator(chunk_size=2000)


def _exact(value: Any) -> str:
    """Dates, times and amounts in full (Django's JSON encoder cuts microseconds to milliseconds)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def backup(path: Path) -> dict[str, int]:
    """Write every row to ``path``; returns the row count per table (``app.model``)."""
    from django.core import serializers
    from django.db import transaction

    models = _models()
    with transaction.atomic():  # one consistent snapshot (REPEATABLE READ is not needed for a single reader)
        counts = {m._meta.label_lower: m._default_manager.count() for m in models}
        objects = serializers.serialize("python", _objects(models), use_natural_foreign_keys=True)
        document = {"format": FORMAT, "version": VERSION, "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "migrations": _migrations(), "counts": counts, "objects": objects}
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_exact).encode("utf-8")
    path = Path(path)
    temporary = path.with_name(path.name + ".partial")
    temporary.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    temporary.replace(path)  # never a half-written backup under the real name
    return counts


def read_backup(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        raw = path.read_bytes()
        document = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path}: 无法读取备份文件（{exc}）") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path}: 不是 gongkai 备份文件")
    if document.get("version") != VERSION:
        raise BackupError(f"{path}: 备份格式版本 {document.get('version')} 不受支持（支持 {VERSION}）")
    return document


def restore(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database; returns the row count per table."""
    from django.core.serializers.base import DeserializationError
    from django.db import DatabaseError, transaction

    document = read_backup(path)
    models = _models()
    if document["migrations"] != _migrations():
        raise BackupError(f"{path}: 备份与本数据库的迁移版本不一致，请用生成该备份的 gongkai 版本恢复后再升级")
    holding = [m._meta.label_lower for m in models if m._default_manager.exists()]
    if holding:
        raise BackupError(f"{path}: 只能恢复到空数据库，目标数据库已有数据：{'、'.join(holding[:5])}")
    try:
        with transaction.atomic():
            return _load(document, models, path)
    except (DeserializationError, DatabaseError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{path}: 备份内容无法恢复，数据库未作任何改动（{exc}）") from None


def _load(document: dict[str, Any], models: list, path: Path) -> dict[str, int]:
    """Save every object (inside the caller's transaction), reset the id sequences, check the counts."""
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    deferred = []
    for item in serializers.deserialize("python", document["objects"], handle_forward_references=True):
        item.save()
        if item.deferred_fields:  # a reference to a row further on (an agency's parent saved after it)
            deferred.append(item)
    for item in deferred:
        item.save_deferred_fields()
    from gongkai.web.requests.models import Request, copy_applicant_types

    copy_applicant_types(Request.objects.filter(applicant_type=""))  # a backup made before the copy existed
    connection.check_constraints(table_names=[m._meta.db_table for m in models])  # as loaddata: no dangling reference
    sequences = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in sequences:
            cursor.execute(sql)
    counts = {m._meta.label_lower: m._default_manager.count() for m in models}
    expected = {label: document["counts"].get(label, 0) for label in counts}
    if counts != expected:
        wrong = [f"{label} {counts.get(label)}≠{n}" for label, n in expected.items() if counts.get(label) != n]
        raise BackupError(f"{path}: 恢复后行数与备份不符：{'；'.join(wrong[:5])}")
    return counts
