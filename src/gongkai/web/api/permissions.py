"""The API's access rules: the screens' rules (``accounts/access.py``) adapted to HTTP, never a second copy.

- Reading: a logged-in user (session or token) sees the records of ``visible_agency_ids``; anything else is
  404 — another agency's object is indistinguishable from one that does not exist.
- Writing: only users with ``editable_agency_ids`` (office staff and heads of their own agency, superusers);
  a supervisor's write is 403 on a record they see, and 404 on one they do not.
- Some events are decisions of the office head (``access.HEAD_ONLY_EVENTS``, ``may_record``).
- Every write is audit-logged by the models' signals (``audit/recording.py``); ``AuditedAPIView`` makes the
  token's user their author, since token authentication happens after the audit middleware has run.
- Errors in Chinese, a stale ``edit_version`` as 409: ``errors.py``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import exceptions, permissions

from gongkai.web.accounts.access import (
    editable_agency_ids,
    head_only_message,
    scoped,
    visible_agency_ids,
)
from gongkai.web.audit.recording import acting_as


class ScopedAccess(permissions.IsAuthenticated):
    """Authenticated; writes only for users who edit some agency; object writes only on their agencies'."""

    message = "您的角色只能查看，不能修改（监督人员为只读）。"

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True  # an object's write is judged on the object, once found (else 404, as for reading)
        return editable_agency_ids(request.user) != []

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        ids = editable_agency_ids(request.user)
        return ids is None or view.agency_of(obj) in ids


def head_only_refusal(kind: str) -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(head_only_message(kind))


class AuditedAPIView:
    """Mixin for every API view: the authenticated user (token or session) is the author of the audit entries
    written while the view runs."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._acting = acting_as(request.user if request.user.is_authenticated else None)
        self._acting.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        acting = getattr(self, "_acting", None)
        if acting is not None:
            self._acting = None
            acting.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)


class AgencyScoped(AuditedAPIView):
    """Mixin for a view set of one model: its queryset limited to the user's agencies.

    ``agency_path`` is the lookup from the model to its agency, as for ``access.ScopedAdmin``; a view set of a
    new model (letters: ``request__agency``) sets ``queryset``, ``agency_path`` and its serializer, nothing more.
    """

    agency_path = "agency"
    permission_classes = [ScopedAccess]

    def get_queryset(self) -> QuerySet:
        return scoped(super().get_queryset(), visible_agency_ids(self.request.user), self.agency_path)

    def agency_of(self, obj) -> int:
        for name in self.agency_path.split("|")[0].split("__"):
            obj = getattr(obj, name)
        return obj.pk
