"""Staff create and edit contacts; bad input is shown next to its field, and nothing is dropped."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactActivity

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Camille",
        "last_name": "Roux",
        "postal_code": "69001",
        "commune": "Lyon",
        "insee_code": "69381",
        "tags": "militant, jeunes",
        "custom_fields_text": "Quartier = Pentes",
        "emails-TOTAL_FORMS": "1",
        "emails-INITIAL_FORMS": "0",
        "emails-0-address": "camille.roux@example.fr",
        "emails-0-is_primary": "on",
        "phones-TOTAL_FORMS": "2",
        "phones-INITIAL_FORMS": "0",
        "phones-0-number": "06 11 22 33 44",
        "phones-1-number": "",
    }
    data.update(overrides)
    return data


def test_organizer_creates_a_contact_in_their_territory(client_as, organizer_lyon):
    response = client_as(organizer_lyon).post(reverse("contacts:create"), form_data())
    contact = Contact.objects.get(last_name="Roux")
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    assert contact.source == "manual"
    assert contact.created_by == organizer_lyon
    assert [e.address for e in contact.emails.all()] == ["camille.roux@example.fr"]
    assert [p.e164 for p in contact.phones.all()] == ["+33611223344"]
    assert sorted(t.name for t in contact.tags.all()) == ["jeunes", "militant"]
    assert contact.custom_fields == {"Quartier": "Pentes"}
    assert contact.activities.filter(kind=ContactActivity.Kind.CREATED).exists()


def test_an_unreadable_phone_is_kept_as_typed_and_flagged(client_as, organizer_lyon):
    response = client_as(organizer_lyon).post(
        reverse("contacts:create"), form_data(**{"phones-0-number": "06 11 22"}), follow=True
    )
    phone = Contact.objects.get(last_name="Roux").phones.get()
    assert (phone.raw, phone.e164, phone.kind) == ("06 11 22", "", "unknown")
    assert "06 11 22" in response.content.decode()  # shown, with a warning


def test_invalid_fields_show_their_error_next_to_the_field(client_as, organizer_lyon):
    response = client_as(organizer_lyon).post(
        reverse("contacts:create"),
        form_data(postal_code="6900", **{"emails-0-address": "not-an-email"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_postal_code_error"' in page
    assert 'id="id_emails-0-address_error"' in page
    assert not Contact.objects.exists()


def test_organizer_cannot_create_a_contact_outside_their_territories(client_as, organizer_lyon):
    response = client_as(organizer_lyon).post(
        reverse("contacts:create"),
        form_data(postal_code="75011", commune="Paris", insee_code="75111"),
    )
    assert response.status_code == 200
    assert 'id="id_postal_code_error"' in response.content.decode()
    assert not Contact.objects.exists()


def test_editing_records_what_changed_on_the_timeline(client_as, organizer_lyon, lyon_contact):
    data = form_data(
        first_name="Léa",
        last_name="Garnier-Morel",
        **{"emails-0-address": "lea.garnier@example.fr", "phones-0-number": "06 12 34 56 78"},
    )
    response = client_as(organizer_lyon).post(
        reverse("contacts:edit", args=[lyon_contact.pk]), data
    )
    assert response.status_code == 302
    lyon_contact.refresh_from_db()
    assert lyon_contact.last_name == "Garnier-Morel"
    assert lyon_contact.last_name_key == "garnier morel"
    update = lyon_contact.activities.get(kind=ContactActivity.Kind.UPDATED)
    assert update.actor == organizer_lyon
    # The changed fields' names, in French (the default language): the form also sends a
    # commune written otherwise ("Lyon"), no polling station, and custom fields Léa had not.
    assert update.summary == "nom, commune, bureau de vote, champs personnalisés"


def test_a_note_appears_on_the_timeline(client_as, organizer_lyon, lyon_contact):
    client = client_as(organizer_lyon)
    client.post(
        reverse("contacts:note", args=[lyon_contact.pk]), {"text": "Appelée, rappeler jeudi"}
    )
    page = client.get(reverse("contacts:detail", args=[lyon_contact.pk])).content.decode()
    assert "Appelée, rappeler jeudi" in page


def test_contact_names_render_inert(client_as, admin_user):
    from contacts import services

    contact = services.contact_create(
        actor=None, source="manual", first_name="<script>alert(1)</script>", last_name="X"
    )
    page = client_as(admin_user).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_saving_without_touching_the_phone_keeps_it_as_first_typed(
    client_as, organizer_lyon, lyon_contact
):
    client = client_as(organizer_lyon)
    form = client.get(reverse("contacts:edit", args=[lyon_contact.pk])).context
    shown = form["phone_formset"].forms[0].initial["number"]
    assert shown == "06 12 34 56 78"
    data = form_data(
        first_name="Léa",
        last_name="Garnier",
        commune="Lyon 1er arrondissement",
        bureau_code="69381-0101",
        tags="",
        custom_fields_text="",
        **{"emails-0-address": "lea.garnier@example.fr", "phones-0-number": "+33612345678"},
    )
    client.post(reverse("contacts:edit", args=[lyon_contact.pk]), data)
    phone = lyon_contact.phones.get()
    assert (phone.raw, phone.e164) == ("06 12 34 56 78", "+33612345678")
    assert (
        list(
            lyon_contact.activities.filter(kind=ContactActivity.Kind.UPDATED).values_list(
                "summary", flat=True
            )
        )
        == []
    )


def test_tags_are_added_and_removed_from_the_contact_page(client_as, organizer_lyon, lyon_contact):
    client = client_as(organizer_lyon)
    url = reverse("contacts:tags", args=[lyon_contact.pk])
    client.post(url, {"add": "militant, porte-à-porte"})
    assert sorted(t.name for t in lyon_contact.tags.all()) == ["militant", "porte-à-porte"]
    client.post(url, {"remove": "militant"})
    assert [t.name for t in lyon_contact.tags.all()] == ["porte-à-porte"]
    tagged = lyon_contact.activities.filter(kind=ContactActivity.Kind.TAGGED)
    assert list(tagged.order_by("id").values_list("summary", flat=True)) == [
        "+militant +porte-à-porte",
        "−militant",
    ]


def test_an_organizer_cannot_tag_a_contact_outside_their_territories(
    client_as, organizer_lyon, paris_contact
):
    response = client_as(organizer_lyon).post(
        reverse("contacts:tags", args=[paris_contact.pk]), {"add": "militant"}
    )
    assert response.status_code == 404
    assert not paris_contact.tags.exists()
