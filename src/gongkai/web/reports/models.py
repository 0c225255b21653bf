from django.conf import settings
from django.db import models

from gongkai.web.concurrency import Versioned


class ReportDraft(Versioned):
    """An agency's annual report of one year: the text sections the office writes, its 签发 and publication.

    ``source`` says where the report comes from: compiled from this system's ledger, or a published report
    uploaded (its flat form in ``published_report``), kept so that next year's X1/X2 checks have last year's
    figures even before the agency used gongkai.  Once signed (``signed_at``), the report is locked: each
    ``ReportVersion`` holds the report as it stood, and a later change of the ledger makes a new version.
    """

    class Source(models.TextChoices):
        LEDGER = "ledger", "本系统台账编制"
        UPLOADED = "uploaded", "上传的已发布报告"

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT,
                               related_name="report_drafts")
    year = models.PositiveSmallIntegerField("报告年度")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.LEDGER)
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other = models.TextField("六、其他需要报告的事项", blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_report = models.JSONField("已发布报告（平面形式）", null=True, blank=True)
    uploaded_name = models.CharField("上传文件名", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_report_per_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def uploaded(self) -> bool:
        return self.source == self.Source.UPLOADED


class ReportVersion(models.Model):
    """The report of a signed agency-year as it stood: version 1 at 签发, a new one for each later change of the
    ledger that changes the report (its flat form; the diff is computed from two versions)."""

    class Reason(models.TextChoices):
        SIGNED = "signed", "签发"
        LEDGER_CHANGED = "ledger_changed", "签发后台账变更"

    draft = models.ForeignKey(ReportDraft, verbose_name="年度报告", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    reason = models.CharField("原因", max_length=20, choices=Reason.choices)
    flat = models.JSONField("报告（平面形式）")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "年度报告版本"
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_report_version_number")]

    def __str__(self) -> str:
        return f"{self.draft} 第{self.number}版"

    @property
    def agency_id(self) -> int:
        """The agency of the report (for the audit log's agency column)."""
        return self.draft.agency_id
