from django.contrib import admin

from gongkai.web.accounts.access import ScopedAdmin
from gongkai.web.concurrency import VersionedAdmin

from .models import DocumentRecord, FeeIncome, InForceBaseline, MonthlyDecisionCount


class ProactiveAdmin(VersionedAdmin, ScopedAdmin, admin.ModelAdmin):
    list_filter = ("agency",)


@admin.register(DocumentRecord)
class DocumentRecordAdmin(ProactiveAdmin):
    list_display = ("title", "agency", "kind", "issued_on", "repealed_on")
    list_filter = ("agency", "kind")
    search_fields = ("title",)


@admin.register(InForceBaseline)
class InForceBaselineAdmin(ProactiveAdmin):
    list_display = ("agency", "kind", "as_of", "count")


@admin.register(MonthlyDecisionCount)
class MonthlyDecisionCountAdmin(ProactiveAdmin):
    list_display = ("month", "agency", "licensing", "punishment", "coercion")


@admin.register(FeeIncome)
class FeeIncomeAdmin(ProactiveAdmin):
    list_display = ("month", "agency", "amount")
