"""建议主动公开 (条例第四十四条): in the office's own requests of a year that were answered by disclosing the
information, the information several applicants asked for — grouped by ``gongkai.ledger.suggestions`` from each
request's 申请内容 — proposed for proactive disclosure.

The 申请内容 is the ``content`` field of a request.  Until the ledger records it (a field added on ``Request`` by
the intake screen), there is nothing to group and the page says so instead of guessing from other fields.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from gongkai.ledger.suggestions import ARTICLE, Entry, group_requests
from gongkai.web.accounts.access import editable_agency_ids, profile_of
from gongkai.web.office.rows import role_label, shows_agency
from gongkai.web.requests.models import Request

CONTENT_FIELD = "content"
DISCLOSED = ("granted", "partially_granted")  # 第四十四条: information that may be disclosed


def records_content() -> bool:
    try:
        Request._meta.get_field(CONTENT_FIELD)
    except FieldDoesNotExist:
        return False
    return True


def entries_for(agency_id: int, year: int) -> list[Entry]:
    """The agency's requests received in ``year`` and answered by disclosing (all or part), with their 申请内容."""
    rows = (Request.objects.filter(agency_id=agency_id, received_on__year=year, outcome__in=DISCLOSED)
            .values_list("pk", "applicant_id", CONTENT_FIELD).order_by("pk"))
    return [Entry(pk, applicant, text or "") for pk, applicant, text in rows]


@login_required
def suggestions(request):
    profile = profile_of(request.user)
    ids = editable_agency_ids(request.user)
    if profile is None or not ids or profile.agency_id not in ids:
        raise PermissionDenied("建议主动公开的信息由本机关公开办工作人员查看。")
    this_year = timezone.localdate().year
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and 2000 <= int(wanted) <= this_year else this_year
    recorded = records_content()
    found = group_requests(entries_for(profile.agency_id, year)) if recorded else []
    context = {"role": role_label(request.user), "show_agency": shows_agency(request.user), "nav": "reports",
               "agency": profile.agency, "year": year, "years": list(range(this_year, this_year - 5, -1)),
               "recorded": recorded, "suggestions": found, "article": ARTICLE}
    return render(request, "reports/suggestions.html", context)
