"""``gongkai serve`` as a test's live server: a subprocess on a free port of this machine, with its own data
directory, stopped (SIGTERM, gunicorn's graceful stop) when the test ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without the test database, settings module, key and debug flag."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GONGKAI_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "GONGKAI_SECRET_KEY", "GONGKAI_DEBUG")}
    return {**env, "GONGKAI_DATA_DIR": str(data_dir), **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(data_dir: Path, *args: str, seconds: float = 120) -> Iterator[tuple[str, list[str]]]:
    """Run ``gongkai serve ARGS`` until its login page answers; yield its URL and (after the stop) its output."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "1",
                               *args], env=environment(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    base, output = f"http://127.0.0.1:{port}", []
    try:
        deadline = time.monotonic() + seconds
        while True:
            if server.poll() is not None:
                raise AssertionError(f"the server stopped: {server.stdout.read()}")
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{base} did not answer within {seconds} s") from None
                time.sleep(0.3)
        yield base, output
    finally:
        server.terminate()
        output.append(server.communicate(timeout=30)[0])
