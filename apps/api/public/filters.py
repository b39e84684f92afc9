"""The query parameters of the open data endpoints, validated by serializers (so the schema
documents them and a bad one is a 400 naming the parameter, never a 500).

Lists may be given repeated (``?gebied=GM0308&gebied=GM0363``) or comma-separated
(``?gebied=GM0308,GM0363``). Checks that need a release (does it exist, does a year have
figures) are done by the views once the release is known (``check_years``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from apps.branches.sbi import SECTIONS
from apps.dashboards.themes import public_themes
from apps.geography.levels import CODE_FORMAT_HELP, LEVEL_ORDER, Level, code_fits_level, level_of_code
from apps.indicators import registry

LANGUAGES = ("nl", "en")
FORMATS = ("json", "csv")
# Levels a zoekgebied is shown at in public; buurt-level zoekgebieden are the workspace's depth.
PUBLIC_ZOEKGEBIED_LEVELS = ("gemeente", "wijk")
SCOPE_LEVELS = (Level.LAND, Level.PROVINCIE, Level.GEMEENTE, Level.WIJK)


def level_field(**kwargs) -> serializers.ChoiceField:
    message = gettext_lazy("Unknown level {input}; the levels are: land, provincie, gemeente, wijk and buurt.")
    return serializers.ChoiceField(choices=LEVEL_ORDER, error_messages={"invalid_choice": message}, **kwargs)


class ListParameter(serializers.ListField):
    """A list from repeated and/or comma-separated query parameters."""

    def get_value(self, dictionary):
        if self.field_name not in dictionary:
            return serializers.empty
        raw = dictionary.getlist(self.field_name) if hasattr(dictionary, "getlist") else dictionary[self.field_name]
        if isinstance(raw, str):
            raw = [raw]
        return [part.strip() for item in raw for part in str(item).split(",") if part.strip()]


def _code_help(code: str) -> str:
    return _("%(code)s is not a CBS area code (%(formats)s).") % {
        "code": code, "formats": "; ".join(str(text) for text in CODE_FORMAT_HELP.values()),
    }


def normalise_code(code: str) -> str:
    code = code.strip().upper()
    if level_of_code(code) is None:
        raise serializers.ValidationError(_code_help(code))
    return code


def _indicator_list_hint() -> str:
    return _("The indicators are listed at %(url)s.") % {"url": reverse("api:indicator-list")}


class PublicQuery(serializers.Serializer):
    """Parameters every open data endpoint takes."""

    # Empty means "not given", as for every filter here that allows it (allow_blank).
    taal = serializers.ChoiceField(
        choices=LANGUAGES, required=False, allow_blank=True,
        help_text="Language of names and texts (nl or en); default from Accept-Language, else nl.",
    )


class FormatQuery(PublicQuery):
    formaat = serializers.ChoiceField(
        choices=FORMATS, required=False, help_text="json (default, paginated) or csv (every row, up to a cap).",
    )


class PagedQuery(FormatQuery):
    page = serializers.IntegerField(min_value=1, required=False, help_text="Page number (JSON), from 1.")
    page_size = serializers.IntegerField(min_value=1, max_value=200, required=False,
                                         help_text="Rows per page (JSON), at most 200; default 50.")


class ReleaseQuery(serializers.Serializer):
    release = serializers.IntegerField(
        min_value=1, required=False,
        help_text="Number of a published release; default the current one. Past releases are cached for good.",
    )


class ThemeFilter(PublicQuery):
    pass


class IndicatorFilter(FormatQuery):
    thema = serializers.CharField(required=False, allow_blank=True, help_text="Theme slug (see /api/v1/themas/).")

    def validate_thema(self, value):
        return validate_theme(value)


def validate_theme(value: str) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    themes = public_themes()
    if value not in themes:
        raise serializers.ValidationError(
            _("Unknown theme %(theme)s; the themes are: %(themes)s.") % {"theme": value, "themes": ", ".join(themes)}
        )
    return value


def validate_scope(value: str) -> str:
    code = normalise_code(value)
    if level_of_code(code) not in SCOPE_LEVELS:
        raise serializers.ValidationError(
            _("%(code)s has no areas inside it; give Nederland (NL00), a provincie, gemeente or wijk.") % {"code": code}
        )
    return code


def check_scope_above(scope: str, level: str) -> None:
    scope_level = level_of_code(scope)
    if LEVEL_ORDER.index(scope_level) >= LEVEL_ORDER.index(level):
        raise serializers.ValidationError({"binnen": [
            _("%(code)s is a %(scope_level)s; it has no areas of level %(level)s inside it.")
            % {"code": scope, "scope_level": scope_level, "level": level}
        ]})


class AreaFilter(PagedQuery):
    niveau = level_field(required=False, help_text="Level of the areas.")
    binnen = serializers.CharField(required=False, help_text="Code of an area: only the areas inside it.")
    indeling = serializers.IntegerField(min_value=1900, max_value=2100, required=False,
                                        help_text="Indeling (boundary vintage); default the portal's current one.")
    q = serializers.CharField(required=False, max_length=100,
                              help_text="Search by name, code or postcode (gemeenten, wijken, buurten).")

    def validate_binnen(self, value):
        return validate_scope(value)

    def validate(self, attrs):
        if attrs.get("binnen") and attrs.get("niveau"):
            check_scope_above(attrs["binnen"], attrs["niveau"])
        return attrs


class AreaDetailQuery(PublicQuery):
    indeling = serializers.IntegerField(min_value=1900, max_value=2100, required=False,
                                        help_text="Indeling (boundary vintage); default the portal's current one.")


class BoundaryFilter(serializers.Serializer):
    niveau = level_field(help_text="Level of the areas.")
    binnen = serializers.CharField(help_text="Code of the area whose parts are wanted (NL00 for the whole country).")
    indeling = serializers.IntegerField(min_value=1900, max_value=2100, required=False,
                                        help_text="Indeling (boundary vintage); default the portal's current one.")

    def validate_binnen(self, value):
        return validate_scope(value)

    def validate(self, attrs):
        check_scope_above(attrs["binnen"], attrs["niveau"])
        return attrs


class ValueFilter(PagedQuery, ReleaseQuery):
    indicator = ListParameter(
        child=serializers.CharField(), required=False,
        help_text="Indicator slug(s), repeated or comma-separated (see /api/v1/indicatoren/).",
    )
    thema = serializers.CharField(required=False, help_text="Theme slug: every indicator of the theme.")
    niveau = level_field(required=False, help_text="Level of the areas: land, provincie, gemeente, wijk or buurt.")
    gebied = ListParameter(child=serializers.CharField(), required=False,
                           help_text="Area code(s), repeated or comma-separated.")
    binnen = serializers.CharField(required=False,
                                   help_text="Code of NL00, a provincie, gemeente or wijk: the areas inside it at `niveau`.")
    jaar = ListParameter(child=serializers.IntegerField(min_value=1900, max_value=2100), required=False,
                         help_text="Year(s), repeated or comma-separated.")
    sbi = serializers.CharField(required=False, max_length=1,
                                help_text="SBI section letter (A-U) for the branche indicators; default all branches.")

    def validate_indicator(self, slugs):
        known = {definition.slug for definition in registry.all_indicators()}
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown indicator %(slugs)s.") % {"slugs": ", ".join(unknown)} + " " + _indicator_list_hint()
            )
        return list(dict.fromkeys(slugs))

    def validate_thema(self, value):
        return validate_theme(value)

    def validate_gebied(self, codes):
        return list(dict.fromkeys(normalise_code(code) for code in codes))

    def validate_binnen(self, value):
        return validate_scope(value)

    def validate_sbi(self, value):
        value = value.strip().upper()
        if value not in SECTIONS:
            raise serializers.ValidationError(
                _("Unknown SBI section %(section)s; the sections are the letters %(first)s to %(last)s.")
                % {"section": value, "first": min(SECTIONS), "last": max(SECTIONS)}
            )
        return value

    def validate(self, attrs):
        indicators = attrs.get("indicator") or []
        theme = attrs.get("thema")
        if theme:
            of_theme = [d.slug for d in registry.of_theme(theme)]
            outside = [slug for slug in indicators if slug not in of_theme]
            if outside:
                raise serializers.ValidationError({"indicator": [
                    _("%(slugs)s is not an indicator of the theme %(theme)s.") % {"slugs": ", ".join(outside), "theme": theme}
                ]})
            indicators = indicators or of_theme
        if not indicators:
            raise serializers.ValidationError({"indicator": [
                _("Choose an indicator (or a theme).") + " " + _indicator_list_hint()
            ]})
        attrs["indicators"] = indicators

        codes = attrs.get("gebied") or []
        level = attrs.get("niveau", "")
        code_levels = {level_of_code(code).value for code in codes}
        if level and code_levels - {level}:
            raise serializers.ValidationError({"gebied": [
                _("Every code must be of level %(level)s.") % {"level": level}
            ]})
        if not level and attrs.get("binnen"):
            raise serializers.ValidationError({"niveau": [
                _("Give the level of the areas inside %(code)s (niveau).") % {"code": attrs["binnen"]}
            ]})
        if not level and len(code_levels) == 1:
            level = next(iter(code_levels))
        if attrs.get("binnen"):
            check_scope_above(attrs["binnen"], level)
        levels = {level} if level else code_levels
        section = attrs.get("sbi", "")
        # Indicators named one by one must have the level; a theme's simply lack figures there.
        for slug in attrs.get("indicator") or []:
            definition = registry.get(slug)
            allowed = definition.section_levels if section else definition.levels
            wrong = sorted(levels - set(allowed))
            if section and not definition.by_sbi_section:
                raise serializers.ValidationError({"sbi": [
                    _("%(slug)s is not given per SBI section.") % {"slug": slug}
                ]})
            if wrong:
                field = "niveau" if level else "gebied"
                raise serializers.ValidationError({field: [
                    _("%(slug)s has no figures at level %(level)s; its levels are: %(levels)s.")
                    % {"slug": slug, "level": ", ".join(wrong), "levels": ", ".join(allowed)}
                ]})
        attrs["level"] = level
        return attrs


class ZoekgebiedFilter(PagedQuery, ReleaseQuery):
    thema = serializers.CharField(required=False, allow_blank=True, help_text="Theme slug.")
    niveau = serializers.ChoiceField(
        choices=PUBLIC_ZOEKGEBIED_LEVELS, required=False, help_text="gemeente or wijk (default both).",
        error_messages={"invalid_choice": gettext_lazy(
            "Zoekgebieden are published at the levels gemeente and wijk; {input} is not one of them.")},
    )
    binnen = serializers.CharField(required=False, help_text="Code of NL00, a provincie, gemeente or wijk.")
    jaar = ListParameter(child=serializers.IntegerField(min_value=1900, max_value=2100), required=False,
                         help_text="Year(s), repeated or comma-separated.")

    def validate_thema(self, value):
        return validate_theme(value)

    def validate_binnen(self, value):
        return validate_scope(value)


def check_years(years: list[int], indicators: list[str], available: dict[str, list[int]]) -> None:
    """A 400 for a year in which none of the indicators has figures, naming the years there are."""
    have = sorted({year for slug in indicators for year in available.get(slug, [])})
    missing = [year for year in years if year not in have]
    if missing:
        raise serializers.ValidationError({"jaar": [
            _("No figures for %(years)s; years with figures: %(have)s.")
            % {"years": ", ".join(map(str, missing)), "have": ", ".join(map(str, have)) or _("none")}
        ]})


def code_level_matches(code: str, level: str) -> bool:
    return code_fits_level(code, Level(level))
