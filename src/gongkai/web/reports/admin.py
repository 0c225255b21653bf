from django.contrib import admin

from .models import ReportDraft


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "published_on")
    list_filter = ("year",)
