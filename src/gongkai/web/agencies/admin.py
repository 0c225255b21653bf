from django.contrib import admin

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "county_level_or_above")
    list_filter = ("kind", "county_level_or_above")
    search_fields = ("name",)
