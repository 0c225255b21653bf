"""Log in as a role and submit admin forms the way a browser does (every field of the page's form as shown)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.contrib.auth.models import User
from django.test import Client

from gongkai.web.accounts.models import UserProfile


def user(name: str, agency, role: str | None) -> User:
    account = User.objects.create_user(name, password="x", is_staff=True)
    if role is not None:
        UserProfile.objects.create(user=account, agency=agency, role=role)
    return account


def client_for(account: User) -> Client:
    client = Client()
    client.force_login(account)
    return client


class _FormValues(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n") if not self.values[self._textarea] else data


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values
