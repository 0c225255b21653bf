"""Writing the audit log: every create, update and delete of a ledger record, plus exports and displays of
personal data in full.

Where: model signals (``pre_save``, ``post_save``, ``post_delete``), connected once for every model of the
ledger's apps.  Every write path goes through ``Model.save()``/``delete()`` — the admin, the functions of
``gongkai.web.requests.timeline``, the importer, the demo — so this one place sees them all, and no model or
caller has to remember to log.  A save hook in a base class would miss the models that do not inherit it
(agencies, user profiles) and a hook in the admin would miss the timeline functions.  Not seen:
``QuerySet.update()`` and ``bulk_create``, which the ledger uses only for the derived columns of a request
(closing and stored state: ``Request.sync_closing``, ``stored_state.refresh_stale``; the copy of the applicant's
type: ``Applicant.save``), whose source (the events, the applicant) is logged.

Who: a context variable set per HTTP request by ``AuditUserMiddleware``, or by ``acting_as`` in a command;
``None`` (the system) otherwise.  Personal data (``PERSONAL``) is masked in the log itself.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db.models.signals import post_delete, post_save, pre_save

from gongkai.web.requests.masking import PERSONAL_DATA

from .models import AuditEntry

AUDITED_APPS = {"agencies", "requests", "appeals", "proactive", "reports", "accounts"}
PERSONAL = {"requests.Applicant": PERSONAL_DATA}
NOT_LOGGED = {"version"}

_acting_user: contextvars.ContextVar = contextvars.ContextVar("audit_acting_user", default=None)


def acting_user():
    """The user on whose behalf records are being written now (None: the system)."""
    return _acting_user.get()


@contextmanager
def acting_as(user):
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


class AuditUserMiddleware:
    """Makes the logged-in user the author of the audit entries written while handling a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        with acting_as(user):
            return self.get_response(request)


def record(action: str, instance_or_label, object_id: str = "", *, agency_id: int | None = None,
           changes: dict | None = None, user=None) -> AuditEntry:
    user = user or _acting_user.get()
    label = instance_or_label if isinstance(instance_or_label, str) else instance_or_label._meta.label
    return AuditEntry.objects.create(user=user, username=user.get_username() if user else "", agency_id=agency_id,
                                     action=action, model=label, object_id=str(object_id),
                                     changes=changes or {})


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def logged_values(instance) -> dict:
    masks = PERSONAL.get(instance._meta.label, {})
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in NOT_LOGGED:
            continue
        value = _plain(getattr(instance, field.attname))
        values[field.attname] = masks[field.name](value) if field.name in masks and value else value
    return values


def agency_id_of(instance) -> int | None:
    if instance._meta.label == "agencies.Agency":
        return instance.pk
    if hasattr(instance, "agency_id"):
        return instance.agency_id
    if hasattr(instance, "request_id"):
        from gongkai.web.requests.models import Request

        return Request.objects.filter(pk=instance.request_id).values_list("agency_id", flat=True).first()
    return None


def _audited(sender) -> bool:
    return sender._meta.app_label in AUDITED_APPS


def _before_save(sender, instance, raw=False, **kwargs):
    if not _audited(sender) or raw or instance._state.adding:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = logged_values(stored) if stored is not None else {}


def _after_save(sender, instance, created, raw=False, **kwargs):
    if not _audited(sender) or raw:
        return
    before = {} if created else getattr(instance, "_audit_before", {})
    after = logged_values(instance)
    changes = {name: [before.get(name), value] for name, value in after.items()
               if before.get(name) != value and not (created and value in (None, ""))}
    if changes or created:
        record(AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, instance, instance.pk,
               agency_id=agency_id_of(instance), changes=changes)


def _after_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    # A deleted agency cannot be the entry's agency (the foreign key would point at nothing).
    agency_id = None if instance._meta.label == "agencies.Agency" else agency_id_of(instance)
    changes = {name: [value, None] for name, value in logged_values(instance).items() if value not in (None, "")}
    record(AuditEntry.Action.DELETE, instance, instance.pk, agency_id=agency_id, changes=changes)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit_before_save")
    post_save.connect(_after_save, dispatch_uid="audit_after_save")
    post_delete.connect(_after_delete, dispatch_uid="audit_after_delete")
