from django.contrib import admin

from .models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "filed_on", "closed_on", "result")
    list_filter = ("kind", "result")
