from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """An immutable set of published values. Exactly one release is current at a time; public
    pages, the API and downloads read only the current one."""

    class Status(models.TextChoices):
        READY = "ready", _("ready, awaiting publication")
        PUBLISHED = "published", _("published")

    number = models.PositiveIntegerField(_("number"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READY)
    is_current = models.BooleanField(_("current"), default=False)
    created_at = models.DateTimeField(_("built at"), auto_now_add=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    contains_synthetic = models.BooleanField(_("contains synthetic data"), default=False)
    # The indicators with any cell counted from synthetic records: the pages say so per figure.
    synthetic_indicators = models.JSONField(_("indicators resting on synthetic data"), default=list, blank=True)
    # The indicators with a Nederland or provincie figure summed from the gemeenten (derived.py):
    # their downloads explain it without reading a cell.
    derived_indicators = models.JSONField(_("indicators with figures derived from the gemeenten"), default=list,
                                          blank=True)
    cell_count = models.PositiveIntegerField(_("cells"), default=0)
    suppressed_count = models.PositiveIntegerField(_("cells suppressed"), default=0)
    disclosure_report = models.ForeignKey(
        "disclosure.DisclosureReport", verbose_name=_("disclosure report"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="releases",
    )
    changes = models.JSONField(_("changes against the previous release"), default=dict, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_release")
        ]

    def __str__(self) -> str:
        return gettext("release %(number)s") % {"number": self.number}


class PublishedValue(models.Model):
    """One published cell. A suppressed cell has no value, only its status code.

    Read only through ``apps.releases.selectors`` (written only by ``services.build_release``):
    hence no reverse accessor on Release, which would be a way round the one reader."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=60)
    area_code = models.CharField(max_length=10)
    vintage = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    sbi_section = models.CharField(max_length=1, blank=True, default="")  # '' = all branches
    value = models.FloatField(null=True)
    status = models.CharField(max_length=1)
    # Comparisons (apps.comparisons), computed from published cells only; empty where none apply.
    index_nl = models.FloatField(null=True)  # Nederland = 100
    index_provincie = models.FloatField(null=True)
    peer_group = models.CharField(max_length=40, blank=True, default="")  # level|urbanity|size
    index_peer = models.FloatField(null=True)
    knn_codes = models.CharField(max_length=200, blank=True, default="")  # nearest neighbours
    index_knn = models.FloatField(null=True)
    percentile = models.FloatField(null=True)  # among areas of its level
    percentile_gemeente = models.FloatField(null=True)  # wijken/buurten within their gemeente
    sig_nl = models.CharField(max_length=1, blank=True, default="")  # + above, - below, = not significant
    sig_provincie = models.CharField(max_length=1, blank=True, default="")
    sig_peer = models.CharField(max_length=1, blank=True, default="")
    change = models.FloatField(null=True)  # against the year before, same indeling
    change_pct = models.FloatField(null=True)
    series_break = models.BooleanField(default=False)  # the year before is on another indeling
    # Nederland or a provincie the source gives no figure for, summed from its gemeenten at build
    # (apps.releases.derived): shown as "derived", never as the source's own figure.
    derived = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["release", "indicator", "year"]),
            models.Index(fields=["release", "area_code"]),
        ]
