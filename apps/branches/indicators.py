"""Brancheanalyses: establishments (KvK extract ``kvk_vestigingen``) in risk branches, their
churn, on residential-only addresses and with a convicted director; each for all branches and
per SBI section (A–U), so a branche can be compared across areas.

The extract holds every establishment active at some time in the years it covers, with its real
registration date (often decades back) and its deregistration date when it ended. Its years are
therefore not the years of the registration dates: the window runs from the first year with a
deregistration (or, without any, the last year with a registration) to the last year with a
registration or deregistration (2021–2024 for the demo extract).

* stock at the end of year Y: registered on or before 31 December Y and not deregistered by then;
* stock at the start of year Y: registered before 1 January Y and not deregistered before it
  (the stock at the end of Y − 1);
* registrations and deregistrations in Y: by the year of their date.
"""

import pandas as pd

from apps.indicators import engine
from apps.indicators.registry import IndicatorDefinition, register

from .sbi import matches_any, sections

THEME = "branches"
KVK = "kvk_vestigingen"
CAVEAT = (
    "Een hoge waarde laat een patroon zien, geen bewijs: een vestiging in een risicobranche is "
    "geen aanwijzing dat die onderneming iets verkeerd doet."
)
CAVEAT_EN = (
    "A high value shows a pattern, not proof: an establishment in a risk branch is no indication "
    "that the business does anything wrong."
)


def establishments(staged) -> pd.DataFrame:
    """The establishments with sbi_section, risk_branch and the two flags as booleans."""

    def build():
        frame = staged.records(KVK).copy()
        frame["sbi_section"] = sections(frame["sbi_code"])
        frame["risk_branch"] = matches_any(frame["sbi_code"], staged.risk_codes())
        for flag in ("woonadres", "bestuurder_veroordeeld"):
            if flag not in frame.columns:
                frame[flag] = False
        return frame

    return staged.memo((THEME, "establishments"), build)


def window(frame: pd.DataFrame) -> pd.DataFrame:
    """The (vintage, year) pairs the extract covers (see the module docstring)."""
    if frame.empty:
        return pd.DataFrame(columns=["vintage", "year"], dtype=int)
    dates = frame.assign(registered=frame["date"].dt.year, ended=frame["end_date"].dt.year)
    by_vintage = dates.groupby("vintage")
    first = by_vintage["ended"].min().fillna(by_vintage["registered"].max())
    last = pd.concat([by_vintage["registered"].max(), by_vintage["ended"].max()], axis=1).max(axis=1)
    pairs = [
        (int(vintage), year)
        for vintage in first.index
        for year in range(int(first[vintage]), int(last[vintage]) + 1)
    ]
    return pd.DataFrame(pairs, columns=["vintage", "year"])


COLUMNS = ["vintage", "record_id", "buurt_code", "subject_id", "sbi_section", "risk_branch", "woonadres",
           "bestuurder_veroordeeld", "synthetic"]


def stock(staged, at: str) -> pd.DataFrame:
    """One row per establishment and window year in which it is in the stock at the ``end`` or
    ``start`` of the year; ``year`` is the window year. One vectorised pass per year (a real
    extract holds millions of establishments: no cross join of records and years)."""

    def build():
        frame = establishments(staged)
        parts = []
        for vintage, year in window(frame).itertuples(index=False):
            if at == "end":
                boundary = pd.Timestamp(year=year, month=12, day=31)
                active = (frame["date"] <= boundary) & (frame["end_date"].isna() | (frame["end_date"] > boundary))
            else:
                boundary = pd.Timestamp(year=year, month=1, day=1)
                active = (frame["date"] < boundary) & (frame["end_date"].isna() | (frame["end_date"] >= boundary))
            active &= frame["vintage"] == vintage
            parts.append(frame.loc[active, COLUMNS].assign(year=year))
        if not parts:
            return frame[COLUMNS].assign(year=frame["year"]).iloc[0:0]
        return pd.concat(parts, ignore_index=True)

    return staged.memo((THEME, "stock", at), build)


def events(staged) -> pd.DataFrame:
    """Registrations and deregistrations, one row each, in the year of their date (window only)."""

    def build():
        frame = establishments(staged)
        registered = frame[COLUMNS].assign(year=frame["date"].dt.year, event="registration")
        ended = frame.loc[frame["end_date"].notna(), COLUMNS + ["end_date"]]
        ended = ended.assign(year=ended.pop("end_date").dt.year.astype(int), event="deregistration")
        both = pd.concat([registered, ended], ignore_index=True)
        both["record_id"] = both["record_id"] + ":" + both["event"]
        return both.merge(window(frame), on=["vintage", "year"])

    return staged.memo((THEME, "events"), build)


def _periods(staged) -> pd.DataFrame:
    return window(establishments(staged))


def _stock_count(staged):
    return engine.count_cells(
        staged, stock(staged, "end"), periods=_periods(staged), contributor="subject_id", by_section=True
    )


def _risk_per_1000(staged):
    current = stock(staged, "end")
    return engine.rate_cells(
        staged,
        current[current["risk_branch"]],
        variable="inwoners",
        scale=1000,
        periods=_periods(staged),
        contributor="subject_id",
        by_section=True,
        universe=current,
    )


def _share_of_stock(column: str):
    def compute(staged):
        current = stock(staged, "end")
        return engine.share_cells(
            staged, current, current[column], contributor="subject_id", by_section=True, periods=_periods(staged)
        )

    compute.__name__ = f"share_{column}"
    return compute


def _churn(staged):
    return engine.ratio_cells(
        staged,
        events(staged),
        stock(staged, "start"),
        scale=100,
        periods=_periods(staged),
        contributor="subject_id",
        by_section=True,
    )


STOCK = "vestigingen in het bestand op 31 december van het jaar (KvK)"
STOCK_EN = "establishments in the register on 31 December of the year (KvK)"
SOURCES = (KVK,)

register(
    IndicatorDefinition(
        slug="vestigingen",
        counts="vestigingen",
        theme=THEME,
        name_nl="Bedrijfsvestigingen",
        name_en="Business establishments",
        definition="Aantal vestigingen in het handelsregister op 31 december van het jaar, ook per SBI-sectie.",
        numerator=STOCK,
        denominator="",
        unit="aantal vestigingen",
        definition_en=(
            "Number of establishments in the trade register on 31 December of the year, also per "
            "SBI section."
        ),
        numerator_en=STOCK_EN,
        unit_en="number of establishments",
        scale=None,
        kind="count",
        compute=_stock_count,
        sources=SOURCES,
        direction=0,
        by_sbi_section=True,
        caveat="Een contextcijfer voor de andere branchesignalen.",
        caveat_en="A context figure for the other branch signals.",
    )
)
register(
    IndicatorDefinition(
        slug="vestigingen_risicobranches_per_1000_inwoners",
        counts="vestigingen.risicobranche",
        theme=THEME,
        name_nl="Vestigingen in risicobranches per 1.000 inwoners",
        name_en="Establishments in risk branches per 1,000 inhabitants",
        definition=(
            "Vestigingen op 31 december van het jaar waarvan de SBI-code in een actieve "
            "risicobranche valt (de lijst die beheerders bijhouden), per 1.000 inwoners; ook per "
            "SBI-sectie. Noemer: inwoners van het jaar of het dichtstbijzijnde jaar."
        ),
        numerator="vestigingen in een risicobranche op 31 december",
        denominator="inwoners (CBS)",
        unit="per 1.000 inwoners",
        definition_en=(
            "Establishments on 31 December of the year whose SBI code falls in an active risk "
            "branch (the list the data stewards maintain), per 1,000 inhabitants; also per SBI "
            "section. Denominator: inhabitants of the year or of the nearest year."
        ),
        numerator_en="establishments in a risk branch on 31 December",
        denominator_en="inhabitants (CBS)",
        unit_en="per 1,000 inhabitants",
        scale=1000,
        kind="rate",
        compute=_risk_per_1000,
        sources=(KVK, "cbs_kwb"),
        direction=1,
        min_denominator=100,
        by_sbi_section=True,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="vestigingen_risicobranches_aandeel",
        counts="vestigingen.risicobranche",
        denominator_counts="vestigingen",
        theme=THEME,
        name_nl="Aandeel vestigingen in risicobranches",
        name_en="Share of establishments in risk branches",
        definition=(
            "Aandeel van de vestigingen op 31 december van het jaar waarvan de SBI-code in een "
            "actieve risicobranche valt; ook per SBI-sectie."
        ),
        numerator="vestigingen in een risicobranche op 31 december",
        denominator=STOCK,
        unit="% van de vestigingen",
        definition_en=(
            "Share of the establishments on 31 December of the year whose SBI code falls in an "
            "active risk branch; also per SBI section."
        ),
        numerator_en="establishments in a risk branch on 31 December",
        denominator_en=STOCK_EN,
        unit_en="% of establishments",
        scale=100,
        kind="share",
        compute=_share_of_stock("risk_branch"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        by_sbi_section=True,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="bedrijvendynamiek",
        counts="vestigingen.mutaties",
        denominator_counts="vestigingen.begin",
        theme=THEME,
        name_nl="Bedrijvendynamiek (in- en uitschrijvingen)",
        name_en="Company churn (registrations and deregistrations)",
        definition=(
            "Inschrijvingen plus uitschrijvingen van vestigingen in het jaar, als percentage van "
            "de vestigingen aan het begin van het jaar (1 januari); ook per SBI-sectie."
        ),
        numerator="inschrijvingen plus uitschrijvingen van vestigingen in het jaar",
        denominator="vestigingen in het bestand op 1 januari van het jaar",
        unit="% van de vestigingen op 1 januari",
        definition_en=(
            "Registrations plus deregistrations of establishments in the year, as a percentage of "
            "the establishments at the start of the year (1 January); also per SBI section."
        ),
        numerator_en="registrations plus deregistrations of establishments in the year",
        denominator_en="establishments in the register on 1 January of the year",
        unit_en="% of establishments on 1 January",
        scale=100,
        kind="rate",
        compute=_churn,
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        by_sbi_section=True,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="vestigingen_op_woonadres",
        counts="vestigingen.woonadres",
        denominator_counts="vestigingen",
        theme=THEME,
        name_nl="Vestigingen op een woonadres",
        name_en="Establishments on a residential-only address",
        definition=(
            "Aandeel van de vestigingen op 31 december van het jaar op een adres met alleen een "
            "woonfunctie; ook per SBI-sectie."
        ),
        numerator="vestigingen op een adres met alleen een woonfunctie",
        denominator=STOCK,
        unit="% van de vestigingen",
        definition_en=(
            "Share of the establishments on 31 December of the year at an address with only a "
            "residential function; also per SBI section."
        ),
        numerator_en="establishments at an address with only a residential function",
        denominator_en=STOCK_EN,
        unit_en="% of establishments",
        scale=100,
        kind="share",
        compute=_share_of_stock("woonadres"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        by_sbi_section=True,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
register(
    IndicatorDefinition(
        slug="vestigingen_bestuurder_veroordeeld",
        counts="vestigingen.bestuurder_veroordeeld",
        denominator_counts="vestigingen",
        theme=THEME,
        name_nl="Vestigingen met een veroordeelde bestuurder",
        name_en="Establishments whose director has a conviction",
        definition=(
            "Aandeel van de vestigingen op 31 december van het jaar waarvan een bestuurder een "
            "veroordeling heeft (OM); ook per SBI-sectie."
        ),
        numerator="vestigingen met een bestuurder met een veroordeling",
        denominator=STOCK,
        unit="% van de vestigingen",
        definition_en=(
            "Share of the establishments on 31 December of the year where a director has a "
            "conviction (Public Prosecution Service, OM); also per SBI section."
        ),
        numerator_en="establishments with a director who has a conviction",
        denominator_en=STOCK_EN,
        unit_en="% of establishments",
        scale=100,
        kind="share",
        compute=_share_of_stock("bestuurder_veroordeeld"),
        sources=SOURCES,
        direction=1,
        min_denominator=20,
        by_sbi_section=True,
        caveat=CAVEAT,
        caveat_en=CAVEAT_EN,
    )
)
