from django.contrib import admin

from gongkai.web.accounts.access import ScopedAdmin
from gongkai.web.concurrency import VersionedAdmin

from .models import Case


@admin.register(Case)
class CaseAdmin(VersionedAdmin, ScopedAdmin, admin.ModelAdmin):
    list_display = ("filed_on", "agency", "kind", "closed_on", "result")
    list_filter = ("kind", "result", "agency")
    date_hierarchy = "filed_on"
