"""A signed report follows the ledger at the moment the ledger changes: each save or delete of a record the
compile reads (requests and their events, review and litigation cases, proactive-disclosure records) compiles
again, once the change is committed, the signed reports of that agency from the record's year on, and keeps a
new version where the figures changed (``workspace.sync_versions``, which the workspace also runs when opened).

From the record's year on: a change in year N can change report N and, through what is carried over, the
reports after it.  Most changes touch no signed year and cost one query.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _request_source(instance) -> tuple[int, date]:
    return instance.agency_id, instance.received_on


def _event_source(instance) -> tuple[int, date]:
    request = instance.request
    return request.agency_id, min(request.received_on, instance.occurred_on)


SOURCES = {
    "requests.Request": _request_source,
    "requests.RequestEvent": _event_source,
    "appeals.Case": lambda case: (case.agency_id, case.filed_on),
    "proactive.DocumentRecord": lambda record: (record.agency_id, record.issued_on),
    "proactive.InForceBaseline": lambda baseline: (baseline.agency_id, baseline.as_of),
    "proactive.MonthlyDecisionCount": lambda count: (count.agency_id, count.month),
    "proactive.FeeIncome": lambda income: (income.agency_id, income.month),
}
"""Per model the compile reads: the agency whose report it feeds and the first day it can change."""


def follow(agency_id: int, since: date, user) -> None:
    """Keep a new version of each signed report of ``agency_id`` from ``since``'s year whose figures changed."""
    from .models import ReportDraft
    from .workspace import sync_versions

    for draft in (ReportDraft.objects.filter(agency_id=agency_id, year__gte=since.year, signed_at__isnull=False)
                  .exclude(source=ReportDraft.Source.UPLOADED).order_by("year")):
        sync_versions(draft, user)


def _changed(sender, instance, **kwargs) -> None:
    source = SOURCES.get(sender._meta.label)
    if source is None or kwargs.get("raw"):
        return
    try:
        agency_id, since = source(instance)
    except Exception:  # noqa: BLE001 - a record half-made or already gone names no report: nothing to follow
        return
    if agency_id is None or since is None:
        return
    from gongkai.web.audit.recording import acting_user

    user = acting_user()
    transaction.on_commit(lambda: follow(agency_id, since, user))


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="reports_follow_ledger_save")
    post_delete.connect(_changed, dispatch_uid="reports_follow_ledger_delete")
