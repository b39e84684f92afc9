from django.db import models
from django.utils.translation import gettext_lazy as _


class ComputedCell(models.Model):
    """An indicator value as computed, before disclosure control (restricted).

    Besides the value, a cell keeps what the disclosure rules need: the count under it, its
    distinct contributors, for sums of amounts the total and the two largest contributions of one
    contributor, and the denominator. None of these is ever published.
    """

    indicator = models.CharField(max_length=60)
    area_code = models.CharField(max_length=10)
    vintage = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    sbi_section = models.CharField(max_length=1, blank=True, default="")  # '' = all branches
    value = models.FloatField(null=True)
    status = models.CharField(max_length=1, blank=True)  # '' computed, N not available, S secret at source
    numerator = models.FloatField(null=True)  # records, persons, dwellings or establishments counted
    contributors = models.PositiveIntegerField(null=True)  # distinct contributors to the numerator
    total = models.FloatField(null=True)  # sum of amounts
    top1 = models.FloatField(null=True)  # largest contribution of one contributor to the total
    top2 = models.FloatField(null=True)  # second largest
    denominator = models.FloatField(null=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["indicator"])]


class IndicatorText(models.Model):
    """The words of an indicator, editable by stewards without a deploy (the computation is code)."""

    slug = models.SlugField("slug", max_length=60, unique=True)
    name_nl = models.CharField("naam (nl)", max_length=200)
    name_en = models.CharField("name (en)", max_length=200)
    definition_nl = models.TextField("definitie (nl)")
    definition_en = models.TextField("definition (en)", blank=True)
    caveat_nl = models.TextField("kanttekening (nl)", blank=True)
    caveat_en = models.TextField("caveat (en)", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator text")
        verbose_name_plural = _("indicator texts")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class RiskBranch(models.Model):
    """An SBI code counted as a risk branch (cash-heavy, easy to start, used as a front)."""

    sbi_code = models.CharField("SBI-code", max_length=5, unique=True)
    description = models.CharField("omschrijving", max_length=200)
    active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = _("risk branch")
        verbose_name_plural = _("risk branches")
        ordering = ["sbi_code"]

    def __str__(self) -> str:
        return f"{self.sbi_code} {self.description}"
