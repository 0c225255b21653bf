"""Turn ``GONGKAI_DATABASE_URL`` into a Django ``DATABASES`` entry.

Two forms, as in SQLAlchemy:

- ``postgresql://user[:password]@host[:port]/name``
- ``sqlite:///relative/path.sqlite3`` or ``sqlite:////absolute/path.sqlite3`` (three slashes, then the path)
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def database_config(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = parts.path[1:]
        if not path:
            raise ValueError(f"{url!r}: no file path after sqlite:///")
        # Several server workers share the file: write-ahead logging lets readers go on while one writes, and
        # transactions that take the write lock up front wait for it (timeout, seconds) instead of failing.
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}}
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
        }
    raise ValueError(f"{url!r}: unsupported database URL (use postgresql://… or sqlite:///…)")
