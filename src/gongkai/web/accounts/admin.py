from django.contrib import admin

from .models import UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    """Who works where in which role: managed by superusers only (Django's default for non-superusers without
    model permissions, which no role grants)."""

    list_display = ("user", "agency", "role")
    list_filter = ("role", "agency")
