from django.contrib import admin

from gongkai.web.accounts.access import ScopedAdmin
from gongkai.web.concurrency import VersionedForm

from .models import ReportDraft


@admin.register(ReportDraft)
class ReportDraftAdmin(ScopedAdmin, admin.ModelAdmin):
    form = VersionedForm
    list_display = ("agency", "year", "published_on")
    list_filter = ("year", "agency")
