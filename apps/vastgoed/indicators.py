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
        scale=100,
        kind="share",
        compute=_share_of_purchases("onverklaarbaar"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
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
        scale=100,
        kind="share",
        compute=_flip_through_dwellings,
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
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
        scale=100,
        kind="share",
        compute=_share_of_purchases("hypotheek", negate=True),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
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
        scale=100,
        kind="share",
        compute=_share_of_purchases("koper_rechtspersoon"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
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
        scale=1000,
        kind="rate",
        compute=_transactions_per_1000_dwellings,
        sources=(KADASTER, "cbs_kwb"),
        direction=0,
        min_denominator=20,
        caveat="Een contextcijfer voor de andere vastgoedsignalen. Een patroon, geen bewijs.",
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
        scale=None,
        kind="mean",
        compute=_average_price,
        sources=SOURCES,
        direction=0,
        min_denominator=20,
        caveat="Een contextcijfer voor de andere vastgoedsignalen. Een patroon, geen bewijs.",
    )
)
