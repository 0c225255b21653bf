"""The secret key that signs sessions and CSRF tokens: ``GONGKAI_SECRET_KEY``, else one generated once into the
data directory (``secret_key``, mode 600) and read back on every start, so sessions survive a restart and every
worker of the server signs with the same key.

The file is written under a temporary name and linked into place: when two workers start at once, one link
wins and both read the winner's key; a half-written key is never read.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"


def secret_key(data_dir: Path, environ=os.environ) -> str:
    given = environ.get("GONGKAI_SECRET_KEY", "").strip()
    if given:
        return given
    path = Path(data_dir) / FILE_NAME
    if not path.exists():
        _generate(path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise RuntimeError(f"{path}: the secret key is shorter than 50 characters; delete the file to make a new one")
    return key


def _generate(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(64) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
    finally:
        temporary.unlink(missing_ok=True)
