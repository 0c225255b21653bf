"""Screenshots of the admin for docs/images: the request list and a request page, as office staff and as a
supervisor, from the demo data in a throw-away SQLite database.

    uv run python scripts/admin_screenshots.py      # needs Debian's chromium (scripts/setup.sh installs it)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PORT = 8765
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWERS = {"staff": ("jiaoyu_staff", "demo-jiaoyu-staff"), "supervisor": ("xian_supervisor", "demo-xian-supervisor")}


def _server(data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "GONGKAI_DATA_DIR": data_dir, "GONGKAI_DEBUG": "1",
           "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    env.pop("GONGKAI_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "gongkai.cli", "demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/admin/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the development server did not start")


def _shoot(browser, who: str, username: str, password: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    base = f"http://127.0.0.1:{PORT}/admin/"
    page.goto(f"{base}login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(f"{base}requests/request/?o=-2")
    page.screenshot(path=IMAGES / f"admin-requests-{who}.png", full_page=True)
    page.click("#result_list tbody tr:first-child th a")
    page.wait_for_load_state()
    page.screenshot(path=IMAGES / f"admin-request-{who}.png", full_page=True)
    page.close()


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir:
        server = _server(data_dir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for who, (username, password) in VIEWERS.items():
                    _shoot(browser, who, username, password)
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print(f"screenshots in {IMAGES}")


if __name__ == "__main__":
    main()
