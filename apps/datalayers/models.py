"""A gemeente's own figures per buurt or wijk (its own registrations of closures, inspections …),
shown in its workspace beside the portal's published indicators.

Nothing here is ever read by apps.sources, apps.indicators, apps.disclosure or apps.releases:
a layer never enters a public release. Who may read a layer is decided in selectors.py only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.geography.levels import Level
from apps.geography.selectors import default_vintage
from apps.workspaces.models import Visibility

#: A layer is the organisation's own unless shared on purpose; "only me" has no use for figures
#: an organisation keeps together, so the workspace's third visibility is not offered.
LAYER_VISIBILITIES = [
    (Visibility.ORGANISATION.value, _("my organisation")),
    (Visibility.SHARED.value, _("shared on purpose with all member organisations")),
]
LAYER_LEVELS = [(Level.BUURT.value, Level.BUURT.label), (Level.WIJK.value, Level.WIJK.label)]


class DataLayer(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview: waiting for confirmation")
        REJECTED = "rejected", _("rejected: the file has errors")
        ACTIVE = "active", _("active")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="data_layers",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5_000, blank=True, default="")
    unit = models.CharField(_("unit"), max_length=60, blank=True, default="")
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    level = models.CharField(_("level"), max_length=10, choices=LAYER_LEVELS)
    vintage = models.PositiveSmallIntegerField(_("indeling year"), default=default_vintage)
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=LAYER_VISIBILITIES, default=Visibility.ORGANISATION
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    file_name = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows read"), default=0)
    years = models.JSONField(_("years"), default=list, blank=True)
    # Every problem found: [{"file", "row", "field", "message"}], in file order (rejected only).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # Header columns the layer does not use (a name column, say), told in the preview.
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("own data layer")
        verbose_name_plural = _("own data layers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class LayerValue(models.Model):
    layer = models.ForeignKey(DataLayer, on_delete=models.CASCADE, related_name="values")
    area_code = models.CharField(_("area"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["layer", "area_code", "year"], name="one_layer_value_per_area_and_year")
        ]
        indexes = [models.Index(fields=["layer", "year"])]

    def __str__(self) -> str:
        return f"{self.area_code} {self.year}: {self.value}"
