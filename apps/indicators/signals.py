"""After migrate, make sure every registered indicator has its editable text and the risk
branches have their starting list (existing rows are left as stewards edited them)."""

from .defaults import DEFAULT_RISK_BRANCHES


def seed_reference_tables(sender, **kwargs):
    from . import registry
    from .models import IndicatorText, RiskBranch

    for definition in registry.all_indicators():
        IndicatorText.objects.get_or_create(
            slug=definition.slug,
            defaults={
                "name_nl": definition.name_nl,
                "name_en": definition.name_en,
                "definition_nl": definition.definition,
                "caveat_nl": definition.caveat,
                "caveat_en": "A high value shows a pattern, not proof.",
            },
        )
    if not RiskBranch.objects.exists():
        RiskBranch.objects.bulk_create(
            [RiskBranch(sbi_code=code, description=text) for code, text in DEFAULT_RISK_BRANCHES.items()]
        )
