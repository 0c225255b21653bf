from django.db import models

from gongkai.web.concurrency import Versioned


class Case(Versioned):
    """One 行政复议 or 行政诉讼 case about the agency's disclosure work (table 4)."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        LAWSUIT_DIRECT = "lawsuit_direct", "行政诉讼（未经复议直接起诉）"
        LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", "行政诉讼（复议后起诉）"

    class Result(models.TextChoices):
        UPHELD = "upheld", "结果维持"
        CORRECTED = "corrected", "结果纠正"
        OTHER = "other", "其他结果"

    agency = models.ForeignKey("agencies.Agency", verbose_name="被申请机关", on_delete=models.PROTECT,
                               related_name="cases")
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    filed_on = models.DateField("立案日期")
    closed_on = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=20, choices=Result.choices, null=True, blank=True,
                              help_text="尚未审结时留空。")

    class Meta:
        verbose_name = verbose_name_plural = "复议诉讼案件"
        indexes = [models.Index(fields=["agency", "filed_on", "closed_on"], name="case_compile_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, result__isnull=True)
                | models.Q(closed_on__isnull=False, result__isnull=False),
                name="case_closed_with_a_result",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("filed_on")),
                name="case_closed_after_filing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"
