"""The registry: every theme app registers complete definitions, and the source kinds know which
indicators they feed from the definitions themselves."""

import re

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


# English texts: every Dutch text of a definition has an English counterpart, and `localized`
# picks the text of the page's language.

TRANSLATED = ("unit", "definition", "numerator", "denominator", "caveat")
# Words and phrases that occur in the Dutch texts and cannot occur in correct English ones.
DUTCH_WORDS = {
    "aandeel", "aantal", "bewijs", "bron", "een", "gebied", "geen", "gemeentelijke", "het",
    "huishoudens", "inwoners", "jaar", "noemer", "ontbreekt", "van", "verdachte", "vestigingen",
    "waar", "woningen", "woningvoorraad", "zijn",
}
DUTCH_PHRASES = (" van de ", " per 1.000 ", " in het ")
DUTCH_THOUSANDS = re.compile(r"\b\d{1,3}\.\d{3}\b")  # 1.000 and 10.000 rather than 1,000


def dutch_in(text: str) -> set[str]:
    """The obviously Dutch words, phrases and number spellings in ``text``."""
    padded = f" {text.lower()} "
    found = set(re.findall(r"[a-zà-ÿ]+", text.lower())) & DUTCH_WORDS
    found |= {phrase.strip() for phrase in DUTCH_PHRASES if phrase in padded}
    found |= set(DUTCH_THOUSANDS.findall(text))
    return found


@pytest.mark.parametrize("definition", registry.all_indicators(), ids=lambda d: d.slug)
def test_every_dutch_text_has_an_english_one(definition):
    for name in TRANSLATED:
        dutch, english = getattr(definition, name), getattr(definition, f"{name}_en")
        if not dutch:
            assert not english, f"{name}_en without a Dutch {name}"
            continue
        assert english, f"{name} has no English text"
        assert definition.localized(name, "en") == english
        if dutch != "%":
            assert english != dutch, f"{name}_en is the Dutch text"


@pytest.mark.parametrize("definition", registry.all_indicators(), ids=lambda d: d.slug)
def test_english_texts_have_no_dutch_words(definition):
    assert dutch_in(definition.definition), "the check recognises the Dutch definition"
    for name in ("name",) + TRANSLATED:
        text = definition.localized(name, "en")
        assert not dutch_in(text), f"{name}: {text!r}"


@pytest.mark.parametrize("definition", registry.all_indicators(), ids=lambda d: d.slug)
def test_localized_gives_dutch_for_dutch_and_english_for_english(definition):
    for name in ("name",) + TRANSLATED:
        dutch = definition.name_nl if name == "name" else getattr(definition, name)
        english = definition.name_en if name == "name" else getattr(definition, f"{name}_en")
        assert definition.localized(name, "nl") == dutch
        assert definition.localized(name, "nl-nl") == dutch
        for language in ("en", "en-gb", "en-GB", "EN"):
            assert definition.localized(name, language) == (english or dutch)


def test_localized_on_one_definition():
    closures = registry.get("sluitingen_13b_per_1000_woningen")
    assert closures.localized("unit", "nl") == "per 1.000 woningen"
    assert closures.localized("unit", "en") == "per 1,000 dwellings"
    assert closures.localized("unit", "en-gb") == "per 1,000 dwellings"
    assert closures.localized("name", "nl") == closures.name_nl
    assert closures.localized("name", "en-gb") == closures.name_en != closures.name_nl
    assert "13b closures" in closures.localized("numerator", "en")
    assert closures.localized("caveat", "nl").startswith("Een hoge waarde")
    assert closures.localized("caveat", "en").startswith("A high value")
    with pytest.raises(ValueError):
        closures.localized("slug", "en")


def test_the_default_caveat_is_english_too_and_a_missing_english_text_falls_back_to_dutch():
    base = registry.get("vestigingen")
    plain = registry.IndicatorDefinition(
        **{**base.__dict__, "caveat": registry.CAVEAT, "caveat_en": "", "unit_en": ""}
    )
    assert plain.caveat_en == registry.CAVEAT_EN
    assert plain.localized("caveat", "en") == registry.CAVEAT_EN
    assert plain.localized("caveat", "nl") == registry.CAVEAT
    assert plain.localized("unit", "en") == base.unit  # no English unit: the Dutch one
    own = registry.IndicatorDefinition(
        **{**base.__dict__, "caveat": "Eigen kanttekening.", "caveat_en": ""}
    )
    assert own.caveat_en == ""
    assert own.localized("caveat", "en") == "Eigen kanttekening."
    default = registry.get("misdrijven_per_1000_inwoners")  # registered with the default caveat
    assert default.caveat == registry.CAVEAT and default.caveat_en == registry.CAVEAT_EN
