"""The information pages: methodology, privacy, accessibility statement.

Views stay thin: facts come from apps.about.selectors; the prose is one template per language
(``about/<language>/<page>.html``), Dutch when a language has none.
"""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors

FALLBACK_LANGUAGE = "nl"


def _language() -> str:
    return (get_language() or FALLBACK_LANGUAGE).split("-")[0].lower()


def _render(request, page: str, title: str, context: dict):
    language = _language()
    templates = [f"about/{language}/{page}.html", f"about/{FALLBACK_LANGUAGE}/{page}.html"]
    return render(request, templates, {"title": title, "page": page, **context})


@require_safe
def methodology(request):
    language = _language()
    return _render(
        request,
        "methodology",
        _("Methodology"),
        {
            "sources": selectors.sources(language),
            "themes": selectors.indicator_tables(language),
            "comparison": selectors.comparison_facts(language),
            "disclosure": selectors.published_disclosure_facts(),
            # The registries are written in Dutch: mark their text on pages in other languages.
            "registry_lang": (
                "" if language == selectors.REGISTRY_LANGUAGE else selectors.REGISTRY_LANGUAGE
            ),
        },
    )


@require_safe
def privacy(request):
    return _render(
        request,
        "privacy",
        _("Privacy"),
        {
            "visitor": selectors.visitor_facts(),
            "disclosure": selectors.published_disclosure_facts(),
            "contact_email": selectors.contact_email(),
        },
    )


@require_safe
def accessibility(request):
    return _render(
        request,
        "accessibility",
        _("Accessibility statement"),
        {
            "visitor": selectors.visitor_facts(),
            "contact_email": selectors.contact_email(),
            "statement_date": selectors.accessibility_statement_date(),
        },
    )
