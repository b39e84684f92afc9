"""The whole way: open figures and the five extracts uploaded as one run, confirmed, recomputed,
protected and released; every theme's indicators are in the release, branche cells per section."""

from pathlib import Path

import pytest

from apps.indicators import registry
from apps.indicators.models import ComputedCell
from apps.releases.models import PublishedValue
from apps.sources import services
from apps.sources.models import ImportRun
from tests.sources.helpers import BAARN_KWB, EXTRACTS, real, write_extract

pytestmark = pytest.mark.usefixtures("geo")

THEMES = ("vastgoed", "drugs", "transacties", "branches")


def test_extracts_and_open_figures_end_in_a_release_with_every_theme(tmp_path, django_capture_on_commit_callbacks):
    files = [real(BAARN_KWB)]
    for kind in EXTRACTS:
        changes = {(1, "synthetisch"): "ja"} if kind == "fiu_meldingen" else {}
        files.append(write_extract(tmp_path, kind, changes=changes))
    run = services.prepare_run([(Path(path), Path(path).name) for path in files])
    assert run.status == ImportRun.Status.PREVIEW, list(run.problems.values_list("message", flat=True)[:5])

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run)
    run.refresh_from_db()

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    release = run.release
    published = PublishedValue.objects.filter(release=release)
    indicators = set(published.values_list("indicator", flat=True))
    for theme in THEMES:
        assert {d.slug for d in registry.of_theme(theme)} <= indicators, theme
    assert release.contains_synthetic  # one FIU report is synthetic

    # Branche indicators are published per SBI section as well, as cells of their own.
    sections = set(published.filter(indicator="vestigingen", area_code="NL00").values_list("sbi_section", flat=True))
    assert sections == {"", "G"}  # 4711 remains; the 56101 restaurant left in October
    assert published.filter(indicator="vestigingen_op_woonadres", area_code="GM0308", sbi_section="G").exists()
    # Churn has no section cells: no establishment was registered on 1 January 2024.
    assert not published.filter(indicator="bedrijvendynamiek").exclude(sbi_section="").exists()
    assert release.cell_count == published.count() == ComputedCell.objects.count()

    # Nothing unsafe carries a value; rates of a tiny extract mostly fall below their minimum.
    assert not published.exclude(status="V").filter(value__isnull=False).exists()
    # Two reports are too few contributors to publish (frequency rule, status A).
    rate = published.get(indicator="verdachte_transacties_per_1000_inwoners", area_code="GM0308", year=2024)
    assert rate.status == "A" and rate.value is None
    computed = ComputedCell.objects.get(indicator="verdachte_transacties_per_1000_inwoners", area_code="GM0308", year=2024)
    assert computed.value == pytest.approx(2 / 25065 * 1000) and computed.contributors == 2
    share = published.get(indicator="aankopen_door_rechtspersonen", area_code="GM0308", year=2024)
    # 2 purchases by 2 buyers: too few contributors (A, which goes before T: 2 purchases < 20).
    assert share.status == "A" and share.value is None
