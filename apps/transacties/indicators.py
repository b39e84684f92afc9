"""Verdachte transacties: transactions FIU-Nederland declared suspicious, by the residence or
establishment of the subject (``fiu_meldingen``, docs/extracts.md).

The extract names no subject, so each report is its own contributor: the dominance rules on the
sums of amounts look at the largest reports of a cell.
"""

import pandas as pd

from apps.branches.sbi import matches_any
from apps.indicators import engine
from apps.indicators.registry import IndicatorDefinition, register

THEME = "transacties"
FIU = "fiu_meldingen"
CASH_OR_TRANSFER = ("contant", "geldtransfer")
CAVEAT = (
    "Een hoge waarde laat een patroon zien, geen bewijs: een verdachte transactie is een melding, "
    "geen vastgesteld strafbaar feit."
)
CAVEAT_EN = (
    "A high value shows a pattern, not proof: a suspicious transaction is a report, not an "
    "established criminal offence."
)


def reports(staged) -> pd.DataFrame:
    """The reports, with ``cash_or_transfer`` and ``risk_branch`` (the subject's SBI code lies in
    an active risk branch)."""

    def build():
        frame = staged.records(FIU).copy()
        frame["cash_or_transfer"] = frame["category"].isin(CASH_OR_TRANSFER)
        frame["risk_branch"] = matches_any(frame["sbi_code"], staged.risk_codes())
        return frame

    return staged.memo((THEME, "reports"), build)


def _per_1000_inhabitants(staged):
    return engine.rate_cells(staged, reports(staged), variable="inwoners", scale=1000)


def _value_per_inhabitant(staged):
    return engine.rate_cells(staged, reports(staged), variable="inwoners", scale=1, amount="amount")


def _share(column: str):
    def compute(staged):
        frame = reports(staged)
        return engine.share_cells(staged, frame, frame[column])

    compute.__name__ = f"share_{column}"
    return compute


def _average_amount(staged):
    return engine.mean_cells(staged, reports(staged), amount="amount")


REPORTS = "verdachte transacties in het jaar (FIU-Nederland)"
REPORTS_EN = "suspicious transactions in the year (FIU-Nederland)"

register(
    IndicatorDefinition(
        slug="verdachte_transacties_per_1000_inwoners",
        counts="verdachte_transacties",
        theme=THEME,
        name_nl="Verdachte transacties per 1.000 inwoners",
        name_en="Suspicious transactions per 1,000 inhabitants",
        definition=(
            "Door FIU-Nederland verdacht verklaarde transacties in het jaar waarvan de betrokkene in "
            "het gebied woont of gevestigd is, per 1.000 inwoners. Noemer: inwoners van het jaar of "
            "het dichtstbijzijnde jaar."
        ),
        numerator=REPORTS,
        denominator="inwoners (CBS)",
        unit="per 1.000 inwoners",
        definition_en=(
            "Transactions declared suspicious by FIU-Nederland in the year where the party "
            "involved lives or is established in the area, per 1,000 inhabitants. Denominator: "
            "inhabitants of the year or of the nearest year."
        ),
        numerator_en=REPORTS_EN,
        denominator_en="inhabitants (CBS)",
        unit_en="per 1,000 inhabitants",
        scale=1000,
        kind="rate",
        compute=_per_1000_inhabitants,
        sources=(FIU, "cbs_kwb"),
        direction=1,
        min_denominator=100,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="waarde_verdachte_transacties_per_inwoner",
        counts="verdachte_transacties",
        theme=THEME,
        name_nl="Waarde van verdachte transacties per inwoner",
        name_en="Value of suspicious transactions per inhabitant",
        definition=(
            "Som van de bedragen van de verdacht verklaarde transacties in het jaar, gedeeld door "
            "het aantal inwoners. Een som van bedragen: de dominantieregels gelden."
        ),
        numerator="som van de bedragen van de verdachte transacties in het jaar (euro)",
        denominator="inwoners (CBS)",
        unit="euro per inwoner",
        definition_en=(
            "Sum of the amounts of the transactions declared suspicious in the year, divided by "
            "the number of inhabitants. A sum of amounts: the dominance rules apply."
        ),
        numerator_en="sum of the amounts of the suspicious transactions in the year (euros)",
        denominator_en="inhabitants (CBS)",
        unit_en="euros per inhabitant",
        scale=None,
        kind="sum",
        compute=_value_per_inhabitant,
        sources=(FIU, "cbs_kwb"),
        direction=1,
        min_denominator=100,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="verdachte_transacties_contant_of_geldtransfer",
        counts="verdachte_transacties.contant_of_geldtransfer",
        denominator_counts="verdachte_transacties",
        theme=THEME,
        name_nl="Verdachte transacties contant of via geldtransfer",
        name_en="Suspicious transactions in cash or by money transfer",
        definition="Aandeel van de verdachte transacties in het jaar dat een contante transactie of een geldtransfer is.",
        numerator="verdachte transacties van de soort contant of geldtransfer",
        denominator=REPORTS,
        unit="% van de verdachte transacties",
        definition_en=(
            "Share of the suspicious transactions in the year that are a cash transaction or a "
            "money transfer."
        ),
        numerator_en="suspicious transactions of the type cash or money transfer",
        denominator_en=REPORTS_EN,
        unit_en="% of suspicious transactions",
        scale=100,
        kind="share",
        compute=_share("cash_or_transfer"),
        sources=(FIU,),
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="verdachte_transacties_risicobranches",
        counts="verdachte_transacties.risicobranche",
        denominator_counts="verdachte_transacties",
        theme=THEME,
        name_nl="Verdachte transacties met een bedrijf in een risicobranche",
        name_en="Suspicious transactions involving a risk branch",
        definition=(
            "Aandeel van de verdachte transacties in het jaar waarbij een bedrijf betrokken is "
            "waarvan de SBI-code in een actieve risicobranche valt (de lijst die beheerders bijhouden)."
        ),
        numerator="verdachte transacties met een SBI-code in een actieve risicobranche",
        denominator=REPORTS,
        unit="% van de verdachte transacties",
        definition_en=(
            "Share of the suspicious transactions in the year that involve a company whose SBI "
            "code falls in an active risk branch (the list the data stewards maintain)."
        ),
        numerator_en="suspicious transactions with an SBI code in an active risk branch",
        denominator_en=REPORTS_EN,
        unit_en="% of suspicious transactions",
        scale=100,
        kind="share",
        compute=_share("risk_branch"),
        sources=(FIU,),
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="gemiddeld_bedrag_verdachte_transacties",
        counts="verdachte_transacties",
        denominator_counts="verdachte_transacties",
        theme=THEME,
        name_nl="Gemiddeld bedrag van verdachte transacties",
        name_en="Average amount of suspicious transactions",
        definition="Som van de bedragen van de verdachte transacties in het jaar, gedeeld door hun aantal.",
        numerator="som van de bedragen van de verdachte transacties in het jaar (euro)",
        denominator=REPORTS,
        unit="euro",
        definition_en=(
            "Sum of the amounts of the suspicious transactions in the year, divided by their "
            "number."
        ),
        numerator_en="sum of the amounts of the suspicious transactions in the year (euros)",
        denominator_en=REPORTS_EN,
        unit_en="euros",
        scale=None,
        kind="mean",
        compute=_average_amount,
        sources=(FIU,),
        direction=1,
        min_denominator=20,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
