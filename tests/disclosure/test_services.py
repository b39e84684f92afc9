"""Disclosure control end to end on the real 2024 geography: protect_all, the report, the
release gate and ``manage.py audit_release``."""

import pytest
from django.core.management import call_command

from apps.disclosure import services
from apps.disclosure.models import DisclosureReport, ProtectedCell
from apps.geography.models import Area
from apps.indicators import services as indicators
from apps.releases import services as releases
from apps.releases.models import PublishedValue
from tests.indicators.helpers import B1, B2, B3, B4, B5, add_observations, add_records

pytestmark = pytest.mark.usefixtures("geo")
HENNEP = "hennepkwekerijen_per_1000_woningen"


@pytest.fixture
def protected():
    """Cannabis farms: 2 in B1 (too few), 10 in B2, 8 in B3 (B1..B3 in Baarn), 12 in B4, 20 in B5."""
    rows = []
    for buurt, n in ((B1, 2), (B2, 10), (B3, 8), (B4, 12), (B5, 20)):
        rows += [{"buurt": buurt, "date": "2024-05-01", "category": "hennepkwekerij"}] * n
    add_records("gemeentelijke_registraties", rows)
    # Every area has dwellings, so no cell is T and B1 is the only unsafe one.
    codes = Area.objects.filter(vintage=2024).values_list("code", flat=True)
    add_observations("woningvoorraad", {(code, 2024): 1000 for code in codes})
    indicators.recalculate_all()
    return services.protect_all()


def statuses(slug: str) -> dict:
    return dict(ProtectedCell.objects.filter(indicator=slug, year=2024).values_list("area_code", "status"))


def test_too_few_contributors_is_a_and_its_wijk_gets_a_complementary_suppression(protected):
    status = statuses(HENNEP)
    assert status[B1] == "A"
    assert status[B2] == "D"  # B1 and B2 make up WK030800: B2 must go too
    assert protected.passed and protected.suppressed_count >= 2
    tables = {row["table"]: row for row in protected.tables}
    assert tables["hennepkwekerijen"]["failed"] == 0 and tables["hennepkwekerijen"]["audited"] >= 2
    # The stewards' summary counts every cell per indicator, level and status.
    summary = {(r["indicator"], r["level"], r["status"]): r["cells"] for r in protected.summary}
    assert summary[(HENNEP, "buurt", "A")] == 1


def test_published_rates_rest_on_counts_rounded_to_five(protected):
    cells = ProtectedCell.objects.filter(indicator=HENNEP, year=2024, status="V")
    assert cells.exists()
    for cell in cells:
        assert cell.numerator % 5 == 0
        assert cell.value == pytest.approx(cell.numerator / cell.denominator * 1000)
    safe = {c.area_code: c.numerator for c in cells}
    assert abs(safe[B5] - 20) < 5 and abs(safe[B4] - 12) < 5


def test_a_failed_audit_blocks_the_release(protected):
    DisclosureReport.objects.filter(pk=protected.pk).update(passed=False)
    with pytest.raises(services.AuditFailed):
        releases.build_release(sources=[])


def test_audit_release_passes_and_fails_when_a_complementary_cell_is_published(protected, capsys):
    release = releases.build_release(sources=[])
    assert release.disclosure_report_id == protected.pk
    assert not PublishedValue.objects.filter(release=release, value__isnull=False).exclude(status="V").exists()

    call_command("audit_release", str(release.number))
    assert "audit passed" in capsys.readouterr().out

    # Publish the complementary cell B2: B1 = WK030800 - B2 is then exact.
    PublishedValue.objects.filter(release=release, indicator=HENNEP, area_code=B2, year=2024).update(
        status="V", value=10.0
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_release", str(release.number))
    assert exit_.value.code == 1
    output = capsys.readouterr()
    assert "audit FAILED" in output.err and "hennepkwekerijen 2024" in output.out


def test_stewards_see_the_report_and_the_public_does_not(protected, admin_client, client):
    from django.urls import reverse

    release = releases.build_release(sources=[])
    url = reverse("admin:disclosure_disclosurereport_change", args=[protected.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "hennepkwekerijen" in text  # the audit table of the count table
    assert any(row["table"] == "hennepkwekerijen" for row in page.context["tables"])
    assert [row["level"] for row in page.context["levels"]][:1] == ["land"]
    release_page = admin_client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert url in release_page.content.decode()

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
