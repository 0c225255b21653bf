from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One change to the ledger, one export, or one display of personal data in full.  Written only by
    ``recording``; never changed or deleted through the application."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        EXPORT = "export", "导出完整个人信息"
        VIEW_PERSONAL_DATA = "view-personal-data", "查看完整个人信息"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("用户名", max_length=150, blank=True, help_text="用户被删除后仍保留。")
    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    model = models.CharField("记录类型", max_length=100)
    object_id = models.CharField("记录编号", max_length=40, blank=True)
    changes = models.JSONField("内容", default=dict, blank=True,
                               help_text="字段 → [原值, 新值]；个人信息已脱敏。")

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["agency", "at"], name="audit_agency_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.model} {self.object_id}"
