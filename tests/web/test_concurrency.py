"""No lost edits: a save started from a stale version is refused and nothing is overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.web.concurrency import StaleEdit
from gongkai.web.reports.models import ReportDraft
from gongkai.web.requests.models import Applicant, Channel, Request
from gongkai.web.requests.timeline import receive

from .admin_client import client_for, form_values


def test_the_model_refuses_a_stale_save(county):
    _, education, _ = county
    ReportDraft.objects.create(agency=education, year=2025, overview="初稿")
    first, second = ReportDraft.objects.get(), ReportDraft.objects.get()
    first.overview = "甲的修改"
    first.save()
    second.overview = "乙的修改"
    with pytest.raises(StaleEdit):
        second.save()
    stored = ReportDraft.objects.get()
    assert (stored.overview, stored.version) == ("甲的修改", 1)


def test_two_concurrent_admin_edits_the_second_is_refused_and_kept_on_screen(people, county):
    _, education, _ = county
    draft = ReportDraft.objects.create(agency=education, year=2025, overview="初稿")
    url = f"/admin/reports/reportdraft/{draft.pk}/change/"
    staff, head = client_for(people["staff"]), client_for(people["head"])
    staff_form = form_values(staff.get(url).content.decode())
    head_form = form_values(head.get(url).content.decode())
    assert staff_form["edit_version"] == head_form["edit_version"] == "0"

    assert staff.post(url, staff_form | {"overview": "工作人员的修改"}).status_code == 302
    refused = head.post(url, head_form | {"overview": "负责人的修改"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "已被他人修改" in html and "负责人的修改" in html  # the message, and what was typed is still there
    stored = ReportDraft.objects.get()
    assert (stored.overview, stored.version) == ("工作人员的修改", 1)

    fresh = form_values(head.get(url).content.decode())
    assert head.post(url, fresh | {"overview": "负责人的修改"}).status_code == 302
    assert ReportDraft.objects.get().overview == "负责人的修改"


def test_stale_request_and_event_edits_are_refused(people, county):
    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="natural_person", name="张三丰")
    request = receive(education, applicant, date(2026, 3, 2), Channel.ONLINE)
    url = f"/admin/requests/request/{request.pk}/change/"
    staff, head = client_for(people["staff"]), client_for(people["head"])
    staff_form, head_form = (form_values(c.get(url).content.decode()) for c in (staff, head))
    note = next(name for name in staff_form if name.startswith("events-0-note"))
    assert staff.post(url, staff_form | {note: "电话确认"}).status_code == 302
    refused = head.post(url, head_form | {note: "另一条备注", "channel": Channel.FAX})
    assert refused.status_code == 200 and "已被他人修改" in refused.content.decode()
    request.refresh_from_db()
    assert request.channel == Channel.ONLINE and request.events.get().note == "电话确认"
    assert Request.objects.count() == 1


def test_a_save_that_loses_the_race_after_the_form_check_is_shown_again_not_an_error_page():
    """Another save landing between the form's check and the write makes the model refuse (StaleEdit); the
    admin then answers the same POST again, whose form check now sees the newer version and re-renders with
    the stale-edit message and the user's input (as the test above shows for a stale form)."""
    from gongkai.web.concurrency import VersionedAdmin

    class Admin:  # stands in for ModelAdmin: the first attempt loses the race
        attempts = 0

        def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
            Admin.attempts += 1
            if Admin.attempts == 1:
                raise StaleEdit("reportdraft 1: version 0 is no longer current")
            return f"form for {object_id} shown again"

    class DraftAdmin(VersionedAdmin, Admin):
        pass

    assert DraftAdmin().changeform_view(None, "1") == "form for 1 shown again"
    assert Admin.attempts == 2
