"""``gongkai demo``: a county, users per role and a ledger that the admin, compile and deadlines can show."""

from __future__ import annotations

from datetime import date

from django.test import Client
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.web.accounts.models import UserProfile
from gongkai.web.agencies.models import Agency
from gongkai.web.demo import AGENCIES, EDUCATION, GOVERNMENT, LIVE, REQUESTS, USERS, create_demo
from gongkai.web.reports.compile import compile_report
from gongkai.web.requests.deadlines import open_deadlines
from gongkai.web.requests.models import Request

from .admin_client import client_for


def _counts() -> tuple[int, ...]:
    from gongkai.web.appeals.models import Case
    from gongkai.web.reports.models import ReportDraft

    return Agency.objects.count(), UserProfile.objects.count(), Request.objects.count(), Case.objects.count(), \
        ReportDraft.objects.count()


def test_demo_is_idempotent_and_shows_something_real(db):
    first = create_demo()
    assert [name for name, *_ in first.new_users] == [name for name, *_ in USERS]
    assert first.requests == REQUESTS + len(LIVE)
    counts = _counts()
    again = create_demo()
    assert (again.new_users, again.requests, _counts()) == ([], 0, counts)

    requests = Request.objects.all()
    assert {r.received_on.year for r in requests} == {2025, 2026}
    assert 5 <= requests.filter(closed_on__isnull=True).count() < (REQUESTS + len(LIVE)) / 2
    assert requests.filter(outcome="other_handling.other").exists() and requests.filter(outcome="granted").exists()
    government = Agency.objects.get(name=GOVERNMENT)
    assert set(government.subtree().values_list("name", flat=True)) == {name for name, *_ in AGENCIES}
    report = compile_report(Agency.objects.get(name=EDUCATION), 2025)
    assert report.flat()["requests.new_received.total"] > 0
    assert open_deadlines(government, today=date(2026, 11, 27))


def test_demo_users_log_in_with_their_role(db):
    create_demo()
    name, _, _, password = USERS[1]
    client = Client()
    assert client.login(username=name, password=password)
    assert client.get("/admin/requests/request/").status_code == 200
    staff = UserProfile.objects.get(user__username="jiaoyu_staff").user
    listed = client_for(staff).get("/admin/requests/request/").context["cl"].queryset
    assert {r.agency.name for r in listed} == {EDUCATION}


def test_cli_demo_prints_passwords_once(django_database, db):
    runner = CliRunner()
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "demo-jiaoyu-staff" in first.output and f"{REQUESTS + len(LIVE)} requests added" in first.output
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0 and "demo-" not in second.output and "already there" in second.output


def test_every_demo_id_number_and_credit_code_is_valid(db):
    """The demo's applicants pass the same GB 11643 / GB 32100 (and GB 11714) checks as a clerk's typing (ledger.identity)."""
    from gongkai.ledger.identity import organisation_code_check_character, validate_identity
    from gongkai.web.requests.models import Applicant

    create_demo()
    applicants = list(Applicant.objects.all())
    assert {a.type == "natural_person" for a in applicants} == {True, False}  # both kinds of number are seen
    for applicant in applicants:
        assert validate_identity(applicant.type, applicant.id_number) == applicant.id_number, applicant.name
        applicant.full_clean()  # the model's own check (the intake and the admin use it) accepts it too
        if applicant.type != "natural_person":  # its organisation code carries its own check (GB 11714)
            code = applicant.id_number[8:17]
            assert organisation_code_check_character(code[:8]) == code[8], applicant.id_number
