"""How long `apps.comparisons.compute.compare` takes on a release of national size, and its memory.

A synthetic release shaped like the real one: 12 provincies, 342 gemeenten, 3,300 wijken and
14,500 buurten (18,155 areas), 33 indicators over 4 years on one indeling, 4 of them also per
SBI section (21 sections, down to the wijk), about 15% of the cells suppressed; context with
urbanity, inhabitants and three neighbour features. No database, no Django:

    .venv/bin/python -m bench.comparisons [--seed N]

Prints the number of cells, the seconds ``compare`` takes, and peak memory: the process's peak
resident size before and after the call (resource.getrusage), so the difference is what the
comparisons add on top of their input.
"""

import argparse
import resource
import sys
import time

import numpy as np
import pandas as pd

from apps.comparisons.compute import compare

N_PROVINCIES, N_GEMEENTEN, N_WIJKEN, N_BUURTEN = 12, 342, 3_300, 14_500
YEARS = (2021, 2022, 2023, 2024)
VINTAGE = 2024
N_INDICATORS, N_SECTION_INDICATORS, N_SECTIONS = 33, 4, 21
KINDS = ("share", "rate", "mean", "count")
FEATURES = ("f_income", "f_woz", "f_density")


def areas(rng: np.random.Generator) -> pd.DataFrame:
    provincie = rng.integers(0, N_PROVINCIES, N_GEMEENTEN)
    gemeente_of_wijk = rng.integers(0, N_GEMEENTEN, N_WIJKEN)
    wijk_of_buurt = rng.integers(0, N_WIJKEN, N_BUURTEN)
    gemeente_of_buurt = gemeente_of_wijk[wijk_of_buurt]
    pv = np.char.add("PV", np.char.zfill(np.arange(N_PROVINCIES).astype(str), 2))
    gm = np.char.add("GM", np.char.zfill(np.arange(N_GEMEENTEN).astype(str), 4))
    wk = np.char.add("WK", np.char.zfill(np.arange(N_WIJKEN).astype(str), 6))
    bu = np.char.add("BU", np.char.zfill(np.arange(N_BUURTEN).astype(str), 8))
    return pd.DataFrame(
        {
            "area_code": np.concatenate([["NL00"], pv, gm, wk, bu]),
            "level": ["land"]
            + ["provincie"] * N_PROVINCIES
            + ["gemeente"] * N_GEMEENTEN
            + ["wijk"] * N_WIJKEN
            + ["buurt"] * N_BUURTEN,
            "provincie_code": np.concatenate(
                [
                    [""],
                    pv,
                    pv[provincie],
                    pv[provincie[gemeente_of_wijk]],
                    pv[provincie[gemeente_of_buurt]],
                ]
            ),
            "gemeente_code": np.concatenate(
                [[""] * (1 + N_PROVINCIES), gm, gm[gemeente_of_wijk], gm[gemeente_of_buurt]]
            ),
        }
    )


def cells(area: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    blocks = []
    with_sections = area[area["level"] != "buurt"]
    for i in range(N_INDICATORS):
        kind = KINDS[i % len(KINDS)]
        sections = [""] + (
            [chr(ord("A") + s) for s in range(N_SECTIONS)] if i < N_SECTION_INDICATORS else []
        )
        for section in sections:
            base = area if section == "" else with_sections
            for year in YEARS:
                n = len(base)
                denominator = rng.integers(50, 5_000, n).astype(float)
                numerator = np.round(rng.binomial(denominator.astype(int), 0.1) / 5) * 5
                scale = {"share": 100.0, "rate": 1000.0}.get(kind, np.nan)
                if kind in ("share", "rate"):
                    value = numerator / denominator * scale
                else:
                    value = rng.gamma(2.0, 50.0, n)
                    numerator = denominator = np.full(n, np.nan)
                suppressed = rng.random(n) < 0.15
                suppressed[0] = False
                blocks.append(
                    pd.DataFrame(
                        {
                            "indicator": f"indicator_{i:02d}",
                            "kind": kind,
                            "direction": (1, -1, 0)[i % 3],
                            "scale": scale,
                            "area_code": base["area_code"].to_numpy(),
                            "level": base["level"].to_numpy(),
                            "provincie_code": base["provincie_code"].to_numpy(),
                            "gemeente_code": base["gemeente_code"].to_numpy(),
                            "vintage": VINTAGE,
                            "year": year,
                            "sbi_section": section,
                            "value": np.where(suppressed, np.nan, value),
                            "status": np.where(suppressed, "A", "V"),
                            "numerator": np.where(suppressed, np.nan, numerator),
                            "denominator": np.where(suppressed, np.nan, denominator),
                        }
                    )
                )
    return pd.concat(blocks, ignore_index=True)


def context(area: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    local = area[area["level"].isin(["gemeente", "wijk", "buurt"])]
    n = len(local)
    rows = []
    for year in YEARS[:-1]:  # the latest year has no context yet: the nearest year stands in
        frame = pd.DataFrame(
            {
                "area_code": local["area_code"].to_numpy(),
                "vintage": VINTAGE,
                "year": year,
                "stedelijkheid": rng.integers(1, 6, n),
                "inwoners": rng.lognormal(np.where(local["level"] == "gemeente", 10.5, 7.0), 0.8),
            }
        )
        for feature in FEATURES:
            frame[feature] = rng.normal(0, 1, n)
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    area = areas(rng)
    frame = cells(area, rng)
    ctx = context(area, rng)
    before = peak_mb()
    start = time.perf_counter()
    result = compare(frame, ctx, knn_features=FEATURES, k=10)
    seconds = time.perf_counter() - start
    after = peak_mb()
    print(f"cells: {len(frame):,} ({frame['indicator'].nunique()} indicators, {len(area):,} areas)")
    print(f"compare: {seconds:.1f} s")
    print(f"peak resident memory: {before:,.0f} MB with the input, {after:,.0f} MB after compare")
    local = frame["level"].isin(["gemeente", "wijk", "buurt"])
    for column in ("peer_value", "knn_value", "percentile", "change"):
        print(f"{column}: given for {result.loc[local, column].notna().mean():.0%} of local cells")


if __name__ == "__main__":
    sys.exit(main())
