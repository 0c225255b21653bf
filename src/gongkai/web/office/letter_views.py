"""Downloads of a request's letters: the DOCX as kept, the PDF made once from it (``letters/issuing.py``).

A letter names the applicant in full, so only the handling office's staff and head download it (a supervisor
sees the list, not the letters: 403); another agency's letter is a 404 like its request.  A draft (a 答复书 or a
延期答复告知书 awaiting the office head) has no download: it goes out only after 签发.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from gongkai.letters import LetterPdfError
from gongkai.web.accounts.access import sees_personal_data
from gongkai.web.letters.issuing import pdf_of
from gongkai.web.letters.models import Letter

from .rows import visible_requests

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check_download(user, letter: Letter) -> None:
    """Who downloads a letter the user sees (the screens and the API): the handling office, once signed."""
    if not sees_personal_data(user, [letter.request.agency_id]):
        raise PermissionDenied("文书载有申请人的个人信息，仅办理机关的工作人员可以下载。")
    if letter.is_draft:
        raise Http404("草稿尚未签发，不能下载。")


def _letter(request, pk: int, letter_pk: int) -> Letter:
    found = get_object_or_404(visible_requests(request.user), pk=pk)
    letter = get_object_or_404(Letter.objects.select_related("request"), pk=letter_pk, request=found)
    check_download(request.user, letter)
    return letter


def attachment(data: bytes, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    how = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{how}; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def letter_docx(request, pk: int, letter_pk: int):
    letter = _letter(request, pk, letter_pk)
    return attachment(bytes(letter.docx), DOCX_TYPE, letter.filename("docx"))


@login_required
def letter_pdf(request, pk: int, letter_pk: int):
    """The PDF, shown in the browser (to print) unless ``?download``."""
    letter = _letter(request, pk, letter_pk)
    try:
        pdf = pdf_of(letter)
    except LetterPdfError as error:
        return HttpResponse(f"无法生成 PDF：{error}。请下载 Word 文档打印。", status=503,
                            content_type="text/plain; charset=utf-8")
    return attachment(pdf, "application/pdf", letter.filename("pdf"), inline="download" not in request.GET)
