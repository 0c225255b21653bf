"""``gongkai serve``: the web application under gunicorn, as it runs for real.

``prepare`` readies everything in the server's master process before any worker starts: debug off, the host
it was asked to listen on among the allowed host names, the database migrated and the open requests' stored
state brought up to date (``requests/stored_state.py``), the static files collected
(compressed) for WhiteNoise, the secret key generated once (``secret_key``), and with ``demo`` the demo county
(``demo.create_demo``, which refuses a database holding real data).  ``run`` then starts gunicorn with the WSGI
application of ``gongkai.web.wsgi``; its workers are forked from this process and inherit all of it.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from gunicorn.app.base import BaseApplication

ANY_ADDRESS = {"0.0.0.0", "::", ""}
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
"""gunicorn's default line and the time the worker took for the request (read to response), in ms."""


class ServeError(RuntimeError):
    """The server cannot start as asked (e.g. demo data for a database that holds real data)."""


def prepare(host: str, port: int, *, demo: bool = False) -> tuple[str, list[tuple[str, str, str, str]]]:
    """Ready the database, static files and settings; the site's URL and, with ``demo``, the demo logins."""
    os.environ["GONGKAI_DEBUG"] = "0"
    if host not in ANY_ADDRESS:
        hosts = os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1")
        if host not in hosts.split(","):
            os.environ["GONGKAI_ALLOWED_HOSTS"] = f"{hosts},{host}"
    from gongkai.web.bootstrap import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    _one_process_per_query(settings.DATABASES["default"])
    _store_states()
    call_command("collectstatic", interactive=False, verbosity=0)
    settings.WHITENOISE_USE_FINDERS = False  # collected now: WhiteNoise serves STATIC_ROOT
    logins = []
    if demo:
        from gongkai.web.demo import USERS, RealDataError, create_demo

        try:
            create_demo()
        except RealDataError as error:
            raise ServeError(f"{error}请去掉 --demo，或为演示另设 GONGKAI_DATA_DIR。") from None
        from gongkai.web.accounts.models import UserProfile

        logins = [(name, agency, UserProfile.Role(role).label, password) for name, agency, role, password in USERS]
    if host in ANY_ADDRESS and "GONGKAI_ALLOWED_HOSTS" not in os.environ:
        import sys

        print("提示：其他计算机访问时，请在 GONGKAI_ALLOWED_HOSTS 中写明本机的名称或地址（逗号分隔）。", file=sys.stderr)
    from django.db import connections

    connections.close_all()  # the workers are forked from this process: none may share its database connection
    shown = "127.0.0.1" if host in ANY_ADDRESS else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/", logins


def _one_process_per_query(database: dict) -> None:
    """The server's pages share the machine's cores with each other: PostgreSQL does not split one of their
    queries over parallel worker processes.  Starting them costs 4–6 ms, more than the office's queries take
    (it did so for the check of stale states, whose rows the planner overestimates), and takes the cores other
    pages wait for.  The CLI keeps PostgreSQL's default (a city's compile alone: 270 ms in parallel, 400 ms not)."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c max_parallel_workers_per_gather=0".strip()


def _store_states() -> None:
    """The stored state of every open request brought up to date before the workers start (after an upgrade
    that added it, or a night without ``gongkai refresh-states``), so that no first page does it."""
    from django.utils import timezone

    from gongkai.calendar import WorkCalendar
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.stored_state import refresh_stale

    refresh_stale(Request.objects.all(), timezone.localdate(), WorkCalendar.from_directory())


def settle_worker(worker=None) -> None:
    """gunicorn's ``post_worker_init``: a new worker compiles every template and resolves its URLs, then moves
    every object it holds into the garbage collector's permanent generation (``gc.freeze``).

    Without this, Python's full collections went through the whole of Django, its compiled templates and
    their nodes each time they ran (about once in 300 pages), and that page waited 80–120 ms more, with every
    page queued behind it in the same worker.  Frozen objects are never scanned; what a page makes is still
    collected as before."""
    from django.conf import settings
    from django.template import engines
    from django.urls import reverse
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    reverse("office:dashboard")  # builds the URL resolver
    for engine in engines.all():
        for name in template_names():
            engine.get_template(name)
    gc.collect()
    gc.freeze()


def template_names() -> list[str]:
    """The templates of the project's own apps (``<app>/templates/``), as ``get_template`` names them."""
    root = Path(__file__).parent
    return sorted(path.relative_to(folder).as_posix() for folder in root.glob("*/templates")
                  for path in folder.rglob("*.html"))


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from gongkai.web.wsgi import application

        return application


def run(host: str, port: int, *, workers: int = 3) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM: gunicorn finishes the requests in flight)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Gunicorn({"bind": bind, "workers": workers, "accesslog": "-", "errorlog": "-", "timeout": 60, "control_socket_disable": True,
               "access_log_format": ACCESS_LOG_FORMAT, "proc_name": "gongkai",
               "post_worker_init": settle_worker}).run()
