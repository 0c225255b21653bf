"""Django settings: what differs between machines comes from environment variables.

- ``GONGKAI_DATA_DIR`` (default ``./data``): where the default SQLite database lives.
- ``GONGKAI_DATABASE_URL``: ``postgresql://…`` or ``sqlite:///…`` (default: ``$GONGKAI_DATA_DIR/gongkai.sqlite3``).
- ``GONGKAI_DEBUG`` (``1`` to enable) and ``GONGKAI_SECRET_KEY`` (a development key is used only when debugging;
  without debugging and without a key, Django refuses to sign anything).
"""

import os
from pathlib import Path

from gongkai.web.database_url import database_config

DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "data")).resolve()
DEBUG = os.environ.get("GONGKAI_DEBUG") == "1"
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY") or ("dev-only-not-secret" if DEBUG else "")
ALLOWED_HOSTS = os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

DATABASES = {
    "default": database_config(
        os.environ.get("GONGKAI_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.web.agencies",
    "gongkai.web.requests",
    "gongkai.web.appeals",
    "gongkai.web.proactive",
    "gongkai.web.reports",
    "gongkai.web.accounts",
    "gongkai.web.audit",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.web.audit.recording.AuditUserMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "gongkai.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
STATIC_URL = "static/"
