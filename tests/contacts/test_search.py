"""Staff find a contact by name, email, phone in any format, commune or postal code."""

import pytest
from django.urls import reverse

from contacts.selectors import ContactFilters, contact_list

pytestmark = pytest.mark.django_db


def found(user, query: str) -> list[str]:
    return [c.last_name for c in contact_list(user=user, filters=ContactFilters(q=query))]


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "06.12.34.56.78",
        "6 12 34 56 78",
    ],
)
def test_a_phone_typed_in_any_format_finds_the_contact(
    admin_user, lyon_contact, paris_contact, typed
):
    assert found(admin_user, typed) == ["Garnier"]


def test_email_search_ignores_case(admin_user, lyon_contact, paris_contact):
    assert found(admin_user, "Lea.Garnier@Example.FR") == ["Garnier"]


def test_name_search_ignores_accents_and_case_and_word_order(
    admin_user, lyon_contact, paris_contact
):
    assert found(admin_user, "lefevre") == ["Lefèvre"]
    assert found(admin_user, "LEFÈV") == ["Lefèvre"]
    assert found(admin_user, "hugo lef") == ["Lefèvre"]
    assert found(admin_user, "lef hugo") == ["Lefèvre"]


def test_commune_and_postal_code_search(admin_user, lyon_contact, paris_contact):
    assert found(admin_user, "lyon") == ["Garnier"]
    assert found(admin_user, "75011") == ["Lefèvre"]
    assert found(admin_user, "69381") == ["Garnier"]


def test_a_search_that_matches_nobody_shows_a_friendly_empty_state(
    client_as, admin_user, lyon_contact
):
    page = client_as(admin_user).get(reverse("contacts:list"), {"q": "zzzz"}).content.decode()
    assert "Garnier" not in page
    assert '<div class="empty">' in page


def test_filters_by_tag_and_consent(admin_user, lyon_contact, paris_contact):
    from contacts import services

    services.contact_tag(contact=paris_contact, actor=admin_user, add=["militant"])
    services.consent_set(
        contact=lyon_contact, channel="sms", status="granted", source="manual", actor=admin_user
    )
    tag_id = paris_contact.tags.get().pk
    by_tag = contact_list(user=admin_user, filters=ContactFilters(tag=tag_id))
    assert [c.last_name for c in by_tag] == ["Lefèvre"]
    sms = contact_list(user=admin_user, filters=ContactFilters(consent_channel="sms"))
    assert [c.last_name for c in sms] == ["Garnier"]
    never = contact_list(
        user=admin_user, filters=ContactFilters(consent_channel="sms", consent_status="unknown")
    )
    assert [c.last_name for c in never] == ["Lefèvre"]
