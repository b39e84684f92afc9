"""Writes of the indicators app: (re)compute indicators into the restricted computed cells."""

import logging

from django.db import transaction

from apps.core.bulk import insert_frame

from . import registry
from .models import ComputedCell
from .staged import StagedData

logger = logging.getLogger(__name__)


def recalculate(definitions: list[registry.IndicatorDefinition]) -> int:
    """Compute these indicators for every area and year from the staged data; replace their cells."""
    staged = StagedData()
    written = 0
    with transaction.atomic():
        for definition in definitions:
            cells = definition.compute(staged)
            cells = cells.assign(indicator=definition.slug)
            ComputedCell.objects.filter(indicator=definition.slug).delete()
            written += insert_frame(ComputedCell, cells)
    logger.info("recalculated %s indicators, %s cells", len(definitions), written)
    return written
