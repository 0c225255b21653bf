from django.contrib import admin

from gongkai.web.accounts.access import ScopedAdmin, profile_of
from gongkai.web.accounts.models import UserProfile

from .models import AuditEntry

READERS = {UserProfile.Role.OFFICE_HEAD, UserProfile.Role.SUPERVISOR}


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin, admin.ModelAdmin):
    """Read-only for everyone: office heads see their agency's entries, supervisors their subtree's."""

    list_display = ("at", "username", "agency", "action", "model", "object_id")
    list_filter = ("action", "model")
    search_fields = ("username", "object_id")
    date_hierarchy = "at"
    fields = readonly_fields = ("at", "username", "agency", "action", "model", "object_id", "changes")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency")

    def has_module_permission(self, request):
        profile = profile_of(request.user)
        return request.user.is_superuser or (profile is not None and profile.role in READERS)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

