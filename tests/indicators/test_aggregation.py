"""The engine rolls records up from buurt to Nederland: counts add up, distinct contributors are
counted per area, sums keep their two largest contributors, and the synthetic mark travels."""

import pytest

from apps.branches.sbi import sections
from apps.geography.models import Area
from apps.indicators import engine
from apps.indicators.staged import StagedData, read_hierarchy
from tests.indicators.helpers import (
    AMERSFOORT, AMSTERDAM, B1, B2, B3, B4, B5, BAARN, NL, NOORD_HOLLAND, UTRECHT, WK1, WK2, WK4, WK5,
    add_records,
)

pytestmark = pytest.mark.usefixtures("geo")

REG = "gemeentelijke_registraties"


def by_area(frame, column="numerator", year=2024, section=""):
    part = frame[(frame["year"] == year) & (frame["sbi_section"] == section)]
    return dict(zip(part["area_code"], part[column]))


def test_the_hierarchy_of_a_vintage_links_every_buurt_to_its_wijk_gemeente_provincie_and_nederland():
    hierarchy = read_hierarchy(2024)

    assert len(hierarchy) == 14_574
    row = hierarchy[hierarchy["buurt"] == B5].iloc[0].to_dict()
    assert row == {"vintage": 2024, "buurt": B5, "wijk": WK5, "gemeente": AMSTERDAM, "provincie": NOORD_HOLLAND,
                   "land": NL}
    assert not hierarchy.isna().any().any()


def test_counts_add_up_from_buurt_to_wijk_gemeente_provincie_and_nederland():
    per_buurt = {B1: 3, B2: 2, B3: 1, B4: 4, B5: 5}
    add_records(REG, [{"buurt": b, "date": "2024-05-01", "category": "hennepkwekerij"}
                      for b, n in per_buurt.items() for _ in range(n)])
    add_records(REG, [{"buurt": B1, "date": "2023-02-01", "category": "hennepkwekerij"}])

    frame = engine.aggregate_frame(StagedData(), StagedData().records(REG))

    assert by_area(frame) == {
        B1: 3, B2: 2, B3: 1, B4: 4, B5: 5,
        WK1: 5, WK2: 1, WK4: 4, WK5: 5,
        BAARN: 6, AMERSFOORT: 4, AMSTERDAM: 5,
        UTRECHT: 10, NOORD_HOLLAND: 5,
        NL: 15,
    }
    assert by_area(frame, year=2023) == {B1: 1, WK1: 1, BAARN: 1, UTRECHT: 1, NL: 1}
    # Every record is its own contributor when the extract names no one.
    assert by_area(frame, "contributors") == by_area(frame)


def test_every_parent_is_the_sum_of_its_children_at_every_level():
    add_records(REG, [{"buurt": b, "date": "2024-01-0%d" % (1 + i % 9)} for i, b in enumerate([B1, B2, B2, B3, B4, B5, B5, B5])])
    frame = engine.aggregate_frame(StagedData(), StagedData().records(REG))
    counts = by_area(frame)
    parents = dict(Area.objects.filter(vintage=2024, code__in=counts).values_list("code", "parent__code"))

    children_sum = {}
    for code, count in counts.items():
        if parents.get(code):
            children_sum[parents[code]] = children_sum.get(parents[code], 0) + count
    for parent, total in children_sum.items():
        assert counts[parent] == total, parent


def test_distinct_persons_are_counted_per_area_not_summed_over_the_parts():
    add_records("om_veroordelingen", [
        {"buurt": B1, "date": "2024-03-01", "subject": "P1", "category": "opiumwet"},
        {"buurt": B2, "date": "2024-09-01", "subject": "P1", "category": "opiumwet"},  # moved within the wijk
        {"buurt": B1, "date": "2024-04-01", "subject": "P2", "category": "opiumwet"},
        {"buurt": B1, "date": "2024-06-01", "subject": "P2", "category": "opiumwet"},  # convicted twice
        {"buurt": B4, "date": "2024-06-01", "subject": "P3", "category": "opiumwet"},
    ])
    records = StagedData().records("om_veroordelingen")

    frame = engine.aggregate_frame(StagedData(), records, unit="subject_id")

    assert by_area(frame) == {
        B1: 2, B2: 1, B4: 1, WK1: 2, WK4: 1, BAARN: 2, AMERSFOORT: 1, UTRECHT: 3, NL: 3,
    }
    assert by_area(frame, "contributors") == by_area(frame)


def test_sums_of_amounts_keep_the_total_and_the_two_largest_contributors_per_area():
    add_records("kadaster_transacties", [
        {"buurt": B1, "date": "2024-01-10", "amount": 100.0, "subject": "K1"},
        {"buurt": B2, "date": "2024-02-10", "amount": 300.0, "subject": "K1"},
        {"buurt": B1, "date": "2024-03-10", "amount": 250.0, "subject": "K2"},
        {"buurt": B4, "date": "2024-04-10", "amount": 1000.0, "subject": "K3"},
    ])
    records = StagedData().records("kadaster_transacties")

    frame = engine.aggregate_frame(StagedData(), records, contributor="subject_id", amount="amount")
    got = {code: (n, c, t, t1, t2) for code, n, c, t, t1, t2 in
           frame[["area_code", "numerator", "contributors", "total", "top1", "top2"]].itertuples(index=False)}

    assert got[B1] == (2, 2, 350, 250, 100)
    assert got[B2] == (1, 1, 300, 300, 0)  # one contributor: the second contributes nothing
    assert got[WK1] == (3, 2, 650, 400, 250)  # K1's two purchases in the wijk count as one contribution
    assert got[BAARN] == (3, 2, 650, 400, 250)
    assert got[UTRECHT] == (4, 3, 1650, 1000, 400)
    assert got[NL] == (4, 3, 1650, 1000, 400)


def test_sums_of_amounts_add_up_to_the_cent_at_every_level():
    """Each level adds its own records; in floating point 0.1 + 0.2 is not 0.3, and at national
    scale a wijk came out 1.9e-9 euro below its buurten, which disclosure control took for a
    contradiction. Summed in whole cents, every total is its parts' sum exactly."""
    amounts = {B1: [0.1, 0.2, 1_277_987.89], B2: [0.7, 215_431.31], B3: [0.005, 12.345]}
    add_records("fiu_meldingen", [
        {"buurt": buurt, "date": "2024-03-01", "amount": amount}
        for buurt, values in amounts.items() for amount in values
    ])
    frame = engine.aggregate_frame(StagedData(), StagedData().records("fiu_meldingen"), amount="amount")
    totals = by_area(frame, "total")

    cents = {code: total * 100 for code, total in totals.items()}
    assert all(value == round(value) for value in cents.values()), cents
    assert cents[WK1] == cents[B1] + cents[B2]
    assert cents[BAARN] == cents[WK1] + cents[WK2]
    assert totals[B1] == 1_277_988.19


def test_a_cell_is_synthetic_when_any_record_under_it_is_and_a_zero_follows_its_extract():
    add_records(REG, [
        {"buurt": B1, "date": "2024-05-01", "synthetic": True},
        {"buurt": B4, "date": "2024-05-01"},
        {"buurt": B5, "date": "2023-05-01"},
    ])
    records = StagedData().records(REG)

    cells = engine.count_cells(StagedData(), records)
    synthetic = {(code, year): flag for code, year, flag in cells[["area_code", "year", "synthetic"]].itertuples(index=False)}

    for code in (B1, WK1, BAARN, UTRECHT, NL):
        assert synthetic[(code, 2024)] is True, code
    for code in (B4, WK4, AMERSFOORT):
        assert synthetic[(code, 2024)] is False, code
    assert synthetic[(B3, 2024)] is True  # a zero from an extract year that holds synthetic records
    assert synthetic[(B3, 2023)] is False  # 2023 holds real records only
    assert synthetic[(NL, 2023)] is False


def test_every_area_of_the_indeling_gets_a_cell_for_every_year_zero_included():
    add_records(REG, [{"buurt": B1, "date": "2024-05-01"}, {"buurt": B1, "date": "2022-05-01"}])

    cells = engine.count_cells(StagedData(), StagedData().records(REG))

    areas = Area.objects.filter(vintage=2024).count()
    assert sorted(cells["year"].unique()) == [2022, 2024]
    assert len(cells) == 2 * areas
    assert cells.groupby("year").size().to_dict() == {2022: areas, 2024: areas}
    assert by_area(cells, "value")[B5] == 0
    assert by_area(cells, "value")[NL] == 1


def test_records_in_buurten_unknown_to_their_indeling_are_left_out():
    add_records(REG, [{"buurt": B1, "date": "2024-05-01"}, {"buurt": "BU03089999", "date": "2024-05-01"}])

    frame = engine.aggregate_frame(StagedData(), StagedData().records(REG))

    assert by_area(frame)[NL] == 1
    assert "BU03089999" not in set(frame["area_code"])


def test_per_sbi_section_the_sections_add_up_to_all_branches():
    add_records("kvk_vestigingen", [
        {"buurt": B1, "date": "2020-01-01", "sbi": "5610", "subject": "C1"},
        {"buurt": B1, "date": "2020-01-01", "sbi": "56302", "subject": "C1"},
        {"buurt": B1, "date": "2020-01-01", "sbi": "4120", "subject": "C2"},
        {"buurt": B4, "date": "2020-01-01", "sbi": "5610", "subject": "C3"},
        {"buurt": B5, "date": "2020-01-01", "sbi": "6420", "subject": "C4"},
    ])
    records = StagedData().records("kvk_vestigingen")
    records["sbi_section"] = sections(records["sbi_code"])

    frame = engine.aggregate_frame(StagedData(), records, by_section=True, contributor="subject_id")

    assert by_area(frame, year=2020) == {B1: 3, B4: 1, B5: 1, WK1: 3, WK4: 1, WK5: 1, BAARN: 3, AMERSFOORT: 1,
                                         AMSTERDAM: 1, UTRECHT: 4, NOORD_HOLLAND: 1, NL: 5}
    assert by_area(frame, year=2020, section="I") == {B1: 2, B4: 1, WK1: 2, WK4: 1, BAARN: 2, AMERSFOORT: 1,
                                                      UTRECHT: 3, NL: 3}
    assert by_area(frame, year=2020, section="F")[NL] == 1
    assert by_area(frame, year=2020, section="K") == {B5: 1, WK5: 1, AMSTERDAM: 1, NOORD_HOLLAND: 1, NL: 1}
    # C1's two establishments in B1 are one contributor (company) of section I there.
    assert by_area(frame, "contributors", year=2020, section="I")[B1] == 1
    per_section = frame[(frame["sbi_section"] != "") & (frame["area_code"] == NL)]["numerator"].sum()
    assert per_section == by_area(frame, year=2020)[NL]
