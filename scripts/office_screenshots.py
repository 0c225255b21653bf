"""Screenshots of the office's screens for docs/images: the dashboard and the request list as a clerk, a request
page (one whose due date was counted around a consultation) and the agencies' overview as a supervisor, and the dashboard at a tablet's width; from ``gongkai serve --demo`` (gunicorn) on a throw-away data directory.

    uv run python scripts/office_screenshots.py      # needs Debian's chromium (scripts/setup.sh installs it)
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _serve(data_dir: str, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_DATABASE_URL", "GONGKAI_SECRET_KEY")}
    env["GONGKAI_DATA_DIR"] = data_dir
    server = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--demo", "--port", str(port),
                               "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gongkai serve did not start")


def _page(browser, base: str, username: str, password: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _paused_request(page, base: str) -> str:
    """A request of the clerk whose count took days out for a consultation (else the first listed)."""
    page.goto(f"{base}/requests/?status=in_progress")
    numbers = re.findall(r'href="/requests/(\d+)/"', page.content())
    for number in dict.fromkeys(numbers):
        page.goto(f"{base}/requests/{number}/")
        if page.locator("td.d-paused").count():
            return number
    return numbers[0]


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        server = _serve(data_dir, port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                clerk = _page(browser, base, "jiaoyu_staff", "demo-jiaoyu-staff")
                clerk.screenshot(path=IMAGES / "office-dashboard.png", full_page=True)
                clerk.goto(f"{base}/requests/")
                clerk.screenshot(path=IMAGES / "office-requests.png", full_page=True)
                number = _paused_request(clerk, base)
                # office-request.png (a request with its letters and a 答复书 awaiting 签发) is taken by the end-to-end
                # test: GONGKAI_SCREENSHOTS=docs/images uv run pytest tests/web/test_request_workflow_browser.py
                supervisor = _page(browser, base, "xian_supervisor", "demo-xian-supervisor")
                supervisor.goto(f"{base}/requests/{number}/")
                supervisor.screenshot(path=IMAGES / "office-request-supervisor.png", full_page=True)
                supervisor.goto(f"{base}/agencies/")
                supervisor.screenshot(path=IMAGES / "office-agencies-supervisor.png", full_page=True)
                tablet = _page(browser, base, "jiaoyu_staff", "demo-jiaoyu-staff", width=768)
                tablet.screenshot(path=IMAGES / "office-dashboard-tablet.png", full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print(f"screenshots in {IMAGES}")


if __name__ == "__main__":
    main()
