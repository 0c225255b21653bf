import pytest

from gongkai.web.database_url import database_config


def test_postgresql_url():
    config = database_config("postgresql://postgres@127.0.0.1:5432/test")
    assert config == {"ENGINE": "django.db.backends.postgresql", "NAME": "test", "USER": "postgres",
                      "PASSWORD": "", "HOST": "127.0.0.1", "PORT": "5432",
                      "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}  # workers keep their connection


def test_postgresql_url_with_password_and_default_port():
    config = database_config("postgresql://gk:p%40ss@db.local/gongkai")
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == ("gk", "p@ss", "db.local", "")


def test_sqlite_relative_and_absolute_paths():
    assert database_config("sqlite:///data/x.sqlite3")["NAME"] == "data/x.sqlite3"
    assert database_config("sqlite:////var/lib/gongkai/x.sqlite3")["NAME"] == "/var/lib/gongkai/x.sqlite3"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql://u@h/", "sqlite:///"])
def test_unsupported_or_incomplete_urls_are_refused(url):
    with pytest.raises(ValueError):
        database_config(url)
