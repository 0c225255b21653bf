from django.db import models

from gongkai.web.concurrency import Versioned


class ReportDraft(Versioned):
    """The text sections of an agency's annual report, and the report as published (flat JSON)."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT,
                               related_name="report_drafts")
    year = models.PositiveSmallIntegerField("报告年度")
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other = models.TextField("六、其他需要报告的事项", blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_report = models.JSONField("已发布报告（平面形式）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_report_per_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
