"""CSV exports of the request list: masked by default; with full personal data only as an office head's
explicit action for their own agency, written to the audit log."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from gongkai.render.data import spreadsheet_text

from . import clock
from .masking import masked
from .models import OUTCOMES

OUTCOME_LABELS = dict(OUTCOMES)

COLUMNS = [
    ("request_id", "编号"), ("agency", "办理机关"), ("received_on", "收到日期"), ("channel", "提交方式"),
    ("applicant", "申请人"), ("applicant_type", "申请人类型"), ("id_number", "证件号码"), ("phone", "联系电话"),
    ("address", "地址"), ("closed_on", "办结日期"), ("outcome", "办理结果"),
]


def rows(requests, *, full: bool) -> list[dict[str, str]]:
    out, today = [], clock.today()
    for request in requests.select_related("agency", "applicant").order_by("received_on", "pk"):
        applicant = request.applicant
        closed_on, outcome = request.closing_on(today)  # a lapse still ahead is not a closing yet
        if full:
            id_number, phone, address = applicant.id_number, applicant.phone, applicant.address
        else:
            id_number, phone, address = (masked(applicant, field) for field in ("id_number", "phone", "address"))
        out.append({
            "request_id": str(request.pk), "agency": request.agency.name, "received_on": str(request.received_on),
            "channel": request.get_channel_display(),
            "applicant": applicant.name if full else masked(applicant, "name"),
            "applicant_type": applicant.get_type_display(), "id_number": id_number, "phone": phone,
            "address": address, "closed_on": str(closed_on or ""), "outcome": OUTCOME_LABELS.get(outcome, ""),
        })
    return out


def csv_response(data: list[dict[str, str]], name: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in COLUMNS])
    writer.writerows([spreadsheet_text(row[key]) for key, _ in COLUMNS] for row in data)  # no formulas
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
