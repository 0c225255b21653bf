"""Import requests with their whole event history (one row per event) — layout in docs/import-requests.md.

Rows with the same 申请编号 are one request; its 收到申请 row carries the applicant and the agency, and the
other rows its events (补正, 征求意见, 延期, 延迟答复, 收费, 答复, 撤回 …) with their details.  Every event is
recorded through ``record_event``, so the ledger's rule checks it exactly as in the admin; an error names the
row (header = row 1), the column and the problem.  Nothing is imported unless every row is good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.ledger.fees import FeeMethod
from gongkai.web.agencies.models import Agency

from .events import EventKind
from .importer import (
    APPLICANT_TYPES,
    CHANNELS,
    OUTCOMES,
    ImportColumn,
    LedgerImportError,
    RowError,
    _date,
    _lookup,
    _text,
    checked_rows,
    not_one_of,
    read_rows,
)
from .models import Applicant
from .timeline import receive, record_event

RECEIPT_COLUMNS = ("channel", "applicant_type", "applicant_name", "agency")
COLUMNS = (
    ImportColumn("request_ref", "申请编号", True),
    ImportColumn("event", "事件", True),
    ImportColumn("date", "日期", True),
    ImportColumn("channel", "提交方式", False),
    ImportColumn("applicant_type", "申请人类型", False),
    ImportColumn("applicant_name", "申请人姓名或名称", False),
    ImportColumn("id_number", "证件号码", False),
    ImportColumn("phone", "联系电话", False),
    ImportColumn("address", "地址", False),
    ImportColumn("agency", "办理机关", False),
    ImportColumn("outcome", "办理结果", False),
    ImportColumn("supplement_by", "补正期限", False),
    ImportColumn("fee_method", "收费方式", False),
    ImportColumn("fee_units", "页数", False),
    ImportColumn("delivered_on", "通知送达日期", False),
    ImportColumn("amount", "缴费金额", False),
    ImportColumn("extension_days", "延长工作日数", False),
    ImportColumn("notified_on", "告知申请人日期", False),
    ImportColumn("reply_by", "延迟答复日期", False),
    ImportColumn("good_reason", "正当理由", False),
    ImportColumn("note", "备注", False),
)
EVENTS = _lookup([(name, kind.value) for kind in EventKind for name in (kind.value, kind.label)]
                 + [("收到", EventKind.RECEIVED.value), ("答复", EventKind.DECIDED.value),
                    ("撤回", EventKind.WITHDRAWN.value), ("延期", EventKind.EXTENSION_APPROVED.value),
                    ("缴费", EventKind.FEE_PAID.value), ("收费通知", EventKind.FEE_NOTICE_SENT.value)])
FEE_METHODS = {"按件": FeeMethod.PER_REQUEST.value, "按量": FeeMethod.PER_PAGE.value,
               FeeMethod.PER_REQUEST.value: FeeMethod.PER_REQUEST.value,
               FeeMethod.PER_PAGE.value: FeeMethod.PER_PAGE.value}
YES = {"是", "有", "y", "yes", "true", "1", "√"}
NO = {"", "否", "无", "n", "no", "false", "0"}
DATE_DETAILS = ("supplement_by", "delivered_on", "notified_on", "reply_by")


@dataclass
class _Request:
    ref: str
    receipt: tuple[int, dict] | None = None
    events: list[tuple[int, dict]] = field(default_factory=list)


def _check_row(number: int, raw: dict[str, Any], agencies: dict[str, Agency]) -> tuple[dict, list[RowError]]:
    errors: list[RowError] = []
    row: dict[str, Any] = {"note": _text(raw.get("note"))}
    headers = {c.key: c.header for c in COLUMNS}

    def fail(key: str, problem: str) -> None:
        errors.append(RowError(number, headers[key], problem))

    def lookup(key: str, known: dict[str, str]) -> str | None:
        text = _text(raw.get(key))
        if text and text not in known:
            fail(key, not_one_of(text, known))
        return known.get(text) if text else None

    for key in ("request_ref", "event", "date"):
        if not _text(raw.get(key)):
            fail(key, "未填写")
    row["request_ref"] = _text(raw.get("request_ref"))
    row["event"] = lookup("event", EVENTS)
    for key in ("date", *DATE_DETAILS):
        if _text(raw.get(key)):
            try:
                row[key] = _date(raw[key])
            except ValueError as error:
                fail(key, str(error))
    for key, number_type in (("fee_units", int), ("extension_days", int), ("amount", Decimal)):
        text = _text(raw.get(key))
        if text:
            try:
                row[key] = number_type(text)
            except (ValueError, InvalidOperation):
                fail(key, f"{text!r} 不是数字")
    row["outcome"] = lookup("outcome", OUTCOMES)
    row["fee_method"] = lookup("fee_method", FEE_METHODS)
    reason = _text(raw.get("good_reason")).lower()
    if reason not in YES | NO:
        fail("good_reason", f"{reason!r}：请填写“是”或“否”")
    row["good_reason"] = reason in YES
    if row["event"] == EventKind.RECEIVED:
        for key in RECEIPT_COLUMNS:
            if not _text(raw.get(key)):
                fail(key, "“收到申请”行须填写")
        row["channel"] = lookup("channel", CHANNELS)
        row["applicant_type"] = lookup("applicant_type", APPLICANT_TYPES)
        agency = _text(raw.get("agency"))
        if agency and agency not in agencies:
            fail("agency", f"没有名为 {agency!r} 的机关")
        row["agency"] = agencies.get(agency)
        for key in ("applicant_name", "id_number", "phone", "address"):
            row[key] = _text(raw.get(key))
    return row, errors


def _details(row: dict) -> dict:
    names = ("supplement_by", "fee_method", "fee_units", "delivered_on", "amount", "extension_days", "notified_on",
             "reply_by")
    details = {name: row[name] for name in names if row.get(name) is not None}
    if row["good_reason"]:
        details["good_reason"] = True
    return details


def _errors_of(number: int, error: ValidationError) -> list[RowError]:
    return [RowError(number, "事件" if name == "__all__" else name, "; ".join(messages))
            for name, messages in error.message_dict.items()]


def _group(checked: list[tuple[int, dict]]) -> tuple[list[_Request], list[RowError]]:
    requests: dict[str, _Request] = {}
    errors = []
    for number, row in checked:
        request = requests.setdefault(row["request_ref"], _Request(row["request_ref"]))
        if row["event"] != EventKind.RECEIVED:
            request.events.append((number, row))
        elif request.receipt is not None:
            errors.append(RowError(number, "事件", f"申请 {request.ref} 已在第 {request.receipt[0]} 行收到"))
        else:
            request.receipt = (number, row)
    for request in requests.values():
        if request.receipt is None:
            errors.append(RowError(request.events[0][0], "申请编号", f"申请 {request.ref} 没有“收到申请”行"))
    return list(requests.values()), errors


def import_events(path: Path) -> tuple[int, int]:
    """Import every row of the file, or none; returns (requests, events) imported."""
    checked = checked_rows(read_rows(Path(path), COLUMNS), _check_row)
    requests, errors = _group(checked)
    if errors:
        raise LedgerImportError(errors)
    events = 0
    with transaction.atomic():
        applicants: dict[tuple, Applicant] = {}
        for request in requests:
            number, receipt = request.receipt
            identity = (receipt["applicant_type"], receipt["applicant_name"], receipt["id_number"])
            if identity not in applicants:
                applicants[identity] = Applicant.objects.create(
                    agency=receipt["agency"], type=receipt["applicant_type"], name=receipt["applicant_name"],
                    id_number=receipt["id_number"], phone=receipt["phone"], address=receipt["address"])
            try:  # a ledger being imported states confirmed receipt dates (see importer.import_requests)
                stored = receive(receipt["agency"], applicants[identity], receipt["date"], receipt["channel"],
                                 confirm_receipt_date=True)
            except ValidationError as error:
                errors += _errors_of(number, error)
                continue
            # By date; events of one day in the order of the file (their recording order).
            for number, row in sorted(request.events, key=lambda item: item[1]["date"]):
                try:
                    record_event(stored, row["event"], row["date"], row["outcome"], row["note"], **_details(row))
                    events += 1
                except ValidationError as error:
                    errors += _errors_of(number, error)
                    break  # the request's later events would only repeat the problem
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise LedgerImportError(sorted(errors, key=lambda e: e.row))
    return len(requests), events
