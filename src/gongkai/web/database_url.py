"""Turn ``GONGKAI_DATABASE_URL`` into a Django ``DATABASES`` entry.

Two forms, as in SQLAlchemy:

- ``postgresql://user[:password]@host[:port]/name``
- ``sqlite:///relative/path.sqlite3`` or ``sqlite:////absolute/path.sqlite3`` (three slashes, then the path)
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def database_config(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = parts.path[1:]
        if not path:
            raise ValueError(f"{url!r}: no file path after sqlite:///")
        # WAL: readers never wait for the writer and a crash (SIGKILL) loses no committed write; synchronous
        # stays FULL so a commit is on disk when it returns; IMMEDIATE transactions take the write lock at
        # their start, so two writers queue (busy timeout) instead of failing half-way with "database is locked".
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                            "transaction_mode": "IMMEDIATE", "timeout": 20}}
    if parts.scheme in ("postgresql", "postgres"):
        name = parts.path.lstrip("/")
        if not name:
            raise ValueError(f"{url!r}: no database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(name),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # A server worker keeps its connection between requests (a new PostgreSQL connection costs a
            # backend process: 20 ms or more on a busy machine, per page); checked before reuse after an error.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"{url!r}: unsupported database URL (use postgresql://… or sqlite:///…)")
