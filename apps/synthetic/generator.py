"""Seeded synthetic record-level extracts: "synthetische demonstratiedata" for the demo and tests.

The restricted registers (Kadaster, KvK, FIU, OM, gemeenten) are public nowhere, so the demo and
the tests run on extracts generated here, in exactly the upload format of ``docs/extracts.md``
and with ``synthetisch = ja`` on every row. They are driven by the real open figures of every
buurt in the CBS Kerncijfers wijken en buurten file (``kwb_2024_gebieden.csv``): inhabitants
(``AantalInwoners_5``), households (``HuishoudensTotaal_29``), urbanity
(``MateVanStedelijkheid_120``, 1 = very urban .. 5 = not urban; missing at a buurt: the gemeente's
class, else 3), the average WOZ value (``GemiddeldeWOZWaardeVanWoningen_39``, x 1000 euro) and the
land area (``OppervlakteLand_116``, ha). An empty cell (CBS: missing, secret or 0) counts as 0, so
a buurt without inhabitants gets few or no records.

How the numbers come about
--------------------------
Every count is a Poisson draw per buurt and year. Its expected value is the national volume of
that source (``VOLUMES[scale]``, per year for all of Nederland) times the buurt's share of the
national denominator (inhabitants, households or land area, ``NATIONAL_*`` below), tilted by an
urbanity multiplier (more urban: more drug convictions, FIU reports, companies and churn; less
urban: more drug waste), a hot-spot factor and a trend over the years. The multipliers are
normalised over the input, so the expected total of a file is its national volume times the share
of Nederland the input covers (about 97% for the shared KWB file, which lacks five gemeenten).

Two scales (``--scale``): ``national`` writes the registers at their real size (4.6 million
records for 2021-2024, 295 MB); ``sample`` keeps the small volumes the demo and the tests used
before (45,000 transfers, a KvK stock of 60,000, 30,000 FIU reports, 8,000 convictions,
5,000 / 800 / 400 registraties a year), which runs in seconds. Everything but the volumes is the
same at both scales.

National volumes per year (all of Nederland) and where they come from; the synthetic trends over
the years (``TRENDS``) are smooth and do not follow the real year-to-year swings:

- ``kadaster_transacties``: 200,000 transfers of dwellings. CBS and Kadaster count every
  registered transfer of an existing dwelling (StatLine 85819NED, "verkochte woningen" per
  quarter and region): quarters of 50,000 to 66,000 in 2017-2022, 205,528 transfers in the
  first eleven months of 2021 (CBS/Kadaster, NRC 21-12-2021). Shares: legal-entity buyers ~12%,
  no mortgage ~25%, unexplained ~3%. Prices are lognormal (sigma 0.35) around the buurt's WOZ
  value (else 350,000 euro) times a price index per year. Dwellings are drawn from the buurt's
  stock, so some are resold; about 1% of the transfers (several times that in hot spots) are
  resold again within a year (flip-through).
- ``kvk_vestigingen``: a stock of 2.4 million establishments on 1 January of the first year. The
  KvK Handelsregister counted 2,579,735 vestigingen on 1 January 2025 (KVK Bedrijvendynamiek
  2025) and close to 2.2 million ondernemingen at the start of 2022 (KVK, January 2023); 2.4
  million for 2021 is our estimate between the two. New registrations are 9% of the stock a year
  and the deregistration hazard is 8% a year (x1.4 in risk branches), both higher in urban
  buurten and hot spots (estimates: nationally ~250,000 in and ~260,000 out a year, so the stock
  stays near 2.3 million in the 97% of Nederland the KWB file covers). SBI codes (4 digits) from
  a realistic mix with the risk branches of ``RISK_SBI_CODES`` (~32% of establishments), ~4% on
  residential-only addresses, ~1% with a convicted director. The extract holds every
  establishment active at some time in the years asked for, with its real registration date
  (which for the initial stock lies before those years, back to the 1950s).
- ``fiu_meldingen``: 120,000 suspicious transactions, the mean of the transactions FIU-Nederland
  declared suspicious in 2021-2024 (96,676; 91,893; 180,578; 118,408: FIU-Nederland
  jaaroverzichten 2021-2024; 2023 holds one case of over 50,000 transactions). Amounts lognormal
  (median ~4,000 euro, sigma 1.55: ~2% above 100,000 euro), soort ~35% contant, 30%
  geldtransfer, 28% giraal, 7% overig, no SBI code for ~70% (the subject is a person).
- ``om_veroordelingen``: 20,000 convictions, an estimate: the courts settle 6,000 to 8,000
  Opiumwet cases a year in first instance (2019: 3,385 softdrugs, ~4,000 harddrugs and ~660
  combined cases; 2020: ~5,900; Nationale Drug Monitor 16.4.5, from OM data), to which come the
  OM's own punishment orders, money laundering and the other offences of ondermijning.
  Opiumwet ~55%, witwassen ~12%, overig ~33%; ~20% of the convicts are 12-23 in the year of the
  judgment (judgment year minus geboortejaar); ~15% of the convictions are of a person
  convicted before in the same buurt (same persoon_id).
- ``gemeentelijke_registraties``, from the police's Nationaal Overzicht Drugslocaties:
  2,100 dismantled cannabis farms (hennepkwekerij, per household; 2,894 in 2020, 2,285 in 2021
  and fewer in 2022: 2,100 is our estimate for 2021-2024); 185 drug-waste dumpings (drugsafval,
  half by share of the land area, half by share of the households; less urban; 208 in 2021, 155
  in 2022, 191 in 2023); 1,000 closures under art. 13b Opiumwet (per household, more urban), an
  estimate: a survey of the gemeenten for 2018-2020 found 1 to 10 closed premises per gemeente a
  year (Rijksuniversiteit Groningen, Nationale Drug Monitor 16.4.1), times 342 gemeenten.

Hot spots
---------
Per theme (``vastgoed``, ``drugs``, ``transacties``, ``branches``) the generator picks ~1.5% of
the buurten with at least 500 inhabitants (seeded) and gives each a factor between 3 and 6: the
rates of that theme are that many times higher there (shares of suspicious purchases and
flip-throughs; cannabis farms, 13b closures, drug waste and drug convictions; FIU reports and
money-laundering convictions, with more cash and higher amounts; risk branches, churn,
residential addresses and convicted directors). Significance tests on the aggregates should find
them as "kansrijke zoekgebieden". The hot spots are written nowhere in the output; tests read them
from ``SyntheticExtracts.hotspots``.

Reproducibility: one ``numpy.random.SeedSequence`` per seed, one child stream per part, every draw
vectorised and every output sorted, so the same seed and input give the same bytes.

Speed and memory: columns are built as numpy arrays of ASCII bytes (``Extract``), sorted by
numeric keys and written in chunks; the national scale takes about 20 s of CPU and 1.2 GB.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

# The five extracts, in this order, with their columns exactly as docs/extracts.md lists them.
EXTRACT_COLUMNS: dict[str, list[str]] = {
    "kadaster_transacties": [
        "transactie_id",
        "object_id",
        "buurtcode",
        "datum",
        "koopsom",
        "koper_id",
        "koper_rechtspersoon",
        "hypotheek",
        "onverklaarbaar",
        "synthetisch",
    ],
    "kvk_vestigingen": [
        "vestiging_id",
        "onderneming_id",
        "buurtcode",
        "sbi_code",
        "datum_inschrijving",
        "datum_uitschrijving",
        "woonadres",
        "bestuurder_veroordeeld",
        "synthetisch",
    ],
    "fiu_meldingen": [
        "melding_id",
        "buurtcode",
        "datum",
        "bedrag",
        "soort",
        "sbi_code",
        "synthetisch",
    ],
    "om_veroordelingen": [
        "veroordeling_id",
        "persoon_id",
        "buurtcode",
        "datum",
        "delict",
        "geboortejaar",
        "synthetisch",
    ],
    "gemeentelijke_registraties": ["registratie_id", "buurtcode", "datum", "soort", "synthetisch"],
}

FIU_SOORTEN = ("contant", "geldtransfer", "giraal", "overig")
OM_DELICTEN = ("opiumwet", "witwassen", "overig")
REGISTRATIE_SOORTEN = ("hennepkwekerij", "sluiting_13b", "drugsafval")
THEMES = ("vastgoed", "drugs", "transacties", "branches")

DEFAULT_SEED = 2024
DEFAULT_YEARS = (2021, 2022, 2023, 2024)

# Denominators of all of Nederland (CBS Kerncijfers wijken en buurten 2024, row NL00).
NATIONAL_INHABITANTS = 17_942_942
NATIONAL_HOUSEHOLDS = 8_374_404
NATIONAL_LAND_HA = 3_364_723

# Expected records per year for all of Nederland, per scale (kvk_stock: active establishments on
# 1 January of the first year; the KvK flows follow from the rates in _kvk). The sources of the
# national figures are in the module docstring.
SCALES = ("national", "sample")
DEFAULT_SCALE = "sample"
VOLUMES: dict[str, dict[str, int]] = {
    "national": {
        "kadaster_transacties": 200_000,
        "kvk_stock": 2_400_000,
        "fiu_meldingen": 120_000,
        "om_veroordelingen": 20_000,
        "hennepkwekerij": 2_100,
        "sluiting_13b": 1_000,
        "drugsafval": 185,
    },
    "sample": {
        "kadaster_transacties": 45_000,
        "kvk_stock": 60_000,
        "fiu_meldingen": 30_000,
        "om_veroordelingen": 8_000,
        "hennepkwekerij": 5_000,
        "sluiting_13b": 800,
        "drugsafval": 400,
    },
}

HOTSPOT_SHARE = 0.015
HOTSPOT_FACTOR_RANGE = (3.0, 6.0)
HOTSPOT_MIN_INHABITANTS = 500

DEFAULT_PRICE = 350_000.0  # euro, where a buurt has no WOZ value
# Transaction prices relative to the KWB 2024 WOZ value, per year of transfer.
PRICE_INDEX = {2019: 0.80, 2020: 0.86, 2021: 0.97, 2022: 1.09, 2023: 1.06, 2024: 1.13, 2025: 1.22}

# Trends over the years (mean about 1 over 2021-2024; years not listed: 1).
TRENDS: dict[str, dict[int, float]] = {
    "kadaster_transacties": {2021: 1.12, 2022: 0.98, 2023: 0.92, 2024: 0.98},
    "fiu_meldingen": {2021: 0.86, 2022: 0.95, 2023: 1.05, 2024: 1.14},
    "om_veroordelingen": {2021: 1.03, 2022: 1.0, 2023: 0.98, 2024: 0.99},
    "hennepkwekerij": {2021: 1.10, 2022: 1.03, 2023: 0.96, 2024: 0.91},
    "sluiting_13b": {2021: 0.94, 2022: 0.98, 2023: 1.02, 2024: 1.06},
    "drugsafval": {2021: 1.05, 2022: 1.0, 2023: 0.98, 2024: 0.97},
}


def _by_urbanity(very, strong, moderate, little, not_urban) -> np.ndarray:
    """A multiplier per urbanity class, indexable by the class (1..5); index 0 is unused."""
    return np.array([1.0, very, strong, moderate, little, not_urban])


URBANITY = {
    "kadaster_transacties": _by_urbanity(1.15, 1.05, 1.0, 0.95, 0.9),
    "koper_rechtspersoon": _by_urbanity(1.5, 1.1, 0.9, 0.75, 0.65),
    "kvk": _by_urbanity(1.7, 1.3, 1.0, 0.85, 0.75),
    "kvk_churn": _by_urbanity(1.25, 1.1, 1.0, 0.9, 0.85),
    "fiu_meldingen": _by_urbanity(2.0, 1.3, 1.0, 0.75, 0.6),
    "opiumwet": _by_urbanity(1.5, 1.2, 1.0, 0.85, 0.7),
    "witwassen": _by_urbanity(1.6, 1.2, 1.0, 0.8, 0.7),
    "overig": _by_urbanity(1.3, 1.1, 1.0, 0.9, 0.8),
    "hennepkwekerij": _by_urbanity(0.75, 0.9, 1.0, 1.1, 1.2),
    "sluiting_13b": _by_urbanity(1.6, 1.25, 1.0, 0.8, 0.6),
    "drugsafval": _by_urbanity(0.3, 0.5, 0.8, 1.1, 1.3),
}

# (SBI code, weight in the stock of establishments, risk branche)
SBI_MIX: tuple[tuple[str, float, bool], ...] = (
    ("5610", 2.5, True),  # restaurants
    ("5630", 0.8, True),  # cafés
    ("9602", 3.0, True),  # kappers, schoonheids- en nagelstudio's
    ("4511", 1.2, True),  # handel in personenauto's
    ("9313", 0.6, True),  # fitnesscentra
    ("6810", 1.0, True),  # handel in eigen onroerend goed
    ("4719", 0.6, True),  # winkels in een algemeen assortiment
    ("4778", 0.5, True),  # overige winkels in nieuwe artikelen
    ("9604", 0.3, True),  # sauna's, solaria
    ("5510", 0.4, True),  # hotels
    ("4120", 3.0, True),  # algemene burgerlijke en utiliteitsbouw
    ("6420", 6.0, True),  # financiële holdings
    ("7022", 7.0, True),  # advisering bedrijfsvoering
    ("0111", 1.0, False),  # akkerbouw
    ("0141", 1.2, False),  # melkveehouderij
    ("4321", 1.5, False),  # elektrotechnische bouwinstallatie
    ("4332", 2.0, False),  # timmerwerk
    ("4399", 4.0, False),  # overige gespecialiseerde bouw
    ("4520", 1.0, False),  # autoreparatie
    ("4619", 2.0, False),  # handelsbemiddeling
    ("4711", 0.5, False),  # supermarkten
    ("4791", 4.0, False),  # winkels via internet
    ("4932", 1.0, False),  # taxivervoer
    ("4941", 1.5, False),  # goederenvervoer over de weg
    ("6201", 3.0, False),  # ontwikkelen van software
    ("6202", 2.0, False),  # advisering op het gebied van IT
    ("6619", 0.8, False),  # overige financiële dienstverlening
    ("6910", 0.8, False),  # rechtskundige dienstverlening
    ("6920", 1.5, False),  # accountancy, belastingadvies
    ("7111", 1.0, False),  # architecten
    ("7112", 2.0, False),  # ingenieurs
    ("7311", 1.0, False),  # reclamebureaus
    ("7410", 3.0, False),  # industrieel ontwerp, grafisch ontwerp
    ("7420", 1.0, False),  # fotografie
    ("8121", 1.5, False),  # schoonmaak
    ("8130", 1.5, False),  # hoveniers
    ("8299", 2.5, False),  # overige zakelijke dienstverlening
    ("8559", 3.0, False),  # overig onderwijs
    ("8621", 0.5, False),  # huisartsen
    ("8690", 4.0, False),  # overige gezondheidszorg
    ("8810", 1.0, False),  # maatschappelijke dienstverlening zonder overnachting
    ("9001", 3.0, False),  # beoefening van podiumkunst
    ("9003", 1.5, False),  # schrijven en overige scheppende kunst
    ("9499", 2.0, False),  # overige ideële organisaties
    ("9609", 1.5, False),  # overige dienstverlening
)
RISK_SBI_CODES = frozenset(code for code, _, risk in SBI_MIX if risk)
# Branches whose establishments often sit on a home address (holdings, advice, real estate).
HOME_SBI_CODES = frozenset({"6420", "7022", "6810"})


class InputError(ValueError):
    """The KWB input cannot drive the generator (missing columns, no buurten, bad codes)."""


@dataclass
class Buurten:
    """The buurten of the input, sorted by code, as arrays of equal length."""

    code: np.ndarray  # str
    gemeente: np.ndarray  # str
    inhabitants: np.ndarray  # float, >= 0
    households: np.ndarray  # float, >= 0
    urbanity: np.ndarray  # int, 1..5
    price: np.ndarray  # euro
    land_ha: np.ndarray  # float, >= 0

    def __len__(self) -> int:
        return len(self.code)


@dataclass
class Extract:
    """The rows of one extract in file order, each column as ASCII bytes (numpy ``S``).

    At national scale the KvK extract has over 3 million rows: as Python strings in a DataFrame
    they would take gigabytes, as fixed-width bytes a few hundred megabytes.
    """

    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({name: values.astype(str) for name, values in self.columns.items()})


@dataclass
class SyntheticExtracts:
    seed: int
    years: tuple[int, ...]
    scale: str
    buurten: Buurten
    tables: dict[str, Extract]  # extract name -> rows, columns of EXTRACT_COLUMNS
    # theme -> {buurtcode: factor}; secret to the data, never written to the output
    hotspots: dict[str, dict[str, float]]
    seconds: float = 0.0
    paths: list[Path] = field(default_factory=list)

    def hotspot_codes(self, theme: str) -> set[str]:
        return set(self.hotspots[theme])


# ---------------------------------------------------------------------------------------------
# input


REQUIRED_COLUMNS = (
    "regiocode",
    "niveau",
    "gemeentecode",
    "AantalInwoners_5",
    "HuishoudensTotaal_29",
    "MateVanStedelijkheid_120",
)
OPTIONAL_COLUMNS = ("GemiddeldeWOZWaardeVanWoningen_39", "OppervlakteLand_116")


def _numeric(column: pd.Series) -> np.ndarray:
    """Numbers of a CBS column; empty cells and CBS special codes (negative) become NaN."""
    values = pd.to_numeric(column.str.strip().str.replace(",", ".", regex=False), errors="coerce")
    values = values.where(values >= 0)
    return values.to_numpy(dtype=float)


def read_kwb(path: Path) -> Buurten:
    """The buurt rows (``niveau == buurt``) of a KWB-layout CSV such as kwb_2024_gebieden.csv."""
    path = Path(path)
    with path.open(encoding="utf-8-sig") as handle:
        header = handle.readline()
    separator = ";" if header.count(";") > header.count(",") else ","
    table = pd.read_csv(
        path, sep=separator, dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    table.columns = [str(name).strip() for name in table.columns]
    missing = [name for name in REQUIRED_COLUMNS if name not in table.columns]
    if missing:
        raise InputError(f"{path.name}: missing column(s) {', '.join(missing)}")
    for name in OPTIONAL_COLUMNS:
        if name not in table.columns:
            table[name] = ""
    table["regiocode"] = table["regiocode"].str.strip()
    table["gemeentecode"] = table["gemeentecode"].str.strip()
    niveau = table["niveau"].str.strip().str.lower()

    gemeenten = table[niveau == "gemeente"]
    gemeente_urbanity = dict(
        zip(gemeenten["regiocode"], _numeric(gemeenten["MateVanStedelijkheid_120"]))
    )

    rows = table[niveau == "buurt"].drop_duplicates("regiocode").sort_values("regiocode")
    if rows.empty:
        raise InputError(f"{path.name}: no rows with niveau 'buurt'")
    bad = rows.loc[
        ~rows["regiocode"].str.fullmatch(r"BU[0-9A-Z]{8}"), "regiocode"
    ].tolist()
    if bad:
        raise InputError(f"{path.name}: not a buurt code: {', '.join(bad[:5])}")

    urbanity = _numeric(rows["MateVanStedelijkheid_120"])
    fallback = rows["gemeentecode"].map(gemeente_urbanity).to_numpy(dtype=float)
    urbanity = np.where(np.isnan(urbanity), fallback, urbanity)
    urbanity = np.where(np.isnan(urbanity), 3, urbanity)
    woz = _numeric(rows["GemiddeldeWOZWaardeVanWoningen_39"])
    return Buurten(
        code=rows["regiocode"].to_numpy(dtype=str),
        gemeente=rows["gemeentecode"].to_numpy(dtype=str),
        inhabitants=np.nan_to_num(_numeric(rows["AantalInwoners_5"])),
        households=np.nan_to_num(_numeric(rows["HuishoudensTotaal_29"])),
        urbanity=np.clip(np.rint(urbanity), 1, 5).astype(np.int64),
        price=np.where(np.isnan(woz) | (woz <= 0), DEFAULT_PRICE, woz * 1000.0),
        land_ha=np.nan_to_num(_numeric(rows["OppervlakteLand_116"])),
    )


def parse_years(text: str) -> tuple[int, ...]:
    """'2021-2024', '2023' or '2021,2023' -> sorted distinct years."""
    years: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            low = int(first)
            high = int(last) if last else low
        except ValueError:
            raise ValueError(f"not a year or range of years: {part!r}") from None
        if low > high:
            raise ValueError(f"range runs backwards: {part!r}")
        years.update(range(low, high + 1))
    if not years:
        raise ValueError("no years given")
    if min(years) < 1990 or max(years) > 2100:
        raise ValueError("years must lie between 1990 and 2100")
    return tuple(sorted(years))


# ---------------------------------------------------------------------------------------------
# helpers


def _jan1(years: np.ndarray) -> np.ndarray:
    since_1970 = np.asarray(years, dtype=np.int64) - 1970
    return since_1970.astype("datetime64[Y]").astype("datetime64[D]")


def _random_dates(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    """A date uniformly within each given year."""
    start = _jan1(years)
    length = (_jan1(np.asarray(years) + 1) - start).astype(np.int64)
    return start + np.floor(rng.random(len(start)) * length).astype(np.int64)


def _year_of(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[Y]").astype(np.int64) + 1970


def _iso(dates: np.ndarray) -> np.ndarray:
    """ISO dates as bytes, empty for NaT; each distinct day is formatted once (a few thousand
    days against millions of rows)."""
    known = ~np.isnat(dates)
    out = np.full(len(dates), b"", dtype="S10")
    if known.any():
        days = dates[known].astype(np.int64)
        first = days.min()
        table = np.datetime_as_string(
            np.arange(first, days.max() + 1).astype("datetime64[D]"), unit="D"
        ).astype("S10")
        out[known] = table[days - first]
    return out


def _flags(mask: np.ndarray) -> np.ndarray:
    return np.where(mask, b"ja", b"nee")


def _text(values: np.ndarray) -> np.ndarray:
    """Numbers or text as ASCII bytes: every value in the extracts is ASCII."""
    return np.asarray(values).astype("S")


def _zfill(numbers: np.ndarray, width: int) -> np.ndarray:
    """Whole numbers as digits, padded with zeros to ``width``."""
    text = _text(np.asarray(numbers, dtype=np.int64))
    return np.strings.zfill(text, width) if len(text) else text  # zfill fails on an empty array


def _ids(prefix: str, numbers: np.ndarray, width: int = 7) -> np.ndarray:
    return np.strings.add(prefix.encode(), _zfill(numbers, width))


def _amounts(euro: np.ndarray) -> np.ndarray:
    """Amounts with two decimals ("%.2f" of values already rounded to cents)."""
    cents = np.rint(np.asarray(euro) * 100).astype(np.int64)
    return np.strings.add(
        np.strings.add(_text(cents // 100), b"."), _zfill(cents % 100, 2)
    )


def _pseudonyms(rng: np.random.Generator, keys: np.ndarray) -> np.ndarray:
    """A number per distinct key, 1..k in a seeded random order (the same key, the same number)."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    return (rng.permutation(len(distinct)) + 1)[inverse]


def _width(n: int) -> int:
    return max(7, len(str(n)))


def _trend(name: str, years: tuple[int, ...]) -> np.ndarray:
    return np.array([TRENDS.get(name, {}).get(year, 1.0) for year in years])


def _expected(
    volume: float, national_base: float, base: np.ndarray, multiplier: np.ndarray, trend: np.ndarray
) -> np.ndarray:
    """Expected records per buurt (rows) and year (columns).

    The input's total is ``volume`` times its share of the national denominator; the multipliers
    (urbanity, hot spots) only move that total between the buurten.
    """
    weight = base * multiplier
    total_weight = weight.sum()
    if total_weight <= 0:
        return np.zeros((len(base), len(trend)))
    per_year = volume * base.sum() / national_base
    return np.outer(per_year * weight / total_weight, trend)


def _draw(rng: np.random.Generator, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson counts per buurt and year, expanded to one (buurt, year index) pair per record."""
    counts = rng.poisson(expected).ravel()
    cell = np.repeat(np.arange(counts.size), counts)
    n_years = expected.shape[1]
    return cell // n_years, cell % n_years


def _choose(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn with the given weights (inverse CDF, vectorised)."""
    cumulative = np.cumsum(weights, dtype=float)
    cumulative /= cumulative[-1]
    return np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), len(weights) - 1)


_SBI_CODES = np.array([code for code, _, _ in SBI_MIX], dtype="S")
_SBI_WEIGHTS = np.array([weight for _, weight, _ in SBI_MIX])
_SBI_RISK = np.array([risk for _, _, risk in SBI_MIX])
_SBI_HOME = np.isin(_SBI_CODES.astype(str), list(HOME_SBI_CODES))
RISK_SHARE = _SBI_WEIGHTS[_SBI_RISK].sum() / _SBI_WEIGHTS.sum()


def _sbi_picks(rng: np.random.Generator, tilt: np.ndarray) -> np.ndarray:
    """An index into SBI_MIX per row; ``tilt`` multiplies the odds of a risk branche for that
    row."""
    n = len(tilt)
    odds = RISK_SHARE * tilt
    risky = rng.random(n) < odds / (odds + 1 - RISK_SHARE)
    risk_rows, other_rows = np.flatnonzero(_SBI_RISK), np.flatnonzero(~_SBI_RISK)
    pick_risk = risk_rows[_choose(rng, _SBI_WEIGHTS[_SBI_RISK], n)]
    pick_other = other_rows[_choose(rng, _SBI_WEIGHTS[~_SBI_RISK], n)]
    return np.where(risky, pick_risk, pick_other)


def _extract(
    columns: list[str], data: dict[str, np.ndarray], keys: tuple[np.ndarray, ...]
) -> Extract:
    """The rows sorted by ``keys`` (numbers, most significant first; the last key is unique)."""
    order = np.lexsort(tuple(np.asarray(key, dtype=np.int64) for key in reversed(keys)))
    return Extract({name: _text(data[name])[order] for name in columns})


# ---------------------------------------------------------------------------------------------
# hot spots


def pick_hotspots(rng: np.random.Generator, buurten: Buurten) -> dict[str, np.ndarray]:
    """Per theme a factor per buurt: 1, or 3-6 at ~1.5% of the buurten (>= 500 inhabitants)."""
    n = len(buurten)
    wanted = max(1, int(round(HOTSPOT_SHARE * n)))
    eligible = np.flatnonzero(buurten.inhabitants >= HOTSPOT_MIN_INHABITANTS)
    if eligible.size == 0:
        eligible = np.flatnonzero(buurten.inhabitants > 0)
    factors = {}
    for theme in THEMES:
        factor = np.ones(n)
        if eligible.size:
            chosen = rng.choice(eligible, size=min(wanted, eligible.size), replace=False)
            factor[chosen] = rng.uniform(*HOTSPOT_FACTOR_RANGE, size=chosen.size)
        factors[theme] = factor
    return factors


# ---------------------------------------------------------------------------------------------
# the five extracts


def _kadaster(
    rng, buurten: Buurten, years: tuple[int, ...], hot: np.ndarray, volumes: dict[str, int]
) -> Extract:
    year_arr = np.array(years)
    expected = _expected(
        volumes["kadaster_transacties"],
        NATIONAL_HOUSEHOLDS,
        buurten.households,
        URBANITY["kadaster_transacties"][buurten.urbanity],
        _trend("kadaster_transacties", years),
    )
    b, yi = _draw(rng, expected)
    dates = _random_dates(rng, year_arr[yi])
    stock = np.maximum(np.ceil(buurten.households * 1.08), 1)  # dwellings: households + vacancy
    dwelling = np.floor(rng.random(len(b)) * stock[b]).astype(np.int64)

    # flip-through: the same dwelling sold again within a year
    flips = np.flatnonzero(rng.random(len(b)) < np.clip(0.01 * hot[b], 0, 0.3))
    flip_dates = dates[flips] + rng.integers(30, 365, flips.size)
    inside = np.isin(_year_of(flip_dates), year_arr)
    flips, flip_dates = flips[inside], flip_dates[inside]
    origin = np.concatenate([np.full(len(b), -1), flips])
    b = np.concatenate([b, b[flips]])
    dwelling = np.concatenate([dwelling, dwelling[flips]])
    dates = np.concatenate([dates, flip_dates])
    is_flip = origin >= 0
    n = len(b)

    factor = hot[b]
    urban = URBANITY["koper_rechtspersoon"][buurten.urbanity[b]]
    legal = rng.random(n) < np.clip(0.10 * urban * factor * np.where(is_flip, 1.5, 1), 0, 0.8)
    no_mortgage = rng.random(n) < np.clip(np.where(legal, 0.55, 0.20) * factor, 0, 0.95)
    unexplained = rng.random(n) < np.clip(np.where(no_mortgage, 0.05, 0.018) * factor, 0, 0.6)

    index = np.array([PRICE_INDEX.get(int(year), 1.0) for year in _year_of(dates)])
    price = buurten.price[b] * index * rng.lognormal(0.0, 0.35, n)
    markup = rng.uniform(1.08, 1.45, n)
    price[is_flip] = price[origin[is_flip]] * markup[is_flip]
    koopsom = np.maximum(np.rint(price / 500.0) * 500.0, 10_000).astype(np.int64)

    # buyers: a person buys once here; legal entities come from a pool, some buy many dwellings
    pool = max(1, int(legal.sum()) // 2)
    popularity = rng.gamma(0.5, 1.0, pool)  # most buy once or twice, a few buy dozens
    buyer_key = np.where(legal, n + _choose(rng, popularity, n), np.arange(n))

    width = _width(n)
    number = rng.permutation(n) + 1
    return _extract(
        EXTRACT_COLUMNS["kadaster_transacties"],
        {
            "transactie_id": _ids("KT", number, width),
            "object_id": _ids("KO", _pseudonyms(rng, b * 100_000_000 + dwelling), width + 1),
            "buurtcode": _text(buurten.code)[b],
            "datum": _iso(dates),
            "koopsom": koopsom,
            "koper_id": _ids("KK", _pseudonyms(rng, buyer_key), width + 1),
            "koper_rechtspersoon": _flags(legal),
            "hypotheek": _flags(~no_mortgage),
            "onverklaarbaar": _flags(unexplained),
            "synthetisch": np.full(n, b"ja"),
        },
        (dates.astype(np.int64), number),
    )


def _kvk(
    rng, buurten: Buurten, years: tuple[int, ...], hot: np.ndarray, volumes: dict[str, int]
) -> Extract:
    first, last = _jan1([years[0]])[0], _jan1([years[-1] + 1])[0] - 1
    stock = _expected(
        volumes["kvk_stock"],
        NATIONAL_INHABITANTS,
        buurten.inhabitants,
        URBANITY["kvk"][buurten.urbanity],
        np.ones(1),
    )[:, 0]
    churn = URBANITY["kvk_churn"][buurten.urbanity] * hot

    # the stock on 1 January of the first year, registered over the decades before
    initial = np.repeat(np.arange(len(buurten)), rng.poisson(stock))
    age_days = np.ceil(rng.exponential(9.0 * 365.25, initial.size)).astype(np.int64) % 25_000 + 1
    initial_dates = first - age_days
    # new registrations in each year asked for
    new_b, new_yi = _draw(rng, np.outer(stock * np.clip(0.09 * churn, 0, 0.6), np.ones(len(years))))
    new_dates = _random_dates(rng, np.array(years)[new_yi])

    b = np.concatenate([initial, new_b])
    registered = np.concatenate([initial_dates, new_dates])
    n = len(b)
    factor = hot[b]
    sbi = _sbi_picks(rng, factor)
    risky = _SBI_RISK[sbi]

    yearly_exit = np.clip(0.08 * np.where(risky, 1.4, 1.0) * churn[b], 0, 0.6)
    lifetime_years = rng.exponential(1.0 / -np.log1p(-yearly_exit))
    lifetime_days = np.ceil(lifetime_years * 365.25).astype(np.int64)
    ended = np.maximum(registered, first) + np.maximum(lifetime_days, 1)
    ended = np.where(ended <= last, ended, np.datetime64("NaT"))

    at_home = np.where(_SBI_HOME[sbi], 1.6, 1.0)
    home = rng.random(n) < np.clip(0.03 * at_home * factor, 0, 0.6)
    convicted = rng.random(n) < np.clip(0.0065 * np.where(risky, 2.0, 1.0) * factor, 0, 0.5)

    # most companies have one establishment; ~8% belong to a chain with several
    in_chain = rng.random(n) < 0.08
    chains = max(1, int(in_chain.sum()) // 6)
    chain = _choose(rng, 1.0 / np.arange(1, chains + 1), n)
    company_key = np.where(in_chain, n + chain, np.arange(n))

    width = _width(n)
    number = rng.permutation(n) + 1
    return _extract(
        EXTRACT_COLUMNS["kvk_vestigingen"],
        {
            "vestiging_id": _ids("KV", number, width),
            "onderneming_id": _ids("KB", _pseudonyms(rng, company_key), width),
            "buurtcode": _text(buurten.code)[b],
            "sbi_code": _SBI_CODES[sbi],
            "datum_inschrijving": _iso(registered),
            "datum_uitschrijving": _iso(ended),
            "woonadres": _flags(home),
            "bestuurder_veroordeeld": _flags(convicted),
            "synthetisch": np.full(n, b"ja"),
        },
        (registered.astype(np.int64), number),
    )


def _fiu(
    rng, buurten: Buurten, years: tuple[int, ...], hot: np.ndarray, volumes: dict[str, int]
) -> Extract:
    expected = _expected(
        volumes["fiu_meldingen"],
        NATIONAL_INHABITANTS,
        buurten.inhabitants,
        URBANITY["fiu_meldingen"][buurten.urbanity] * hot,
        _trend("fiu_meldingen", years),
    )
    b, yi = _draw(rng, expected)
    n = len(b)
    dates = _random_dates(rng, np.array(years)[yi])
    in_hotspot = hot[b] > 1
    amount = rng.lognormal(np.log(4_000.0) + np.where(in_hotspot, 0.4, 0.0), 1.55, n)
    amount = np.clip(np.round(amount, 2), 1.0, 50_000_000.0)

    base = np.array([0.35, 0.30, 0.28, 0.07])
    tilt = np.where(in_hotspot[:, None], np.array([2.0, 2.0, 1.0, 1.0]), 1.0)
    probabilities = base * tilt
    cumulative = np.cumsum(probabilities, axis=1) / probabilities.sum(axis=1, keepdims=True)
    kind = np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), 3)

    company = rng.random(n) < np.where(in_hotspot, 0.45, 0.30)
    sbi = np.where(company, _SBI_CODES[_sbi_picks(rng, 3.0 * hot[b])], b"")

    width = _width(n)
    number = rng.permutation(n) + 1
    return _extract(
        EXTRACT_COLUMNS["fiu_meldingen"],
        {
            "melding_id": _ids("FM", number, width),
            "buurtcode": _text(buurten.code)[b],
            "datum": _iso(dates),
            "bedrag": _amounts(amount),
            "soort": _text(FIU_SOORTEN)[kind],
            "sbi_code": sbi,
            "synthetisch": np.full(n, b"ja"),
        },
        (dates.astype(np.int64), number),
    )


_YOUNG_AGES = np.arange(12, 24)
_YOUNG_WEIGHTS = np.array([1, 1, 2, 3, 5, 7, 9, 10, 10, 10, 9, 9], dtype=float)
OM_SHARES = {"opiumwet": 0.55, "witwassen": 0.12, "overig": 0.33}


def _om(
    rng,
    buurten: Buurten,
    years: tuple[int, ...],
    drugs: np.ndarray,
    money: np.ndarray,
    volumes: dict[str, int],
) -> Extract:
    trend = _trend("om_veroordelingen", years)
    hot_of = {"opiumwet": drugs, "witwassen": money, "overig": np.ones(len(buurten))}
    parts_b, parts_yi, parts_kind = [], [], []
    for kind, delict in enumerate(OM_DELICTEN):
        expected = _expected(
            volumes["om_veroordelingen"] * OM_SHARES[delict],
            NATIONAL_INHABITANTS,
            buurten.inhabitants,
            URBANITY[delict][buurten.urbanity] * hot_of[delict],
            trend,
        )
        b, yi = _draw(rng, expected)
        parts_b.append(b)
        parts_yi.append(yi)
        parts_kind.append(np.full(len(b), kind))
    b, yi, kind = (np.concatenate(part) for part in (parts_b, parts_yi, parts_kind))
    n = len(b)
    dates = _random_dates(rng, np.array(years)[yi])

    # age in the year of the judgment: ~20% 12-23 (more for drug convictions in drug hot spots)
    young = rng.random(n) < np.where((kind == 0) & (drugs[b] > 1), 0.32, 0.20)
    age = np.where(
        young,
        _YOUNG_AGES[_choose(rng, _YOUNG_WEIGHTS, n)],
        np.minimum(24 + np.floor(rng.gamma(2.0, 8.0, n)), 85).astype(np.int64),
    )
    birth_year = _year_of(dates) - age

    # recidivism: ~15% of the convictions are of someone convicted earlier in the same buurt
    order = np.lexsort((dates, b))
    b, kind, dates, birth_year = b[order], kind[order], dates[order], birth_year[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    position = np.arange(n) - group_start
    again = (rng.random(n) < 0.15) & (position > 0)
    earlier = group_start + np.floor(rng.random(n) * position).astype(np.int64)
    person = np.where(again, earlier, np.arange(n))
    while True:  # follow earlier convictions back to the first of that person
        root = person[person]
        if np.array_equal(root, person):
            break
        person = root
    birth_year = birth_year[person]

    width = _width(n)
    number = rng.permutation(n) + 1
    return _extract(
        EXTRACT_COLUMNS["om_veroordelingen"],
        {
            "veroordeling_id": _ids("OV", number, width),
            "persoon_id": _ids("OP", _pseudonyms(rng, person), width),
            "buurtcode": _text(buurten.code)[b],
            "datum": _iso(dates),
            "delict": _text(OM_DELICTEN)[kind],
            "geboortejaar": birth_year,
            "synthetisch": np.full(n, b"ja"),
        },
        (dates.astype(np.int64), number),
    )


def _registraties(
    rng, buurten: Buurten, years: tuple[int, ...], drugs: np.ndarray, volumes: dict[str, int]
) -> Extract:
    bases = {
        "hennepkwekerij": (buurten.households, NATIONAL_HOUSEHOLDS),
        "sluiting_13b": (buurten.households, NATIONAL_HOUSEHOLDS),
        # dumped in the countryside, but also where the producers live: land and households
        "drugsafval": (
            buurten.land_ha / NATIONAL_LAND_HA + buurten.households / NATIONAL_HOUSEHOLDS,
            2.0,
        ),
    }
    parts_b, parts_yi, parts_kind = [], [], []
    for kind, soort in enumerate(REGISTRATIE_SOORTEN):
        base, national = bases[soort]
        expected = _expected(
            volumes[soort],
            national,
            base,
            URBANITY[soort][buurten.urbanity] * drugs,
            _trend(soort, years),
        )
        b, yi = _draw(rng, expected)
        parts_b.append(b)
        parts_yi.append(yi)
        parts_kind.append(np.full(len(b), kind))
    b, yi, kind = (np.concatenate(part) for part in (parts_b, parts_yi, parts_kind))
    n = len(b)
    dates = _random_dates(rng, np.array(years)[yi])
    width = _width(n)
    number = rng.permutation(n) + 1
    return _extract(
        EXTRACT_COLUMNS["gemeentelijke_registraties"],
        {
            "registratie_id": _ids("GR", number, width),
            "buurtcode": _text(buurten.code)[b],
            "datum": _iso(dates),
            "soort": _text(REGISTRATIE_SOORTEN)[kind],
            "synthetisch": np.full(n, b"ja"),
        },
        (dates.astype(np.int64), number),
    )


# ---------------------------------------------------------------------------------------------
# entry points


def generate(
    kwb_path: Path,
    *,
    seed: int = DEFAULT_SEED,
    years: tuple[int, ...] = DEFAULT_YEARS,
    scale: str = DEFAULT_SCALE,
) -> SyntheticExtracts:
    """The five synthetic extracts for the buurten of ``kwb_path``, in memory."""
    started = time.monotonic()
    years = tuple(sorted(set(int(year) for year in years)))
    if not years:
        raise ValueError("no years given")
    if scale not in VOLUMES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    volumes = VOLUMES[scale]
    buurten = read_kwb(kwb_path)
    streams = [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(6)]
    hot = pick_hotspots(streams[0], buurten)
    tables = {
        "kadaster_transacties": _kadaster(streams[1], buurten, years, hot["vastgoed"], volumes),
        "kvk_vestigingen": _kvk(streams[2], buurten, years, hot["branches"], volumes),
        "fiu_meldingen": _fiu(streams[3], buurten, years, hot["transacties"], volumes),
        "om_veroordelingen": _om(
            streams[4], buurten, years, hot["drugs"], hot["transacties"], volumes
        ),
        "gemeentelijke_registraties": _registraties(
            streams[5], buurten, years, hot["drugs"], volumes
        ),
    }
    hotspots = {
        theme: {
            str(code): float(factor)
            for code, factor in zip(buurten.code, hot[theme])
            if factor > 1
        }
        for theme in THEMES
    }
    return SyntheticExtracts(
        seed=seed,
        years=years,
        scale=scale,
        buurten=buurten,
        tables=tables,
        hotspots=hotspots,
        seconds=time.monotonic() - started,
    )


def write_extracts(extracts: SyntheticExtracts, out_dir: Path) -> list[Path]:
    """Write the five CSV files (UTF-8, comma, header row) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, columns in EXTRACT_COLUMNS.items():
        path = out_dir / f"{name}.csv"
        _write_csv(path, columns, extracts.tables[name])
        paths.append(path)
    extracts.paths = paths
    return paths


WRITE_CHUNK_ROWS = 250_000


def _write_csv(path: Path, columns: list[str], table: Extract) -> None:
    """Header and rows, comma-separated, "\n" after each line, in chunks so that the lines of a
    national extract never sit in memory at once. No value holds a comma, quote or line break,
    so nothing needs quoting."""
    with path.open("wb") as handle:
        handle.write((",".join(columns) + "\n").encode("ascii"))
        for start in range(0, len(table), WRITE_CHUNK_ROWS):
            parts = [table.columns[name][start : start + WRITE_CHUNK_ROWS] for name in columns]
            lines = parts[0]
            for part in parts[1:]:
                lines = np.strings.add(np.strings.add(lines, b","), part)
            handle.write(b"\n".join(lines.tolist()) + b"\n")


def generate_extracts(
    kwb_path: Path,
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    years: tuple[int, ...] = DEFAULT_YEARS,
    scale: str = DEFAULT_SCALE,
) -> SyntheticExtracts:
    """Generate and write: what the management command does."""
    started = time.monotonic()
    extracts = generate(kwb_path, seed=seed, years=years, scale=scale)
    write_extracts(extracts, out_dir)
    extracts.seconds = time.monotonic() - started
    return extracts
