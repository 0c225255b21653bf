"""The actions on a request page (Django client): each step records its event and letter through the ledger's
rule; the head alone approves an extension and signs a 答复书; refusals for the other roles; two clerks at once."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from docx import Document

from gongkai.calendar import WorkCalendar
from gongkai.web.audit.models import AuditEntry
from gongkai.web.letters.models import Letter
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Channel, Request

from .admin_client import client_for
from .office_ledger import working_days_before
from .workflow_setup import write_next_year_schedule


@pytest.fixture(autouse=True)
def next_year(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    return write_next_year_schedule(tmp_path)


@pytest.fixture
def found(county):
    from gongkai.web.requests.timeline import receive

    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="natural_person", name="王五",
                                         id_number="11010519491231002X")
    received = working_days_before(timezone.localdate(), 3, WorkCalendar.from_directory())
    return receive(education, applicant, received, Channel.IN_PERSON, content="某校2025年收费标准", medium="paper",
                   delivery="pick_up")


def _version(found) -> int:
    return Request.objects.get(pk=found.pk).version


def _post(client, found, key, **data):
    today = timezone.localdate().isoformat()
    return client.post(f"/requests/{found.pk}/act/{key}/", {"version": _version(found), "occurred_on": today,
                                                            "doc_number": "", **data})


def _text(letter: Letter) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(bytes(letter.docx))).paragraphs)


def _kinds(found) -> list[str]:
    return list(found.events.order_by("occurred_on", "id").values_list("kind", flat=True))


def _buttons(client, found) -> set[str]:
    page = client.get(f"/requests/{found.pk}/").content.decode()
    return set(re.findall(rf"/requests/{found.pk}/act/([a-z-]+)/", page))


def test_the_whole_way_from_supplement_to_the_signed_answer(people, found):
    staff, head = client_for(people["staff"]), client_for(people["head"])
    today = timezone.localdate()
    assert _buttons(staff, found) == {"supplement", "consult", "extension", "fee", "delay", "decide", "withdraw"}

    deadline = WorkCalendar.from_directory().add_working_days(today, 10).date
    response = _post(staff, found, "supplement", items="请写明文件名称\n请写明年份", supplement_by=deadline.isoformat())
    letter = found.letters.get(kind="supplement")
    assert response["Location"].endswith(f"?letter={letter.pk}")
    assert "1. 请写明文件名称" in _text(letter) and f"{deadline.year}年{deadline.month}月{deadline.day}日前" in _text(letter)
    assert _buttons(staff, found) == {"supplement-received", "decide", "withdraw"}

    _post(staff, found, "supplement-received")
    _post(staff, found, "consult", consultee_kind="third_party", consultee="某某印刷有限公司")
    consultation = found.letters.get(kind="consultation_third_party")
    assert "某某印刷有限公司：" in _text(consultation) and "王五" not in _text(consultation)  # applicant not named
    assert "consultation-ended" in _buttons(staff, found)
    _post(staff, found, "consultation-ended", note="不同意公开")

    # the clerk proposes, the head approves
    _post(staff, found, "extension", extension_days="15", reasons="需要调取档案")
    proposal = found.letters.get(kind="extension")
    assert proposal.is_draft and EventKind.EXTENSION_APPROVED not in _kinds(found)
    assert "extension" not in _buttons(staff, found)
    assert staff.post(f"/requests/{found.pk}/letters/{proposal.pk}/sign/", {}).status_code == 403
    assert head.get(f"/requests/{found.pk}/letters/{proposal.pk}.docx").status_code == 404  # a draft: no download
    head.post(f"/requests/{found.pk}/letters/{proposal.pk}/sign/", {
        "version": _version(found), "letter_version": proposal.version, "signed_on": today.isoformat()})
    proposal.refresh_from_db()
    assert not proposal.is_draft and proposal.signed_by == people["head"]
    extension = found.events.get(kind=EventKind.EXTENSION_APPROVED)
    assert extension.extension_days == 15 and "批准人：head" in extension.note
    due = found.state().reply_due.date
    assert f"延长15个工作日，本机关将于{due.year}年{due.month}月{due.day}日前作出答复" in _text(proposal)

    # the answer: a draft until the head signs it
    _post(staff, found, "decide", outcome="withheld.third_party_rights", reasons="第三方不同意公开")
    draft = found.letters.get(kind="decision")
    assert draft.is_draft and found.state().closed_on is None
    assert staff.get(f"/requests/{found.pk}/letters/{draft.pk}.docx").status_code == 404
    assert "decide" not in _buttons(staff, found)
    assert "待签发" in head.get("/").content.decode() and f'href="/requests/{found.pk}/"' in head.get("/").content.decode()
    assert staff.post(f"/requests/{found.pk}/letters/{draft.pk}/sign/", {}).status_code == 403
    head.post(f"/requests/{found.pk}/letters/{draft.pk}/sign/", {
        "version": _version(found), "letter_version": draft.version, "signed_on": today.isoformat()})
    draft.refresh_from_db()
    decided = found.events.get(kind=EventKind.DECIDED)
    assert decided.occurred_on == today and decided.outcome == "withheld.third_party_rights"
    assert draft.status == Letter.Status.ISSUED and draft.event == decided and draft.issued_on == today
    text = _text(draft)
    assert "第十五条" in text and "具体理由：第三方不同意公开" in text and "行政复议" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text
    download = staff.get(f"/requests/{found.pk}/letters/{draft.pk}.docx")
    assert download.status_code == 200 and download.content == bytes(draft.docx)
    assert _buttons(staff, found) == set()
    assert Request.objects.get(pk=found.pk).outcome == "withheld.third_party_rights"
    assert _kinds(found) == ["received", "supplement_requested", "supplement_received", "consultation_started",
                             "consultation_ended", "extension_approved", "decided"]
    logged = AuditEntry.objects.filter(model="文书").values_list("action", flat=True)
    assert list(logged).count("create") == 4 and list(logged).count("update") == 2


def test_the_fee_is_computed_by_the_ledger_and_shown_before_it_is_sent(people, found):
    staff = client_for(people["staff"])
    shown = _post(staff, found, "fee", fee_method="per_page", pages="120", fee_payment="某县财政局非税收入账户")
    page = shown.content.decode()
    assert shown.status_code == 200 and "1100" in page and "确认发出收费通知" in page  # 70×10 + 20×20
    assert EventKind.FEE_NOTICE_SENT not in _kinds(found) and not found.letters.exists()
    # confirmed for another amount than the one shown (the pages changed): shown again, not sent
    again = _post(staff, found, "fee", fee_method="per_page", pages="130", confirmed="True", quoted="1100")
    assert "1300" in again.content.decode() and not found.letters.exists()
    _post(staff, found, "fee", fee_method="per_page", pages="120", fee_payment="某县财政局非税收入账户", confirmed="True",
          quoted="1100")
    letter = found.letters.get(kind="fee")
    assert "人民币1100元" in _text(letter) and EventKind.FEE_NOTICE_SENT in _kinds(found)
    assert _buttons(staff, found) == {"fee-paid", "decide", "withdraw"}  # no 延期 while the clock is paused
    _post(staff, found, "fee-paid", amount="1100")
    assert found.state().fees_charged == 1100


def test_a_fee_within_the_free_band_is_refused(people, found):
    response = _post(client_for(people["staff"]), found, "fee", fee_method="per_page", pages="20", confirmed="True",
                     quoted="0")
    assert "0 元" in response.content.decode() and EventKind.FEE_NOTICE_SENT not in _kinds(found)


def test_a_delayed_reply_and_its_letter(people, found):
    staff = client_for(people["staff"])
    later = WorkCalendar.from_directory().add_working_days(timezone.localdate(), 30).date
    _post(staff, found, "delay", reply_by=later.isoformat(), reasons="申请数量较大")
    letter = found.letters.get(kind="delay")
    assert f"延迟答复的期限至{later.year}年{later.month}月{later.day}日" in _text(letter)
    assert found.state().reply_due.date == later


def test_the_head_extends_in_one_step_and_only_once(people, found):
    head = client_for(people["head"])
    _post(head, found, "extension", extension_days="20")
    assert not found.letters.get(kind="extension").is_draft
    assert "extension" not in _buttons(head, found)
    response = _post(head, found, "extension", extension_days="5")
    assert response.status_code == 302 and found.events.filter(kind=EventKind.EXTENSION_APPROVED).count() == 1


def test_errors_are_in_chinese_and_the_ledger_refuses_what_the_law_does(people, found):
    staff = client_for(people["staff"])
    response = _post(staff, found, "extension", extension_days="25")
    assert "最长不超过 20 个工作日" in response.content.decode()
    tomorrow = timezone.localdate().toordinal() + 1
    from datetime import date

    response = _post(staff, found, "consult", consultee_kind="agency", consultee="某县财政局",
                     occurred_on=date.fromordinal(tomorrow).isoformat())
    assert "不能记录未来的日期" in response.content.decode() and not found.letters.exists()
    response = _post(staff, found, "decide", outcome="other_handling.no_supplement")
    assert "须先告知补正" in response.content.decode() and not found.letters.exists()
    response = _post(staff, found, "supplement", items="", supplement_by="")
    assert "请填写此项" in response.content.decode()


def test_two_clerks_on_the_same_request_the_second_is_told_and_keeps_what_it_typed(people, found):
    first, second = client_for(people["staff"]), client_for(people["head"])
    seen = _version(found)
    today = timezone.localdate().isoformat()
    later = WorkCalendar.from_directory().add_working_days(timezone.localdate(), 30).date.isoformat()
    first.post(f"/requests/{found.pk}/act/delay/", {"version": seen, "occurred_on": today, "reply_by": later})
    response = second.post(f"/requests/{found.pk}/act/consult/", {"version": seen, "occurred_on": today,
                                                                 "consultee_kind": "agency", "consultee": "我填写的机关"})
    page = response.content.decode()
    assert response.status_code == 200 and "已有新的办理记录，您的操作未保存" in page and "我填写的机关" in page
    assert _kinds(found) == ["received", "delayed_reply"]
    # sent again from the form it got back (now carrying the current version), it is recorded
    again = re.search(r'name="version" value="(\d+)"', page).group(1)
    second.post(f"/requests/{found.pk}/act/consult/", {"version": again, "occurred_on": today,
                                                      "consultee_kind": "agency", "consultee": "我填写的机关"})
    assert _kinds(found) == ["received", "delayed_reply", "consultation_started"]


@pytest.mark.parametrize("role", ["supervisor", "nobody"])
def test_a_supervisor_reads_but_does_not_act(people, found, role):
    client = client_for(people[role])
    if role == "supervisor":
        page = client.get(f"/requests/{found.pk}/").content.decode()
        assert "/act/" not in page
    refused = 403 if role == "supervisor" else 404  # the request is in the supervisor's subtree; nobody sees it
    assert client.get(f"/requests/{found.pk}/act/consult/").status_code == refused
    assert _post(client, found, "consult", consultee_kind="agency", consultee="x").status_code == refused
    assert _kinds(found) == ["received"]


def test_another_agency_gets_404_for_actions_and_letters(people, found):
    staff = client_for(people["staff"])
    _post(staff, found, "consult", consultee_kind="agency", consultee="某县财政局")
    letter = found.letters.get()
    town = client_for(people["town_staff"])
    assert town.get(f"/requests/{found.pk}/act/consultation-ended/").status_code == 404
    assert town.get(f"/requests/{found.pk}/letters/{letter.pk}.docx").status_code == 404
    assert town.post(f"/requests/{found.pk}/letters/{letter.pk}/sign/", {}).status_code == 404
    supervisor = client_for(people["supervisor"])
    assert supervisor.get(f"/requests/{found.pk}/letters/{letter.pk}.docx").status_code == 403  # personal data
    assert supervisor.get(f"/requests/{found.pk}/letters/{letter.pk}.pdf").status_code == 403


def test_the_pdf_is_made_once_and_kept(people, found):
    staff = client_for(people["staff"])
    _post(staff, found, "consult", consultee_kind="agency", consultee="某县财政局")
    letter = found.letters.get()
    response = staff.get(f"/requests/{found.pk}/letters/{letter.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    letter.refresh_from_db()
    assert bytes(letter.pdf) == response.content


def _sign_links(client, found) -> set[str]:
    page = client.get(f"/requests/{found.pk}/").content.decode()
    return set(re.findall(rf'href="/requests/{found.pk}/letters/\d+/sign/">([^<]+)</a>', page))


def _signed(client, found, letter) -> int:
    return client.post(f"/requests/{found.pk}/letters/{letter.pk}/sign/", {
        "version": _version(found), "letter_version": letter.version,
        "signed_on": timezone.localdate().isoformat()}).status_code


def test_the_buttons_shown_are_what_the_check_on_submit_allows(people, found, county):
    """签发 and 批准延期 are shown by the same call that checks them on submit (``access.may_record``): a clerk
    proposes and sees neither; the head and an administrator who works in the office see both and may use them;
    an administrator without an office profile acts on no request and is shown nothing to act on."""
    from .admin_client import user

    _, education, _ = county
    staff, head = client_for(people["staff"]), client_for(people["head"])
    admin = user("admin", education, "office_staff")
    admin.is_superuser = True
    admin.save()
    admin = client_for(admin)
    root = client_for(User.objects.create_superuser("root", password="x"))

    assert "延期（报负责人批准）" in staff.get(f"/requests/{found.pk}/").content.decode()
    for client in (head, admin):
        page = client.get(f"/requests/{found.pk}/").content.decode()
        assert 'act/extension/" title="' in page and "延期（报负责人批准）" not in page
    assert "延期（报负责人批准）" in staff.get(f"/requests/{found.pk}/act/extension/").content.decode()
    assert "延期（报负责人批准）" not in admin.get(f"/requests/{found.pk}/act/extension/").content.decode()

    _post(staff, found, "extension", extension_days="10", reasons="需要调取档案")
    _post(staff, found, "decide", outcome="granted", reasons="")
    proposal, draft = found.letters.get(kind="extension"), found.letters.get(kind="decision")
    assert proposal.is_draft and draft.is_draft
    assert _sign_links(staff, found) == set() and _signed(staff, found, proposal) == 403
    assert _sign_links(root, found) == set() and _signed(root, found, proposal) == 403  # acts on no request
    assert _sign_links(head, found) == _sign_links(admin, found) == {"批准延期", "签发"}
    assert _signed(admin, found, proposal) == 302
    assert found.events.filter(kind=EventKind.EXTENSION_APPROVED).exists()
    assert _sign_links(head, found) == {"签发"}
    assert _signed(admin, found, found.letters.get(kind="decision")) == 302
    assert Request.objects.get(pk=found.pk).outcome == "granted"


def _pause(staff, found, edge: str) -> None:
    if edge.startswith("consultation"):
        _post(staff, found, "consult", consultee_kind="agency", consultee="某县财政局")
        if edge == "consultation ended the same day":
            _post(staff, found, "consultation-ended", note="同意公开")
    else:
        _post(staff, found, "fee", fee_method="per_page", pages="120", confirmed="True", quoted="1100")
        if edge == "fee paid the same day":
            _post(staff, found, "fee-paid", amount="1100")


@pytest.mark.parametrize("edge, offered", [("consultation pending", False), ("consultation ended the same day", True),
                                           ("fee notice unpaid", False), ("fee paid the same day", True)])
def test_an_extension_is_offered_exactly_when_it_is_recorded(people, found, edge, offered):
    """During a pause (征求意见, an unpaid fee notice) the extended reply date cannot be named: not offered, and
    refused on submit; from the day the pause ends it is offered and recorded with its 延期告知书."""
    staff, head = client_for(people["staff"]), client_for(people["head"])
    _pause(staff, found, edge)
    assert ("extension" in _buttons(head, found)) is offered
    assert ("extension" in _buttons(staff, found)) is offered
    page = _post(head, found, "extension", extension_days="5", reasons="需要调取档案")
    recorded = found.events.filter(kind=EventKind.EXTENSION_APPROVED).exists()
    assert recorded is offered
    assert found.letters.filter(kind="extension", status=Letter.Status.ISSUED).exists() is offered
    if not offered:
        assert "此申请当前不能“延期”" in head.get(page["Location"]).content.decode()


def test_a_proposed_extension_waits_for_the_end_of_a_pause_to_be_approved(people, found):
    staff, head = client_for(people["staff"]), client_for(people["head"])
    _post(staff, found, "extension", extension_days="5", reasons="需要调取档案")
    proposal = found.letters.get(kind="extension")
    _post(staff, found, "consult", consultee_kind="agency", consultee="某县财政局")
    assert _sign_links(head, found) == set()
    assert "暂停结束后方可批准延期" in head.get(f"/requests/{found.pk}/").content.decode()
    refused = head.get(f"/requests/{found.pk}/letters/{proposal.pk}/sign/", follow=True).content.decode()
    assert "此申请当前不能批准延期：答复期限正在暂停计时" in refused
    assert _signed(head, found, proposal) == 302 and not found.events.filter(kind=EventKind.EXTENSION_APPROVED)
    _post(staff, found, "consultation-ended", note="同意公开")
    assert _sign_links(head, found) == {"批准延期"}
    assert _signed(head, found, proposal) == 302
    assert found.events.get(kind=EventKind.EXTENSION_APPROVED).extension_days == 5


@pytest.mark.parametrize("damage", ["empty", "not a zip", "a zip without a document", "broken XML"])
def test_a_draft_whose_file_cannot_be_read_is_said_so_and_can_be_discarded(people, found, damage):
    """A draft 答复书 whose stored Word file is damaged: the request page still opens, says so in place of the
    preview, and the draft can be discarded (作废) so that the office drafts it again."""
    import zipfile

    from gongkai.web.letters.issuing import UNREADABLE_DRAFT

    staff, head = client_for(people["staff"]), client_for(people["head"])
    _post(staff, found, "decide", outcome="granted", reasons="")
    draft = found.letters.get(kind="decision")
    assert draft.is_draft and UNREADABLE_DRAFT not in head.get(f"/requests/{found.pk}/").content.decode()
    damaged = io.BytesIO()
    if damage in ("a zip without a document", "broken XML"):
        with zipfile.ZipFile(io.BytesIO(bytes(draft.docx))) as good, zipfile.ZipFile(damaged, "w") as bad:
            for item in good.infolist():
                if item.filename == "word/document.xml":
                    if damage == "broken XML":
                        bad.writestr(item, good.read(item)[:200])
                else:
                    bad.writestr(item, good.read(item))
    Letter.objects.filter(pk=draft.pk).update(docx={"empty": b"", "not a zip": b"PK\x03\x04 damaged"}.get(
        damage, damaged.getvalue()))
    page = head.get(f"/requests/{found.pk}/")
    assert page.status_code == 200 and UNREADABLE_DRAFT in page.content.decode()
    head.post(f"/requests/{found.pk}/letters/{draft.pk}/discard/")
    assert not found.letters.filter(pk=draft.pk).exists()
