from .defaults import DEFAULT_PARAMETERS


def seed_parameters(sender, **kwargs):
    from .models import DisclosureParameter

    for key, (value, description) in DEFAULT_PARAMETERS.items():
        DisclosureParameter.objects.get_or_create(key=key, defaults={"value": value, "description": description})
