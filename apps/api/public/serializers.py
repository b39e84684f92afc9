"""What the open data endpoints return.

The rows are built as plain dictionaries by the functions below (a page of values is built once
per release and query, then served from the cache), and the serializers describe them for the
OpenAPI schema. Withheld cells: ``waarde`` is null with its status code, and every comparison of
such a cell is null too (``value_row``), whatever the release stored beside it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.dashboards import formatting
from apps.dashboards import themes as dashboard_themes
from apps.geography.levels import level_of_code
from apps.indicators.registry import IndicatorDefinition
from apps.sources.kinds import get_kind

# ------------------------------------------------------------------------------------------ values


class ComparisonSerializer(serializers.Serializer):
    index_nl = serializers.FloatField(allow_null=True, help_text="Index against Nederland (= 100).")
    index_provincie = serializers.FloatField(allow_null=True, help_text="Index against its provincie (= 100).")
    index_peers = serializers.FloatField(allow_null=True, help_text="Index against similar areas (= 100).")
    peergroep = serializers.CharField(allow_null=True, help_text="The group of similar areas: level|urbanity|size.")
    index_knn = serializers.FloatField(allow_null=True, help_text="Index against the nearest neighbours on context.")
    knn = serializers.ListField(child=serializers.CharField(), allow_null=True,
                                help_text="Codes of the nearest neighbours on context.")


class SignificanceSerializer(serializers.Serializer):
    nl = serializers.CharField(allow_null=True, help_text="+ significantly higher, - lower, = not different.")
    provincie = serializers.CharField(allow_null=True)
    peers = serializers.CharField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    absoluut = serializers.FloatField(allow_null=True, help_text="Against the year before.")
    procent = serializers.FloatField(allow_null=True, help_text="Against the year before, in %.")
    reeksbreuk = serializers.BooleanField(help_text="The year before is on another indeling.")


class ValueSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    gebied = serializers.CharField(help_text="CBS area code.")
    naam = serializers.CharField(allow_null=True)
    niveau = serializers.CharField()
    indeling = serializers.IntegerField(help_text="Indeling (boundary vintage) of the area code.")
    jaar = serializers.IntegerField()
    sbi = serializers.CharField(allow_null=True, help_text="SBI section; null for all branches.")
    waarde = serializers.FloatField(allow_null=True, help_text="Null when withheld or not available.")
    status = serializers.CharField(help_text="V published; A, B, T, D, S withheld; N not available.")
    status_tekst = serializers.CharField()
    eenheid = serializers.CharField()
    vergelijking = ComparisonSerializer()
    percentiel = serializers.FloatField(allow_null=True, help_text="Percentile among the areas of its level.")
    percentiel_gemeente = serializers.FloatField(allow_null=True, help_text="Percentile within its gemeente.")
    significantie = SignificanceSerializer()
    verandering = ChangeSerializer()
    synthetisch = serializers.BooleanField(help_text="Rests on synthetic (demo) records.")
    afgeleid = serializers.BooleanField(
        help_text="Not the source's own figure: the sum of the gemeenten (Nederland or a provincie the source "
                  "publishes no figure for; a rate is the sum of the numerators over the sum of the denominators).")


class PageSerializer(serializers.Serializer):
    release = serializers.IntegerField(required=False)
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class ValuePageSerializer(PageSerializer):
    results = ValueSerializer(many=True)


VALUE_CSV_HEADER = [
    "indicator", "gebied", "naam", "niveau", "indeling", "jaar", "sbi", "waarde", "status", "status_tekst",
    "eenheid", "index_nl", "index_provincie", "index_peers", "peergroep", "index_knn", "knn", "percentiel",
    "percentiel_gemeente", "significantie_nl", "significantie_provincie", "significantie_peers",
    "verandering", "verandering_pct", "reeksbreuk", "synthetisch", "afgeleid",
]


def _round(value, digits):
    return None if value is None else round(value, digits)


def value_row(row: tuple, *, names: dict, definitions: dict[str, IndicatorDefinition], synthetic: set[str],
              language: str) -> dict:
    (indicator, code, vintage, year, section, value, status, index_nl, index_provincie, index_peer, peer_group,
     index_knn, knn_codes, percentile, percentile_gemeente, sig_nl, sig_provincie, sig_peer, change, change_pct,
     series_break, derived) = row
    definition = definitions[indicator]
    published = value is not None and status == "V"
    level = level_of_code(code)
    result = {
        "indicator": indicator,
        "gebied": code,
        "naam": names.get((code, vintage)),
        "niveau": level.value if level else None,
        "indeling": vintage,
        "jaar": year,
        "sbi": section or None,
        "waarde": _round(value, 4) if published else None,
        "status": status,
        "status_tekst": formatting.status_text(status),
        "eenheid": definition.localized("unit", language),
        "synthetisch": indicator in synthetic,
        "afgeleid": bool(derived),
    }
    if published:
        result |= {
            "vergelijking": {
                "index_nl": _round(index_nl, 2), "index_provincie": _round(index_provincie, 2),
                "index_peers": _round(index_peer, 2), "peergroep": peer_group or None,
                "index_knn": _round(index_knn, 2), "knn": knn_codes.split(",") if knn_codes else None,
            },
            "percentiel": _round(percentile, 1),
            "percentiel_gemeente": _round(percentile_gemeente, 1),
            "significantie": {"nl": sig_nl or None, "provincie": sig_provincie or None, "peers": sig_peer or None},
            "verandering": {"absoluut": _round(change, 4), "procent": _round(change_pct, 2),
                            "reeksbreuk": bool(series_break)},
        }
    else:
        # A withheld (or unavailable) cell carries no number at all, not even a comparison.
        result |= {
            "vergelijking": {"index_nl": None, "index_provincie": None, "index_peers": None, "peergroep": None,
                             "index_knn": None, "knn": None},
            "percentiel": None,
            "percentiel_gemeente": None,
            "significantie": {"nl": None, "provincie": None, "peers": None},
            "verandering": {"absoluut": None, "procent": None, "reeksbreuk": bool(series_break)},
        }
    return result


def flat_value_row(row: dict) -> dict:
    comparison, sig, change = row["vergelijking"], row["significantie"], row["verandering"]
    return {
        **{name: row[name] for name in ("indicator", "gebied", "naam", "niveau", "indeling", "jaar", "sbi", "waarde",
                                        "status", "status_tekst", "eenheid", "percentiel", "percentiel_gemeente",
                                        "synthetisch", "afgeleid")},
        "index_nl": comparison["index_nl"], "index_provincie": comparison["index_provincie"],
        "index_peers": comparison["index_peers"], "peergroep": comparison["peergroep"],
        "index_knn": comparison["index_knn"], "knn": ";".join(comparison["knn"] or []),
        "significantie_nl": sig["nl"], "significantie_provincie": sig["provincie"],
        "significantie_peers": sig["peers"],
        "verandering": change["absoluut"], "verandering_pct": change["procent"], "reeksbreuk": change["reeksbreuk"],
    }


# ------------------------------------------------------------------------------------- zoekgebieden


class SignalSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    naam = serializers.CharField()


class ZoekgebiedSerializer(serializers.Serializer):
    thema = serializers.CharField()
    gebied = serializers.CharField()
    naam = serializers.CharField(allow_null=True)
    niveau = serializers.CharField()
    indeling = serializers.IntegerField()
    jaar = serializers.IntegerField()
    signalen = SignalSerializer(many=True)
    aantal_signalen = serializers.IntegerField()


class ZoekgebiedPageSerializer(PageSerializer):
    results = ZoekgebiedSerializer(many=True)


ZOEKGEBIED_CSV_HEADER = ["thema", "gebied", "naam", "niveau", "indeling", "jaar", "signalen", "aantal_signalen"]


def signal_slugs(signals) -> list[str]:
    return [signal["indicator"] if isinstance(signal, dict) else str(signal) for signal in signals]


def zoekgebied_row(item: dict, *, names: dict, definitions: dict, language: str) -> dict:
    return {
        "thema": item["theme"],
        "gebied": item["area_code"],
        "naam": names.get((item["area_code"], item["vintage"])),
        "niveau": item["level"],
        "indeling": item["vintage"],
        "jaar": item["year"],
        "signalen": [
            {"indicator": slug, "naam": definitions[slug].localized("name", language) if slug in definitions else slug}
            for slug in signal_slugs(item["signals"])
        ],
        "aantal_signalen": item["n_signals"],
    }


def flat_zoekgebied_row(row: dict) -> dict:
    return row | {"signalen": ";".join(signal["indicator"] for signal in row["signalen"])}


# ------------------------------------------------------------------------------ themes, indicators


class ThemeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    naam = serializers.CharField()
    introductie = serializers.CharField()
    indicatoren = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


def theme_row(theme: str, slugs: list[str]) -> dict:
    return {
        "slug": theme,
        "naam": dashboard_themes.label(theme),
        "introductie": str(dashboard_themes.THEME_INTROS.get(theme, "")),
        "indicatoren": slugs,
        "url": reverse("api:indicator-list") + f"?thema={theme}",
    }


class SourceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    naam = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    thema = serializers.CharField()
    naam = serializers.CharField()
    naam_nl = serializers.CharField()
    naam_en = serializers.CharField()
    definitie = serializers.CharField()
    teller = serializers.CharField()
    noemer = serializers.CharField()
    eenheid = serializers.CharField()
    soort = serializers.CharField(help_text="count, share, rate, mean or sum.")
    schaal = serializers.IntegerField(allow_null=True, help_text="100 for %, 1000 for per 1,000.")
    richting = serializers.IntegerField(help_text="+1 higher = more risk, -1 lower = more risk, 0 context.")
    minimale_noemer = serializers.FloatField(allow_null=True, help_text="Below it a value is withheld (status T).")
    niveaus = serializers.ListField(child=serializers.CharField())
    per_sbi_sectie = serializers.BooleanField()
    sbi_niveaus = serializers.ListField(child=serializers.CharField())
    bronnen = SourceSerializer(many=True)
    kanttekening = serializers.CharField()
    uit_registraties = serializers.BooleanField(help_text="Counted from record-level extracts (disclosure control).")
    jaren = serializers.ListField(child=serializers.IntegerField(), help_text="Years with figures in the current release.")
    synthetisch = serializers.BooleanField(help_text="The current release's figures rest on synthetic records.")


class IndicatorPageSerializer(PageSerializer):
    results = IndicatorSerializer(many=True)


INDICATOR_CSV_HEADER = [
    "slug", "thema", "naam", "naam_nl", "naam_en", "definitie", "teller", "noemer", "eenheid", "soort", "schaal",
    "richting", "minimale_noemer", "niveaus", "per_sbi_sectie", "sbi_niveaus", "bronnen", "kanttekening",
    "uit_registraties", "jaren", "synthetisch",
]


def source_names(definition: IndicatorDefinition) -> list[dict]:
    sources = []
    for slug in definition.sources:
        try:
            label = str(get_kind(slug).label)
        except ValueError:
            label = slug
        sources.append({"slug": slug, "naam": label})
    return sources


def indicator_row(definition: IndicatorDefinition, *, language: str, years: list[int], synthetic: bool) -> dict:
    """Every public field of a definition. Never the disclosure parameters: only the minimum
    denominator, which the methodology page publishes too (apps/about/selectors.py)."""
    text = definition.localized
    return {
        "slug": definition.slug,
        "thema": definition.theme,
        "naam": text("name", language),
        "naam_nl": definition.name_nl,
        "naam_en": definition.name_en or definition.name_nl,
        "definitie": text("definition", language),
        "teller": text("numerator", language),
        "noemer": text("denominator", language),
        "eenheid": text("unit", language),
        "soort": definition.kind,
        "schaal": definition.scale,
        "richting": definition.direction,
        "minimale_noemer": definition.min_denominator,
        "niveaus": list(definition.levels),
        "per_sbi_sectie": definition.by_sbi_section,
        "sbi_niveaus": list(definition.section_levels) if definition.by_sbi_section else [],
        "bronnen": source_names(definition),
        "kanttekening": text("caveat", language),
        "uit_registraties": definition.from_extracts,
        "jaren": years,
        "synthetisch": synthetic,
    }


def flat_indicator_row(row: dict) -> dict:
    return row | {
        "niveaus": ";".join(row["niveaus"]), "sbi_niveaus": ";".join(row["sbi_niveaus"]),
        "bronnen": ";".join(source["naam"] for source in row["bronnen"]),
        "jaren": ";".join(str(year) for year in row["jaren"]),
    }


# ---------------------------------------------------------------------------------------- releases


class ReleaseSourceSerializer(serializers.Serializer):
    bestand = serializers.CharField()
    sha256 = serializers.CharField()
    geupload_op = serializers.CharField(allow_null=True)


class ReleaseSerializer(serializers.Serializer):
    nummer = serializers.IntegerField()
    naam = serializers.CharField()
    gepubliceerd_op = serializers.DateTimeField(allow_null=True)
    is_huidig = serializers.BooleanField()
    bevat_synthetische_data = serializers.BooleanField()
    synthetische_indicatoren = serializers.ListField(child=serializers.CharField())
    aantal_cellen = serializers.IntegerField()
    aantal_afgeschermd = serializers.IntegerField()
    bronnen = ReleaseSourceSerializer(many=True)
    links = serializers.DictField(child=serializers.CharField())


class ReleasePageSerializer(PageSerializer):
    results = ReleaseSerializer(many=True)


def release_row(release) -> dict:
    number = release.number
    return {
        "nummer": number,
        "naam": _("release %(number)s") % {"number": number},
        "gepubliceerd_op": release.published_at.isoformat() if release.published_at else None,
        "is_huidig": release.is_current,
        "bevat_synthetische_data": release.contains_synthetic,
        "synthetische_indicatoren": list(release.synthetic_indicators or []),
        "aantal_cellen": release.cell_count,
        "aantal_afgeschermd": release.suppressed_count,
        "bronnen": [
            {"bestand": source.get("file", ""), "sha256": source.get("sha256", ""),
             "geupload_op": source.get("uploaded_at") or None}
            for source in (release.sources or [])
        ],
        "links": {
            "self": reverse("api:release-detail", args=[number]),
            "waarden": reverse("api:value-list") + f"?release={number}",
            "zoekgebieden": reverse("api:zoekgebied-list") + f"?release={number}",
        },
    }


# ------------------------------------------------------------------------------------------- areas


class AreaSerializer(serializers.Serializer):
    gebied = serializers.CharField()
    naam = serializers.CharField()
    niveau = serializers.CharField()
    indeling = serializers.IntegerField()
    ouder = serializers.CharField(allow_null=True, help_text="Code of the area it is part of.")
    url = serializers.CharField()


class AreaPageSerializer(PageSerializer):
    results = AreaSerializer(many=True)


AREA_CSV_HEADER = ["gebied", "naam", "niveau", "indeling", "ouder", "url"]


def area_row(area, *, parent_code: str | None) -> dict:
    return {
        "gebied": area.code,
        "naam": area.name,
        "niveau": area.level,
        "indeling": area.vintage,
        "ouder": parent_code,
        "url": reverse("api:area-detail", args=[area.code]) + f"?indeling={area.vintage}",
    }


class AncestorSerializer(serializers.Serializer):
    gebied = serializers.CharField()
    naam = serializers.CharField()
    niveau = serializers.CharField()


class AreaDetailSerializer(serializers.Serializer):
    gebied = serializers.CharField()
    naam = serializers.CharField()
    niveau = serializers.CharField()
    indeling = serializers.IntegerField()
    postcode = serializers.CharField(allow_null=True, help_text="A buurt's most common four-digit postcode.")
    ouders = AncestorSerializer(many=True, help_text="From Nederland down to the direct parent.")
    aantal_onderliggend = serializers.DictField(child=serializers.IntegerField(),
                                                help_text="Areas inside it, per level.")
    heeft_grens = serializers.BooleanField()
    links = serializers.DictField(child=serializers.CharField())


class FeatureSerializer(serializers.Serializer):
    type = serializers.CharField()
    properties = serializers.DictField()
    geometry = serializers.DictField(allow_null=True)


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField()
    features = FeatureSerializer(many=True)
