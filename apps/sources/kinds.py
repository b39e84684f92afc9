"""The registry of source kinds: what a steward may upload and how each is read and checked.

A kind declares its formats, its columns and types, how codes and periods are validated, its
shape (aggregated *observations*, record-level *extracts*, or *boundaries*) and the indicators
that depend on it. Parsing never writes: it turns a file into a normalised frame plus every
problem found, which the preview shows and the import stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings

from apps.core.problems import FileRejected, RowError
from apps.geography import selectors as geography

from .tabular import Table
from .validation import (
    NOT_AVAILABLE,
    check_codes,
    errors_for,
    level_from_code,
    parse_numbers,
    year_from_name,
)


class Shape:
    OBSERVATIONS = "observations"
    RECORDS = "records"
    BOUNDARIES = "boundaries"


@dataclass
class Parsed:
    """One file read by its kind: normalised rows and everything wrong with them."""

    file_name: str
    kind: str
    shape: str
    rows_read: int = 0
    dataset: str = ""
    vintage: int | None = None
    years: list[int] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    synthetic: bool = False
    layout: str = ""


OBSERVATION_COLUMNS = ["row", "area_code", "level", "year", "variable", "value", "status"]
RECORD_COLUMNS = [
    "row", "record_id", "buurt_code", "date", "end_date", "year", "amount", "sbi_code",
    "category", "subject_id", "object_id", "flags", "synthetic",
]


class SourceKind:
    slug: str
    label: str
    shape: str
    formats: tuple[str, ...] = ("CSV", "XLSX")
    description: str = ""

    @property
    def indicators(self) -> tuple[str, ...]:
        """Slugs of the indicators computed from this kind: derived from the indicator registry
        (each definition's ``sources``), so the relation is written down in one place."""
        from apps.indicators import registry

        return tuple(definition.slug for definition in registry.affected_by([self.slug]))

    def detect(self, columns: list[str]) -> bool:
        raise NotImplementedError

    def parse(self, table: Table, *, year: int | None = None, vintage: int | None = None) -> Parsed:
        raise NotImplementedError


_REGISTRY: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> SourceKind:
    _REGISTRY[kind.slug] = kind
    return kind


def all_kinds() -> list[SourceKind]:
    return list(_REGISTRY.values())


def get_kind(slug: str) -> SourceKind:
    try:
        return _REGISTRY[slug]
    except KeyError:
        raise ValueError(f"unknown kind {slug!r}; known kinds: {', '.join(_REGISTRY)}") from None


def detect_kind(table: Table) -> SourceKind:
    matches = [kind for kind in _REGISTRY.values() if kind.detect(table.columns)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FileRejected(
            [RowError(table.name, None, "", "no kind of source recognises these columns; choose the kind")]
        )
    names = ", ".join(kind.slug for kind in matches)
    raise FileRejected([RowError(table.name, None, "", f"several kinds fit ({names}); choose the kind")])


# ------------------------------------------------------------------ observations (wide tables)


@dataclass(frozen=True)
class WideLayout:
    """One published layout of a wide table: one row per area, one column per variable."""

    name: str
    signature: frozenset[str]  # columns that identify the layout
    code_columns: tuple[str, ...]  # the first one present holds the area code
    text_columns: frozenset[str]  # names, codes, labels: not variables
    level_column: str = ""
    year_column: str = ""
    categories: dict = field(default_factory=dict)  # column -> {label: number}


# CBS, PDOK and derived files name the same figure differently; the engine reads the canonical
# name on the left, the file may use any name on the right.
CANONICAL_VARIABLES = {
    "inwoners": ("AantalInwoners_5", "aantalInwoners", "aantal_inwoners", "population"),
    "huishoudens": ("HuishoudensTotaal_29", "aantalHuishoudens", "aantal_huishoudens"),
    "woz_gemiddeld": ("GemiddeldeWOZWaardeVanWoningen_39", "gemiddeldeWoningwaarde", "gemiddelde_woningwaarde", "dwelling_value"),
    "koopwoningen_pct": ("Koopwoningen_47", "percentageKoopwoningen", "percentage_koopwoningen", "dwelling_ownership"),
    "inkomen_per_inwoner": ("GemiddeldInkomenPerInwoner_78", "gemiddeldInkomenPerInwoner", "gemiddeld_inkomen_per_inwoner"),
    "stedelijkheid": ("MateVanStedelijkheid_120", "urbanity"),
    "leegstand_pct": ("percentageLeegstandWoningen", "percentage_leegstand_woningen"),
    "woningvoorraad": ("woningvoorraad", "dwelling_total"),
    "bedrijfsvestigingen": ("aantalBedrijfsvestigingen", "aantal_bedrijfsvestigingen"),
    "oppervlakte_land_ha": ("OppervlakteLand_116", "oppervlakteLandInHa", "oppervlakte_land_in_ha"),
}
_ALIAS = {alias: canonical for canonical, aliases in CANONICAL_VARIABLES.items() for alias in aliases}

# Columns that count people, households, dwellings or companies: never negative.
COUNT_COLUMN = re.compile(
    r"^(Aantal|aantal|k_\d|Huishoudens|mannen$|vrouwen$|population$|dwelling_total$|woningvoorraad$"
    r"|geboorte_totaal$|sterfte_totaal$|personenautos_totaal$|motortweewielers)"
)

URBANITY_LABELS = {
    "extremely urbanised": 1,
    "strongly urbanised": 2,
    "moderately urbanised": 3,
    "hardly urbanised": 4,
    "not urbanised": 5,
}

KWB_LAYOUTS = (
    WideLayout(
        name="cbs-85984",
        signature=frozenset({"regiocode", "niveau", "AantalInwoners_5"}),
        code_columns=("regiocode",),
        level_column="niveau",
        text_columns=frozenset(
            {"regiocode", "niveau", "naam", "gemeentecode", "wijkcode", "provinciecode", "MeestVoorkomendePostcode_118"}
        ),
    ),
    WideLayout(
        name="pdok-snake",
        signature=frozenset({"aantal_inwoners", "gemeentecode"}),
        code_columns=("buurtcode", "wijkcode", "gemeentecode"),
        year_column="jaar",
        text_columns=frozenset(
            {"buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam",
             "indelingswijziging_wijken_en_buurten", "water", "meest_voorkomende_postcode", "jrstatcode", "jaar"}
        ),
    ),
    WideLayout(
        name="pdok-camel",
        signature=frozenset({"aantalInwoners", "gemeentecode"}),
        code_columns=("buurtcode", "wijkcode", "gemeentecode"),
        year_column="jaar",
        text_columns=frozenset(
            {"buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water",
             "jrstatcode", "jaar", "provincienaam", "provinciecode"}
        ),
    ),
    WideLayout(
        name="tmap",
        signature=frozenset({"code", "name", "population", "urbanity"}),
        code_columns=("code",),
        text_columns=frozenset({"code", "name", "province"}),
        categories={"urbanity": URBANITY_LABELS},
    ),
)


class WideObservationKind(SourceKind):
    shape = Shape.OBSERVATIONS

    def __init__(self, slug, label, layouts, description=""):
        self.slug, self.label, self.layouts = slug, label, layouts
        self.description = description

    def layout_for(self, columns) -> WideLayout | None:
        present = set(columns)
        return next((layout for layout in self.layouts if layout.signature <= present), None)

    def detect(self, columns) -> bool:
        return self.layout_for(columns) is not None

    def parse(self, table: Table, *, year=None, vintage=None) -> Parsed:
        name, frame = table.name, table.frame
        layout = self.layout_for(table.columns)
        result = Parsed(name, self.slug, self.shape, rows_read=len(frame))
        if layout is None:
            result.errors.append(RowError(name, None, "", f"not a layout of {self.label}"))
            return result
        result.layout = layout.name
        result.dataset = f"{self.slug}:{layout.name}"
        code_column = next(c for c in layout.code_columns if c in frame.columns)
        codes = frame[code_column].str.upper()
        levels = frame[layout.level_column] if layout.level_column else level_from_code(codes)
        if code_column in ("buurtcode", "wijkcode", "gemeentecode") and not layout.level_column:
            levels = pd.Series(code_column.removesuffix("code"), index=frame.index)

        years, year_errors = _years(name, frame, layout.year_column, year)
        result.errors += year_errors
        if years is None:
            return result
        result.years = sorted(set(int(y) for y in years.dropna()))
        result.vintage = vintage or (result.years[0] if len(result.years) == 1 else None)
        known = geography.area_codes(vintage=result.vintage) if result.vintage else None
        if known is None:
            result.warnings.append(
                f"the {result.vintage} indeling is not loaded: codes are checked for their format only"
            )
        result.errors += check_codes(name, code_column, codes, levels, known)
        duplicated = (codes + "|" + years.astype(str)).duplicated(keep="first")
        result.errors += errors_for(name, code_column, duplicated, lambda i: f"{codes.at[i]} appears twice")

        decimal_comma = table.delimiter == ";"
        parts = []
        for column in frame.columns:
            if column in layout.text_columns:
                continue
            if column in layout.categories:
                mapping = layout.categories[column]
                values = frame[column].str.lower().map(mapping).astype(float)
                status = pd.Series("", index=frame.index).where(values.notna(), NOT_AVAILABLE)
                bad = (frame[column] != "") & values.isna()
                allowed = ", ".join(mapping)
                result.errors += errors_for(name, column, bad, f"unknown category; expected one of: {allowed}")
            else:
                values, status, bad = parse_numbers(frame[column], decimal_comma=decimal_comma)
                result.errors += errors_for(
                    name, column, bad, lambda i, c=column: f"text {frame[c].at[i]!r} in a number field"
                )
                if COUNT_COLUMN.match(column):
                    negative = values < 0
                    result.errors += errors_for(name, column, negative, "a count cannot be negative")
            parts.append(
                pd.DataFrame(
                    {
                        "row": frame.index + 1,
                        "area_code": codes,
                        "level": levels,
                        "year": years,
                        "variable": _ALIAS.get(column, column),
                        "value": values,
                        "status": status,
                    }
                )
            )
        if not parts:
            result.errors.append(RowError(name, None, "", "the file holds no figures"))
            return result
        result.frame = pd.concat(parts, ignore_index=True)[OBSERVATION_COLUMNS]
        return result


def _years(name: str, frame: pd.DataFrame, year_column: str, given: int | None):
    """The reference year (peiljaar) of each row: a column, the steward's choice, or the file name."""
    if year_column and year_column in frame.columns:
        years = pd.to_numeric(frame[year_column], errors="coerce")
        bad = years.isna() | (years < 1990) | (years > 2100)
        errors = errors_for(name, year_column, bad, lambda i: f"{frame[year_column].at[i]!r} is not a year")
        return years.astype("Int64"), errors
    year = given or year_from_name(name)
    if year is None:
        return None, [RowError(name, None, "", "the file does not say its year: give the year (peiljaar)")]
    return pd.Series(year, index=frame.index, dtype="Int64"), []


# ------------------------------------------------------------------ observations (long tables)


class LongObservationKind(SourceKind):
    """A long table: one row per area and year, one figure."""

    shape = Shape.OBSERVATIONS

    def __init__(self, slug, label, *, value_column, variable, columns, description=""):
        self.slug, self.label = slug, label
        self.value_column, self.variable, self.columns = value_column, variable, columns
        self.description = description

    def detect(self, columns) -> bool:
        return self.value_column in columns

    def parse(self, table: Table, *, year=None, vintage=None) -> Parsed:
        name, frame = table.name, table.frame
        result = Parsed(name, self.slug, self.shape, rows_read=len(frame), dataset=self.slug)
        result.errors += _column_set_errors(name, table.columns, self.columns)
        if result.errors:
            return result
        codes = frame["regiocode"].str.upper()
        levels = frame["niveau"].str.lower()
        years, year_errors = _years(name, frame, "jaar", None)
        result.errors += year_errors
        result.years = sorted(set(int(y) for y in years.dropna()))
        result.vintage = vintage or settings.GEO_DEFAULT_VINTAGE
        known = geography.area_codes(vintage=result.vintage)
        result.errors += check_codes(name, "regiocode", codes, levels, known)
        duplicated = (codes + "|" + frame["jaar"]).duplicated()
        result.errors += errors_for(
            name, "regiocode", duplicated, lambda i: f"{codes.at[i]} appears twice for {frame['jaar'].at[i]}"
        )
        values, status, bad = parse_numbers(frame[self.value_column], decimal_comma=table.delimiter == ";")
        column = self.value_column
        result.errors += errors_for(name, column, bad, lambda i: f"text {frame[column].at[i]!r} in a number field")
        result.errors += errors_for(name, column, values < 0, "a count cannot be negative")
        result.errors += errors_for(
            name, column, values.notna() & (values % 1 != 0), "a count must be a whole number"
        )
        result.frame = pd.DataFrame(
            {
                "row": frame.index + 1,
                "area_code": codes,
                "level": levels,
                "year": years,
                "variable": self.variable,
                "value": values,
                "status": status,
            }
        )[OBSERVATION_COLUMNS]
        return result


def _column_set_errors(name: str, present: list[str], expected: list[str]) -> list[RowError]:
    missing = [c for c in expected if c not in present]
    extra = [c for c in present if c not in expected]
    errors = [RowError(name, None, c, "column missing") for c in missing]
    errors += [RowError(name, None, c, "unexpected column") for c in extra]
    return errors


# ------------------------------------------------------------------ record-level extracts


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # id, buurt, date, amount, flag, choice, sbi, year, text
    required: bool = True
    choices: tuple[str, ...] = ()
    maps_to: str = ""  # the generic record field it fills; flags go to `flags`


SBI_CODE = r"\d{2,5}"
FLAG_VALUES = {"ja": True, "nee": False}


class ExtractKind(SourceKind):
    """A record-level extract (docs/extracts.md): one row per event, pseudonymous ids."""

    shape = Shape.RECORDS

    def __init__(self, slug, label, columns: list[Column], description=""):
        self.slug, self.label, self.columns = slug, label, columns
        self.description = description

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def detect(self, columns) -> bool:
        # The id column names the register (transactie_id, vestiging_id, ...).
        return self.columns[0].name in columns

    def parse(self, table: Table, *, year=None, vintage=None) -> Parsed:
        name, frame = table.name, table.frame
        result = Parsed(name, self.slug, self.shape, rows_read=len(frame), dataset=self.slug)
        result.errors += _column_set_errors(name, table.columns, self.column_names)
        if result.errors:
            return result
        result.vintage = vintage or settings.GEO_DEFAULT_VINTAGE
        known = geography.area_codes(vintage=result.vintage)
        out = pd.DataFrame({"row": frame.index + 1})
        flags = {}
        for column in self.columns:
            cells = frame[column.name]
            empty = cells == ""
            if column.required:
                result.errors += errors_for(name, column.name, empty, "value missing")
            present = ~empty
            target = column.maps_to
            if column.type == "id":
                duplicated = present & cells.duplicated(keep="first")
                if target == "record_id":
                    result.errors += errors_for(name, column.name, duplicated, lambda i, c=cells: f"{c.at[i]} appears twice")
                out[target] = cells
            elif column.type == "buurt":
                codes = cells.str.upper()
                result.errors += check_codes(
                    name, column.name, codes[present], pd.Series("buurt", index=codes[present].index), known
                )
                out[target] = codes
            elif column.type == "date":
                dates = pd.to_datetime(cells.where(present), format="%Y-%m-%d", errors="coerce")
                result.errors += errors_for(
                    name, column.name, present & dates.isna(), lambda i, c=cells: f"{c.at[i]!r} is not a date (YYYY-MM-DD)"
                )
                out[target] = dates.dt.strftime("%Y-%m-%d").where(dates.notna(), None)
                if target == "date":
                    out["year"] = dates.dt.year.astype("Int64")
            elif column.type in ("amount", "year"):
                values, _, bad = parse_numbers(cells, decimal_comma=table.delimiter == ";", special_codes=False)
                result.errors += errors_for(
                    name, column.name, present & bad, lambda i, c=cells: f"text {c.at[i]!r} in a number field"
                )
                result.errors += errors_for(name, column.name, values < 0, "cannot be negative")
                if column.type == "year":
                    implausible = (values >= 0) & ((values % 1 != 0) | (values < 1900) | (values > 2100))
                    result.errors += errors_for(name, column.name, implausible, "not a year between 1900 and 2100")
                    flags[column.name] = values
                else:
                    out[target] = values
            elif column.type == "flag":
                mapped = cells.str.lower().map(FLAG_VALUES)
                result.errors += errors_for(name, column.name, present & mapped.isna(), "expected ja or nee")
                if target:
                    out[target] = mapped
                else:
                    flags[column.name] = mapped
            elif column.type == "choice":
                bad = present & ~cells.str.lower().isin(column.choices)
                result.errors += errors_for(
                    name, column.name, bad, f"expected one of: {', '.join(column.choices)}"
                )
                out[target] = cells.str.lower()
            elif column.type == "sbi":
                bad = present & ~cells.str.fullmatch(SBI_CODE)
                result.errors += errors_for(name, column.name, bad, "an SBI code has 2 to 5 digits")
                out[target] = cells.where(present, "")
            else:
                out[target] = cells
        for field_name in RECORD_COLUMNS:
            if field_name not in out.columns:
                out[field_name] = None
        out["flags"] = _flags_column(flags, len(frame))
        out["synthetic"] = out["synthetic"].map(lambda flag: flag is True)
        result.synthetic = bool(out["synthetic"].any())
        result.years = sorted(set(int(y) for y in out["year"].dropna()))
        result.frame = out[RECORD_COLUMNS]
        return result


def _flags_column(flags: dict[str, pd.Series], length: int) -> list[dict]:
    if not flags:
        return [{} for _ in range(length)]
    frame = pd.DataFrame(flags)
    records = frame.to_dict("records")
    return [
        {key: (None if pd.isna(value) else (bool(value) if isinstance(value, (bool, np.bool_)) else float(value)))
         for key, value in record.items()}
        for record in records
    ]


# ------------------------------------------------------------------ boundaries


class BoundaryKind(SourceKind):
    """Boundaries go through the geography import (apps.geography.services)."""

    shape = Shape.BOUNDARIES
    formats = ("GeoJSON", "TopoJSON", "GeoPackage")

    def __init__(self):
        self.slug, self.label = "grenzen", "Gebiedsgrenzen (CBS/PDOK)"
        self.description = "gemeente-, wijk- or buurtgrenzen; the level follows from the code property"

    def detect(self, columns) -> bool:
        return False  # spatial files are recognised by their content, not by columns


SPATIAL_SUFFIXES = {".geojson", ".json", ".topojson", ".gpkg"}


def is_spatial(path: Path) -> bool:
    return Path(path).suffix.lower() in SPATIAL_SUFFIXES


# ------------------------------------------------------------------ the kinds Zicht knows

register(
    WideObservationKind(
        "cbs_kwb",
        "CBS Kerncijfers wijken en buurten",
        KWB_LAYOUTS,
        description="wide table, one row per area; CBS column keys (85984NED), PDOK attribute names or tmap names",
    )
)
register(
    LongObservationKind(
        "politie_misdrijven",
        "Geregistreerde misdrijven (Politie, via CBS)",
        value_column="geregistreerde_misdrijven_totaal",
        variable="geregistreerde_misdrijven",
        columns=["regiocode", "niveau", "jaar", "geregistreerde_misdrijven_totaal"],
        description="registered crime per gemeente or buurt and year (47022NED, total)",
    )
)
register(BoundaryKind())

_SYNTHETIC = Column("synthetisch", "flag", maps_to="synthetic")
register(
    ExtractKind(
        "kadaster_transacties",
        "Kadaster: transacties van woningen",
        [
            Column("transactie_id", "id", maps_to="record_id"),
            Column("object_id", "id", maps_to="object_id"),
            Column("buurtcode", "buurt", maps_to="buurt_code"),
            Column("datum", "date", maps_to="date"),
            Column("koopsom", "amount", maps_to="amount"),
            Column("koper_id", "id", maps_to="subject_id"),
            Column("koper_rechtspersoon", "flag"),
            Column("hypotheek", "flag"),
            Column("onverklaarbaar", "flag"),
            _SYNTHETIC,
        ],
    )
)
register(
    ExtractKind(
        "kvk_vestigingen",
        "KvK: vestigingen",
        [
            Column("vestiging_id", "id", maps_to="record_id"),
            Column("onderneming_id", "id", maps_to="subject_id"),
            Column("buurtcode", "buurt", maps_to="buurt_code"),
            Column("sbi_code", "sbi", maps_to="sbi_code"),
            Column("datum_inschrijving", "date", maps_to="date"),
            Column("datum_uitschrijving", "date", required=False, maps_to="end_date"),
            Column("woonadres", "flag"),
            Column("bestuurder_veroordeeld", "flag"),
            _SYNTHETIC,
        ],
    )
)
register(
    ExtractKind(
        "fiu_meldingen",
        "FIU-Nederland: verdachte transacties",
        [
            Column("melding_id", "id", maps_to="record_id"),
            Column("buurtcode", "buurt", maps_to="buurt_code"),
            Column("datum", "date", maps_to="date"),
            Column("bedrag", "amount", maps_to="amount"),
            Column("soort", "choice", choices=("contant", "geldtransfer", "giraal", "overig"), maps_to="category"),
            Column("sbi_code", "sbi", required=False, maps_to="sbi_code"),
            _SYNTHETIC,
        ],
    )
)
register(
    ExtractKind(
        "om_veroordelingen",
        "OM: veroordelingen",
        [
            Column("veroordeling_id", "id", maps_to="record_id"),
            Column("persoon_id", "id", maps_to="subject_id"),
            Column("buurtcode", "buurt", maps_to="buurt_code"),
            Column("datum", "date", maps_to="date"),
            Column("delict", "choice", choices=("opiumwet", "witwassen", "overig"), maps_to="category"),
            Column("geboortejaar", "year"),
            _SYNTHETIC,
        ],
    )
)
register(
    ExtractKind(
        "gemeentelijke_registraties",
        "Gemeentelijke registraties (hennepkwekerijen, 13b-sluitingen, drugsafval)",
        [
            Column("registratie_id", "id", maps_to="record_id"),
            Column("buurtcode", "buurt", maps_to="buurt_code"),
            Column("datum", "date", maps_to="date"),
            Column("soort", "choice", choices=("hennepkwekerij", "sluiting_13b", "drugsafval"), maps_to="category"),
            _SYNTHETIC,
        ],
    )
)
