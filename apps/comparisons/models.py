from django.db import models
from django.utils.translation import gettext_lazy as _


class Zoekgebied(models.Model):
    """A kansrijk zoekgebied of a theme in a release: an area where at least two of the theme's
    indicators are significantly above Nederland and in its level's top 10% (BRIEF §6). The
    signals are the indicators that made it; never addresses."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="zoekgebieden")
    theme = models.CharField(_("theme"), max_length=30)
    area_code = models.CharField(_("area"), max_length=10)
    level = models.CharField(_("level"), max_length=10)
    vintage = models.PositiveSmallIntegerField(_("indeling year"))
    year = models.PositiveSmallIntegerField(_("year"))
    signals = models.JSONField(_("signals"), default=list)
    n_signals = models.PositiveSmallIntegerField(_("number of signals"))

    class Meta:
        verbose_name = _("zoekgebied")
        verbose_name_plural = _("zoekgebieden")
        indexes = [models.Index(fields=["release", "theme", "year"]), models.Index(fields=["release", "area_code"])]


class OpportunityProfile(models.Model):
    """The gelegenheidsstructuur of an area in a release: standardised scores against Nederland
    per component and their mean. A signal profile, not a causal model."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="opportunity_profiles")
    area_code = models.CharField(_("area"), max_length=10)
    level = models.CharField(_("level"), max_length=10)
    vintage = models.PositiveSmallIntegerField(_("indeling year"))
    year = models.PositiveSmallIntegerField(_("year"))
    composite = models.FloatField(_("composite score"), null=True)
    n_components = models.PositiveSmallIntegerField(_("components available"))
    components = models.JSONField(_("score per component"), default=dict)

    class Meta:
        verbose_name = _("opportunity profile")
        verbose_name_plural = _("opportunity profiles")
        indexes = [models.Index(fields=["release", "area_code"]), models.Index(fields=["release", "level", "year"])]
