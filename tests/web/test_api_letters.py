"""The letters API (``/api/letters/``): a request's letters listed for whoever sees the request, drafts and the
files (DOCX, PDF) for the handling office only, by the same rule as the request page's downloads."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from docx import Document
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.letters import LetterKind
from gongkai.web.letters.issuing import make_letter
from gongkai.web.requests.models import Applicant, Channel
from gongkai.web.requests.timeline import receive

NAME = "张三丰"


@pytest.fixture
def letters(people, county):
    _, education, town = county
    person = Applicant.objects.create(agency=education, type="natural_person", name=NAME)
    found = receive(education, person, date(2026, 3, 2), Channel.IN_PERSON)
    receipt = make_letter(found, LetterKind.RECEIPT, user=people["staff"], issued=date(2026, 3, 2),
                          doc_number="教公开〔2026〕1号", due=found.state().reply_due)
    draft = make_letter(found, LetterKind.DECISION, user=people["staff"], issued=date(2026, 3, 5), draft=True,
                        outcome="granted", reasons="", details={"outcome": "granted", "reasons": ""})
    other = receive(town, Applicant.objects.create(agency=town, type="commercial", name="某公司"),
                    date(2026, 3, 3), Channel.IN_PERSON)
    town_receipt = make_letter(other, LetterKind.RECEIPT, user=people["town_staff"], issued=date(2026, 3, 3),
                               due=other.state().reply_due)
    return {"request": found, "receipt": receipt, "draft": draft, "town": town_receipt}


def api(account) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.get_or_create(user=account)[0].key)
    return client


def listed(client, **query) -> list[dict]:
    response = client.get("/api/letters/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_office_lists_its_letters_with_drafts(people, letters):
    rows = listed(api(people["staff"]), request=letters["request"].pk)
    assert [(row["id"], row["name"], row["status"], row["downloadable"]) for row in rows] == [
        (letters["receipt"].pk, "受理回执", "issued", True), (letters["draft"].pk, "答复书", "draft", False)]
    assert rows[0]["doc_number"] == "教公开〔2026〕1号" and rows[0]["issued_on"] == "2026-03-02"
    assert {row["id"] for row in listed(api(people["staff"]))} == {letters["receipt"].pk, letters["draft"].pk}


def test_a_supervisor_sees_signed_letters_listed_but_no_draft_and_no_file(people, letters):
    supervisor = api(people["supervisor"])
    rows = listed(supervisor, request=letters["request"].pk)
    assert [(row["id"], row["downloadable"]) for row in rows] == [(letters["receipt"].pk, False)]
    assert supervisor.get(f"/api/letters/{letters['draft'].pk}/").status_code == 404
    for fmt in ("docx", "pdf"):
        refused = supervisor.get(f"/api/letters/{letters['receipt'].pk}/{fmt}/")
        assert refused.status_code == 403 and "仅办理机关" in refused.json()["detail"]


def test_the_office_downloads_a_signed_letter_as_kept(people, letters):
    response = api(people["head"]).get(f"/api/letters/{letters['receipt'].pk}/docx/")
    assert response.status_code == 200 and response.content == bytes(letters["receipt"].docx)
    assert "attachment" in response["Content-Disposition"]
    assert NAME in "".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


def test_the_pdf_of_a_signed_letter_is_made_once(people, letters):
    response = api(people["staff"]).get(f"/api/letters/{letters['receipt'].pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    letters["receipt"].refresh_from_db()
    assert bytes(letters["receipt"].pdf) == response.content


def test_a_draft_has_no_download_even_for_the_office(people, letters):
    for fmt in ("docx", "pdf"):
        refused = api(people["head"]).get(f"/api/letters/{letters['draft'].pk}/{fmt}/")
        assert refused.status_code == 404 and "草稿尚未签发" in refused.json()["detail"]


def test_another_agency_and_the_administrator(people, letters):
    town = api(people["town_staff"])
    assert {row["id"] for row in listed(town)} == {letters["town"].pk}
    for path in ("", "docx/", "pdf/"):
        assert town.get(f"/api/letters/{letters['receipt'].pk}/{path}").status_code == 404
    root = api(User.objects.create_superuser("root", password="x"))
    assert {row["id"] for row in listed(root)} == {letters["receipt"].pk, letters["town"].pk}  # no draft
    assert root.get(f"/api/letters/{letters['receipt'].pk}/docx/").status_code == 403


def test_letters_are_read_only_and_need_a_login(people, letters):
    assert APIClient().get("/api/letters/").status_code == 401
    staff = api(people["staff"])
    assert staff.post("/api/letters/", {}, format="json").status_code == 405
    assert staff.delete(f"/api/letters/{letters['receipt'].pk}/").status_code == 405
    assert staff.get("/api/letters/", {"request": "x"}).status_code == 400
