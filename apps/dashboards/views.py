"""Public pages. Views stay thin: they read the request, call pages/selectors, render or
download. Every page with figures offers its table as CSV and XLSX (``?formaat=csv|xlsx``)."""

import functools

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.geography import selectors as geography
from apps.geography.levels import NEDERLAND_CODE, Level, count_label, level_of_code
from apps.indicators import registry
from apps.releases.cache import current_release

from apps.organisations import selectors as organisations

from . import downloads, pages, selectors, themes
from .notes import notes_beside, write_note_url
from .links import PAGE_LEVELS, area_url
from .maps import area_map_config, indicator_map_config, national_map_config


def _vintage(request) -> int:
    value = request.GET.get("indeling", "")
    return int(value) if value.isdigit() and len(value) == 4 else geography.default_vintage()


def _once(function, *args, **kwargs):
    """A page's figures, computed when the template first asks for them and then kept: inside a
    ``{% cache %}`` fragment that is already cached (per release) they are never computed."""
    return functools.cache(lambda: function(*args, **kwargs))


def _with_workspace_notes(request, context: dict, *, area, indicator: str = "", year=None, children=()) -> dict:
    """A logged-in reader sees the workspace notes on what the page shows, and may write one."""
    if not request.user.is_authenticated:
        return context
    context["workspace_notes"] = notes_beside(request.user, area=area, indicator=indicator, children=children)
    context["show_workspace_notes"] = True
    if organisations.organisations_of(request.user).exists():
        context["write_note_url"] = write_note_url(
            request, area_code=area.code if area else NEDERLAND_CODE, indicator=indicator, year=year)
    return context


def _personal(request, response):
    """A page that shows a logged-in reader's notes is theirs alone: no shared cache keeps it."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _download(request, table, filename: str):
    """The page's table as a file when ``formaat`` asks for one, else None."""
    wanted = request.GET.get("formaat", "")
    if not wanted:
        return None
    if wanted not in downloads.FORMATS:
        raise Http404(_("Unknown download format."))
    filename = slugify(filename) or "zicht"
    if wanted == "csv":
        return downloads.csv_response(table, filename=filename)
    return downloads.xlsx_response(table, filename=filename, sheet_titles=(_("Data"), _("Explanation")))


@require_safe
def home(request):
    vintage = _vintage(request)
    gemeenten = list(geography.gemeenten(vintage=vintage))
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
        "themes": [(theme, themes.label(theme), themes.THEME_INTROS.get(theme, "")) for theme in themes.public_themes()],
        "release": current_release(),
    }
    return render(request, "dashboards/home.html", context)


@require_safe
def area_page(request, level_slug: str, code: str):
    vintage = _vintage(request)
    area = geography.area_detail(code=code, vintage=vintage)
    if area is None or area.level == Level.LAND:
        raise Http404(_("No area with this code in this indeling."))
    if PAGE_LEVELS[area.level] != level_slug or area.code != code:
        # A code under the wrong level (or in lower case): send people to its real address.
        return redirect(area_url(area), permanent=True)
    ancestors = [a for a in geography.ancestors(area) if a.code != NEDERLAND_CODE]
    provincie = next((a for a in ancestors if a.level == Level.PROVINCIE), None)
    release = current_release()
    profile = _once(pages.area_profile, release, area, provincie_code=provincie.code if provincie else None)
    if release and request.GET.get("formaat"):
        return _download(request, profile()["download"], f"zicht-{area.code}-{area.name}")
    children = list(geography.children(area))
    zoekgebied_levels = {Level.PROVINCIE: ("gemeente",), Level.GEMEENTE: ("gemeente", "wijk"), Level.WIJK: ("wijk",)}
    zoekgebieden = (
        pages.zoekgebieden(release, area, levels=zoekgebied_levels[area.level], children=children)
        if release and area.level in zoekgebied_levels else []
    )
    context = {
        "vintage": vintage,
        "area": area,
        "ancestors": ancestors,
        "children": children,
        "children_heading": count_label(children[0].level, len(children)) if children else "",
        "children_without_boundary": sum(1 for child in children if not child.has_boundary),
        "map_config": area_map_config(area),
        "release": release,
        "profile": profile if release else None,
        "zoekgebieden": zoekgebieden,
    }
    _with_workspace_notes(request, context, area=area, children=children)
    return _personal(request, render(request, "dashboards/area_detail.html", context))


@require_safe
def theme_page(request, theme: str):
    if theme not in themes.public_themes():
        raise Http404(_("No such theme."))
    release = current_release()
    vintage = _vintage(request)
    page = _once(pages.theme_page, release, theme, vintage=vintage) if release else None
    if page is not None and request.GET.get("formaat"):
        return _download(request, page()["table"], f"zicht-{theme}")
    # The national map shows one indicator of the theme at a time, chosen by the visitor.
    mappable = [d for d in registry.of_theme(theme) if Level.GEMEENTE in d.levels]
    years = selectors.indicator_years(release, level=Level.GEMEENTE) if release else {}
    mappable = [d for d in mappable if years.get(d.slug)]
    chosen = request.GET.get("kaart", "")
    if chosen and chosen not in {d.slug for d in mappable}:
        raise Http404(_("No such indicator."))
    map_definition = next((d for d in mappable if d.slug == chosen), None) or next(
        (d for d in mappable if d.direction > 0), mappable[0] if mappable else None)
    map_year = years[map_definition.slug][-1] if map_definition else None
    theme_map = _once(pages.choropleth, release, map_definition, level=Level.GEMEENTE, scope=NEDERLAND_CODE,
                      year=map_year) if map_definition else None
    context = {
        "theme": theme, "theme_label": themes.label(theme), "intro": themes.THEME_INTROS.get(theme, ""),
        "release": release, "page": page, "vintage": vintage,
        "mappable": [(d.slug, pages.name(d)) for d in mappable],
        "map_definition": map_definition,
        "map_name": pages.name(map_definition) if map_definition else "",
        "map_year": map_year,
        "theme_map": theme_map,
        "map_config": _once(lambda: indicator_map_config(
            map_definition, None, level=Level.GEMEENTE, year=map_year, release=release,
            classes=theme_map()["map_classes"], vintage=vintage)) if theme_map else {"layers": []},
    }
    return render(request, "dashboards/theme.html", context)


@require_safe
def indicator_page(request, slug: str, code: str = NEDERLAND_CODE):
    try:
        definition = registry.get(slug)
    except KeyError:
        raise Http404(_("No such indicator.")) from None
    vintage = _vintage(request)
    scope = None
    if code != NEDERLAND_CODE:
        scope = geography.area_detail(code=code, vintage=vintage)
        if scope is None or scope.level not in pages.LEVELS_IN_SCOPE or scope.level == Level.LAND:
            raise Http404(_("No area with this code in this indeling."))
        if scope.code != code:
            return redirect(pages.indicator_url(slug, scope.code), permanent=True)
    scope_level = scope.level if scope is not None else Level.LAND
    allowed = [level for level in pages.LEVELS_IN_SCOPE[scope_level] if level in definition.levels]
    if not allowed:
        raise Http404(_("This indicator is not published at this level."))
    level = request.GET.get("niveau") or allowed[0]
    if level not in allowed:
        raise Http404(_("This indicator is not published at this level."))
    release = current_release()
    # The years with figures at this level in this scope: not every source has every level.
    listing = pages.listing_scope(scope)  # a buurt's page lists the buurten of its gemeente
    years = selectors.years_at(release, slug, level=level, scope=listing.code if listing else code) if release else []
    requested = request.GET.get("jaar", "")
    year = int(requested) if requested.isdigit() and int(requested) in years else (years[-1] if years else None)
    if requested and (not requested.isdigit() or int(requested) not in years):
        raise Http404(_("No figures for this year."))
    page = None
    if release and year is not None:
        page = _once(pages.indicator_page, release, definition, scope, level=level, year=year, years=years,
                     vintage=vintage)
        if request.GET.get("formaat"):
            if request.GET.get("tabel") == "branches":
                sections = page()["sections"]
                if sections is None:
                    raise Http404(_("This indicator has no figures per branche here."))
                return _download(request, sections, f"zicht-{slug}-branches-{code}-{year}")
            return _download(request, page()["table"], f"zicht-{slug}-{level}-{code}-{year}")
    context = {
        "definition": definition,
        "indicator_name": pages.name(definition),
        "sources": pages.source_labels(definition),
        "theme_label": themes.label(definition.theme),
        "scope": scope,
        "ancestors": [a for a in geography.ancestors(scope) if a.code != NEDERLAND_CODE] + [scope] if scope else [],
        "level": level,
        "level_label": Level(level).label,
        "allowed_levels": [(value, Level(value).label) for value in allowed],
        "year": year,
        "years": years,
        "release": release,
        "page": page,
        "map_config": _once(lambda: indicator_map_config(
            definition, scope, level=level, year=year, release=release,
            classes=page()["map_classes"] if page else None, vintage=vintage)),
    }
    _with_workspace_notes(request, context, area=scope, indicator=slug, year=year,
                          children=geography.children(scope) if scope is not None and scope.level == Level.PROVINCIE else ())
    return _personal(request, render(request, "dashboards/indicator.html", context))


@require_safe
def compare_page(request):
    release = current_release()
    vintage = _vintage(request)
    codes = [_resolve_area(entry, vintage) for entry in request.GET.getlist("gebied")[: pages.MAX_COMPARED]]
    codes = [code for code in codes if code]
    page = pages.compare_page(release, codes, theme=request.GET.get("thema", ""), vintage=vintage) if release else None
    if page is not None and page["table"].rows:
        response = _download(request, page["table"], "zicht-vergelijking-" + "-".join(page["codes"]))
        if response is not None:
            return response
    return render(request, "dashboards/compare.html", {"release": release, "page": page, "vintage": vintage})


def _resolve_area(entry: str, vintage: int) -> str:
    """A code as typed, or the best match of a name (the search's first hit)."""
    entry = entry.strip()[:100]
    if not entry:
        return ""
    if level_of_code(entry.upper().replace(" ", "")):
        return entry.upper().replace(" ", "")
    found = geography.search_areas(query=entry, vintage=vintage, limit=1)
    return found[0].code if found else entry


@require_safe
def briefing(request, code: str):
    vintage = _vintage(request)
    area = geography.area_detail(code=code, vintage=vintage)
    if area is None or area.level != Level.GEMEENTE:
        raise Http404(_("No gemeente with this code in this indeling."))
    release = current_release()
    if release is None:
        raise Http404(_("Nothing is published yet."))
    provincie = area.parent if area.parent and area.parent.level == Level.PROVINCIE else None
    profile = pages.area_profile(release, area, provincie_code=provincie.code if provincie else None)
    children = list(geography.children(area))
    context = {
        "area": area, "release": release, "profile": profile,
        "table": pages.briefing_table(release, area, profile),
        "zoekgebieden": pages.zoekgebieden(release, area, levels=("gemeente", "wijk"), children=children),
    }
    return render(request, "dashboards/briefing.html", context)


@require_safe
def search(request):
    vintage = _vintage(request)
    query = request.GET.get("q", "").strip()[:100]
    results = geography.search_areas(query=query, vintage=vintage) if query else []
    best = geography.best_match(results)
    if best is not None:
        return redirect(area_url(best))
    return render(
        request,
        "dashboards/search.html",
        {"query": query, "results": results, "vintage": vintage},
    )
