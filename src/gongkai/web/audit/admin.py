from django.contrib import admin

from gongkai.web.accounts.access import ReadOnlyAdmin, ScopedAdmin, profile_of, sees_personal_data
from gongkai.web.accounts.models import UserProfile
from gongkai.web.requests.masking import NATURAL_PERSON, mask_name

from .models import AuditEntry

READERS = {UserProfile.Role.OFFICE_HEAD, UserProfile.Role.SUPERVISOR}
FREE_TEXT = {"note"}
"""Fields of free text about an applicant: shown only to the agency's own office."""


def shown_changes(changes: dict, full: bool) -> dict:
    """An entry's changes as a viewer outside the agency's office may see them: a natural person's name masked,
    notes withheld (identity numbers, phones and addresses are masked in the log itself)."""
    if full or not isinstance(changes, dict):
        return changes
    natural = NATURAL_PERSON in (changes.get("type") or [])
    shown = {}
    for field, values in changes.items():
        if field in FREE_TEXT:
            values = ["（不向其他机关和监督人员显示）" if value else value for value in values]
        elif field == "name" and natural:
            values = [mask_name(value) if value else value for value in values]
        shown[field] = values
    return shown


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    """Read-only for everyone: office heads see their agency's entries, supervisors their subtree's."""

    list_display = ("at", "username", "agency", "action", "model", "object_id")
    list_filter = ("action", "model")
    search_fields = ("username", "object_id")
    date_hierarchy = "at"
    fields = readonly_fields = ("at", "username", "agency", "action", "model", "object_id", "changes")

    def get_object(self, request, object_id, from_field=None):
        """The entry as this viewer may see it (in memory only: no one changes an entry)."""
        entry = super().get_object(request, object_id, from_field)
        entry.changes = shown_changes(entry.changes, sees_personal_data(request.user, [entry.agency_id]))
        return entry

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency")

    def has_module_permission(self, request):
        profile = profile_of(request.user)
        return request.user.is_superuser or (profile is not None and profile.role in READERS)

