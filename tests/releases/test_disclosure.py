"""Disclosure control: what of the computed cells may be published, and nothing else is."""

import math

import numpy as np
import pandas as pd
import pytest

from apps.disclosure.services import apply_rules
from apps.indicators import registry
from apps.releases import services as releases
from apps.releases.models import PublishedValue
from apps.sources.models import ImportRun
from tests.sources.helpers import BAARN_CRIME, BAARN_KWB, import_and_confirm, real

RATE = "misdrijven_per_1000_inwoners"  # min_denominator 100
COUNT = "geregistreerde_misdrijven"  # no minimum


def cells(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["indicator", "area_code", "vintage", "year", "value", "status", "denominator", "synthetic"]
    )


def test_the_rate_has_the_minimum_the_rules_use():
    assert registry.get(RATE).min_denominator == 100
    assert registry.get(COUNT).min_denominator is None


def test_apply_rules_gives_each_status_and_removes_every_value_that_is_not_safe():
    computed = cells([
        (COUNT, "GM0308", 2024, 2024, 972.0, "", np.nan, False),  # V
        (COUNT, "BU1", 2024, 2024, 5.0, "S", np.nan, False),  # S: secret at the source
        (COUNT, "BU2", 2024, 2024, np.nan, "N", np.nan, False),  # N: not available
        (COUNT, "BU3", 2024, 2024, np.nan, "", np.nan, False),  # N: no value
        (COUNT, "BU4", 2024, 2024, 0.0, "", np.nan, False),  # V: zero is a value
        (RATE, "BU5", 2024, 2024, 14.3, "", 70.0, False),  # T: 70 inhabitants < 100
        (RATE, "BU6", 2024, 2024, 40.0, "", 100.0, False),  # V: exactly the minimum
        (RATE, "BU7", 2024, 2024, 40.0, "", np.nan, False),  # T: unknown denominator
        (RATE, "BU8", 2024, 2024, 12.0, "S", 50.0, False),  # S wins over T
        (RATE, "BU9", 2024, 2024, 8.0, "", 2500.0, True),  # V, synthetic kept
    ])

    protected = apply_rules(computed)

    assert list(protected["status"]) == ["V", "S", "N", "N", "V", "T", "V", "T", "S", "V"]
    safe = protected["status"] == "V"
    assert protected.loc[~safe, "value"].isna().all()
    assert list(protected.loc[safe, "value"]) == [972.0, 0.0, 40.0, 8.0]
    assert list(protected["synthetic"]) == [False] * 9 + [True]
    assert set(protected.columns) == {
        "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "numerator",
        "denominator", "synthetic",
    }
    assert set(protected["sbi_section"]) == {""}  # frames without sections are all-branche cells
    # Numerator and denominator stay in the restricted ProtectedCell (for significance tests),
    # and only for safe cells.
    assert protected.loc[protected["status"] != "V", "denominator"].isna().all()
    assert protected.loc[protected["status"] == "V", "denominator"].tolist()[2:] == [100.0, 2500.0]


def test_apply_rules_does_not_change_its_input():
    computed = cells([(RATE, "BU5", 2024, 2024, 14.3, "", 70.0, False)])

    apply_rules(computed)

    assert computed.loc[0, "value"] == 14.3


def test_after_a_full_run_no_unsafe_cell_has_a_value(geo, tmp_path, django_capture_on_commit_callbacks):
    """Kerncijfers of Baarn (one buurt made secret at the source), then its crime figures."""
    lines = real(BAARN_KWB).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    inwoners = header.index("AantalInwoners_5")
    for number, line in enumerate(lines):
        fields = line.split(",")
        if fields[0] == "BU03080109":  # 145 inhabitants: now secret
            assert fields[inwoners] == "145"
            fields[inwoners] = "-99997"
            lines[number] = ",".join(fields)
    assert sum("-99997" in line for line in lines) == 1
    secret_kwb = tmp_path / "kwb_2024_gebieden.csv"
    secret_kwb.write_text("\n".join(lines) + "\n", encoding="utf-8")

    first = import_and_confirm(secret_kwb, django_capture_on_commit_callbacks)
    second = import_and_confirm(real(BAARN_CRIME), django_capture_on_commit_callbacks)
    assert (first.status, second.status) == (ImportRun.Status.SUCCEEDED, ImportRun.Status.SUCCEEDED), second.error
    release = second.release

    published = PublishedValue.objects.filter(release=release)
    assert not published.exclude(status="V").filter(value__isnull=False).exists()
    assert not published.filter(status="V", value__isnull=True).exists()
    statuses = set(published.values_list("status", flat=True))
    assert {"V", "S", "N", "T"} <= statuses
    assert release.suppressed_count == published.filter(status__in=["S", "T", "A", "B", "D"]).count() > 0

    rate_cells = published.filter(indicator=RATE, year=2024).values_list("area_code", "status", "value")
    rate = {code: (status, value) for code, status, value in rate_cells}
    assert rate["BU03080501"] == ("T", None)  # 70 inhabitants
    assert rate["BU03080109"] == ("S", None)  # inhabitants secret at the source
    status, value = rate["GM0308"]
    assert status == "V" and value == pytest.approx(972 / 25065 * 1000)
    assert published.get(indicator="inwoners", area_code="BU03080109").status == "S"
    assert published.get(indicator="inwoners", area_code="BU03080109").value is None

    # Publishing and rolling back never bring a suppressed value back.
    releases.publish(release)
    releases.rollback(first.release.number)
    for number in (first.release.number, release.number):
        values = PublishedValue.objects.filter(release__number=number)
        assert not values.exclude(status="V").filter(value__isnull=False).exists()
        assert all(not math.isnan(v) for v in values.filter(status="V").values_list("value", flat=True))
