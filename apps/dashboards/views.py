"""Public pages. Views stay thin: they read through the geography selectors."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.geography import selectors
from apps.geography.levels import NEDERLAND_CODE, Level, count_label

from .links import PAGE_LEVELS, area_url
from .maps import area_map_config, national_map_config

def _vintage(request) -> int:
    value = request.GET.get("indeling", "")
    return int(value) if value.isdigit() and len(value) == 4 else selectors.default_vintage()


@require_safe
def home(request):
    vintage = _vintage(request)
    gemeenten = list(selectors.gemeenten(vintage=vintage))
    provincies: dict[str, dict] = {}
    for gemeente in gemeenten:
        parent = gemeente.parent
        key = parent.code if parent else ""
        group = provincies.setdefault(key, {"name": parent.name if parent else _("Unknown province"), "gemeenten": []})
        group["gemeenten"].append(gemeente)
    context = {
        "vintage": vintage,
        "gemeente_count": len(gemeenten),
        "provincies": sorted(provincies.values(), key=lambda group: group["name"]),
        "map_config": national_map_config(vintage=vintage),
    }
    return render(request, "dashboards/home.html", context)


@require_safe
def area_page(request, level_slug: str, code: str):
    vintage = _vintage(request)
    area = selectors.area_detail(code=code, vintage=vintage)
    if area is None or area.level == Level.LAND:
        raise Http404(_("No area with this code in this indeling."))
    if PAGE_LEVELS[area.level] != level_slug or area.code != code:
        # A code under the wrong level (or in lower case): send people to its real address.
        return redirect(area_url(area), permanent=True)
    children = list(selectors.children(area))
    context = {
        "vintage": vintage,
        "area": area,
        "ancestors": [a for a in selectors.ancestors(area) if a.code != NEDERLAND_CODE],
        "children": children,
        "children_heading": count_label(children[0].level, len(children)) if children else "",
        "children_without_boundary": sum(1 for child in children if not child.has_boundary),
        "map_config": area_map_config(area),
    }
    return render(request, "dashboards/area_detail.html", context)


@require_safe
def search(request):
    vintage = _vintage(request)
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.search_areas(query=query, vintage=vintage) if query else []
    exact_names = [area for area in results if area.name.lower() == query.lower()]
    if results and (len(results) == 1 or results[0].code == query.upper().replace(" ", "")):
        return redirect(area_url(results[0]))
    if len(exact_names) == 1:
        return redirect(area_url(exact_names[0]))
    return render(
        request,
        "dashboards/search.html",
        {"query": query, "results": results, "vintage": vintage},
    )
