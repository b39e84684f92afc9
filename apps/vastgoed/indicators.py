"""Misbruik van vastgoed: signals in the transfers of dwellings (Kadaster extract).

Computed from ``kadaster_transacties`` (docs/extracts.md): one record per transfer, with the
dwelling (object_id), the buyer (koper_id → subject_id), the price and three flags. The open
figures on dwellings (WOZ value, owner-occupied share, vacancy) are context indicators.
"""

import pandas as pd

from apps.indicators import engine
from apps.indicators.registry import IndicatorDefinition, register

THEME = "vastgoed"
KADASTER = "kadaster_transacties"
DWELLINGS = "woningvoorraad"
DWELLINGS_FALLBACK = "huishoudens"
FLIP_DAYS = 365  # resold within a year
FLIP_TRANSFERS = 5  # or the fifth transfer of the same dwelling within the extract
CAVEAT = (
    "Een hoge waarde laat een patroon zien, geen bewijs: een woning kan om gewone redenen snel "
    "doorverkocht of zonder hypotheek gekocht worden."
)
CAVEAT_EN = (
    "A high value shows a pattern, not proof: a dwelling can be resold quickly or bought without "
    "a mortgage for ordinary reasons."
)
CONTEXT_CAVEAT_EN = "A context figure for the other real-estate signals. A pattern, not proof."


def transactions(staged) -> pd.DataFrame:
    """The transfers, with ``flip``: the transfer makes its dwelling a flip-through dwelling."""

    def build():
        frame = staged.records(KADASTER).copy()
        frame["flip"] = flip_through(frame)
        for flag in ("onverklaarbaar", "hypotheek", "koper_rechtspersoon"):
            if flag not in frame.columns:
                frame[flag] = False
        return frame

    return staged.memo((THEME, "transactions"), build)


def flip_through(frame: pd.DataFrame) -> pd.Series:
    """True for a transfer of a dwelling that was transferred before within FLIP_DAYS days, or
    that is its FLIP_TRANSFERS-th (or later) transfer in the extract. Earlier transfers outside
    the extract are unknown to it."""
    if frame.empty:
        return pd.Series(False, index=frame.index, dtype=bool)
    ordered = frame.sort_values(["object_id", "date", "record_id"])
    by_object = ordered.groupby("object_id", sort=False)
    since_previous = ordered["date"] - by_object["date"].shift()
    resold = since_previous <= pd.Timedelta(days=FLIP_DAYS)
    nth = by_object.cumcount() + 1
    return (resold | (nth >= FLIP_TRANSFERS)).reindex(frame.index).astype(bool)


def _share_of_purchases(flag: str, *, negate: bool = False):
    def compute(staged):
        frame = transactions(staged)
        mask = ~frame[flag] if negate else frame[flag]
        return engine.share_cells(staged, frame, mask, contributor="subject_id")

    compute.__name__ = f"share_{'not_' if negate else ''}{flag}"
    return compute


def _flip_through_dwellings(staged):
    frame = transactions(staged)
    return engine.share_cells(staged, frame, frame["flip"], unit="object_id")


def _transactions_per_1000_dwellings(staged):
    return engine.rate_cells(
        staged, transactions(staged), variable=DWELLINGS, fallback=DWELLINGS_FALLBACK, scale=1000,
        contributor="subject_id",
    )


def _average_price(staged):
    return engine.mean_cells(staged, transactions(staged), amount="amount", contributor="subject_id")


SOURCES = (KADASTER,)
PURCHASES = "aankopen van woningen in het jaar (overdrachten, Kadaster)"
PURCHASES_EN = "purchases of dwellings in the year (transfers, Kadaster)"

register(
    IndicatorDefinition(
        slug="onverklaarbare_aankopen",
        counts="aankopen.onverklaarbaar",
        denominator_counts="aankopen",
        theme=THEME,
        name_nl="Onverklaarbare woningaankopen",
        name_en="Unexplained purchases of dwellings",
        definition=(
            "Aandeel van de aankopen van woningen in het jaar waarbij de koopsom hoger is dan wat "
            "het kopende huishouden uit inkomen en vermogen kan verklaren (Kadaster-vlag "
            "'onverklaarbaar')."
        ),
        numerator="aankopen met koopsom boven wat het kopende huishouden kan verklaren",
        denominator=PURCHASES,
        unit="% van de aankopen",
        definition_en=(
            "Share of the purchases of dwellings in the year where the purchase price is higher "
            "than what the buying household can explain from its income and assets (Kadaster flag "
            "'onverklaarbaar', unexplained)."
        ),
        numerator_en="purchases with a purchase price above what the buying household can explain",
        denominator_en=PURCHASES_EN,
        unit_en="% of purchases",
        scale=100,
        kind="share",
        compute=_share_of_purchases("onverklaarbaar"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="doorsluiswoningen",
        counts="woningen_overgedragen.doorsluis",
        denominator_counts="woningen_overgedragen",
        theme=THEME,
        name_nl="Doorsluiswoningen",
        name_en="Flip-through dwellings",
        definition=(
            "Aandeel van de in het jaar verkochte woningen dat binnen een jaar na de vorige "
            "overdracht opnieuw is verkocht, of dat in de gegevens voor de vijfde keer (of vaker) "
            "van eigenaar wisselt. Overdrachten van voor de gegevens zijn niet bekend."
        ),
        numerator=(
            "woningen met een overdracht in het jaar binnen 365 dagen na de vorige overdracht, of "
            "hun vijfde of latere overdracht"
        ),
        denominator="woningen met een overdracht in het jaar",
        unit="% van de verkochte woningen",
        definition_en=(
            "Share of the dwellings sold in the year that were sold again within a year of the "
            "previous transfer, or that change owner for the fifth time (or more) in the data. "
            "Transfers from before the data are not known."
        ),
        numerator_en=(
            "dwellings with a transfer in the year within 365 days of the previous transfer, or "
            "their fifth or later transfer"
        ),
        denominator_en="dwellings with a transfer in the year",
        unit_en="% of dwellings sold",
        scale=100,
        kind="share",
        compute=_flip_through_dwellings,
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="aankopen_zonder_hypotheek",
        counts="aankopen.zonder_hypotheek",
        denominator_counts="aankopen",
        theme=THEME,
        name_nl="Woningaankopen zonder hypotheek",
        name_en="Purchases without a mortgage",
        definition="Aandeel van de aankopen van woningen in het jaar waarbij geen hypotheek is ingeschreven.",
        numerator="aankopen zonder ingeschreven hypotheek",
        denominator=PURCHASES,
        unit="% van de aankopen",
        definition_en=(
            "Share of the purchases of dwellings in the year for which no mortgage is registered."
        ),
        numerator_en="purchases without a registered mortgage",
        denominator_en=PURCHASES_EN,
        unit_en="% of purchases",
        scale=100,
        kind="share",
        compute=_share_of_purchases("hypotheek", negate=True),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="aankopen_door_rechtspersonen",
        counts="aankopen.rechtspersoon",
        denominator_counts="aankopen",
        theme=THEME,
        name_nl="Woningaankopen door rechtspersonen",
        name_en="Purchases by legal entities",
        definition="Aandeel van de aankopen van woningen in het jaar door een rechtspersoon (bv, stichting, ...).",
        numerator="aankopen door een rechtspersoon",
        denominator=PURCHASES,
        unit="% van de aankopen",
        definition_en=(
            "Share of the purchases of dwellings in the year by a legal entity (private limited "
            "company, foundation, ...)."
        ),
        numerator_en="purchases by a legal entity",
        denominator_en=PURCHASES_EN,
        unit_en="% of purchases",
        scale=100,
        kind="share",
        compute=_share_of_purchases("koper_rechtspersoon"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="transacties_per_1000_woningen",
        counts="aankopen",
        theme=THEME,
        name_nl="Woningtransacties per 1.000 woningen",
        name_en="Dwelling transactions per 1,000 dwellings",
        definition=(
            "Aantal overdrachten van woningen in het jaar per 1.000 woningen (transactiedynamiek). "
            "Noemer: de woningvoorraad (CBS) van het jaar, of van het dichtstbijzijnde jaar op "
            "dezelfde gebiedsindeling; waar de woningvoorraad van een gebied ontbreekt, het aantal "
            "huishoudens (CBS) als benadering."
        ),
        numerator="overdrachten van woningen in het jaar",
        denominator="woningvoorraad (CBS); waar die ontbreekt het aantal huishoudens",
        unit="per 1.000 woningen",
        definition_en=(
            "Number of transfers of dwellings in the year per 1,000 dwellings (transaction "
            "dynamics). Denominator: the dwelling stock (CBS) of the year, or of the nearest year "
            "on the same area boundaries; where the dwelling stock of an area is missing, the "
            "number of households (CBS) as an approximation."
        ),
        numerator_en="transfers of dwellings in the year",
        denominator_en="dwelling stock (CBS); where it is missing, the number of households",
        unit_en="per 1,000 dwellings",
        scale=1000,
        kind="rate",
        compute=_transactions_per_1000_dwellings,
        sources=(KADASTER, "cbs_kwb"),
        direction=0,
        min_denominator=20,
        caveat="Een contextcijfer voor de andere vastgoedsignalen. Een patroon, geen bewijs.",
        caveat_en=CONTEXT_CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="gemiddelde_koopsom",
        counts="aankopen",
        denominator_counts="aankopen",
        theme=THEME,
        name_nl="Gemiddelde koopsom",
        name_en="Average purchase price",
        definition="Gemiddelde koopsom van de overdrachten van woningen in het jaar (som van de koopsommen gedeeld door het aantal overdrachten).",
        numerator="som van de koopsommen in het jaar (euro)",
        denominator="overdrachten van woningen in het jaar",
        unit="euro",
        definition_en=(
            "Average purchase price of the transfers of dwellings in the year (sum of the purchase "
            "prices divided by the number of transfers)."
        ),
        numerator_en="sum of the purchase prices in the year (euros)",
        denominator_en="transfers of dwellings in the year",
        unit_en="euros",
        scale=None,
        kind="mean",
        compute=_average_price,
        sources=SOURCES,
        direction=0,
        min_denominator=20,
        caveat="Een contextcijfer voor de andere vastgoedsignalen. Een patroon, geen bewijs.",
        caveat_en=CONTEXT_CAVEAT_EN,
    )
)
