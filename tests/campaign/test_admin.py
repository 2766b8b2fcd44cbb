"""Every model has an admin page that loads, with search where it makes sense."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def our_apps() -> set[str]:
    """The labels of our own apps: campaign, contacts and every action app."""
    from django.apps import apps

    return {
        config.label
        for config in apps.get_app_configs()
        if config.name in ("campaign", "contacts") or config.name.startswith("actions.")
    }


def test_our_apps_are_campaign_contacts_and_every_action_app():
    assert our_apps() == {
        "campaign",
        "contacts",
        "petitions",
        "sms",
        "canvassing",
        "donations",
        "emails",
    }


@pytest.fixture
def superuser(db):
    from campaign.models import User

    return User.objects.create_superuser(username="root", password="x" * 12, email="r@example.fr")


def test_every_model_is_registered_in_the_admin():
    from django.apps import apps

    ours = [m for m in apps.get_models() if m._meta.app_label in our_apps()]
    missing = [
        m.__name__ for m in ours if m not in admin.site._registry and not m._meta.auto_created
    ]
    assert missing == []


def test_every_admin_list_and_search_loads(client, superuser, lyon_contact):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in our_apps():
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "06 12 34 56 78"}).status_code == 200, url


def test_admin_search_finds_a_contact_by_phone_in_another_format(client, superuser, lyon_contact):
    client.force_login(superuser)
    page = client.get(reverse("admin:contacts_contact_changelist"), {"q": "+33612345678"})
    assert reverse("admin:contacts_contact_change", args=[lyon_contact.pk]) in page.content.decode()


def test_consent_events_cannot_be_edited_in_the_admin(client, superuser, lyon_contact):
    from contacts import services

    event = services.consent_set(
        contact=lyon_contact, channel="sms", status="granted", source="manual", actor=None
    )
    client.force_login(superuser)
    url = reverse("admin:contacts_consentevent_change", args=[event.pk])
    client.post(url, {"status": "withdrawn"})
    event.refresh_from_db()
    assert event.status == "granted"
