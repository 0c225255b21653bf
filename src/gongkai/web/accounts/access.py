"""Who sees and changes what: the one place that decides it, by the user's role and agency.

- Office staff and office heads (公开办工作人员、负责人) see and change the records of their own agency;
  only an office head deletes.
- Supervisors (监督人员) see, read-only, the records of their agency and every agency below it.
- Superusers see and change everything; a user without a profile sees nothing.

Applicants' identity numbers, phones and addresses are shown in full only to office staff and heads of an
agency that handles the applicant (see ``sees_personal_data``); everyone else, superusers included, sees them
masked.  The role, not Django's per-model permissions, is the source of truth: ``ScopedAdmin`` replaces the
admin's permission checks with these rules.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import UserProfile

EDITORS = {UserProfile.Role.OFFICE_STAFF, UserProfile.Role.OFFICE_HEAD}


def profile_of(user) -> UserProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except UserProfile.DoesNotExist:
        return None


def visible_agency_ids(user) -> list[int] | None:
    """The agencies whose records the user sees; ``None`` means all (a superuser)."""
    if user.is_superuser:
        return None
    profile = profile_of(user)
    if profile is None:
        return []
    if profile.role == UserProfile.Role.SUPERVISOR:
        # asked several times per page: the subtree is read once per loaded profile (one page) and agency
        known = profile.__dict__.get("_subtree")
        if known is None or known[0] != profile.agency_id:
            known = profile.__dict__["_subtree"] = (profile.agency_id, profile.agency.subtree_ids())
        return list(known[1])
    return [profile.agency_id]


def editable_agency_ids(user) -> list[int] | None:
    """The agencies whose records the user changes; ``None`` means all (a superuser)."""
    if user.is_superuser:
        return None
    profile = profile_of(user)
    return [profile.agency_id] if profile is not None and profile.role in EDITORS else []


def is_office_head(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role == UserProfile.Role.OFFICE_HEAD


HEAD_ONLY_EVENTS = {"extension_approved": "批准延期", "decided": "作出答复（签发）"}
"""Events that are the office head's decisions (spec requests.md, roles): the approval of an extension and the
signed decision.  Office staff propose and draft them; only the head (or an administrator) records them — on the
screens (the head's 签发), in the API and in the admin alike."""


def decides_as_head(user) -> bool:
    """Whether ``user`` takes the office head's decisions (签发, 批准延期): the office head, or an administrator.

    The one answer for the buttons a screen shows and the check made on submit (``may_record``), in the office
    screens, the API, the admin and the annual report's 签发 alike."""
    return user.is_superuser or is_office_head(user)


def may_record(user, kind: str) -> bool:
    """Whether ``user`` may record (or change, or remove) an event of ``kind``."""
    return kind not in HEAD_ONLY_EVENTS or decides_as_head(user)


def head_only_message(kind: str) -> str:
    return f"只有公开办负责人可以记录“{HEAD_ONLY_EVENTS[kind]}”。"


def sees_personal_data(user, agency_ids) -> bool:
    """Whether the user, on a record's own page, sees personal data in full: office staff or head of one of
    the agencies that handle it (``agency_ids``)."""
    profile = profile_of(user)
    return profile is not None and profile.role in EDITORS and profile.agency_id in set(agency_ids)


def scoped(queryset: QuerySet, agency_ids: list[int] | None, agency_path: str) -> QuerySet:
    if agency_ids is None:
        return queryset
    paths = agency_path.split("|")
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__any_of": agency_ids})
    result = queryset.filter(condition)
    return result.distinct() if len(paths) > 1 else result


class ReadOnlyAdmin:
    """Mixin for an admin page that shows records and changes none, whatever the role (the audit log, the
    letters kept): put before ``ScopedAdmin``, which still decides who sees what."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin:
    """Mixin for every ModelAdmin and inline of the ledger: querysets, choices and permissions by role.

    ``agency_path`` is the lookup from the model to its agency (``agency``, ``request__agency``); several
    paths separated by ``|`` mean any of them.  An inline's permission checks get the parent object: its path
    is ``object_agency_path``.
    """

    agency_path = "agency"
    object_agency_path: str | None = None

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), visible_agency_ids(request.user), self.agency_path)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有这条记录，或您无权查看。")
        return obj

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": [f for f in options["fields"] if f != "edit_version"]})
                for name, options in fieldsets]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from gongkai.web.agencies.models import Agency

        related = db_field.related_model
        if related is Agency:
            ids = editable_agency_ids(request.user)
            kwargs["queryset"] = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
        elif isinstance(self.admin_site._registry.get(related), ScopedAdmin):
            kwargs["queryset"] = self.admin_site._registry[related].get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        ids = editable_agency_ids(request.user)
        if ids and any(field.name == "agency" for field in self.model._meta.fields):
            initial.setdefault("agency", ids[0])
        return initial

    def has_module_permission(self, request):
        return request.user.is_superuser or profile_of(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return editable_agency_ids(request.user) != []

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (request.user.is_superuser or is_office_head(request.user)) and self._may_edit(request, obj)

    def _may_edit(self, request, obj) -> bool:
        ids = editable_agency_ids(request.user)
        if ids is None or obj is None:
            return ids != []
        path = self.object_agency_path or self.agency_path
        return scoped(type(obj)._base_manager.filter(pk=obj.pk), ids, path).exists()
