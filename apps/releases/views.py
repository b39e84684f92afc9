"""Public reads of published releases. A release never changes, so its files are cached for good."""

from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from apps.geography.levels import CODE_PATTERNS, Level
from apps.indicators import registry

from . import selectors

CACHE_SECONDS = 365 * 24 * 3600


@require_safe
def map_values(request, number: int, indicator: str, level: str, year: int):
    """The values of one indicator, level and year of a published release, by area code."""
    release = selectors.published_release(number)
    if release is None or indicator not in {d.slug for d in registry.all_indicators()} or level not in Level.values:
        raise Http404
    within = request.GET.get("binnen", "")
    if within and not (CODE_PATTERNS[Level.GEMEENTE].fullmatch(within) or CODE_PATTERNS[Level.PROVINCIE].fullmatch(within)):
        raise Http404
    values = selectors.map_values(release=release, indicator=indicator, level=level, year=year, within=within)
    response = JsonResponse(
        {"release": release.number, "indicator": indicator, "level": level, "year": year,
         "columns": ["value", "status", "percentile", "sig_nl"], "values": values}
    )
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS, immutable=True)
    return response
