"""Context figures shown beside every theme (BRIEF §6), from open data as published.

CBS and the police protect these figures themselves, so they are published as received, their
secret and missing codes kept (BRIEF §5 rule 5). The one derived figure, registered crime per
1,000 inhabitants, divides two open figures and gets the minimum denominator for rates about
people.
"""

from apps.indicators import engine
from apps.indicators.registry import IndicatorDefinition, register

THEME = "context"
KWB = ("cbs_kwb",)
CAVEAT = (
    "Een contextcijfer: het beschrijft het gebied, het is geen signaal van ondermijning. "
    "Een hoge waarde laat een patroon zien, geen bewijs."
)
AS_PUBLISHED = "zoals gepubliceerd door het CBS (Kerncijfers wijken en buurten)"
CAVEAT_EN = (
    "A context figure: it describes the area, it is not a signal of organised crime. "
    "A high value shows a pattern, not proof."
)
AS_PUBLISHED_EN = "as published by CBS (Key figures for districts and neighbourhoods)"


def _as_published(variable: str):
    def compute(staged):
        return engine.published_cells(staged, variable)

    compute.__name__ = f"published_{variable}"
    return compute


# slug (= canonical variable), name nl, name en, definition, unit, kind, scale
PUBLISHED = [
    ("inwoners", "Inwoners", "Inhabitants",
     "Aantal inwoners op 1 januari volgens de Basisregistratie Personen.", "aantal", "count", None),
    ("huishoudens", "Huishoudens", "Households",
     "Aantal particuliere huishoudens op 1 januari.", "aantal", "count", None),
    ("woningvoorraad", "Woningvoorraad", "Dwelling stock",
     "Aantal woningen op 1 januari.", "aantal", "count", None),
    ("woz_gemiddeld", "Gemiddelde WOZ-waarde", "Average WOZ value",
     "Gemiddelde WOZ-waarde van woningen.", "× 1.000 euro", "mean", None),
    ("koopwoningen_pct", "Koopwoningen", "Owner-occupied dwellings",
     "Koopwoningen als percentage van de woningvoorraad.", "%", "share", 100),
    ("leegstand_pct", "Leegstaande woningen", "Vacant dwellings",
     "Woningen waarop op 1 januari niemand is ingeschreven, als percentage van de woningvoorraad.",
     "%", "share", 100),
    ("inkomen_per_inwoner", "Gemiddeld inkomen per inwoner", "Average income per inhabitant",
     "Gemiddeld persoonlijk inkomen per inwoner.", "× 1.000 euro", "mean", None),
    ("stedelijkheid", "Stedelijkheid", "Urbanity",
     "Mate van stedelijkheid naar omgevingsadressendichtheid: 1 zeer sterk stedelijk "
     "(≥ 2.500 adressen per km²) tot 5 niet stedelijk (< 500).", "klasse 1–5", "mean", None),
    ("bedrijfsvestigingen", "Bedrijfsvestigingen", "Business establishments",
     "Aantal bedrijfsvestigingen volgens CBS.", "aantal", "count", None),
]

# slug → English definition and unit of the figures above
PUBLISHED_EN = {
    "inwoners": (
        "Number of inhabitants on 1 January according to the Personal Records Database (BRP).",
        "number",
    ),
    "huishoudens": ("Number of private households on 1 January.", "number"),
    "woningvoorraad": ("Number of dwellings on 1 January.", "number"),
    "woz_gemiddeld": (
        "Average WOZ value (official property valuation) of dwellings.",
        "× 1,000 euros",
    ),
    "koopwoningen_pct": ("Owner-occupied dwellings as a percentage of the dwelling stock.", "%"),
    "leegstand_pct": (
        "Dwellings where nobody is registered on 1 January, as a percentage of the dwelling stock.",
        "%",
    ),
    "inkomen_per_inwoner": ("Average personal income per inhabitant.", "× 1,000 euros"),
    "stedelijkheid": (
        "Degree of urbanity by surrounding address density: 1 very strongly urban "
        "(≥ 2,500 addresses per km²) to 5 not urban (< 500).",
        "class 1–5",
    ),
    "bedrijfsvestigingen": ("Number of business establishments according to CBS.", "number"),
}

for slug, name_nl, name_en, definition, unit, kind, scale in PUBLISHED:
    definition_en, unit_en = PUBLISHED_EN[slug]
    register(
        IndicatorDefinition(
            slug=slug,
            theme=THEME,
            name_nl=name_nl,
            name_en=name_en,
            definition=f"{definition} Bron: CBS Kerncijfers wijken en buurten.",
            numerator=f"{name_nl.lower()}, {AS_PUBLISHED}",
            denominator="",
            unit=unit,
            definition_en=(
                f"{definition_en} Source: CBS Key figures for districts and neighbourhoods."
            ),
            numerator_en=f"{name_en[0].lower()}{name_en[1:]}, {AS_PUBLISHED_EN}",
            unit_en=unit_en,
            scale=scale,
            kind=kind,
            compute=_as_published(slug),
            sources=KWB,
            direction=0,
            caveat=CAVEAT,
            caveat_en=CAVEAT_EN,
        )
    )

# The police publish gemeenten and buurten; Nederland and a provincie are the sum of their
# gemeenten where every one has a figure (apps.releases.derived, marked as derived).
POLICE_LEVELS = ("land", "provincie", "gemeente", "buurt")

register(
    IndicatorDefinition(
        slug="geregistreerde_misdrijven",
        theme=THEME,
        name_nl="Geregistreerde misdrijven",
        name_en="Registered crimes",
        definition="Door de politie geregistreerde misdrijven in het jaar (alle soorten). Bron: Politie, via CBS.",
        numerator="geregistreerde misdrijven, zoals gepubliceerd door de politie",
        denominator="",
        unit="aantal",
        definition_en=(
            "Crimes registered by the police in the year (all types). Source: Police, via CBS."
        ),
        numerator_en="registered crimes, as published by the police",
        unit_en="number",
        kind="count",
        compute=_as_published("geregistreerde_misdrijven"),
        sources=("politie_misdrijven",),
        direction=0,
        levels=POLICE_LEVELS,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)


def _crime_per_1000(staged):
    return engine.observed_rate_cells(staged, "geregistreerde_misdrijven", per="inwoners", scale=1000)


register(
    IndicatorDefinition(
        slug="misdrijven_per_1000_inwoners",
        theme=THEME,
        name_nl="Geregistreerde misdrijven per 1.000 inwoners",
        name_en="Registered crimes per 1,000 inhabitants",
        definition=(
            "Geregistreerde misdrijven in het jaar, gedeeld door het aantal inwoners, maal 1.000. "
            "Het aantal inwoners is dat van hetzelfde jaar en dezelfde gebiedsindeling, of anders "
            "van het dichtstbijzijnde jaar waarvoor het bekend is."
        ),
        numerator="geregistreerde misdrijven in het jaar (politie)",
        denominator="inwoners (CBS; dichtstbijzijnde jaar als het jaar zelf ontbreekt)",
        unit="per 1.000 inwoners",
        definition_en=(
            "Registered crimes in the year, divided by the number of inhabitants, times 1,000. The "
            "number of inhabitants is that of the same year and the same area boundaries, or "
            "otherwise of the nearest year for which it is known."
        ),
        numerator_en="registered crimes in the year (police)",
        denominator_en="inhabitants (CBS; nearest year if the year itself is missing)",
        unit_en="per 1,000 inhabitants",
        scale=1000,
        kind="rate",
        compute=_crime_per_1000,
        sources=("politie_misdrijven", "cbs_kwb"),
        direction=1,
        min_denominator=100,
        levels=POLICE_LEVELS,
    )
)
