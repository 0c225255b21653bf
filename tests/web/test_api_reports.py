"""The API's agencies, annual reports, OpenAPI schema and tokens."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from typer.testing import CliRunner

from gongkai.web.agencies.models import Agency
from gongkai.web.api.views import ROUTES
from gongkai.web.audit.models import AuditEntry
from gongkai.web.reports.models import ReportDraft
from gongkai.web.requests.models import Applicant, Channel
from gongkai.web.requests.timeline import receive

from .admin_client import client_for, user


def api(account) -> APIClient:
    client = APIClient()
    client.force_authenticate(account)
    return client


@pytest.fixture
def reports(county):
    _, education, town = county
    company = Applicant.objects.create(agency=education, type="commercial", name="某公司")
    receive(education, company, date(2025, 3, 3), Channel.IN_PERSON)
    return {"education": ReportDraft.objects.create(agency=education, year=2025, overview="教育局总体情况"),
            "town": ReportDraft.objects.create(agency=town, year=2025, overview="甲镇总体情况")}


def test_agencies_are_the_visible_ones(people, county):
    government, education, town = county
    assert [a["name"] for a in api(people["staff"]).get("/api/agencies/").json()["results"]] == ["某县教育局"]
    listed = api(people["supervisor"]).get("/api/agencies/").json()["results"]
    assert {a["id"] for a in listed} == {government.pk, education.pk, town.pk}
    assert api(people["staff"]).get(f"/api/agencies/{town.pk}/").status_code == 404
    assert api(people["staff"]).post("/api/agencies/", {"name": "新机关"}).status_code == 405


def test_a_report_is_compiled_from_the_ledger_with_the_drafts_texts(people, reports, county):
    education = county[1]
    response = api(people["staff"]).get(f"/api/reports/{education.pk}/2025/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["texts"]["overview"] == "教育局总体情况" and body["agency_name"] == "某县教育局"
    compiled = body["compiled"]
    assert any(value == 1 for key, value in compiled.items() if "new_received" in key)
    assert api(people["staff"]).get(f"/api/reports/{county[2].pk}/2025/").status_code == 404
    assert api(people["supervisor"]).get(f"/api/reports/{county[2].pk}/2025/").status_code == 200
    assert api(people["staff"]).get(f"/api/reports/{education.pk}/2019/").status_code == 404
    empty = api(people["staff"]).get(f"/api/reports/{education.pk}/2024/").json()
    assert empty["texts"] is None and empty["compiled"]


def test_report_drafts_list_only_visible_agencies(people, reports, county):
    listed = api(people["staff"]).get("/api/reports/").json()["results"]
    assert [r["texts"]["overview"] for r in listed] == ["教育局总体情况"]
    listed = api(people["supervisor"]).get(f"/api/reports/?agency={county[2].pk}&year=2025").json()["results"]
    assert [r["texts"]["overview"] for r in listed] == ["甲镇总体情况"]
    assert api(people["supervisor"]).get("/api/reports/?year=abc").status_code == 400
    assert api(people["head"]).post("/api/reports/", {}).status_code == 405


def _api_paths(patterns, prefix="") -> set[str]:
    """Every ``/api/`` URL pattern of the configuration, its parameters written ``{}``."""
    found = set()
    for pattern in patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            found |= _api_paths(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern) and text.startswith("api/"):
            found.add("/" + re.sub(r"<\w+>", "{}", re.sub(r"\(\?P<\w+>[^)]*\)", "{}", text)))
    return found


def test_the_openapi_schema_is_valid_and_has_every_endpoint(people):
    assert APIClient().get("/api/openapi.json").status_code == 401
    response = api(people["staff"]).get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # drf-spectacular's OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.")
    served = _api_paths(get_resolver().url_patterns) - {"/api/openapi.json"}
    assert served and served == {re.sub(r"\{\w+\}", "{}", path) for path in schema["paths"]}
    for prefix, _, _ in ROUTES:
        assert f"/api/{prefix}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_token_page_makes_and_replaces_a_token(people):
    client = client_for(people["staff"])
    page = client.get("/account/token/")
    assert page.status_code == 200 and "您还没有令牌" in page.content.decode()
    first = client.post("/account/token/").context["key"]
    second = client.post("/account/token/").context["key"]
    assert first != second and Token.objects.get(user=people["staff"]).key == second
    assert "您已有一个令牌" in client.get("/account/token/").content.decode()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {first}").get("/api/requests/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION=f"Token {second}").get("/api/requests/").status_code == 200
    assert AuditEntry.objects.filter(model="authtoken.Token", username="staff").count() == 2
    assert all(second not in str(entry.changes) for entry in AuditEntry.objects.all())
    assert client_for(people["staff"]).get("/account/token/").status_code == 200
    from django.test import Client

    assert Client().get("/account/token/").status_code == 302


def test_the_token_command(db, monkeypatch):
    from gongkai.cli_web import app

    monkeypatch.setattr("gongkai.cli_web._django", lambda: None)
    account = user("clerk", Agency.objects.create(name="某局", kind=Agency.Kind.DEPARTMENT), "office_staff")
    result = CliRunner().invoke(app, ["token", "clerk"])
    assert result.exit_code == 0 and result.stdout.strip() == Token.objects.get(user=account).key
    missing = CliRunner().invoke(app, ["token", "nobody-here"])
    assert missing.exit_code == 1 and "没有用户" in missing.output
