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


def wait_until_answering(base: str, server: subprocess.Popen, seconds: float, output) -> None:
    """Poll the login page of ``base`` until it answers; fail if the server stops (``output()`` says why) or
    ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {output()}")
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"{base} did not answer within {seconds} s") from None
            time.sleep(0.3)


def log_in(browser, site: str, username: str, password: str, width: int = 1280):
    """A new page of ``browser`` (zh-CN, Asia/Shanghai, downloads accepted) signed in through the login form."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai",
                            accept_downloads=True)
    page.goto(f"{site}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/")
    return page


@contextmanager
def serving(data_dir: Path, *args: str, seconds: float = 120) -> Iterator[tuple[str, list[str]]]:
    """Run ``gongkai serve ARGS`` until its login page answers; yield its URL and (after the stop) its output."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "1",
                               *args], env=environment(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    base, output = f"http://127.0.0.1:{port}", []
    try:
        wait_until_answering(base, server, seconds, lambda: server.stdout.read())
        yield base, output
    finally:
        server.terminate()
        output.append(server.communicate(timeout=30)[0])
