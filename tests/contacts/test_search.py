"""Staff find a contact by name, email, phone in any format, commune or postal code."""

from importlib import import_module

import pytest
from django.db import connection
from django.urls import reverse

from contacts import services
from contacts.imports.people import PersonRow, people_merge
from contacts.models import Contact, ContactActivity, Source
from contacts.normalize import search_words, search_words_sql
from contacts.privacy.services import contacts_anonymize
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


@pytest.fixture
def compound_names(db):
    """People whose names have several words, particles, hyphens and apostrophes, and a
    Leroy whose name starts like "Le Goff" but is not hers."""
    people = [
        ("Frédérique", "Le Goff", "Lyon"),
        ("Marc", "De Sousa", "Paris"),
        ("Anne", "Durand-Test", "Lyon"),
        ("Jean-Noël", "d'Almeida", "Lyon"),
        ("Awa", "N'Diaye", "Paris"),
        ("Lucie", "Leroy", "Paris"),
    ]
    for first, last, commune in people:
        services.contact_create(
            actor=None, source=Source.MANUAL, first_name=first, last_name=last, commune=commune
        )


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("Le Goff", ["Le Goff"]),
        ("Frédérique Le Goff", ["Le Goff"]),
        ("Le Goff Frédérique", ["Le Goff"]),
        ("Goff", ["Le Goff"]),
        ("goff frederique", ["Le Goff"]),
        ("LE GOFF", ["Le Goff"]),
        ("legoff", ["Le Goff"]),
        ("De Sousa", ["De Sousa"]),
        ("sousa", ["De Sousa"]),
        ("Durand-Test", ["Durand-Test"]),
        ("durand test", ["Durand-Test"]),
        ("test", ["Durand-Test"]),
        ("d'Almeida", ["d'Almeida"]),
        ("dalmeida", ["d'Almeida"]),
        ("almeida", ["d'Almeida"]),
        ("Jean-Noël d'Almeida", ["d'Almeida"]),
        ("noel", ["d'Almeida"]),
        ("jeannoel", ["d'Almeida"]),
        ("N'Diaye", ["N'Diaye"]),
        ("ndiaye", ["N'Diaye"]),
        ("diaye", ["N'Diaye"]),
        ("n’diaye awa", ["N'Diaye"]),
        ("le", ["Le Goff", "Leroy"]),
        ("le goff paris", []),
        ("sousa paris", ["De Sousa"]),
    ],
)
def test_a_compound_name_is_found_by_any_of_its_words_in_any_order(
    admin_user, compound_names, typed, names
):
    assert sorted(found(admin_user, typed)) == names


def test_every_word_must_match_so_a_particle_alone_does_not_widen_a_search(
    admin_user, compound_names
):
    assert found(admin_user, "le goff") == ["Le Goff"]  # not Leroy, who only starts with "le"
    assert found(admin_user, "de") == ["De Sousa"]
    assert found(admin_user, "le x") == []


def test_the_list_page_finds_compound_names(client_as, admin_user, compound_names):
    page = client_as(admin_user).get(reverse("contacts:list"), {"q": "Le Goff"}).content.decode()
    assert "Frédérique" in page
    assert "Leroy" not in page
    page = client_as(admin_user).get(reverse("contacts:list"), {"q": "dalmeida"}).content.decode()
    assert "Jean-Noël" in page


def test_the_home_page_search_finds_compound_names(client_as, admin_user, compound_names):
    client = client_as(admin_user)
    home = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("contacts:list")}"' in home
    assert 'name="q"' in home
    page = client.get(reverse("contacts:list"), {"q": "Goff"}).content.decode()
    assert "Frédérique" in page


def test_a_name_changed_by_hand_is_searched_by_its_new_words(admin_user, lyon_contact):
    services.contact_update(contact=lyon_contact, actor=admin_user, last_name="Le Garnier-Morel")
    assert found(admin_user, "morel") == ["Le Garnier-Morel"]
    assert found(admin_user, "garnier lea") == ["Le Garnier-Morel"]


def test_an_imported_compound_name_is_found(admin_user, run_import):
    job = run_import(
        "prenom;nom;email\nFrédérique;Le Goff;fle@example.fr\nAwa;N'Diaye;awa@example.fr\n",
        actor=admin_user,
    )
    assert job.created_count == 2
    assert found(admin_user, "goff") == ["Le Goff"]
    assert found(admin_user, "ndiaye awa") == ["N'Diaye"]


def test_an_import_that_completes_a_name_makes_it_searchable(admin_user, run_import):
    services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name="Awa",
        emails=[services.EmailInput(address="awa@example.fr")],
    )
    run_import("prenom;nom;email\nAwa;N'Diaye;awa@example.fr\n", actor=admin_user)
    assert found(admin_user, "diaye") == ["N'Diaye"]


def test_a_petition_signer_with_a_compound_name_is_found(admin_user):
    people_merge(
        people=[PersonRow(first_name="Marc", last_name="De Sousa", postal_code="75011")],
        source=Source.PETITION,
        source_detail="Transports gratuits",
        tags=[],
        actor_id=None,
        activity_summary="Signed",
    )
    assert found(admin_user, "sousa marc") == ["De Sousa"]


def test_an_erased_person_is_no_longer_found_by_name(admin_user, compound_names):
    le_goff = Contact.objects.get(last_name="Le Goff")
    contacts_anonymize(
        ids=[le_goff.pk], actor=admin_user, kind=ContactActivity.Kind.ERASED, summary="Erased"
    )
    assert Contact.objects.get(pk=le_goff.pk).search_words == ""
    assert found(admin_user, "goff") == []


@pytest.mark.parametrize(
    ("first", "last", "commune"),
    [
        ("frederique", "le goff", "lyon"),
        ("jean noel", "d almeida", ""),
        ("", "n diaye", "paris 11e arrondissement"),
        ("", "", ""),
    ],
)
def test_the_sql_of_the_imports_and_migration_writes_the_same_words_as_python(first, last, commune):
    expression = search_words_sql(
        first_key="CAST(%(first)s AS text)",
        last_key="CAST(%(last)s AS text)",
        commune_key="CAST(%(commune)s AS text)",
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}", {"first": first, "last": last, "commune": commune})
        (words,) = cursor.fetchone()
    assert words == search_words(first_key=first, last_key=last, commune_key=commune)


def test_a_search_of_punctuation_only_filters_nothing(admin_user, compound_names):
    assert len(found(admin_user, "'-")) == 6


def test_the_migration_fills_the_words_of_existing_contacts_in_batches(admin_user, compound_names):
    fill_words = import_module("contacts.migrations.0022_contact_search_words").fill_words
    erased = Contact.objects.get(last_name="Leroy")
    contacts_anonymize(
        ids=[erased.pk], actor=admin_user, kind=ContactActivity.Kind.ERASED, summary="Erased"
    )
    Contact.objects.update(search_words="")  # as they were before the column existed
    fill_words(connection, batch=2)
    assert found(admin_user, "le goff") == ["Le Goff"]
    assert found(admin_user, "dalmeida") == ["d'Almeida"]
    words = dict(Contact.objects.values_list("last_name", "search_words"))
    assert words["De Sousa"] == "marc de sousa paris desousa"
    assert words[""] == ""  # the erased person stays blank
