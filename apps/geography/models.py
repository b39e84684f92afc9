from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .levels import Level


class GeometrySource(models.TextChoices):
    NONE = "", _("not loaded")
    FILE = "file", _("boundary file")
    DISSOLVED = "dissolved", _("dissolved from its parts")


class Area(models.Model):
    """A gemeente, wijk, buurt, provincie or Nederland in one indeling (boundary vintage).

    Gemeenten merge and wijken are re-coded every year, so an area is a code *in a vintage*:
    GM0363 of 2024 and GM0363 of 2022 are two rows.
    """

    vintage = models.PositiveSmallIntegerField(_("indeling year"))
    code = models.CharField(_("CBS code"), max_length=10)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    geometry = models.MultiPolygonField(_("boundary"), srid=4326, null=True, blank=True)
    geometry_source = models.CharField(
        _("boundary source"), max_length=10, choices=GeometrySource.choices, blank=True
    )
    # A buurt's most common four-digit postcode (CBS), so visitors can search by postcode.
    postcode = models.CharField(_("most common postcode"), max_length=4, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["vintage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vintage", "code"], name="area_unique_code_per_vintage"),
        ]
        indexes = [models.Index(fields=["vintage", "level", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.vintage})"

    @property
    def has_boundary(self) -> bool:
        return self.geometry_source != GeometrySource.NONE


class BoundaryImport(models.Model):
    """One import of a boundary or lookup file: what it changed and what had to be repaired."""

    class Kind(models.TextChoices):
        BOUNDARIES = "boundaries", _("boundaries")
        LOOKUP = "lookup", _("area lookup")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    vintage = models.PositiveSmallIntegerField(_("indeling year"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    created_count = models.PositiveIntegerField(_("areas added"), default=0)
    updated_count = models.PositiveIntegerField(_("areas updated"), default=0)
    repaired = models.JSONField(_("repaired geometries"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("boundary import")
        verbose_name_plural = _("boundary imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.vintage})"


class WebBoundaryFile(models.Model):
    """A simplified boundary file for the maps: one per level and vintage nationally
    (scope NL00) or per gemeente (scope GMxxxx). Its name carries a hash of its content, so it
    can be cached forever."""

    vintage = models.PositiveSmallIntegerField(_("indeling year"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    scope = models.CharField(_("scope"), max_length=10)
    file_name = models.CharField(_("file"), max_length=120, unique=True)
    feature_count = models.PositiveIntegerField(_("features"))
    size_bytes = models.PositiveIntegerField(_("size"))
    gzip_bytes = models.PositiveIntegerField(_("size gzipped"))
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        verbose_name = _("web boundary file")
        verbose_name_plural = _("web boundary files")
        constraints = [
            models.UniqueConstraint(
                fields=["vintage", "level", "scope"], name="webfile_unique_per_scope"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name
