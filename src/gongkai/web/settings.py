"""Django settings: what differs between machines comes from environment variables.

- ``GONGKAI_DATA_DIR`` (default ``./data``): where the default SQLite database lives.
- ``GONGKAI_DATABASE_URL``: ``postgresql://…`` or ``sqlite:///…`` (default: ``$GONGKAI_DATA_DIR/gongkai.sqlite3``).
- ``GONGKAI_SECRET_KEY``: else a key generated once into ``$GONGKAI_DATA_DIR/secret_key`` (``secret_key``).
- ``GONGKAI_DEBUG`` (``1`` to enable; off by default, and off under ``gongkai serve``).
- ``GONGKAI_ALLOWED_HOSTS``: the host names the server answers to, comma-separated.
- ``GONGKAI_HTTPS`` (``1`` when the site is reached over HTTPS, through a proxy that sets
  ``X-Forwarded-Proto``): secure cookies, HTTPS redirect and HSTS (``GONGKAI_HSTS_SECONDS``, default one year).
  ``manage.py check --deploy`` is clean in this mode (a test).
"""

import os
import warnings
from pathlib import Path

from gongkai.web.database_url import database_config
from gongkai.web.secret_key import secret_key

DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "data")).resolve()
DEBUG = os.environ.get("GONGKAI_DEBUG") == "1"
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
                 if h.strip()]
WSGI_APPLICATION = "gongkai.web.wsgi.application"

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
    "gongkai.web.office",
    "gongkai.web.letters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "gongkai.web.api",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
# Static files are served by WhiteNoise, in the application server itself (an intranet needs no CDN or second
# server).  ``gongkai serve`` collects them, compressed, into STATIC_ROOT; before that (tests, a fresh checkout)
# WhiteNoise finds them in the apps.
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not STATIC_ROOT.is_dir()
warnings.filterwarnings("ignore", message="No directory at: .*static")  # before collectstatic: see above

# The JSON API (``web/api``): token or session, the screens' access rules, Chinese messages, OpenAPI 3.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gongkai.web.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开工作台账 接口",
    "DESCRIPTION": "申请、办理事件、机关和年度报告。权限与页面相同：只能看到本机关（监督人员：本机关及下级机关）的记录。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:dashboard"
LOGOUT_REDIRECT_URL = "office:login"
AUTHENTICATION_BACKENDS = ["gongkai.web.accounts.backends.ProfileBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gongkai.web.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins (``accounts/throttle.py``): this many for one user name from one address, or from one address
# in all, within the window, and that address waits for the rest of the window.
LOGIN_FAILURES_PER_USER = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW_MINUTES = 15
# Reverse proxies whose X-Forwarded-For names the client (comma-separated addresses), e.g. the intranet's nginx.
TRUSTED_PROXIES = [a.strip() for a in os.environ.get("GONGKAI_TRUSTED_PROXIES", "").split(",") if a.strip()]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
if os.environ.get("GONGKAI_HTTPS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The browsers' HSTS preload list is for public sites; an intranet host name cannot be on it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
