"""Making a request's letters: the ``LetterContext`` from the request and its ledger state, the DOCX kept in a
``Letter`` row, the PDF made once and cached, and the audit entry of each (record type 文书).

Every date a letter prints is the ledger's (the state after the event the letter accompanies), passed to
``gongkai.letters`` which only prints it; a provisional date is refused there (``LetterDataError``).
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from zipfile import BadZipFile

from django.db import models
from django.utils import timezone
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from gongkai.letters import LetterContext, LetterKind, letter_pdf, render_letter
from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.recording import record
from gongkai.web.requests.models import Request

from .models import Letter

RECORD_TYPE = "文书"


def context_for(found: Request, *, issued: date, **fields) -> LetterContext:
    """What every letter of ``found`` says about the request, plus the fields of one kind."""
    return LetterContext(
        agency=found.agency.name, applicant=found.applicant.name, applicant_type=found.applicant.type,
        request_number=str(found.pk), received=found.received_on, content=found.content or "（未登记申请内容）",
        issued=issued, requested_form=found.requested_form(), channel=found.get_channel_display(), **fields)


def audit(letter: Letter, action: str, user, **changes) -> None:
    record(action, RECORD_TYPE, letter.pk, agency_id=letter.request.agency_id, user=user, changes={
        "文书类型": letter.name, "申请": letter.request_id, "状态": letter.get_status_display(),
        "文号": letter.doc_number, "落款日期": letter.issued_on.isoformat() if letter.issued_on else None,
        "sha256": hashlib.sha256(bytes(letter.docx)).hexdigest(), **changes})


def make_letter(found: Request, kind: LetterKind, *, user, issued: date, draft: bool = False, event=None,
                doc_number: str = "", details: dict | None = None, **fields) -> Letter:
    """Render and keep one letter (``LetterDataError`` when the letter lacks what it must state)."""
    docx = render_letter(kind, context_for(found, issued=issued, doc_number=doc_number, **fields))
    letter = Letter.objects.create(
        request=found, kind=kind.value, outcome=fields.get("outcome"), doc_number=doc_number,
        status=Letter.Status.DRAFT if draft else Letter.Status.ISSUED, details=details or {}, docx=docx,
        event=event, created_by=user, issued_on=None if draft else issued)
    audit(letter, AuditEntry.Action.CREATE, user)
    return letter


def sign(letter: Letter, *, user, issued: date, event, **fields) -> Letter:
    """签发: the draft rendered again with its date of issue and the ledger's dates, kept as final."""
    letter.docx = render_letter(letter.kind, context_for(letter.request, issued=issued,
                                                         doc_number=letter.doc_number, **fields))
    letter.status, letter.issued_on, letter.event = Letter.Status.ISSUED, issued, event
    letter.signed_by, letter.signed_at, letter.pdf = user, timezone.now(), None
    letter.save()
    audit(letter, AuditEntry.Action.UPDATE, user, 签发人=user.get_username())
    return letter


def discard(letter: Letter, *, user) -> None:
    audit(letter, AuditEntry.Action.DELETE, user)
    letter.delete()


def pdf_of(letter: Letter) -> bytes:
    """The letter's PDF: made by LibreOffice on first request, then kept on the row (``LetterPdfError``)."""
    if letter.pdf:
        return bytes(letter.pdf)
    pdf = letter_pdf(bytes(letter.docx))
    Letter.objects.filter(pk=letter.pk).update(pdf=pdf)
    return pdf


UNREADABLE_DRAFT = "（此草稿的 Word 文件无法读取，可能已损坏。请作废此草稿后重新拟稿；签发时文书将按台账重新生成。）"


def letter_text(docx: bytes) -> list[str]:
    """The letter's paragraphs, for the draft's preview on the request page; a file that cannot be read (damaged
    in storage or by hand) says so instead of failing the page, whose buttons then still let the draft go."""
    try:
        return [p.text for p in Document(io.BytesIO(docx)).paragraphs if p.text.strip()]
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError):
        return [UNREADABLE_DRAFT]


def pending_drafts(found: Request) -> models.QuerySet[Letter]:
    return found.letters.filter(status=Letter.Status.DRAFT)
