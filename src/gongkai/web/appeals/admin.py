from django.contrib import admin

from gongkai.web.accounts.access import ScopedAdmin
from gongkai.web.concurrency import VersionedForm

from .models import Case


@admin.register(Case)
class CaseAdmin(ScopedAdmin, admin.ModelAdmin):
    form = VersionedForm
    list_display = ("filed_on", "agency", "kind", "closed_on", "result")
    list_filter = ("kind", "result", "agency")
    date_hierarchy = "filed_on"
