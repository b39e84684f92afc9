from django.db import models


class ComputedCell(models.Model):
    """An indicator value as computed, before disclosure control (restricted)."""

    indicator = models.CharField(max_length=60)
    area_code = models.CharField(max_length=10)
    vintage = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    status = models.CharField(max_length=1, blank=True)  # '' computed, N not available, S secret at source
    denominator = models.FloatField(null=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["indicator"])]
