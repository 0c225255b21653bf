"""The admin keeps the ledger's law: closings written, a save checked as one list, same-day order kept, no request
stuck, receipt dates, future dates, agency cycles, the CSV export, and the one rule for personal data; letters are
listed read-only, downloaded by the handling office only."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.web.agencies.models import Agency
from gongkai.web.audit.models import AuditEntry
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Channel, Request, RequestEvent
from gongkai.web.requests.timeline import receive, record_event

from .admin_client import client_for, form_values

LIST = "/admin/requests/request/"
TODAY = date(2026, 6, 1)
ID_NUMBER = "320102199001011234"


@pytest.fixture(autouse=True)
def seen_on(monkeypatch):
    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: TODAY)


@pytest.fixture
def request_obj(county):
    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="natural_person", name="张三丰", id_number=ID_NUMBER)
    return receive(education, applicant, date(2026, 3, 2), Channel.IN_PERSON)


def _page(obj) -> str:
    return f"{LIST}{obj.pk}/change/"


def _with_events(form: dict, *events: dict) -> dict:
    """The page's form with new inline rows appended (kind, occurred_on and details as the browser sends)."""
    total = int(form["events-TOTAL_FORMS"])
    data = dict(form)
    for offset, event in enumerate(events):
        for name, value in event.items():
            data[f"events-{total + offset}-{name}"] = value
    data["events-TOTAL_FORMS"] = str(total + len(events))
    return data


def _save(client, obj, *events, **changes):
    form = form_values(client.get(_page(obj)).content.decode())
    return client.post(_page(obj), _with_events(form, *events) | changes)


def _closing(obj):
    obj.refresh_from_db()
    return obj.closed_on, obj.outcome


def test_a_decision_saved_in_the_admin_writes_the_closing(people, request_obj):
    head = client_for(people["head"])
    response = _save(head, request_obj, {"kind": "decided", "occurred_on": "2026-03-20", "outcome": "granted"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert _closing(request_obj) == (date(2026, 3, 20), "granted")
    assert "2026-03-20" not in client_for(people["staff"]).get(LIST, {"outcome": "open"}).content.decode()
    assert not Request.objects.filter(pk=request_obj.pk, closed_on__isnull=True).exists()


def test_the_heads_events_are_refused_to_office_staff_in_the_admin_too(people, request_obj):
    """The rule of the screens and the API (access.may_record): a clerk drafts, the head decides and approves."""
    staff = client_for(people["staff"])
    for event in ({"kind": "decided", "occurred_on": "2026-03-20", "outcome": "granted"},
                  {"kind": "extension_approved", "occurred_on": "2026-03-20", "extension_days": "10"}):
        response = _save(staff, request_obj, event)
        assert response.status_code == 200 and "只有公开办负责人可以记录" in response.content.decode()
    assert list(request_obj.events.values_list("kind", flat=True)) == ["received"]
    assert _save(client_for(people["head"]), request_obj,
                 {"kind": "extension_approved", "occurred_on": "2026-03-20", "extension_days": "10"}).status_code == 302
    form = form_values(staff.get(_page(request_obj)).content.decode())  # nor may the clerk change the approval
    days = next(k for k, v in form.items() if k.endswith("-extension_days") and v == "10")
    response = staff.post(_page(request_obj), form | {days: "15"})
    assert response.status_code == 200 and "只有公开办负责人可以记录“批准延期”" in response.content.decode()
    assert request_obj.events.get(kind="extension_approved").extension_days == 10


def test_two_decisions_in_one_save_are_refused(people, request_obj):
    staff = client_for(people["head"])
    response = _save(staff, request_obj, {"kind": "decided", "occurred_on": "2026-03-20", "outcome": "granted"},
                     {"kind": "decided", "occurred_on": "2026-03-21", "outcome": "unavailable.not_held"})
    assert response.status_code == 200 and "已于 2026-03-20 办结" in response.content.decode()
    assert list(request_obj.events.values_list("kind", flat=True)) == ["received"]
    assert _closing(request_obj) == (None, None)


def test_same_day_events_keep_their_recorded_order_and_never_lock_a_request(people, request_obj):
    head = client_for(people["head"])
    # A fee notice and its payment on one day, in one save; then a consultation opened and closed on one day,
    # one event per save.
    fee = {"kind": "fee_notice_sent", "occurred_on": "2026-03-20", "fee_method": "per_page", "fee_units": "40"}
    paid = {"kind": "fee_paid", "occurred_on": "2026-03-20", "amount": "100"}
    assert _save(head, request_obj, fee, paid).status_code == 302
    assert _save(head, request_obj, {"kind": "consultation_started", "occurred_on": "2026-03-23"}).status_code == 302
    assert _save(head, request_obj, {"kind": "consultation_ended", "occurred_on": "2026-03-23"}).status_code == 302
    # An edit of the notice's note keeps it before the payment of the same day.
    notice = request_obj.events.get(kind=EventKind.FEE_NOTICE_SENT)
    notice.note = "按量"
    notice.full_clean()
    notice.save()
    # The request can still be decided, and the blocking rows deleted (payment first, both in one save).
    assert _save(head, request_obj, {"kind": "decided", "occurred_on": "2026-04-20", "outcome": "granted"}
                 ).status_code == 302
    assert _closing(request_obj) == (date(2026, 4, 20), "granted")
    form = form_values(head.get(_page(request_obj)).content.decode())
    rows = {form[f"events-{i}-kind"]: i for i in range(int(form["events-TOTAL_FORMS"]))}
    deleted = form | {f"events-{rows[kind]}-DELETE": "on" for kind in ("fee_notice_sent", "fee_paid", "decided")}
    assert head.post(_page(request_obj), deleted).status_code == 302
    assert sorted(request_obj.events.values_list("kind", flat=True)) == [
        "consultation_ended", "consultation_started", "received"]
    assert _closing(request_obj) == (None, None)


def test_a_request_added_without_its_receipt_event_gets_it(people, county, request_obj):
    _, education, _ = county
    staff = client_for(people["staff"])
    response = staff.post(f"{LIST}add/", {
        "agency": education.pk, "applicant": request_obj.applicant_id, "received_on": "2026-03-04",
        "channel": Channel.IN_PERSON, "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    added = Request.objects.latest("pk")
    assert list(added.events.values_list("kind", "occurred_on")) == [("received", date(2026, 3, 4))]
    # A request left without one (as before #10) does not break the list for everyone: it says what is wrong.
    RequestEvent.objects.filter(request=added).delete()
    listing = staff.get(LIST)
    assert listing.status_code == 200 and "记录有误" in listing.content.decode()


def test_receipt_dates_on_non_working_days_and_in_the_future(people, county, request_obj):
    _, education, _ = county
    staff = client_for(people["staff"])
    new = {"agency": education.pk, "applicant": request_obj.applicant_id, "channel": Channel.ONLINE,
           "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    refused = staff.post(f"{LIST}add/", new | {"received_on": "2026-05-02"})  # 劳动节: next working day 5-06
    assert refused.status_code == 200 and "建议填写 2026-05-06" in refused.content.decode()
    accepted = staff.post(f"{LIST}add/", new | {"received_on": "2026-05-02", "confirm_receipt_date": "on"})
    assert accepted.status_code == 302
    # Confirmed once: later saves of the request (here, adding an event) do not ask again.
    saturday = Request.objects.latest("pk")
    assert _save(staff, saturday, {"kind": "consultation_started", "occurred_on": "2026-05-06"}).status_code == 302
    future = staff.post(f"{LIST}add/", new | {"received_on": "2026-06-02", "channel": Channel.IN_PERSON})
    assert "晚于今天 2026-06-01" in future.content.decode()
    with pytest.raises(ValidationError, match="晚于今天"):
        record_event(request_obj, EventKind.DECIDED, date(2026, 6, 2), "granted")


def test_a_closing_outcome_needs_its_precondition_in_the_admin(people, request_obj):
    response = _save(client_for(people["head"]), request_obj,
                     {"kind": "decided", "occurred_on": "2026-03-20", "outcome": "other_handling.fee_unpaid"})
    assert response.status_code == 200 and "须先发出收费通知" in response.content.decode()


def test_the_per_request_band_is_counted_from_the_ledger(people, county, request_obj):
    _, education, _ = county
    applicant = request_obj.applicant
    for day in range(3, 13):  # ten more requests of the same applicant to the same agency in March
        receive(education, applicant, date(2026, 3, day), Channel.IN_PERSON)
    eleventh = Request.objects.latest("pk")
    record_event(eleventh, EventKind.FEE_NOTICE_SENT, date(2026, 3, 13), fee_method="per_request")
    assert eleventh.state(today=TODAY).fees_charged == 100
    with pytest.raises(ValidationError, match="0 元"):  # the first of the month is free: no fee notice
        record_event(request_obj, EventKind.FEE_NOTICE_SENT, date(2026, 3, 13), fee_method="per_request")
    with pytest.raises(ValidationError, match="件次由台账计算"):
        record_event(request_obj, EventKind.FEE_NOTICE_SENT, date(2026, 3, 13), fee_method="per_request",
                     fee_units=12)


def test_an_agency_cannot_be_its_own_ancestor(county):
    government, education, _ = county
    school = Agency.objects.create(name="某县第一中学", kind=Agency.Kind.OTHER, parent=education)
    government.parent = school
    with pytest.raises(ValidationError, match="下级机关"):
        government.full_clean()
    Agency.objects.filter(pk=government.pk).update(parent=school)  # written past the check: still no endless query
    _, _, town = county
    assert sorted(education.subtree_ids()) == sorted([government.pk, education.pk, school.pk, town.pk])


def test_the_request_export_writes_no_formulas(people, county):
    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="commercial", name='=HYPERLINK("http://x","点我")')
    receive(education, applicant, date(2026, 3, 2), Channel.IN_PERSON)
    response = client_for(people["staff"]).post(LIST, {"action": "export_masked",
                                                       "_selected_action": [str(Request.objects.get().pk)]})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][4] == "'=HYPERLINK(\"http://x\",\"点我\")"


def test_a_sharing_agency_sees_masked_data_and_cannot_clear_the_registering_agency(people, county, request_obj):
    _, _, town = county
    shared = receive(town, request_obj.applicant, date(2026, 3, 5), Channel.IN_PERSON)
    town_staff = client_for(people["town_staff"])
    applicant_page = f"/admin/requests/applicant/{request_obj.applicant_id}/change/"
    html = town_staff.get(applicant_page).content.decode()
    assert ID_NUMBER not in html and "3201**********1234" in html
    assert town_staff.post(applicant_page, {"agency": "", "type": "natural_person", "name": "张三丰"}
                           ).status_code == 403
    request_obj.applicant.refresh_from_db()
    assert request_obj.applicant.agency_id == request_obj.agency_id
    # On its own request's page the town sees the data in full, logged under the town (the viewer's agency).
    assert ID_NUMBER in town_staff.get(_page(shared)).content.decode()
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL_DATA).latest("id")
    assert (entry.agency_id, entry.object_id) == (town.pk, str(shared.pk))
    # The registering agency's own staff cannot clear it either.
    staff = client_for(people["staff"])
    form = form_values(staff.get(applicant_page).content.decode())
    assert staff.post(applicant_page, form | {"agency": ""}).status_code == 200
    request_obj.applicant.refresh_from_db()
    assert request_obj.applicant.agency_id == request_obj.agency_id


def test_a_lapse_still_ahead_is_not_shown_as_a_closing(people, request_obj, monkeypatch):
    record_event(request_obj, EventKind.SUPPLEMENT_REQUESTED, date(2026, 3, 4), supplement_by=date(2026, 3, 20))
    assert _closing(request_obj) == (date(2026, 3, 21), "other_handling.no_supplement")  # where the events lead
    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: date(2026, 3, 20))
    staff = client_for(people["staff"])
    assert request_obj.pk in {r.pk for r in staff.get(LIST, {"outcome": "open"}).context["cl"].result_list}
    assert 'field-closed">-<' in staff.get(LIST).content.decode()
    rows = list(csv.reader(io.StringIO(staff.post(LIST, {"action": "export_masked", "_selected_action": [
        str(request_obj.pk)]}).content.decode("utf-8-sig"))))
    assert rows[1][9:] == ["", ""]
    monkeypatch.setattr("gongkai.web.requests.clock.today", lambda: date(2026, 3, 21))
    assert 'field-closed">2026-03-21<' in staff.get(LIST).content.decode()
    assert request_obj.pk not in {r.pk for r in staff.get(LIST, {"outcome": "open"}).context["cl"].result_list}


@pytest.fixture
def letters(people, request_obj):
    from gongkai.letters import LetterKind
    from gongkai.web.letters.issuing import make_letter

    receipt = make_letter(request_obj, LetterKind.RECEIPT, user=people["staff"], issued=request_obj.received_on,
                          due=request_obj.state().reply_due)
    draft = make_letter(request_obj, LetterKind.DECISION, user=people["staff"], issued=date(2026, 3, 4), draft=True,
                        outcome="granted", reasons="张三丰的私事", details={"outcome": "granted", "reasons": "张三丰的私事"})
    return receipt, draft


def test_letters_are_listed_read_only_and_downloaded_by_the_handling_office(people, letters):
    from gongkai.web.letters.models import Letter

    receipt, draft = letters
    staff, supervisor = client_for(people["staff"]), client_for(people["supervisor"])
    listed = staff.get("/admin/letters/letter/").content.decode()
    assert "受理回执" in listed and "答复书" in listed and "草稿，签发后可下载" in listed
    docx = f"/requests/{receipt.request_id}/letters/{receipt.pk}.docx"
    assert f'href="{docx}"' in listed and staff.get(docx).status_code == 200
    page = staff.get(f"/admin/letters/letter/{receipt.pk}/change/").content.decode()
    assert "拟稿人" in page and f'href="{docx}"' in page and 'name="_save"' not in page  # nothing to save
    assert "张三丰" not in staff.get(f"/admin/letters/letter/{draft.pk}/change/").content.decode()  # no details

    seen = supervisor.get("/admin/letters/letter/").content.decode()
    assert "受理回执" in seen and "仅办理机关可下载" in seen and docx not in seen and "张三丰" not in seen
    assert client_for(people["town_staff"]).get(f"/admin/letters/letter/{receipt.pk}/change/").status_code == 404
    head = client_for(people["head"])
    assert head.get("/admin/letters/letter/add/").status_code == 403
    assert head.post(f"/admin/letters/letter/{receipt.pk}/change/", {"doc_number": "改"}).status_code == 403
    assert head.post(f"/admin/letters/letter/{receipt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Letter.objects.filter(pk=receipt.pk, doc_number="").exists() and Letter.objects.count() == 2
    assert Letter._meta.verbose_name == "文书" and "文书" in staff.get("/admin/").content.decode()
