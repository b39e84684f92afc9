from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Cell status codes after tau-ARGUS, plus two for figures a source already protected."""

    SAFE = "V", "V"  # publishable
    FREQUENCY = "A", "A"  # too few contributors
    DOMINANCE = "B", "B"  # (n,k)- or p%-rule
    DENOMINATOR = "T", "T"  # denominator below its minimum
    SECONDARY = "D", "D"  # suppressed so that another cannot be recovered
    SECRET_AT_SOURCE = "S", "S"  # published secret by the source (CBS -99997)
    NOT_AVAILABLE = "N", "N"  # not available at the source (CBS -99995, empty)


SUPPRESSED = {Status.FREQUENCY, Status.DOMINANCE, Status.DENOMINATOR, Status.SECONDARY, Status.SECRET_AT_SOURCE}


class ProtectedCell(models.Model):
    """A cell after disclosure control: what may be published (restricted until released)."""

    indicator = models.CharField(max_length=60)
    area_code = models.CharField(max_length=10)
    vintage = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    sbi_section = models.CharField(max_length=1, blank=True, default="")  # '' = all branches
    value = models.FloatField(null=True)
    status = models.CharField(max_length=1, choices=Status.choices)
    # The published (rounded) count under a share or rate and its denominator: the comparisons'
    # significance tests need them. Empty for a cell that is not safe.
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    synthetic = models.BooleanField(default=False)


class DisclosureParameter(models.Model):
    """A parameter of the disclosure rules. Confidential: shown to stewards only, never public."""

    key = models.SlugField(max_length=60, unique=True)
    value = models.FloatField()
    description = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("disclosure parameter")
        verbose_name_plural = _("disclosure parameters")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class DisclosureReport(models.Model):
    """What one run of disclosure control decided, for stewards (confidential: never public).

    ``summary`` holds cells per indicator, level and status; ``tables`` per count table and
    year the cells audited, the cells that failed and the narrowest margin; ``failures`` the
    failing cells with their interval. A release is built only from a report that passed.
    """

    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    passed = models.BooleanField(_("audit passed"), default=False)
    cell_count = models.PositiveIntegerField(_("cells"), default=0)
    suppressed_count = models.PositiveIntegerField(_("cells suppressed"), default=0)
    summary = models.JSONField(_("cells per indicator, level and status"), default=list, blank=True)
    tables = models.JSONField(_("audit per count table and year"), default=list, blank=True)
    failures = models.JSONField(_("cells that failed the audit"), default=list, blank=True)
    computed_fingerprint = models.CharField(_("fingerprint of the computed cells"), max_length=64, blank=True)
    seconds = models.FloatField(_("duration (s)"), default=0)

    class Meta:
        verbose_name = _("disclosure report")
        verbose_name_plural = _("disclosure reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {'passed' if self.passed else 'FAILED'}"
