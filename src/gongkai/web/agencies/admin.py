from django.contrib import admin

from gongkai.web.accounts.access import profile_of

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """The agency tree is no secret: every user with a profile sees it; only a superuser changes it."""

    list_display = ("name", "kind", "parent", "county_level_or_above")
    list_filter = ("kind", "county_level_or_above")
    search_fields = ("name",)

    def has_module_permission(self, request):
        return request.user.is_superuser or profile_of(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
