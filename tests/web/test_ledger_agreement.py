"""One law, three readers: over random event histories and random days, the pure ledger, the Django model path
(events saved through the admin's own form set, list prefetch included) and the compile agree on every request's
state, closing day and outcome; table 3 equals a brute-force count; carried_forward(N) = carried_over(N+1)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.calendar import WorkCalendar
from gongkai.ledger import events as ledger
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.fees import quote_per_page
from gongkai.ledger.outcomes import OUTCOME_BASIS
from gongkai.ledger.timeline import Status, derive_state
from gongkai.report import edition

from .admin_client import form_values

CALENDAR = WorkCalendar()
CLOCK = date(2026, 12, 31)  # the day the database is kept up to
COLUMNS = [c.key for c in edition("2021").request_columns if c.key != "total"]
OUTCOMES = list(OUTCOME_BASIS)
KINDS = ["supplement_requested", "supplement_received", "consultation_started", "consultation_ended",
         "extension_approved", "delayed_reply", "fee_notice_sent", "fee_paid", "decided", "withdrawn"]


def _candidate(draw, kind: str, day: date) -> tuple[ledger.Event, dict]:
    """A ledger event and the admin form row that records it."""
    row = {"kind": kind, "occurred_on": day.isoformat()}
    if kind == "supplement_requested":
        by = day + timedelta(days=draw(st.integers(0, 30)))
        return ledger.SupplementRequested(day, supplement_by=by), row | {"supplement_by": by.isoformat()}
    if kind == "supplement_received":
        reason = draw(st.booleans())
        return ledger.SupplementReceived(day, good_reason=reason), row | ({"good_reason": "on"} if reason else {})
    if kind == "consultation_started":
        return ledger.ConsultationStarted(day), row
    if kind == "consultation_ended":
        return ledger.ConsultationEnded(day), row
    if kind == "extension_approved":
        days = draw(st.integers(1, 20))
        return ledger.ExtensionApproved(day, working_days=days), row | {"extension_days": str(days)}
    if kind == "delayed_reply":
        by = day + timedelta(days=draw(st.integers(1, 60)))
        return ledger.DelayedReply(day, reply_by=by), row | {"reply_by": by.isoformat()}
    if kind == "fee_notice_sent":
        pages = draw(st.integers(31, 300))
        return (ledger.FeeNoticeSent(day, quote=quote_per_page(pages)),
                row | {"fee_method": "per_page", "fee_units": str(pages)})
    if kind == "fee_paid":
        late = draw(st.booleans())
        return (ledger.FeePaid(day, Decimal("100"), accepted_late=late),
                row | {"amount": "100"} | ({"good_reason": "on"} if late else {}))
    if kind == "decided":
        outcome = draw(st.sampled_from(OUTCOMES))
        return ledger.Decided(day, outcome=outcome), row | {"outcome": outcome}
    return ledger.Withdrawn(day), row


@st.composite
def histories(draw):
    """A request's receipt, then events the ledger accepts (tried one by one, refused ones dropped)."""
    received = draw(st.dates(date(2025, 1, 2), date(2026, 9, 30)))
    events, rows, day = [ledger.Received(received, channel="in_person")], [], received
    for _ in range(draw(st.integers(0, 6))):
        day += timedelta(days=draw(st.integers(0, 25)))
        if day > CLOCK:
            break
        event, row = _candidate(draw, draw(st.sampled_from(KINDS)), day)
        try:
            derive_state([*events, event], today=day, calendar=CALENDAR)
        except LedgerError:
            continue
        events.append(event)
        rows.append(row)
    return {"type": draw(st.sampled_from(COLUMNS)), "events": events, "rows": rows,
            "one_save": draw(st.booleans())}


def _save_through_the_admin(client: Client, request_obj, rows: list[dict], one_save: bool) -> None:
    url = f"/admin/requests/request/{request_obj.pk}/change/"
    for batch in ([rows] if one_save else [[row] for row in rows]):
        form = form_values(client.get(url).content.decode())
        total = int(form["events-TOTAL_FORMS"])
        for offset, row in enumerate(batch):
            form |= {f"events-{total + offset}-{name}": value for name, value in row.items()}
        form["events-TOTAL_FORMS"] = str(total + len(batch))
        response = client.post(url, form)
        assert response.status_code == 302, (rows, response.content.decode()[-3000:])


def _closing_on(state) -> tuple[date | None, str | None]:
    return (state.closed_on, state.outcome) if state.status is Status.CLOSED else (None, None)


def _brute_force(cases, year: int) -> dict[str, int]:
    """Table 3 of ``year`` counted request by request from the pure ledger's states."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts: dict[str, int] = {}

    def add(key):
        counts[key] = counts.get(key, 0) + 1

    for case in cases:
        received = case["events"][0].on
        closed_on, outcome = case["closing"]
        if received > end or (closed_on is not None and closed_on < start):
            continue
        add("new_received.total" if received >= start else "carried_over.total")
        if closed_on is not None and closed_on <= end:
            add(f"{outcome}.{case['type']}")
        else:
            add("carried_forward.total")
    return counts


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(cases=st.lists(histories(), min_size=1, max_size=3), later=st.integers(0, 500))
def test_the_pure_ledger_the_model_path_and_the_compile_agree(django_database, monkeypatch, cases, later):
    from gongkai.web.accounts.models import UserProfile
    from gongkai.web.agencies.models import Agency
    from gongkai.web.reports.compile import compile_report
    from gongkai.web.requests.models import Applicant, Channel, Request
    from gongkai.web.requests.timeline import receive

    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: CLOCK)
    last = max(event.on for case in cases for event in case["events"])
    today = min(last + timedelta(days=later), CLOCK)
    with transaction.atomic():
        agency = Agency.objects.create(name="随机机关", kind=Agency.Kind.DEPARTMENT)
        clerk = User.objects.create(username="clerk", is_staff=True)
        UserProfile.objects.create(user=clerk, agency=agency, role=UserProfile.Role.OFFICE_HEAD)
        client = Client()
        client.force_login(clerk)
        for case in cases:
            applicant = Applicant.objects.create(agency=agency, type=case["type"], name="申请人")
            stored = receive(agency, applicant, case["events"][0].on, Channel.IN_PERSON)
            _save_through_the_admin(client, stored, case["rows"], case["one_save"])
            pure = derive_state(case["events"], today=today, calendar=CALENDAR)
            case["closing"] = _closing_on(pure)
            stored.refresh_from_db()
            model = stored.state(today=today, calendar=CALENDAR)
            assert (model.status, model.reply_due, _closing_on(model)) == (pure.status, pure.reply_due,
                                                                           case["closing"])
            # The stored columns the compile reads say the same on that day.
            assert (stored.is_open_on(today)) == (pure.status is not Status.CLOSED)
            if pure.status is Status.CLOSED:
                assert (stored.closed_on, stored.outcome) == case["closing"]
        assert Request.objects.count() == len(cases)
        for year in range(2025, today.year + 1):
            report = compile_report(agency, year, today=today)
            expected = _brute_force(cases, year)
            for key in ("new_received.total", "carried_over.total", "carried_forward.total"):
                assert report[f"requests.{key}"] == expected.get(key, 0), (year, key)
            for outcome in OUTCOMES:
                for column in COLUMNS:
                    key = f"{outcome}.{column}"
                    assert report[f"requests.{key}"] == expected.get(key, 0), (year, key)
            if year < today.year:
                assert report["requests.carried_forward.total"] == compile_report(
                    agency, year + 1, today=today)["requests.carried_over.total"]
        transaction.set_rollback(True)
