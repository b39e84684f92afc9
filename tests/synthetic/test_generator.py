"""Synthetic record-level extracts: format of docs/extracts.md, reproducibility, volumes, hot spots.

Most tests run on a tiny KWB-like file written into tmp_path (50 buurten), at both scales; one
module-scoped fixture generates the sample scale for the whole KWB file of settings.DATA_DIR once.
No database is needed.
"""

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.synthetic.generator import (
    EXTRACT_COLUMNS,
    FIU_SOORTEN,
    HOTSPOT_MIN_INHABITANTS,
    NATIONAL_HOUSEHOLDS,
    NATIONAL_INHABITANTS,
    NATIONAL_LAND_HA,
    OM_DELICTEN,
    REGISTRATIE_SOORTEN,
    RISK_SBI_CODES,
    THEMES,
    TRENDS,
    VOLUMES,
    generate,
    generate_extracts,
    parse_years,
    read_kwb,
)

YEARS = (2021, 2022, 2023, 2024)
FILES = [f"{name}.csv" for name in EXTRACT_COLUMNS]

ID_COLUMN = {
    "kadaster_transacties": "transactie_id",
    "kvk_vestigingen": "vestiging_id",
    "fiu_meldingen": "melding_id",
    "om_veroordelingen": "veroordeling_id",
    "gemeentelijke_registraties": "registratie_id",
}
FLAG_COLUMNS = {
    "kadaster_transacties": ["koper_rechtspersoon", "hypotheek", "onverklaarbaar", "synthetisch"],
    "kvk_vestigingen": ["woonadres", "bestuurder_veroordeeld", "synthetisch"],
    "fiu_meldingen": ["synthetisch"],
    "om_veroordelingen": ["synthetisch"],
    "gemeentelijke_registraties": ["synthetisch"],
}
DATE_COLUMNS = {
    "kadaster_transacties": ["datum"],
    "kvk_vestigingen": ["datum_inschrijving"],
    "fiu_meldingen": ["datum"],
    "om_veroordelingen": ["datum"],
    "gemeentelijke_registraties": ["datum"],
}
DATE = r"\d{4}-\d{2}-\d{2}"

KWB_HEADER = [
    "regiocode",
    "niveau",
    "naam",
    "gemeentecode",
    "wijkcode",
    "provinciecode",
    "AantalInwoners_5",
    "k_0Tot15Jaar_8",
    "HuishoudensTotaal_29",
    "GemiddeldeWOZWaardeVanWoningen_39",
    "OppervlakteLand_116",
    "MateVanStedelijkheid_120",
]
EMPTY_BUURT = "BU90020009"  # no inhabitants, households or land: no records
LETTER_BUURT = "BU9001AB01"  # codes with letters stay text
NO_URBANITY_AT_BUURT = "BU90020001"  # falls back to its gemeente's class (4)
NO_URBANITY_AT_ALL = "BU90030001"  # its gemeente has none either: class 3


def _write_small_kwb(path: Path) -> Path:
    """A KWB-like file: Nederland, 3 gemeenten, their wijken and 50 buurten."""
    rng = np.random.default_rng(7)
    rows = [
        ["NL00", "land", "Nederland", "", "", "", "17942942", "", "8374404", "378", "3364723", "2"],
        ["GM9001", "gemeente", "Stad", "GM9001", "", "PV99", "", "", "", "", "", "1"],
        ["GM9002", "gemeente", "Dorp", "GM9002", "", "PV99", "", "", "", "", "", "4"],
        ["GM9003", "gemeente", "Gehucht", "GM9003", "", "PV99", "", "", "", "", "", ""],
        ["WK900100", "wijk", "Centrum", "GM9001", "WK900100", "PV99", "", "", "", "", "", "1"],
    ]
    codes = [f"BU900100{i:02d}" for i in range(30)] + [f"BU900200{i:02d}" for i in range(17)]
    codes += [LETTER_BUURT, "BU90030001", "BU90030002"]
    for i, code in enumerate(codes):
        gemeente = "GM" + code[2:6]
        inhabitants = int(rng.integers(3_000, 15_000))
        households = int(inhabitants / rng.uniform(1.6, 2.6))
        urbanity = {"GM9001": rng.choice(["1", "2"]), "GM9002": rng.choice(["3", "4", "5"])}.get(
            gemeente, "5"
        )
        woz = "" if i % 7 == 0 else str(int(rng.integers(200, 700)))
        land = str(int(rng.integers(20, 2_000)))
        row = [code, "buurt", f"Buurt {i}", gemeente, "WK" + code[2:8], "PV99",
               str(inhabitants), str(inhabitants // 6), str(households), woz, land, urbanity]
        if code == EMPTY_BUURT:
            row[6] = row[7] = row[8] = row[10] = ""
        if code in (NO_URBANITY_AT_BUURT, NO_URBANITY_AT_ALL):
            row[11] = ""
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(KWB_HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def small_kwb(tmp_path) -> Path:
    return _write_small_kwb(tmp_path / "kwb_small.csv")


@pytest.fixture
def small_set(small_kwb, tmp_path):
    out = tmp_path / "out"
    result = generate_extracts(small_kwb, out, seed=2024, years=YEARS)
    return result, out


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def _buurt_codes(kwb: Path) -> set[str]:
    table = pd.read_csv(kwb, dtype=str, keep_default_na=False)
    return set(table.loc[table["niveau"] == "buurt", "regiocode"])


def _check_values(out: Path, kwb: Path, years=YEARS) -> dict[str, pd.DataFrame]:
    """Every rule of docs/extracts.md that a single file can break."""
    buurten = _buurt_codes(kwb)
    first, last = f"{years[0]}-01-01", f"{years[-1]}-12-31"
    frames = {}
    for name, columns in EXTRACT_COLUMNS.items():
        path = out / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == columns, name
        frame = _read(out, name)
        frames[name] = frame
        assert len(frame) > 0, name
        assert frame[ID_COLUMN[name]].is_unique, name
        assert (frame[ID_COLUMN[name]] != "").all()
        assert set(frame["buurtcode"]) <= buurten, name
        assert frame["buurtcode"].str.len().eq(10).all()
        assert (frame["synthetisch"] == "ja").all(), name
        for column in FLAG_COLUMNS[name]:
            assert set(frame[column]) <= {"ja", "nee"}, (name, column)
        for column in DATE_COLUMNS[name]:
            assert frame[column].str.fullmatch(DATE).all(), (name, column)
            pd.to_datetime(frame[column], format="%Y-%m-%d", errors="raise")
            if column != "datum_inschrijving":
                assert frame[column].between(first, last).all(), (name, column)

    kadaster = frames["kadaster_transacties"]
    assert kadaster["koopsom"].str.fullmatch(r"\d+").all()
    assert (kadaster["koopsom"].astype(int) > 0).all()
    assert kadaster["object_id"].ne("").all() and kadaster["koper_id"].ne("").all()
    # a dwelling stays in its buurt
    assert kadaster.groupby("object_id")["buurtcode"].nunique().eq(1).all()

    kvk = frames["kvk_vestigingen"]
    assert kvk["sbi_code"].str.fullmatch(r"\d{2,5}").all()
    ended = kvk["datum_uitschrijving"]
    assert ended[ended != ""].str.fullmatch(DATE).all()
    pd.to_datetime(ended[ended != ""], format="%Y-%m-%d", errors="raise")
    assert (ended[ended != ""] > kvk.loc[ended != "", "datum_inschrijving"]).all()
    assert (ended[ended != ""] >= first).all() and (ended[ended != ""] <= last).all()
    assert (kvk["datum_inschrijving"] <= last).all()
    assert kvk["onderneming_id"].ne("").all()

    fiu = frames["fiu_meldingen"]
    assert fiu["bedrag"].str.fullmatch(r"\d+\.\d{2}").all()
    assert (fiu["bedrag"].astype(float) >= 0).all()
    assert set(fiu["soort"]) <= set(FIU_SOORTEN)
    assert fiu.loc[fiu["sbi_code"] != "", "sbi_code"].str.fullmatch(r"\d{2,5}").all()

    om = frames["om_veroordelingen"]
    assert set(om["delict"]) <= set(OM_DELICTEN)
    assert om["geboortejaar"].str.fullmatch(r"\d{4}").all()
    age = om["datum"].str[:4].astype(int) - om["geboortejaar"].astype(int)
    assert age.between(12, 100).all()
    # the same person, the same year of birth
    assert om.groupby("persoon_id")["geboortejaar"].nunique().eq(1).all()

    registraties = frames["gemeentelijke_registraties"]
    assert set(registraties["soort"]) <= set(REGISTRATIE_SOORTEN)
    return frames


# ---------------------------------------------------------------------------------------------
# small input


def test_small_input_gives_five_files_in_the_documented_format(small_set, small_kwb):
    result, out = small_set
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert [p.name for p in result.paths] == FILES
    frames = _check_values(out, small_kwb)
    # codes with letters survive as text
    assert LETTER_BUURT in set(frames["fiu_meldingen"]["buurtcode"])
    # a buurt without inhabitants, households or land gets nothing
    for frame in frames.values():
        assert EMPTY_BUURT not in set(frame["buurtcode"])


def test_reading_the_kwb_file(small_kwb):
    buurten = read_kwb(small_kwb)
    assert len(buurten) == 50
    assert list(buurten.code) == sorted(buurten.code)
    code = list(buurten.code)
    assert buurten.urbanity[code.index(NO_URBANITY_AT_BUURT)] == 4
    assert buurten.urbanity[code.index(NO_URBANITY_AT_ALL)] == 3
    assert buurten.inhabitants[code.index(EMPTY_BUURT)] == 0
    assert set(buurten.urbanity) <= {1, 2, 3, 4, 5}
    assert (buurten.price > 0).all()
    assert 350_000.0 in set(buurten.price)  # buurten without WOZ


def test_same_seed_same_bytes_other_seed_other_bytes(small_kwb, tmp_path):
    for folder, seed in (("a", 2024), ("b", 2024), ("c", 7)):
        call_command(
            "generate_synthetic_extracts",
            "--out", str(tmp_path / folder),
            "--seed", str(seed),
            "--years", "2021-2024",
            "--kwb", str(small_kwb),
            stdout=io.StringIO(),
        )
    for name in FILES:
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes(), name
        assert a != (tmp_path / "c" / name).read_bytes(), name
    same = generate(small_kwb, seed=2024)
    other = generate(small_kwb, seed=7)
    assert same.hotspots == generate(small_kwb, seed=2024).hotspots
    assert same.hotspots != other.hotspots


def test_national_scale_same_seed_same_bytes(small_kwb, tmp_path, monkeypatch):
    """The national scale is as reproducible as the sample, and writing in chunks (as a
    national file is written) gives the same bytes as writing at once."""
    for folder in ("a", "b"):
        call_command(
            "generate_synthetic_extracts",
            "--out", str(tmp_path / folder),
            "--seed", "7",
            "--kwb", str(small_kwb),
            "--scale", "national",
            stdout=io.StringIO(),
        )
    monkeypatch.setattr("apps.synthetic.generator.WRITE_CHUNK_ROWS", 1_000)
    generate_extracts(small_kwb, tmp_path / "chunked", seed=7, scale="national")
    for name in FILES:
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes(), name
        assert a == (tmp_path / "chunked" / name).read_bytes(), name
    _check_values(tmp_path / "a", small_kwb)


def test_scale_option(small_kwb, tmp_path):
    out = io.StringIO()
    call_command(
        "generate_synthetic_extracts",
        "--out", str(tmp_path / "national"),
        "--kwb", str(small_kwb),
        "--scale", "national",
        stdout=out,
    )
    assert "national scale" in out.getvalue()
    call_command(
        "generate_synthetic_extracts", "--out", str(tmp_path / "default"), "--kwb", str(small_kwb),
        stdout=io.StringIO(),
    )
    generate_extracts(small_kwb, tmp_path / "sample", scale="sample")
    for name in FILES:
        # sample stays the default, so the demo and the tests keep their volumes
        default = (tmp_path / "default" / name).read_bytes()
        assert default == (tmp_path / "sample" / name).read_bytes()
    sample = {name: len(_read(tmp_path / "sample", name)) for name in EXTRACT_COLUMNS}
    national = {name: len(_read(tmp_path / "national", name)) for name in EXTRACT_COLUMNS}
    assert national["kvk_vestigingen"] > 30 * sample["kvk_vestigingen"]
    assert national["kadaster_transacties"] > 4 * sample["kadaster_transacties"]
    with pytest.raises(CommandError):
        call_command(
            "generate_synthetic_extracts", "--out", str(tmp_path / "x"), "--kwb", str(small_kwb),
            "--scale", "huge",
        )
    with pytest.raises(ValueError, match="scale"):
        generate(small_kwb, scale="huge")


def _expected_totals(kwb: Path, volumes: dict[str, int]) -> dict[str, float]:
    """Records over 2021-2024 the generator should write for this input: each national volume
    times the input's share of the national denominator, times the trends (the urbanity and
    hot-spot multipliers only move records between buurten)."""
    table = pd.read_csv(kwb, dtype=str, keep_default_na=False)
    buurten = table[table["niveau"] == "buurt"]

    def total(column: str) -> float:
        return pd.to_numeric(buurten[column], errors="coerce").fillna(0).sum()

    inhabitants = total("AantalInwoners_5") / NATIONAL_INHABITANTS
    households = total("HuishoudensTotaal_29") / NATIONAL_HOUSEHOLDS
    land_and_households = (total("OppervlakteLand_116") / NATIONAL_LAND_HA + households) / 2

    def years(name: str) -> float:
        return sum(TRENDS.get(name, {}).get(year, 1.0) for year in YEARS)

    base = {
        "kadaster_transacties": households,
        "fiu_meldingen": inhabitants,
        "om_veroordelingen": inhabitants,
        "hennepkwekerij": households,
        "sluiting_13b": households,
        "drugsafval": land_and_households,
    }
    expected = {name: volumes[name] * share * years(name) for name, share in base.items()}
    return {**expected, "kvk_stock": volumes["kvk_stock"] * inhabitants}


@pytest.mark.parametrize("scale", ["national", "sample"])
def test_volumes_scale_with_the_share_of_nederland_the_input_covers(small_kwb, tmp_path, scale):
    out = tmp_path / scale
    generate_extracts(small_kwb, out, seed=11, scale=scale)
    frames = {name: _read(out, name) for name in EXTRACT_COLUMNS}
    registraties = frames["gemeentelijke_registraties"]
    kvk = frames["kvk_vestigingen"]
    observed = {
        "kadaster_transacties": len(frames["kadaster_transacties"]),
        # the stock on 1 January 2021: registered before, not yet deregistered
        "kvk_stock": int((kvk["datum_inschrijving"] < "2021-01-01").sum()),
        "fiu_meldingen": len(frames["fiu_meldingen"]),
        "om_veroordelingen": len(frames["om_veroordelingen"]),
        **{soort: int((registraties["soort"] == soort).sum()) for soort in REGISTRATIE_SOORTEN},
    }
    for name, expected in _expected_totals(small_kwb, VOLUMES[scale]).items():
        # Poisson draws: five standard deviations; flip-through resales add ~1% of transfers
        slack = 5 * expected**0.5 + 1
        high = expected * (1.03 if name == "kadaster_transacties" else 1.0) + slack
        assert expected - slack <= observed[name] <= high, (scale, name, observed[name], expected)
    if scale == "national":  # the small input is ~2.5% of Nederland: the KvK file is sizeable
        assert observed["kvk_stock"] > 40_000


def test_input_row_order_does_not_change_the_output(small_kwb, tmp_path):
    lines = small_kwb.read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    generate_extracts(small_kwb, tmp_path / "a")
    generate_extracts(shuffled, tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_years_option(small_kwb, tmp_path):
    call_command(
        "generate_synthetic_extracts",
        "--out", str(tmp_path / "out"),
        "--years", "2023",
        "--kwb", str(small_kwb),
        stdout=io.StringIO(),
    )
    frames = _check_values(tmp_path / "out", small_kwb, years=(2023,))
    assert set(frames["fiu_meldingen"]["datum"].str[:4]) == {"2023"}
    assert parse_years("2021-2024") == YEARS
    assert parse_years("2023,2021") == (2021, 2023)
    for bad in ("2024-2021", "twenty", "", "1800"):
        with pytest.raises(ValueError):
            parse_years(bad)
    with pytest.raises(CommandError):
        call_command("generate_synthetic_extracts", "--out", str(tmp_path), "--years", "x")


def test_default_kwb_comes_from_data_dir(settings, small_kwb, tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "cbs").mkdir(parents=True)
    (data_dir / "cbs" / "kwb_2024_gebieden.csv").write_bytes(small_kwb.read_bytes())
    settings.DATA_DIR = data_dir
    call_command(
        "generate_synthetic_extracts", "--out", str(tmp_path / "out"), stdout=io.StringIO()
    )
    generate_extracts(small_kwb, tmp_path / "direct")
    for name in FILES:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()

    settings.DATA_DIR = tmp_path / "nowhere"
    with pytest.raises(CommandError, match="85984NED"):
        call_command("generate_synthetic_extracts", "--out", str(tmp_path / "out2"))
    assert not (tmp_path / "out2").exists()


def test_unusable_input_is_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("regiocode,niveau\nBU00000001,buurt\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("generate_synthetic_extracts", "--out", str(tmp_path / "o"), "--kwb", str(bad))


def test_hot_spots_are_secret_and_stand_out_in_a_small_input(small_set, small_kwb):
    result, out = small_set
    buurten = result.buurten
    eligible = set(buurten.code[buurten.inhabitants >= HOTSPOT_MIN_INHABITANTS])
    for theme in THEMES:
        assert 1 <= len(result.hotspots[theme])
        assert set(result.hotspots[theme]) <= eligible
        assert all(3.0 <= factor <= 6.0 for factor in result.hotspots[theme].values())
    # the output holds no trace of them beyond the records themselves
    for name in FILES:
        text = (out / name).read_text(encoding="utf-8")
        assert "hotspot" not in text.lower() and "hot spot" not in text.lower()

    # With one hot spot per theme its urbanity class matters, so compare it with the rate of
    # the other buurten of the same class (observed / expected, as a peer-group comparison).
    fiu = _read(out, "fiu_meldingen")
    assert _standardised_ratio(fiu, buurten, result.hotspot_codes("transacties")) >= 2
    registraties = _read(out, "gemeentelijke_registraties")
    hennep = registraties[registraties["soort"] == "hennepkwekerij"]
    drugs = result.hotspot_codes("drugs")
    assert _standardised_ratio(hennep, buurten, drugs, base=buurten.households) >= 2


def _standardised_ratio(frame: pd.DataFrame, buurten, hot: set[str], base=None) -> float:
    """Records in the hot spots over those expected at the rate of the other buurten of the
    same urbanity class (per inhabitant, or per unit of ``base``)."""
    base = pd.Series(buurten.inhabitants if base is None else base, index=buurten.code)
    urbanity = pd.Series(buurten.urbanity, index=buurten.code)
    counts = frame["buurtcode"].value_counts().reindex(base.index, fill_value=0)
    is_hot = base.index.isin(list(hot))
    rest = counts[~is_hot].groupby(urbanity[~is_hot]).sum() / base[~is_hot].groupby(
        urbanity[~is_hot]
    ).sum()
    expected = (base[is_hot] * urbanity[is_hot].map(rest)).sum()
    return counts[is_hot].sum() / expected


def _rates_per_1000(frame: pd.DataFrame, buurten, hot: set[str]) -> tuple[float, float]:
    """Records per 1,000 inhabitants in the hot-spot buurten and in the rest."""
    inhabitants = pd.Series(buurten.inhabitants, index=buurten.code)
    counts = frame["buurtcode"].value_counts().reindex(inhabitants.index, fill_value=0)
    is_hot = inhabitants.index.isin(list(hot))
    return (
        1000 * counts[is_hot].sum() / inhabitants[is_hot].sum(),
        1000 * counts[~is_hot].sum() / inhabitants[~is_hot].sum(),
    )


# ---------------------------------------------------------------------------------------------
# the national set, from the real KWB 2024 file


NATIONAL_KWB = Path(settings.DATA_DIR) / "cbs" / "kwb_2024_gebieden.csv"

# Records per year for the shared KWB file (it covers ~97% of Nederland); generous ranges
# around NATIONAL_VOLUMES and the trends of the generator.
YEARLY_RANGES = {
    "kadaster_transacties": (36_000, 55_000),
    "fiu_meldingen": (22_000, 38_000),
    "om_veroordelingen": (6_400, 9_600),
    "hennepkwekerij": (4_000, 6_000),
    "sluiting_13b": (600, 1_000),
    "drugsafval": (300, 500),
}


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    if not NATIONAL_KWB.is_file():
        pytest.skip(f"{NATIONAL_KWB} not present (see apps/synthetic for where to get it)")
    out = tmp_path_factory.mktemp("national")
    result = generate_extracts(NATIONAL_KWB, out, seed=2024, years=YEARS)
    return result, out


def test_national_set(national):
    result, out = national
    frames = _check_values(out, NATIONAL_KWB)
    for name, frame in frames.items():
        assert len(frame) <= 250_000, name

    def per_year(frame, column="datum"):
        return frame[column].str[:4].astype(int).value_counts().reindex(YEARS, fill_value=0)

    counts = {
        "kadaster_transacties": per_year(frames["kadaster_transacties"]),
        "fiu_meldingen": per_year(frames["fiu_meldingen"]),
        "om_veroordelingen": per_year(frames["om_veroordelingen"]),
    }
    registraties = frames["gemeentelijke_registraties"]
    for soort in REGISTRATIE_SOORTEN:
        counts[soort] = per_year(registraties[registraties["soort"] == soort])
    for name, (low, high) in YEARLY_RANGES.items():
        for year, count in counts[name].items():
            assert low <= count <= high, (name, year, count)

    kvk = frames["kvk_vestigingen"]
    for year in YEARS:
        end = f"{year}-12-31"
        active = (kvk["datum_inschrijving"] <= end) & (
            (kvk["datum_uitschrijving"] == "") | (kvk["datum_uitschrijving"] > end)
        )
        stock = VOLUMES["sample"]["kvk_stock"]
        assert 0.8 * stock <= active.sum() <= 1.2 * stock
        registered = kvk["datum_inschrijving"].str[:4].eq(str(year)).sum()
        deregistered = kvk["datum_uitschrijving"].str[:4].eq(str(year)).sum()
        assert 3_000 <= registered <= 9_000 and 3_000 <= deregistered <= 9_000

    # shares as documented
    kadaster = frames["kadaster_transacties"]
    assert 0.09 <= (kadaster["koper_rechtspersoon"] == "ja").mean() <= 0.15
    assert 0.20 <= (kadaster["hypotheek"] == "nee").mean() <= 0.30
    assert 0.02 <= (kadaster["onverklaarbaar"] == "ja").mean() <= 0.045
    days = pd.to_datetime(kadaster["datum"]).sort_values()
    gaps = days.groupby(kadaster.loc[days.index, "object_id"]).diff().dt.days
    assert 500 <= (gaps <= 365).sum()  # flip-through exists
    assert kadaster["koopsom"].astype(int).median() > 200_000

    assert 0.03 <= (kvk["woonadres"] == "ja").mean() <= 0.05
    assert 0.006 <= (kvk["bestuurder_veroordeeld"] == "ja").mean() <= 0.015
    assert 0.2 <= kvk["sbi_code"].isin(RISK_SBI_CODES).mean() <= 0.4
    assert kvk["sbi_code"].nunique() >= 30

    fiu = frames["fiu_meldingen"]
    amount = fiu["bedrag"].astype(float)
    assert 3_000 <= amount.median() <= 5_500
    assert (amount > 100_000).sum() >= 500
    assert 0.65 <= (fiu["sbi_code"] == "").mean() <= 0.75
    assert set(fiu["soort"]) == set(FIU_SOORTEN)

    om = frames["om_veroordelingen"]
    assert 0.50 <= (om["delict"] == "opiumwet").mean() <= 0.60
    age = om["datum"].str[:4].astype(int) - om["geboortejaar"].astype(int)
    assert 0.17 <= age.between(12, 23).mean() <= 0.25
    assert om["persoon_id"].nunique() < len(om)  # some are convicted more than once


def test_national_hot_spots_stand_out(national):
    result, out = national
    buurten = result.buurten
    for theme in THEMES:
        assert 150 <= len(result.hotspots[theme]) <= 260  # ~1.5% of 14,118 buurten
    registraties = _read(out, "gemeentelijke_registraties")
    drugs = result.hotspot_codes("drugs")
    for soort in ("hennepkwekerij", "sluiting_13b"):
        rates = _rates_per_1000(registraties[registraties["soort"] == soort], buurten, drugs)
        assert rates[0] >= 2 * rates[1], soort
    # drug waste follows land area as much as households
    land_and_households = buurten.land_ha / buurten.land_ha.sum() + (
        buurten.households / buurten.households.sum()
    )
    dumped = registraties[registraties["soort"] == "drugsafval"]
    assert _standardised_ratio(dumped, buurten, drugs, base=land_and_households) >= 2
    om = _read(out, "om_veroordelingen")
    rates = _rates_per_1000(om[om["delict"] == "opiumwet"], buurten, drugs)
    assert rates[0] >= 2 * rates[1]
    fiu = _read(out, "fiu_meldingen")
    rates = _rates_per_1000(fiu, buurten, result.hotspot_codes("transacties"))
    assert rates[0] >= 2 * rates[1]

    kadaster = _read(out, "kadaster_transacties")
    hot = kadaster["buurtcode"].isin(result.hotspot_codes("vastgoed"))
    signals = (("onverklaarbaar", "ja"), ("koper_rechtspersoon", "ja"), ("hypotheek", "nee"))
    for column, value in signals:
        share = kadaster[column] == value
        assert share[hot].mean() >= 2 * share[~hot].mean(), column

    kvk = _read(out, "kvk_vestigingen")
    hot = kvk["buurtcode"].isin(result.hotspot_codes("branches"))
    for share in (kvk["woonadres"] == "ja", kvk["bestuurder_veroordeeld"] == "ja"):
        assert share[hot].mean() >= 2 * share[~hot].mean()
    risky = kvk["sbi_code"].isin(RISK_SBI_CODES)
    assert risky[hot].mean() >= 1.5 * risky[~hot].mean()


def test_buurten_without_inhabitants_give_header_only_files(tmp_path):
    kwb = tmp_path / "empty.csv"
    kwb.write_text(
        "regiocode,niveau,gemeentecode,AantalInwoners_5,HuishoudensTotaal_29,"
        "MateVanStedelijkheid_120\nBU00010001,buurt,GM0001,,,\nBU00010002,buurt,GM0001,,,5\n",
        encoding="utf-8",
    )
    result = generate_extracts(kwb, tmp_path / "out")
    for name, columns in EXTRACT_COLUMNS.items():
        assert len(result.tables[name]) == 0
        text = (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8")
        assert text == ",".join(columns) + "\n"
