"""Recalculation replaces only the cells of the indicators asked for; an upload of one kind
recomputes only the indicators whose sources include it; the command does the same on request."""

import math

import pytest
from django.core.management import CommandError, call_command

from apps.indicators import registry, services
from apps.indicators.models import ComputedCell
from apps.sources.models import ImportRun
from tests.indicators.helpers import B1, B4, NL, add_observations, add_records
from tests.sources.helpers import import_and_confirm, write_extract

pytestmark = pytest.mark.usefixtures("geo")

HENNEP = "hennepkwekerijen_per_1000_woningen"


@pytest.fixture
def staged():
    add_records("gemeentelijke_registraties", [{"buurt": B1, "date": "2024-02-01", "category": "hennepkwekerij"}])
    add_records("kadaster_transacties", [
        {"buurt": B4, "date": "2024-03-01", "amount": 250_000.0, "subject": "K1", "object": "O1",
         "flags": {"koper_rechtspersoon": False, "hypotheek": True, "onverklaarbaar": False}},
    ])
    add_observations("huishoudens", {(B1, 2024): 400})
    add_observations("inwoners", {(B1, 2024): 1000})


def with_data() -> set[str]:
    """The indicators the staged fixture has records for (an extract without records gives none)."""
    return {d.slug for d in registry.affected_by(["gemeentelijke_registraties", "kadaster_transacties"])}


def ids_per_indicator() -> dict[str, set[int]]:
    result: dict[str, set[int]] = {}
    for pk, indicator in ComputedCell.objects.values_list("pk", "indicator"):
        result.setdefault(indicator, set()).add(pk)
    return result


def test_cells_are_stored_with_what_disclosure_control_needs(staged):
    services.recalculate([registry.get("gemiddelde_koopsom"), registry.get(HENNEP)])

    price = ComputedCell.objects.get(indicator="gemiddelde_koopsom", area_code=NL, year=2024)
    assert (price.value, price.numerator, price.contributors, price.total, price.top1, price.top2) == (
        250_000, 1, 1, 250_000, 250_000, 0)
    assert (price.denominator, price.sbi_section, price.status, price.synthetic) == (1, "", "", False)
    hennep = ComputedCell.objects.get(indicator=HENNEP, area_code=B1, year=2024)
    assert hennep.value == pytest.approx(2.5) and hennep.denominator == 400
    assert hennep.total is None and hennep.top1 is None
    empty = ComputedCell.objects.get(indicator="gemiddelde_koopsom", area_code=B1, year=2024)
    assert empty.value is None and empty.numerator == 0  # no sales: no mean


def test_recalculate_replaces_only_the_given_indicators(staged):
    services.recalculate_all()
    before = ids_per_indicator()
    assert with_data() <= set(before)
    assert not set(before) & {d.slug for d in registry.of_theme("branches")}  # no KvK records: no cells
    add_records("gemeentelijke_registraties", [{"buurt": B1, "date": "2024-03-01", "category": "hennepkwekerij"}])

    services.recalculate([registry.get(HENNEP)])

    after = ids_per_indicator()
    assert after[HENNEP].isdisjoint(before[HENNEP]) and len(after[HENNEP]) == len(before[HENNEP])
    assert {slug: ids for slug, ids in after.items() if slug != HENNEP} == {
        slug: ids for slug, ids in before.items() if slug != HENNEP}
    assert ComputedCell.objects.get(indicator=HENNEP, area_code=B1, year=2024).value == pytest.approx(5.0)


def test_recalculate_all_drops_cells_of_indicators_no_longer_registered(staged):
    ComputedCell.objects.create(indicator="verdwenen", area_code=NL, vintage=2024, year=2024, value=1.0)

    services.recalculate_all()

    assert not ComputedCell.objects.filter(indicator="verdwenen").exists()


def test_an_upload_of_one_kind_recomputes_only_the_indicators_it_feeds(staged, tmp_path,
                                                                     django_capture_on_commit_callbacks):
    services.recalculate_all()
    before = ids_per_indicator()
    transacties = {d.slug for d in registry.affected_by(["fiu_meldingen"])}
    assert transacties == {d.slug for d in registry.of_theme("transacties")}

    run = import_and_confirm(write_extract(tmp_path, "fiu_meldingen"), django_capture_on_commit_callbacks)

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    after = ids_per_indicator()
    assert transacties <= set(after)
    for slug in transacties:
        assert after[slug].isdisjoint(before.get(slug, set())), slug
    for slug in set(before) - transacties:
        assert after[slug] == before[slug], f"{slug} was recomputed"
    count = ComputedCell.objects.get(indicator="verdachte_transacties_per_1000_inwoners", area_code=B1, year=2024)
    assert count.numerator == 1 and count.value == pytest.approx(1.0)


def test_the_command_recalculates_on_request(staged, capsys):
    call_command("recalculate", "--indicator", HENNEP)
    out = capsys.readouterr().out
    assert set(ComputedCell.objects.values_list("indicator", flat=True)) == {HENNEP}
    assert out.startswith("1 indicators, ") and "buurt" in out

    call_command("recalculate", "--source", "kadaster_transacties")
    assert {d.slug for d in registry.affected_by(["kadaster_transacties"])} <= set(
        ComputedCell.objects.values_list("indicator", flat=True))

    call_command("recalculate", "--all")
    assert set(ComputedCell.objects.values_list("indicator", flat=True)) >= with_data()
    assert f"{len(registry.all_indicators())} indicators" in capsys.readouterr().out

    with pytest.raises(CommandError, match="unknown indicator"):
        call_command("recalculate", "--indicator", "bestaat_niet")


def test_a_cell_without_a_denominator_has_no_value(staged):
    services.recalculate([registry.get(HENNEP)])

    cell = ComputedCell.objects.get(indicator=HENNEP, area_code=B4, year=2024)
    assert cell.value is None and cell.denominator is None and cell.numerator == 0
    assert not math.isnan(ComputedCell.objects.get(indicator=HENNEP, area_code=NL, year=2024).value)
