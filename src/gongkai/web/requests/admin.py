from django.contrib import admin

from .masking import mask_id_number, mask_phone
from .models import Applicant, Request, RequestEvent


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "masked_id_number", "masked_phone")
    list_filter = ("type",)

    @admin.display(description="证件号码")
    def masked_id_number(self, applicant: Applicant) -> str:
        return mask_id_number(applicant.id_number)

    @admin.display(description="联系电话")
    def masked_phone(self, applicant: Applicant) -> str:
        return mask_phone(applicant.phone)


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("received_on", "agency", "applicant", "channel", "closed_on", "outcome")
    list_filter = ("agency", "channel", "outcome")
    date_hierarchy = "received_on"
    readonly_fields = ("closed_on", "outcome")
    inlines = [RequestEventInline]
