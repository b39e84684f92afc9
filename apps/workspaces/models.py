"""What gemeente staff keep in their workspace: notes on a figure, saved comparisons and
knowledge shared between gemeenten. Every item belongs to an organisation; who may read it is
decided in selectors.py, nowhere else."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("only me")
    ORGANISATION = "organisation", _("my organisation")
    SHARED = "shared", _("all member organisations")


class Note(models.Model):
    """A note on an area, optionally on one indicator and year (markdown, sanitised on output)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    area_code = models.CharField(_("area"), max_length=10)
    indicator = models.CharField(_("indicator"), max_length=60, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    body = models.TextField(_("text"), max_length=20_000)
    visibility = models.CharField(_("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.ORGANISATION)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area_code", "indicator"])]


class SavedComparison(models.Model):
    """Areas × indicators × years, with the values as they were when saved (published values
    only), so reopening on a later release can say what changed."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="comparisons")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    area_codes = models.JSONField(_("areas"), default=list)
    indicators = models.JSONField(_("indicators"), default=list)
    years = models.JSONField(_("years"), default=list)
    visibility = models.CharField(_("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.ORGANISATION)
    release_number = models.PositiveIntegerField(_("saved on release"))
    # {"indicator|area|year": [value, status]} of the release it was saved on.
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved comparison")
        verbose_name_plural = _("saved comparisons")
        ordering = ["-created_at"]


class KnowledgeItem(models.Model):
    class Kind(models.TextChoices):
        APPROACH = "approach", _("approach")
        LESSON = "lesson", _("lesson learned")
        CONTACT = "contact", _("contact")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="knowledge")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20_000)
    themes = models.JSONField(_("themes"), default=list)
    visibility = models.CharField(_("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.SHARED)
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        ordering = ["-created_at"]


class KnowledgeComment(models.Model):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("text"), max_length=5_000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
