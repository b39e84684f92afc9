from django.db import models


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
    synthetic = models.BooleanField(default=False)


class DisclosureParameter(models.Model):
    """A parameter of the disclosure rules. Confidential: shown to stewards only, never public."""

    key = models.SlugField(max_length=60, unique=True)
    value = models.FloatField()
    description = models.CharField(max_length=300)

    class Meta:
        verbose_name = "disclosure parameter"
        verbose_name_plural = "disclosure parameters"
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
