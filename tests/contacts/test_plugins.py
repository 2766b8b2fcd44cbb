"""Each app gives the contacts core one plugin, found through its AppConfig, and every model
with a foreign key to a contact is answered for: what a merge and an erasure do to it."""

from collections import Counter
from collections.abc import Iterable

import pytest
from django.apps import apps
from django.db.models import Model

from campaign.ownership import TerritoryOwned
from contacts.plugins import (
    ActionPlugin,
    ContactRows,
    DeletedWithContact,
    Keep,
    Repoint,
    contact_fields,
    installed,
)


def models_with_a_contact() -> list[type[Model]]:
    """Every concrete model of any installed app with a foreign key (or one-to-one field) to
    contacts.Contact, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.abstract and not model._meta.proxy and contact_fields(model)
    ]


def declared(plugins: Iterable[ActionPlugin]) -> Counter[str]:
    return Counter(rows.model._meta.label for plugin in plugins for rows in plugin.contact_rows())


def undeclared(plugins: Iterable[ActionPlugin]) -> list[str]:
    said = declared(plugins)
    return sorted(m._meta.label for m in models_with_a_contact() if m._meta.label not in said)


def test_every_model_with_a_foreign_key_to_a_contact_is_declared_by_a_plugin():
    assert undeclared(installed()) == []


def test_no_model_is_declared_twice():
    assert [label for label, n in declared(installed()).items() if n > 1] == []


def test_a_model_nobody_declares_is_named():
    class Forgetful(ActionPlugin):  # the donations app, had it forgotten its gifts
        pass

    plugins = [p for p in installed() if p.__class__.__name__ != "DonationsPlugin"]
    assert undeclared([*plugins, Forgetful()]) == ["donations.Donation"]


def test_each_declared_model_says_what_a_merge_and_an_erasure_do():
    for plugin in installed():
        for rows in plugin.contact_rows():
            assert isinstance(rows, ContactRows)
            assert contact_fields(rows.model), f"{rows.model._meta.label} has no contact"
            if isinstance(rows.merge, DeletedWithContact):
                assert rows.merge.reason.strip(), f"{rows.model._meta.label}: why deleted?"
            else:
                assert isinstance(rows.merge, Repoint) or callable(rows.merge)
            if isinstance(rows.erase, Keep):
                assert rows.erase.reason.strip(), f"{rows.model._meta.label}: why kept?"
            else:
                assert callable(rows.erase)


def test_donations_keep_their_donors_for_the_campaign_accounts():
    from actions.donations.models import Donation

    (gifts,) = [rows for rows in declared_rows() if rows.model is Donation]
    assert isinstance(gifts.erase, Keep)
    assert "CNCCFP" in gifts.erase.reason
    assert "L52-12" in gifts.erase.reason


def declared_rows() -> list[ContactRows]:
    return [rows for plugin in installed() for rows in plugin.contact_rows()]


def test_each_of_our_apps_names_its_plugin_in_its_app_config():
    ours = [
        config
        for config in apps.get_app_configs()
        if config.name in ("campaign", "contacts") or config.name.startswith("actions.")
    ]
    named = {config.label for config in ours if getattr(config, "plugin", None)}
    assert named == {"contacts", "petitions", "sms", "canvassing", "donations", "emails"}


def test_the_plugins_are_found_in_the_order_of_the_installed_apps():
    names = [plugin.__class__.__name__ for plugin in installed()]
    assert names == [
        "ContactsPlugin",
        "PetitionsPlugin",
        "SmsPlugin",
        "CanvassingPlugin",
        "DonationsPlugin",
        "EmailsPlugin",
    ]


def test_every_territory_owned_model_is_declared_by_exactly_one_plugin():
    owned = sorted(
        m._meta.label
        for m in apps.get_models()
        if issubclass(m, TerritoryOwned) and not m._meta.abstract
    )
    said = sorted(m._meta.label for plugin in installed() for m in plugin.owned_models())
    assert said == owned


@pytest.mark.django_db
def test_a_new_app_plugs_in_by_naming_its_plugin(plugged, volunteer):
    from contacts.missions import missions_for

    plugged("donations", "tests.contacts.test_plugins.Leaflets")
    assert [card.title for card in missions_for(volunteer)] == ["Leaflets in Lyon 3e"]


class Leaflets(ActionPlugin):
    def missions(self, user):
        from contacts.plugins import MissionCard

        return [MissionCard(title="Leaflets in Lyon 3e", url="/", summary="200 letterboxes")]
