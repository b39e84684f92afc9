"""Workspace notes beside the public figures they are about, for a reader who is logged in.

Which notes a user may read is decided by apps.workspaces.selectors alone; this module only
narrows them to the area (and indicator) a page shows. Anonymous visitors get nothing, without
a query."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from apps.geography.levels import descendant_prefixes
from apps.indicators import registry
from apps.workspaces import markdown
from apps.workspaces import selectors as workspaces

from .links import area_page_url
from .pages import figure_url, name

MAX_NOTES = 25


def _within(area, children) -> Q:
    """The area itself, the given children and, where the CBS code rule says so, everything inside
    it: a gemeente's wijken (WK + its digits) and buurten (BU + its digits), a wijk's buurten.
    Nederland (``area`` None) holds everything."""
    if area is None:
        return Q()
    condition = Q(area_code=area.code) | Q(area_code__in=[child.code for child in children])
    for prefix in descendant_prefixes(area.code):
        condition |= Q(area_code__startswith=prefix)
    return condition


def notes_beside(user, *, area=None, indicator: str = "", children=()) -> list[dict]:
    """The notes ``user`` may read on ``area`` (and what lies inside it), optionally only those on
    ``indicator``, newest first, rendered (markdown sanitised) with links to what they are about."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = workspaces.notes(user, indicator=indicator).filter(_within(area, children))
    out = []
    for note in found.order_by("-created_at")[:MAX_NOTES]:
        definition = registry.find(note.indicator) if note.indicator else None
        out.append({
            "note": note,
            "html": markdown.render(note.body),
            "area_url": area_page_url(note.area_code),
            "indicator_name": name(definition) if definition else "",
            "indicator_url": figure_url(note.area_code, note.indicator, note.year) if definition else "",
        })
    return out


def write_note_url(request, *, area_code: str, indicator: str = "", year=None) -> str:
    """Where a logged-in reader writes a note on what the page shows, and comes back to it after."""
    query = {"gebied": area_code, "indicator": indicator, "jaar": year or "", "terug": request.get_full_path()}
    return reverse("workspaces:note-create") + "?" + urlencode({k: v for k, v in query.items() if v})
