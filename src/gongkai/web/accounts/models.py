from django.conf import settings
from django.db import models


class UserProfile(models.Model):
    """Which agency a user works for and in which role (the rules: ``access``)."""

    class Role(models.TextChoices):
        OFFICE_STAFF = "office_staff", "公开办工作人员"
        OFFICE_HEAD = "office_head", "公开办负责人"
        SUPERVISOR = "supervisor", "监督人员"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="profile")
    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="staff")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "用户资料"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.agency})"


class FailedLogin(models.Model):
    """One failed login, kept for the throttling window (``throttle``): in the database, so every worker of
    the server counts the same failures."""

    username = models.CharField("用户名", max_length=150)
    address = models.GenericIPAddressField("IP 地址", null=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"
        indexes = [models.Index(fields=["address", "at"], name="failed_login_address_at_idx")]
