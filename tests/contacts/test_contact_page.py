"""What a contact's page shows of them."""

import pytest
from django.urls import reverse

from contacts.imports.people import PersonRow, people_merge
from contacts.models import Source

pytestmark = pytest.mark.django_db


def address_shown(client, contact_id: int) -> str:
    page = client.get(reverse("contacts:detail", args=[contact_id])).content.decode()
    return page.split("Adresse</dt>")[1].split("<dd>")[1].split("</dd>")[0].strip()


def signer(**fields) -> int:
    counts = people_merge(
        people=[PersonRow(first_name="Awa", last_name="N'Diaye", email="awa@example.fr", **fields)],
        source=Source.PETITION,
        source_detail="Transports gratuits",
        tags=[],
        actor_id=None,
        activity_summary="Signed",
    )
    return counts.contact_ids[0]


def test_a_petition_signer_who_gave_only_a_postal_code_shows_it(client_as, admin_user):
    contact_id = signer(postal_code="75011")
    assert address_shown(client_as(admin_user), contact_id) == "75011"


def test_a_postal_code_and_commune_without_a_street_show_on_one_line(client_as, admin_user):
    contact_id = signer(postal_code="69001", commune="Lyon")
    assert address_shown(client_as(admin_user), contact_id) == "69001 Lyon"


def test_a_full_address_shows_the_street_then_the_town(client_as, admin_user):
    contact_id = signer(street="3 rue Neuve", postal_code="69001", commune="Lyon")
    assert address_shown(client_as(admin_user), contact_id) == "3 rue Neuve<br>69001 Lyon"


def test_nothing_known_shows_a_dash(client_as, admin_user):
    assert address_shown(client_as(admin_user), signer()) == "—"
