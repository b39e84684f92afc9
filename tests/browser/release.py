"""A published release for the browser tests, built from records the way the leak test does
(tests/releases/test_leaks.py): records and observations → recalculate → protect → build →
publish. It needs the test geography (the ``geo`` fixture); the ``published_release`` fixture
(tests/browser/conftest.py) builds it for a test with a live server.

Every buurt of Baarn gets suspicious transactions and dismantled cannabis farms in 2023 and 2024
(so the profiles have trends); Centrum (BU03080000) gets one of each a year, too few to publish,
so its cells are suppressed. The buurten of Wijk 01 (ZOEKGEBIED_WIJK) report nine in ten
transactions in cash and with firms in a risk branche: two signals of the theme transacties far
above Nederland, so the wijk is a kansrijk zoekgebied and Baarn's page has its zoekgebieden table. Two
buurten elsewhere give the national pages a second and third gemeente with figures.
"""

from apps.disclosure import services as disclosure
from apps.geography.models import Area
from apps.indicators import services as indicators
from apps.releases import services as releases
from apps.releases.models import Release
from tests.indicators.helpers import add_observations, add_records

BAARN_GEMEENTE = "GM0308"
SUPPRESSED_BUURT = "BU03080000"  # Centrum, in Wijk 00 Baarn (WK030800)
ZOEKGEBIED_WIJK = "WK030801"  # Wijk 01 Baarn-Noord, Eemdal en Eemland
OTHER_BUURTEN = ("BU03072004", "BU0363KA05")  # in Amersfoort and Amsterdam
YEARS = (2023, 2024)


def _records(buurten: list[str]) -> tuple[list[dict], list[dict]]:
    reports, farms = [], []
    for number, buurt in enumerate(buurten):
        for year in YEARS:
            few = buurt == SUPPRESSED_BUURT
            # Nine in ten cash, in a risk branche (all ten would be one category, withheld: B).
            every = 10 if buurt[2:8] == ZOEKGEBIED_WIJK[2:] else None
            reports += [
                {"buurt": buurt, "date": f"{year}-04-01", "amount": 1_000.0 + 37 * i + number,
                 "sbi": "5610" if i % (every or 3) else "4711",
                 "category": "contant" if i % (every or 2) else "overig"}
                for i in range(1 if few else 12 + (number * 7 + year) % 23)
            ]
            farm = {"buurt": buurt, "date": f"{year}-05-01", "category": "hennepkwekerij"}
            farms += [farm] * (1 if few else 5 + (number + year) % 6)
    return reports, farms


def build_published_release() -> Release:
    areas = Area.objects.filter(vintage=2024)
    baarn = sorted(areas.filter(level="buurt", code__startswith="BU0308").values_list("code", flat=True))
    assert SUPPRESSED_BUURT in baarn and len(baarn) > 10, "the test geography (geo) is loaded"
    reports, farms = _records(baarn + list(OTHER_BUURTEN))
    add_records("fiu_meldingen", reports)
    add_records("gemeentelijke_registraties", farms)
    # Denominators for the gemeenten and above, and down to the buurt where there are records
    # (for every area, as the leak test does, the build would only take longer).
    codes = set(areas.filter(level__in=("land", "provincie", "gemeente")).values_list("code", flat=True))
    codes |= set(areas.filter(code__regex=r"^(WK|BU)0308").values_list("code", flat=True))
    for code in OTHER_BUURTEN:
        codes |= {code, "WK" + code[2:8]}
    for variable, value in (("woningvoorraad", 997), ("inwoners", 2_113)):
        add_observations(variable, {(code, year): value for code in codes for year in YEARS})
    indicators.recalculate_all()
    report = disclosure.protect_all()
    assert report.passed
    built = releases.build_release(sources=[])
    releases.publish(built)
    return built
