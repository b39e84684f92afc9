from django import template

from apps.dashboards.links import area_url as _area_url

register = template.Library()


@register.filter
def area_url(area) -> str:
    return _area_url(area)
