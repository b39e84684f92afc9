"""The registry: every theme app registers complete definitions, and the source kinds know which
indicators they feed from the definitions themselves."""

import pytest
from django.apps import apps

from apps.indicators import registry
from apps.indicators.models import IndicatorText
from apps.sources import kinds

THEMES = ("context", "vastgoed", "drugs", "transacties", "branches")


def test_each_theme_is_an_app_that_registers_at_least_five_indicators():
    for theme in THEMES:
        assert apps.get_app_config(theme).name == f"apps.{theme}"
        assert len(registry.of_theme(theme)) >= 5, theme
    assert set(registry.themes()) == set(THEMES)


@pytest.mark.parametrize("definition", registry.all_indicators(), ids=lambda d: d.slug)
def test_every_definition_fills_every_field_of_the_catalogue(definition):
    assert definition.slug and definition.theme in THEMES
    assert definition.name_nl and definition.name_en and definition.definition and definition.caveat
    assert definition.numerator and definition.unit
    assert definition.kind in registry.KINDS
    assert definition.direction in (-1, 0, 1)
    assert definition.levels and set(definition.levels) <= set(registry.ALL_LEVELS)
    known_kinds = {kind.slug for kind in kinds.all_kinds()}
    assert definition.sources and set(definition.sources) <= known_kinds
    if definition.kind in ("share", "rate", "mean") and definition.theme != "context":
        assert definition.denominator, "a ratio names its denominator"
        assert definition.min_denominator, "a ratio of extract data has a minimum denominator"
    if definition.kind == "share":
        assert definition.scale == 100
    if definition.by_sbi_section:
        assert definition.theme == "branches"


def test_the_branche_indicators_are_also_per_sbi_section():
    branches = registry.of_theme("branches")
    assert all(definition.by_sbi_section for definition in branches)


def test_a_source_kind_lists_exactly_the_indicators_whose_sources_name_it():
    for kind in kinds.all_kinds():
        expected = {d.slug for d in registry.all_indicators() if kind.slug in d.sources}
        assert set(kind.indicators) == expected, kind.slug
    assert set(kinds.get_kind("fiu_meldingen").indicators) == {d.slug for d in registry.of_theme("transacties")}
    assert "misdrijven_per_1000_inwoners" in kinds.get_kind("cbs_kwb").indicators
    assert kinds.get_kind("grenzen").indicators == ()


def test_affected_by_an_upload_of_one_kind():
    affected = {d.slug for d in registry.affected_by(["om_veroordelingen"])}
    assert affected == {"opiumwet_veroordeelden_per_1000_inwoners", "jonge_aanwas"}


@pytest.mark.django_db
def test_every_indicator_has_its_editable_text():
    slugs = set(IndicatorText.objects.values_list("slug", flat=True))
    assert {d.slug for d in registry.all_indicators()} <= slugs
    text = IndicatorText.objects.get(slug="jonge_aanwas")
    assert text.name_nl == registry.get("jonge_aanwas").name_nl


def test_a_definition_with_an_unknown_kind_or_level_is_refused():
    base = registry.get("vestigingen")
    with pytest.raises(ValueError):
        registry.IndicatorDefinition(**{**base.__dict__, "kind": "median"})
    with pytest.raises(ValueError):
        registry.IndicatorDefinition(**{**base.__dict__, "levels": ("straat",)})
