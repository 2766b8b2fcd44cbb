"""Every model of our apps has names of its own, in French when French is active: the Django
admin never shows an English name Django made up from the class ("Funnel entrys")."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

# Words French writes as English does.
SAME_IN_FRENCH = {
    "contact",
    "contacts",
    "segment",
    "segments",
    "signature",
    "signatures",
    "webhook",
    "webhooks",
    "conversation",
    "conversations",
}


def our_models() -> list[type[models.Model]]:
    """Every model of campaign, contacts and the action apps (not the tables Django makes)."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name in ("campaign", "contacts") or config.name.startswith("actions.")
        for model in config.get_models()
        if not model._meta.auto_created
    ]


def in_language(language: str, name) -> str:
    with translation.override(language):
        return str(name)


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model.__name__)
@pytest.mark.parametrize("option", ["verbose_name", "verbose_name_plural"])
def test_every_model_names_itself_in_french(model, option):
    assert option in model._meta.original_attrs, f"{model.__name__} has no {option}"
    name = getattr(model._meta, option)
    english, french = in_language("en", name), in_language("fr", name)
    if english not in SAME_IN_FRENCH:
        assert french != english, f"{model.__name__}.{option} {english!r} is not in django.po"


def test_the_admin_names_the_funnel_tables_in_french():
    from contacts.funnel.models import FunnelEntry

    assert in_language("fr", FunnelEntry._meta.verbose_name_plural) == "positions dans l’entonnoir"
