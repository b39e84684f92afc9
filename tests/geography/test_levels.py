"""CBS code formats and the code rule for parents."""

import pytest

from apps.geography.levels import (
    Level,
    child_level,
    code_fits_level,
    level_of_code,
    parent_code_by_rule,
    parse_level,
)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("NL00", Level.LAND),
        ("PV26", Level.PROVINCIE),
        ("GM0308", Level.GEMEENTE),
        ("WK030800", Level.WIJK),
        ("WK0363AD", Level.WIJK),
        ("BU03080000", Level.BUURT),
        ("BU0363AD03", Level.BUURT),
    ],
)
def test_codes_fit_exactly_one_level(code, level):
    assert level_of_code(code) == level
    assert [other for other in Level if code_fits_level(code, other)] == [level]


@pytest.mark.parametrize(
    "code",
    [
        "GM363",
        "GM03080",
        "gm0308",
        "WK0308",
        "BU0308000",
        "BU0363ad03",
        "WK0363A-",
        "PV2",
        "NL01",
        "",
        "0308",
    ],
)
def test_malformed_codes_fit_no_level(code):
    assert level_of_code(code) is None


def test_parent_by_code_rule():
    assert parent_code_by_rule("BU0363AD03", Level.BUURT) == "WK0363AD"
    assert parent_code_by_rule("WK0363AD", Level.WIJK) == "GM0363"
    assert parent_code_by_rule("PV27", Level.PROVINCIE) == "NL00"
    # a gemeente's provincie does not follow from its code
    assert parent_code_by_rule("GM0363", Level.GEMEENTE) is None
    assert parent_code_by_rule("NL00", Level.LAND) is None


def test_parse_level_names_the_known_levels():
    assert parse_level("wijk") == Level.WIJK
    with pytest.raises(
        ValueError,
        match="unknown level 'foo'; known levels: land, provincie, gemeente, wijk, buurt",
    ):
        parse_level("foo")
    with pytest.raises(ValueError):
        parse_level("Wijk")


def test_child_levels_run_down_the_hierarchy():
    chain, level = [], Level.LAND
    while level is not None:
        chain.append(level.value)
        level = child_level(level)
    assert chain == ["land", "provincie", "gemeente", "wijk", "buurt"]
