"""Serving for real: the secret key, password validators, login throttling, ``check --deploy`` in production
mode, and ``gongkai serve --demo`` under gunicorn (never beside real data)."""

from __future__ import annotations

import stat
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.test import Client, override_settings
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.web.secret_key import secret_key

from .live_server import environment, free_port, serving


def test_secret_key_is_generated_once_with_mode_600(tmp_path):
    key = secret_key(tmp_path, environ={})
    path = tmp_path / "secret_key"
    assert len(key) >= 50 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key(tmp_path, environ={}) == key  # read back, not made again
    assert secret_key(tmp_path, environ={"GONGKAI_SECRET_KEY": "from-the-environment"}) == "from-the-environment"


def test_a_short_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short")
    with pytest.raises(RuntimeError, match="shorter than 50"):
        secret_key(tmp_path, environ={})


def test_weak_passwords_are_refused_in_chinese(db):
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # as in a request
        for weak in ("12345678901", "password123", "short"):
            with pytest.raises(ValidationError) as refused:
                validate_password(weak, User(username="clerk"))
            assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(refused.value.messages)), refused.value.messages
    validate_password("公开办-2026-准确及时", User(username="clerk"))


def _login(client: Client, password: str, path: str = "/login/", address: str = "10.0.0.1"):
    return client.post(path, {"username": "clerk", "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def clerk(db):
    from django.contrib.auth.models import User

    return User.objects.create_user("clerk", password="right-password-2026", is_staff=True)


def test_login_throttling_after_five_failures(clerk):
    client = Client()
    for _ in range(5):
        response = _login(client, "wrong")
        assert "用户名或密码不正确" in response.content.decode()
    refused = _login(client, "right-password-2026")
    assert refused.status_code == 200 and "登录失败次数过多，请 15 分钟后再试。" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    other_address = _login(Client(), "right-password-2026", address="10.0.0.2")
    assert other_address.status_code == 302 and other_address["Location"] == "/"


def test_a_success_clears_the_failures(clerk):
    from gongkai.web.accounts.models import FailedLogin

    client = Client()
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-password-2026").status_code == 302
    assert not FailedLogin.objects.filter(username="clerk").exists()


def test_the_admin_login_is_throttled_too(clerk):
    client = Client()
    for _ in range(5):
        _login(client, "wrong", "/admin/login/")
    refused = _login(client, "right-password-2026", "/admin/login/")
    assert "登录失败次数过多" in refused.content.decode()


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_client_is_throttled(clerk):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):  # the client writes a fake left-most entry; the proxy appends the real one
        Client().post("/login/", {"username": "clerk", "password": "wrong"}, **proxy,
                      HTTP_X_FORWARDED_FOR="1.2.3.4, 192.168.5.5")
    refused = Client().post("/login/", {"username": "clerk", "password": "right-password-2026"}, **proxy,
                            HTTP_X_FORWARDED_FOR="9.9.9.9, 192.168.5.5")
    assert "登录失败次数过多" in refused.content.decode()
    other = Client().post("/login/", {"username": "clerk", "password": "right-password-2026"}, **proxy,
                          HTTP_X_FORWARDED_FOR="192.168.5.6")
    assert other.status_code == 302  # another client behind the same proxy


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(clerk):
    for _ in range(5):
        Client().post("/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR="10.0.0.7",
                      HTTP_X_FORWARDED_FOR="8.8.8.8")
    refused = Client().post("/login/", {"username": "clerk", "password": "right-password-2026"},
                            REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="7.7.7.7")
    assert "登录失败次数过多" in refused.content.decode()


def test_many_names_from_one_address_wait_too(db):
    from django.conf import settings

    client = Client()
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        client.post("/login/", {"username": f"guess{number}", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    refused = client.post("/login/", {"username": "someone", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    assert "登录失败次数过多" in refused.content.decode()


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = environment(tmp_path, GONGKAI_HTTPS="1", DJANGO_SETTINGS_MODULE="gongkai.web.settings")
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    plain = subprocess.run([sys.executable, "-m", "django", "check", "--deploy"], env={**env, "GONGKAI_HTTPS": "0"},
                           capture_output=True, text=True)
    assert "SESSION_COOKIE_SECURE" in plain.stderr + plain.stdout  # the check is real: without HTTPS it warns


def test_serve_demo_runs_gunicorn_with_static_files_and_prints_the_logins(tmp_path):
    with serving(tmp_path, "--demo") as (base, output):
        assert "<h1>登录</h1>" in urllib.request.urlopen(f"{base}/login/", timeout=5).read().decode()
        css = urllib.request.urlopen(f"{base}/static/office/office.css", timeout=5)
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]
        admin_css = urllib.request.urlopen(f"{base}/static/admin/css/base.css", timeout=5)
        assert admin_css.status == 200 and (tmp_path / "static" / "admin" / "css" / "base.css.gz").exists()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/static/no-such-file.css", timeout=5)
        assert missing.value.code == 404 and b"Traceback" not in missing.value.read()  # debug is off
        assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert "jiaoyu_staff\tdemo-jiaoyu-staff" in output[0] and f"{base}/" in output[0]
    assert "Starting gunicorn" in output[0]


def test_demo_users_are_never_added_beside_real_data(tmp_path, db):
    from django.contrib.auth.models import User

    from gongkai.web.demo import RealDataError, create_demo

    User.objects.create_superuser("admin", password="a-real-administrator")
    with pytest.raises(RealDataError, match="用户 admin"):
        create_demo()
    assert not User.objects.filter(username="jiaoyu_staff").exists()
    refused = CliRunner().invoke(app, ["demo"])
    assert refused.exit_code == 1 and "不能加入演示数据" in refused.output
    assert not User.objects.filter(username="jiaoyu_staff").exists()

    env = environment(tmp_path)
    subprocess.run([sys.executable, "-m", "gongkai.cli", "init"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "django", "createsuperuser", "--noinput", "--username", "admin",
                    "--email", "a@example.org"], env={**env, "DJANGO_SETTINGS_MODULE": "gongkai.web.settings",
                                                      "DJANGO_SUPERUSER_PASSWORD": "a-real-administrator"},
                   check=True, capture_output=True)
    refused = subprocess.run([sys.executable, "-m", "gongkai.cli", "serve", "--demo", "--port", str(free_port())],
                             env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "不能加入演示数据和演示账号" in refused.stderr
    assert "demo-jiaoyu-staff" not in refused.stdout


def test_old_failures_age_out(clerk):
    from datetime import timedelta

    from django.utils import timezone

    from gongkai.web.accounts.models import FailedLogin
    from gongkai.web.accounts.throttle import wait_minutes

    client = Client()
    for _ in range(5):
        _login(client, "wrong")
    assert wait_minutes("clerk", "10.0.0.1") == 15
    FailedLogin.objects.update(at=timezone.now() - timedelta(minutes=10))
    assert wait_minutes("clerk", "10.0.0.1") == 5
    FailedLogin.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert wait_minutes("clerk", "10.0.0.1") == 0
    assert _login(client, "right-password-2026").status_code == 302


def test_the_servers_queries_are_not_split_over_parallel_workers():
    """``gongkai serve`` asks PostgreSQL not to start parallel workers for its pages' queries (their start
    cost more than the queries); SQLite has no such thing; an option already set is kept."""
    from gongkai.web.database_url import database_config
    from gongkai.web.serving import _one_process_per_query

    database = database_config("postgresql://someone@db.example/gongkai")
    database["OPTIONS"] = {"options": "-c statement_timeout=30000"}
    _one_process_per_query(database)
    assert database["OPTIONS"]["options"] == "-c statement_timeout=30000 -c max_parallel_workers_per_gather=0"
    lite = database_config("sqlite:////tmp/x.sqlite3")
    _one_process_per_query(lite)
    assert "options" not in lite["OPTIONS"]



def test_a_new_worker_moves_what_it_holds_out_of_the_collectors_way():
    """``settle_worker`` (gunicorn's ``post_worker_init``) compiles the project's templates and freezes every
    object the worker then holds: Python's full collections no longer go through them (they took 80–120 ms)."""
    import gc

    from gongkai.web.serving import settle_worker, template_names

    assert {"office/dashboard.html", "office/request_page.html", "reports/workspace.html",
            "api/token.html", "404.html"} <= set(template_names())
    assert len(gc.get_objects()) > 10_000
    try:
        settle_worker()
        assert gc.get_freeze_count() > 10_000  # Django, our modules and the compiled templates
        assert len(gc.get_objects()) < 1_000  # what a full collection still goes through
    finally:
        gc.unfreeze()
