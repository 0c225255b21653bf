from django.contrib import admin

from gongkai.web.accounts.access import ScopedAdmin
from gongkai.web.concurrency import VersionedAdmin

from .models import ReportDraft


@admin.register(ReportDraft)
class ReportDraftAdmin(VersionedAdmin, ScopedAdmin, admin.ModelAdmin):
    list_display = ("agency", "year", "published_on")
    list_filter = ("year", "agency")
