from django.core.exceptions import ValidationError
from django.db import connection, models


class Agency(models.Model):
    """An organ that handles disclosure requests and publishes an annual report."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "政府部门"
        TOWN = "town", "乡镇人民政府"
        SUBDISTRICT = "subdistrict", "街道办事处"
        OTHER = "other", "其他机关"

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    county_level_or_above = models.BooleanField(
        "县级以上", default=True, help_text="决定年度报告的公布期限（条例第四十九条）。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "机关"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """An agency is never its own ancestor (a cycle would make every subtree endless)."""
        seen, parent = {self.pk}, self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": f"“{parent}”是“{self}”的下级机关（或就是它本身），不能作为其上级"})
            seen.add(parent.pk)
            parent = parent.parent

    def subtree_ids(self) -> list[int]:
        """This agency's id and the ids of all its descendants (one recursive query; ``UNION`` drops repeats,
        so even a cycle written past ``clean`` ends)."""
        table = connection.ops.quote_name(self._meta.db_table)
        sql = (
            f"WITH RECURSIVE subtree(id) AS (SELECT id FROM {table} WHERE id = %s "
            f"UNION SELECT a.id FROM {table} a JOIN subtree s ON a.parent_id = s.id) SELECT id FROM subtree"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.pk])
            return [row[0] for row in cursor.fetchall()]

    def subtree(self) -> models.QuerySet["Agency"]:
        return Agency.objects.filter(pk__in=self.subtree_ids())
