"""What table 2 is compiled from: documents issued and repealed, monthly decision counts, fee income."""

from django.db import models

from gongkai.web.concurrency import Versioned


class DocumentKind(models.TextChoices):
    REGULATION = "regulation", "规章"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"


class DocumentRecord(Versioned):
    agency = models.ForeignKey("agencies.Agency", verbose_name="制发机关", on_delete=models.PROTECT,
                               related_name="documents")
    kind = models.CharField("类别", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=300, blank=True)
    issued_on = models.DateField("制发日期")
    repealed_on = models.DateField("废止日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "规章和规范性文件"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(repealed_on__isnull=True) | models.Q(repealed_on__gte=models.F("issued_on")),
                name="document_repealed_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.issued_on}"


class InForceBaseline(Versioned):
    """How many documents of a kind were in force at the start of ``as_of`` (when the agency began using
    the system).  Documents issued or repealed on or after ``as_of`` are counted from the records."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="in_force_baselines")
    kind = models.CharField("类别", max_length=20, choices=DocumentKind.choices)
    as_of = models.DateField("起始日期")
    count = models.PositiveIntegerField("现行有效件数")

    class Meta:
        verbose_name = verbose_name_plural = "现行有效件数基数"
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="one_baseline_per_agency_kind")]


class MonthlyDecisionCount(Versioned):
    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="decision_counts")
    month = models.DateField("月份", help_text="填该月第一天。")
    licensing = models.PositiveIntegerField("行政许可", default=0)
    punishment = models.PositiveIntegerField("行政处罚", default=0)
    coercion = models.PositiveIntegerField("行政强制", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "行政决定月度数量"
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="one_decision_count_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="decision_month_is_first_day"),
        ]


class FeeIncome(Versioned):
    """行政事业性收费 income of one month, in 万元 (not the 信息处理费 of requests)."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="fee_incomes")
    month = models.DateField("月份", help_text="填该月第一天。")
    amount = models.DecimalField("金额（万元）", max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = verbose_name_plural = "行政事业性收费"
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="one_fee_income_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="fee_month_is_first_day"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_amount_not_negative"),
        ]
