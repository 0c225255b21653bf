"""The admin of letters (文书): read-only, as each letter is kept as it was made.

A letter is made by the request page's steps (``office/actions.py``) and never edited or removed afterwards: no
add, no change, no delete here, for any role.  The list is scoped like every ledger record (``ScopedAdmin``: the
handling agency's office, supervisors over its subtree, administrators everywhere) and names the request by its
number, never the applicant.  The DOCX and PDF carry the applicant's personal data in full, so the download links
follow the request page's rule (``office.letter_views.check_download``: the handling office, once signed); the
reasons a draft keeps for 签发 (``details``) are free text about the applicant and are not shown.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html

from gongkai.web.accounts.access import ReadOnlyAdmin, ScopedAdmin

from .models import Letter


def _downloads(user, letter: Letter) -> str:
    from gongkai.web.office.letter_views import check_download

    try:
        check_download(user, letter)
    except PermissionDenied:
        return "仅办理机关可下载"
    except Http404:
        return "草稿，签发后可下载"
    docx = reverse("office:letter_docx", args=[letter.request_id, letter.pk])
    pdf = reverse("office:letter_pdf", args=[letter.request_id, letter.pk])
    return format_html('<a href="{}">Word</a> · <a href="{}?download">PDF</a>', docx, pdf)


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    agency_path = "request__agency"
    list_display = ("request", "kind", "status", "created_at", "created_by", "signed_by")
    list_filter = ("kind", "status")
    list_select_related = ("request__agency", "created_by", "signed_by")
    search_fields = ("request__id", "doc_number")
    date_hierarchy = "created_at"
    fields = readonly_fields = ("request", "kind", "outcome", "doc_number", "status", "created_at", "created_by",
                                "signed_at", "signed_by", "issued_on")

    def get_list_display(self, request):
        return [*self.list_display, _column(request)]

    def get_fields(self, request, obj=None):
        return [*self.fields, _column(request)]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, _column(request)]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("docx", "pdf", "details")


def _column(request):
    """The download links as this viewer may use them: one callable per HTTP request (the admin is shared)."""
    if not hasattr(request, "_letter_downloads"):
        def downloads(obj: Letter) -> str:
            return _downloads(request.user, obj)

        downloads.short_description = "下载"
        request._letter_downloads = downloads
    return request._letter_downloads
