"""Uploaded files, import runs and the staged data they produce.

Everything here is restricted: staged observations and records never reach a public page; the
public reads published release values only (apps.releases).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceFile(models.Model):
    """A raw uploaded file, kept privately (outside any public URL) under its checksum."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size"))
    stored_path = models.CharField(_("stored as"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("source file")
        verbose_name_plural = _("source files")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:8]})"


class ImportRun(models.Model):
    """One upload of one or more files of a kind, from preview to published release."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview: waiting for confirmation")
        REJECTED = "rejected", _("rejected: errors in the files")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    class Step(models.TextChoices):
        NONE = "", _("not started")
        IMPORT = "import", _("import")
        RECALCULATE = "recalculate", _("recalculate indicators")
        DISCLOSE = "disclose", _("disclosure control")
        RELEASE = "release", _("build release")
        DONE = "done", _("done")

    kind = models.CharField(_("kind"), max_length=255)  # comma-separated when files differ
    vintage = models.PositiveSmallIntegerField(_("indeling year"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("reference year given"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    step = models.CharField(_("step"), max_length=12, choices=Step.choices, blank=True, default="")
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    summary = models.JSONField(_("preview"), default=dict, blank=True)
    error = models.TextField(_("reason for failure"), blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    release = models.ForeignKey(
        "releases.Release", verbose_name=_("release"), null=True, blank=True, on_delete=models.SET_NULL
    )
    files = models.ManyToManyField(SourceFile, through="RunFile", verbose_name=_("files"))

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RunFile(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE)
    source_file = models.ForeignKey(SourceFile, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class ImportProblem(models.Model):
    """One error found in a file of a run: file, row, column, message."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    file_name = models.CharField(_("file"), max_length=255)
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=100, blank=True)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["id"]

    def __str__(self) -> str:
        # The same words as the RowError it was stored from (import_source prints them).
        from apps.core.problems import RowError

        return str(RowError(self.file_name, self.row, self.column, self.message))


class Observation(models.Model):
    """An aggregated figure from an open source, as received (restricted until published)."""

    dataset = models.CharField(max_length=60)  # kind:layout
    variable = models.CharField(max_length=80)
    vintage = models.PositiveSmallIntegerField()
    area_code = models.CharField(max_length=10)
    level = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    status = models.CharField(max_length=1, blank=True)  # '' value, N not available, S secret
    source_file = models.ForeignKey(SourceFile, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "variable", "area_code", "year"], name="observation_unique_cell"
            )
        ]
        indexes = [models.Index(fields=["variable", "year"])]


class Record(models.Model):
    """One row of a record-level extract (restricted: never shown, only aggregated)."""

    kind = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64)
    vintage = models.PositiveSmallIntegerField()
    buurt_code = models.CharField(max_length=10)
    date = models.DateField()
    end_date = models.DateField(null=True)
    year = models.PositiveSmallIntegerField()
    amount = models.FloatField(null=True)
    sbi_code = models.CharField(max_length=5, blank=True)
    category = models.CharField(max_length=20, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    flags = models.JSONField(default=dict)
    synthetic = models.BooleanField(default=False)
    source_file = models.ForeignKey(SourceFile, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "record_id"], name="record_unique_id")]
        indexes = [models.Index(fields=["kind", "year"])]
