"""A published release over the real 2024 geography, with records in Baarn's buurten for two
years (so pages have trends, comparisons and suppressed cells) and open figures everywhere."""

import pytest

from apps.disclosure import services as disclosure
from apps.geography.models import Area
from apps.indicators import services as indicators
from apps.releases import services as releases
from tests.indicators.helpers import add_observations, add_records

BAARN_BUURTEN = ("BU03080000", "BU03080001", "BU03080100", "BU03080101", "BU03080200")
THIN_BUURT = "BU03080400"  # three purchases: too few to publish (status A)


def purchases(year: int) -> list[dict]:
    rows = []
    for b, buurt in enumerate(BAARN_BUURTEN):
        for i in range(25 + 5 * b + (year - 2023) * 3):
            rows.append({
                "buurt": buurt, "date": f"{year}-03-{1 + i % 28:02d}", "amount": 310_000.0 + 1_000 * i + b,
                "subject": f"k{year}{b}{i}", "object": f"o{year}{b}{i}",
                "flags": {"koper_rechtspersoon": i % 4 == 0, "hypotheek": i % 3 != 0, "onverklaarbaar": False},
                "synthetic": True,
            })
    rows += [{"buurt": THIN_BUURT, "date": f"{year}-05-01", "amount": 987_654.32 + i, "subject": f"t{year}{i}",
              "object": f"to{year}{i}", "flags": {"hypotheek": False}, "synthetic": True} for i in range(3)]
    # Elsewhere in the country, so Nederland and other gemeenten have figures too.
    rows += [{"buurt": "BU0363KA05", "date": f"{year}-04-01", "amount": 420_000.0 + i, "subject": f"a{year}{i}",
              "object": f"ao{year}{i}", "flags": {"hypotheek": i % 2 == 0}, "synthetic": True} for i in range(60)]
    return rows


def establishments() -> list[dict]:
    """KvK establishments in Baarn across a few SBI sections (branche indicators per section)."""
    sbi_codes = ["4711", "5610", "6810", "4120", "6201"]  # G, I, L, F, J
    return [
        {"buurt": BAARN_BUURTEN[i % len(BAARN_BUURTEN)], "date": "2015-01-01", "sbi": sbi_codes[i % 5],
         "subject": f"onderneming-{i}", "flags": {"woonadres": i % 6 == 0, "bestuurder_veroordeeld": False},
         "synthetic": True}
        for i in range(150)
    ]


def _build_release():
    add_records("kvk_vestigingen", establishments())
    # Real (not synthetic) registrations: their indicators must not be marked synthetic.
    add_records("gemeentelijke_registraties", [
        {"buurt": BAARN_BUURTEN[i % 5], "date": f"{2023 + i % 2}-06-01", "category": "hennepkwekerij"}
        for i in range(40)
    ])
    for year in (2023, 2024):
        add_records("kadaster_transacties", purchases(year))
    codes = list(Area.objects.filter(vintage=2024).values_list("code", flat=True))
    for year in (2023, 2024):
        add_observations("woningvoorraad", {(code, year): 1_500 for code in codes})
        add_observations("inwoners", {(code, year): 3_200 for code in codes})
    indicators.recalculate_all()
    report = disclosure.protect_all()
    assert report.passed
    release = releases.build_release(sources=[])
    releases.publish(release)
    return release


def _remove_release_data():
    from apps.core.models import AuditEvent
    from apps.disclosure.models import DisclosureReport, ProtectedCell
    from apps.indicators.models import ComputedCell
    from apps.releases.models import Release
    from apps.sources.models import Observation, Record, SourceFile

    for model in (Release, DisclosureReport, ProtectedCell, ComputedCell, Record, Observation, SourceFile, AuditEvent):
        model.objects.all().delete()


@pytest.fixture(scope="module")
def _module_release(geo_2024, django_db_blocker):
    """Built once per test module (recalculation, disclosure control and the build take ~20 s)
    and committed; each test still runs in a transaction of its own that is rolled back."""
    with django_db_blocker.unblock():
        release = _build_release()
    yield release
    with django_db_blocker.unblock():
        _remove_release_data()


@pytest.fixture
def published(_module_release, geo):
    return _module_release
