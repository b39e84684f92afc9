"""Drugsproblematiek: dismantled cannabis farms, 13b closures, drug-waste dumpings (gemeentelijke
registraties) and Opiumwet convicts resident in the area (OM extract).

Registered crime per 1,000 inhabitants (open police data) belongs to the context theme and is
shown beside these.
"""

import pandas as pd

from apps.indicators import engine
from apps.indicators.registry import IndicatorDefinition, register

THEME = "drugs"
REGISTRATIES = "gemeentelijke_registraties"
OM = "om_veroordelingen"
YOUNG = (12, 23)  # jonge aanwas: aged 12 to 23 in the year of the judgment
CAVEAT = "Een hoge waarde laat een patroon zien, geen bewijs."


def _registrations(staged, category: str):
    frame = staged.records(REGISTRATIES)
    return frame[frame["category"] == category], engine.periods_of(frame)


def _registrations_per(category: str, *, variable: str, fallback: str | None, scale: float):
    def compute(staged):
        records, periods = _registrations(staged, category)
        return engine.rate_cells(
            staged, records, variable=variable, fallback=fallback, scale=scale, periods=periods
        )

    compute.__name__ = f"{category}_per_{variable}"
    return compute


def drug_convictions(staged) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Opiumwet convictions with ``young`` (aged 12–23 in the year of the judgment), and the
    periods of the whole OM extract (a year without drug convictions still has cells)."""

    def build():
        frame = staged.records(OM)
        periods = engine.periods_of(frame)
        drugs = frame[frame["category"] == "opiumwet"].copy()
        born = drugs["geboortejaar"] if "geboortejaar" in drugs.columns else pd.Series(float("nan"), index=drugs.index)
        age = drugs["year"] - born
        drugs["young"] = age.between(*YOUNG).fillna(False).astype(bool)
        return drugs, periods

    return staged.memo((THEME, "convictions"), build)


def _convicts_per_1000(staged):
    drugs, periods = drug_convictions(staged)
    return engine.rate_cells(staged, drugs, variable="inwoners", scale=1000, unit="subject_id", periods=periods)


def _young_share(staged):
    drugs, periods = drug_convictions(staged)
    return engine.share_cells(staged, drugs, drugs["young"], unit="subject_id", periods=periods)


DWELLINGS_NOTE = (
    "Noemer: de woningvoorraad (CBS) van het jaar of van het dichtstbijzijnde jaar op dezelfde "
    "gebiedsindeling; waar die van een gebied ontbreekt, het aantal huishoudens als benadering."
)
DWELLINGS_NOTE_EN = (
    "Denominator: the dwelling stock (CBS) of the year or of the nearest year on the same area "
    "boundaries; where it is missing for an area, the number of households as an approximation."
)
DWELLINGS_DENOMINATOR_EN = "dwelling stock (CBS); where it is missing, the number of households"

register(
    IndicatorDefinition(
        slug="hennepkwekerijen_per_1000_woningen",
        counts="hennepkwekerijen",
        theme=THEME,
        name_nl="Ontmantelde hennepkwekerijen per 1.000 woningen",
        name_en="Dismantled cannabis farms per 1,000 dwellings",
        definition=f"Door gemeente of politie ontmantelde hennepkwekerijen in het jaar, per 1.000 woningen. {DWELLINGS_NOTE}",
        numerator="ontmantelde hennepkwekerijen in het jaar (gemeentelijke registraties)",
        denominator="woningvoorraad (CBS); waar die ontbreekt het aantal huishoudens",
        unit="per 1.000 woningen",
        definition_en=(
            "Cannabis farms dismantled by the municipality or the police in the year, per 1,000 "
            f"dwellings. {DWELLINGS_NOTE_EN}"
        ),
        numerator_en="dismantled cannabis farms in the year (municipal registrations)",
        denominator_en=DWELLINGS_DENOMINATOR_EN,
        unit_en="per 1,000 dwellings",
        scale=1000,
        kind="rate",
        compute=_registrations_per("hennepkwekerij", variable="woningvoorraad", fallback="huishoudens", scale=1000),
        sources=(REGISTRATIES, "cbs_kwb"),
        direction=1,
        min_denominator=20,
        caveat="Een hoge waarde laat een patroon zien, geen bewijs; meer ontmantelingen kan ook meer handhaving betekenen.",
        caveat_en=(
            "A high value shows a pattern, not proof; more dismantlings can also mean more "
            "enforcement."
        ),
    )
)
register(
    IndicatorDefinition(
        slug="opiumwet_veroordeelden_per_1000_inwoners",
        counts="opiumwet_veroordeelden",
        theme=THEME,
        name_nl="Opiumwet-veroordeelden per 1.000 inwoners",
        name_en="Drug (Opiumwet) convicts per 1,000 inhabitants",
        definition=(
            "Personen die in het jaar voor een Opiumwet-delict zijn veroordeeld en in het gebied "
            "wonen, per 1.000 inwoners. Een persoon telt één keer per gebied, ook bij meer "
            "veroordelingen. Noemer: inwoners van het jaar of het dichtstbijzijnde jaar."
        ),
        numerator="verschillende personen met een Opiumwet-veroordeling in het jaar, wonend in het gebied",
        denominator="inwoners (CBS)",
        unit="per 1.000 inwoners",
        definition_en=(
            "People convicted in the year of an offence under the Opiumwet (the Dutch drugs law) "
            "who live in the area, per 1,000 inhabitants. A person counts once per area, even with "
            "several convictions. Denominator: inhabitants of the year or of the nearest year."
        ),
        numerator_en="distinct people with an Opiumwet conviction in the year, living in the area",
        denominator_en="inhabitants (CBS)",
        unit_en="per 1,000 inhabitants",
        scale=1000,
        kind="rate",
        compute=_convicts_per_1000,
        sources=(OM, "cbs_kwb"),
        direction=1,
        min_denominator=100,
        caveat=CAVEAT,
    )
)
register(
    IndicatorDefinition(
        slug="jonge_aanwas",
        counts="opiumwet_veroordeelden.jong",
        denominator_counts="opiumwet_veroordeelden",
        theme=THEME,
        name_nl="Jonge aanwas: 12- tot en met 23-jarigen onder Opiumwet-veroordeelden",
        name_en="Young people (12–23) among drug convicts",
        definition=(
            "Aandeel van de Opiumwet-veroordeelden van het jaar (wonend in het gebied) dat in het "
            "jaar van de uitspraak 12 tot en met 23 jaar oud is (jaar van de uitspraak min "
            "geboortejaar)."
        ),
        numerator="Opiumwet-veroordeelden van 12 tot en met 23 jaar",
        denominator="Opiumwet-veroordeelden in het jaar (verschillende personen)",
        unit="% van de veroordeelden",
        definition_en=(
            "Share of the year's Opiumwet convicts (living in the area) who are 12 to 23 years old "
            "inclusive in the year of the judgment (year of the judgment minus year of birth)."
        ),
        numerator_en="Opiumwet convicts aged 12 to 23 inclusive",
        denominator_en="Opiumwet convicts in the year (distinct people)",
        unit_en="% of convicts",
        scale=100,
        kind="share",
        compute=_young_share,
        sources=(OM,),
        direction=1,
        min_denominator=100,  # a share of persons: CBS's minimum of 100 persons
        levels=("land", "provincie", "gemeente"),
        caveat=CAVEAT,
    )
)
register(
    IndicatorDefinition(
        slug="sluitingen_13b_per_1000_woningen",
        counts="sluitingen_13b",
        theme=THEME,
        name_nl="Sluitingen op grond van artikel 13b Opiumwet per 1.000 woningen",
        name_en="Closures under article 13b Opiumwet per 1,000 dwellings",
        definition=f"Woningen en lokalen die de burgemeester in het jaar sloot op grond van artikel 13b Opiumwet, per 1.000 woningen. {DWELLINGS_NOTE}",
        numerator="sluitingen op grond van artikel 13b Opiumwet in het jaar",
        denominator="woningvoorraad (CBS); waar die ontbreekt het aantal huishoudens",
        unit="per 1.000 woningen",
        definition_en=(
            "Dwellings and premises the mayor closed in the year under article 13b of the Opiumwet "
            f"(13b closures), per 1,000 dwellings. {DWELLINGS_NOTE_EN}"
        ),
        numerator_en="13b closures (under article 13b of the Opiumwet) in the year",
        denominator_en=DWELLINGS_DENOMINATOR_EN,
        unit_en="per 1,000 dwellings",
        scale=1000,
        kind="rate",
        compute=_registrations_per("sluiting_13b", variable="woningvoorraad", fallback="huishoudens", scale=1000),
        sources=(REGISTRATIES, "cbs_kwb"),
        direction=1,
        min_denominator=20,
        caveat="Een hoge waarde laat een patroon zien, geen bewijs; sluitingen hangen ook af van het lokale handhavingsbeleid.",
        caveat_en=(
            "A high value shows a pattern, not proof; closures also depend on local enforcement "
            "policy."
        ),
    )
)
register(
    IndicatorDefinition(
        slug="drugsafvaldumpingen_per_100_km2",
        counts="drugsafvaldumpingen",
        theme=THEME,
        name_nl="Drugsafvaldumpingen per 100 km² land",
        name_en="Drug-waste dumpings per 100 km² of land",
        definition=(
            "Aangetroffen dumpingen van drugsafval in het jaar, per 100 km² landoppervlakte "
            "(CBS, in hectare: 100 km² = 10.000 ha)."
        ),
        numerator="dumpingen van drugsafval in het jaar (gemeentelijke registraties)",
        denominator="landoppervlakte in hectare (CBS)",
        unit="per 100 km² land",
        definition_en=(
            "Drug waste dumpings found in the year, per 100 km² of land area (CBS, in hectares: "
            "100 km² = 10,000 ha)."
        ),
        numerator_en="drug waste dumpings in the year (municipal registrations)",
        denominator_en="land area in hectares (CBS)",
        unit_en="per 100 km² of land",
        scale=10_000,
        kind="rate",
        compute=_registrations_per("drugsafval", variable="oppervlakte_land_ha", fallback=None, scale=10_000),
        sources=(REGISTRATIES, "cbs_kwb"),
        direction=1,
        min_denominator=100,  # hectare: at least 1 km² of land
        caveat="Een hoge waarde laat een patroon zien, geen bewijs; dumpingen vinden vaak plaats buiten de woonplaats van de daders.",
        caveat_en=(
            "A high value shows a pattern, not proof; dumpings often take place away from where "
            "the offenders live."
        ),
    )
)
