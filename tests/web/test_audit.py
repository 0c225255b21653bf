"""The audit log: every change through the admin and the timeline functions, personal data masked in it,
read-only, visible to office heads (their agency) and supervisors (their subtree)."""

from __future__ import annotations

from datetime import date

from gongkai.web.audit.models import AuditEntry
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Channel
from gongkai.web.requests.timeline import receive, record_event

from .admin_client import client_for, form_values

ID_NUMBER = "320102199001011234"
Action = AuditEntry.Action


def _applicant(agency) -> Applicant:
    return Applicant.objects.create(agency=agency, type="natural_person", name="张三丰", id_number=ID_NUMBER,
                                    phone="13812345678")


def test_timeline_functions_are_logged(county):
    _, education, _ = county
    AuditEntry.objects.all().delete()
    request = receive(education, _applicant(education), date(2026, 3, 2), Channel.ONLINE)
    decision = record_event(request, EventKind.DECIDED, date(2026, 3, 10), "granted")
    entries = {(e.action, e.model, e.object_id): e for e in AuditEntry.objects.all()}
    assert set(entries) >= {(Action.CREATE, "requests.Request", str(request.pk)),
                            (Action.CREATE, "requests.RequestEvent", str(decision.pk))}
    logged = entries[(Action.CREATE, "requests.RequestEvent", str(decision.pk))]
    assert logged.agency == education and logged.user is None
    assert logged.changes["outcome"] == [None, "granted"] and logged.changes["occurred_on"] == [None, "2026-03-10"]
    decision.delete()
    deleted = AuditEntry.objects.get(action=Action.DELETE, model="requests.RequestEvent")
    assert deleted.changes["outcome"] == ["granted", None] and deleted.agency == education


def test_personal_data_is_masked_in_the_log(county):
    _, education, _ = county
    applicant = _applicant(education)
    applicant.phone = "13900001111"
    applicant.save()
    entries = AuditEntry.objects.filter(model="requests.Applicant", object_id=str(applicant.pk))
    created, updated = entries.get(action=Action.CREATE), entries.get(action=Action.UPDATE)
    assert created.changes["id_number"] == [None, "3201**********1234"]
    assert updated.changes == {"phone": ["138****5678", "139****1111"]}
    assert ID_NUMBER not in str(list(entries.values_list("changes", flat=True)))


def test_admin_changes_are_logged_with_the_user(people, county):
    _, education, _ = county
    request = receive(education, _applicant(education), date(2026, 3, 2), Channel.ONLINE)
    staff = client_for(people["staff"])
    url = f"/admin/requests/request/{request.pk}/change/"
    data = form_values(staff.get(url).content.decode()) | {"channel": Channel.FAX}
    assert staff.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action=Action.UPDATE, model="requests.Request", object_id=str(request.pk))
    assert entry.user == people["staff"] and entry.username == "staff" and entry.agency == education
    assert entry.changes == {"channel": [Channel.ONLINE, Channel.FAX]}
    viewed = AuditEntry.objects.filter(action=Action.VIEW_PERSONAL_DATA, object_id=str(request.pk))
    assert [e.user for e in viewed] == [people["staff"]]


def test_the_log_is_read_only_and_seen_by_heads_and_supervisors(people, county):
    government, education, town = county
    receive(education, _applicant(education), date(2026, 3, 2), Channel.ONLINE)
    receive(town, _applicant(town), date(2026, 3, 2), Channel.ONLINE)
    url = "/admin/audit/auditentry/"

    def agencies_seen(who) -> set:
        response = client_for(people[who]).get(url)
        assert response.status_code == 200
        return {entry.agency for entry in response.context["cl"].queryset}

    assert agencies_seen("head") == {education}
    assert agencies_seen("supervisor") == {government, education, town}
    assert client_for(people["town_staff"]).get(url).status_code == 403
    assert client_for(people["staff"]).get(url).status_code == 403
    entry = AuditEntry.objects.filter(agency=education).first()
    head = client_for(people["head"])
    assert head.get(f"{url}{entry.pk}/change/").status_code == 200
    assert head.post(f"{url}{entry.pk}/change/", {"action": "delete"}).status_code == 403
    assert head.post(f"{url}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert head.get(f"{url}add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
