"""The token-less record_signature_helper is a public form (actions.petitions.services'
unverified signing): it adds a consent where the person had none, never undoes a
withdrawal, and never writes the identifiers it brings onto an existing contact."""

import pytest

from actions.petitions.models import Signature
from contacts import services
from contacts.models import Consent, Contact
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(db):
    return PetitionFactory(
        slug="eau",
        title="Eau",
        consent_email="J'accepte les emails.",
        consent_sms="J'accepte les SMS.",
    )


def signer(email: str, phone: str) -> dict:
    return {
        "person": {
            "given_name": "Léa",
            "family_name": "Garnier",
            "email_addresses": [{"address": email, "status": "subscribed"}],
            "phone_numbers": [{"number": phone, "status": "subscribed"}],
            "postal_addresses": [{"postal_code": "69001"}],
        }
    }


def test_a_token_less_signature_never_undoes_an_unsubscribe_nor_adds_a_phone(
    client, water, lyon_contact, eager_tasks, django_capture_on_commit_callbacks
):
    services.consent_set(
        contact=lyon_contact, channel="email", status="withdrawn", source="manual", actor=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        signed = client.post(
            f"/api/v1/petitions/{water.pk}/signatures",
            signer("lea.garnier@example.fr", "07 11 22 33 44"),
            content_type="application/json",
        )

    assert signed.status_code == 202
    assert Signature.objects.get().contact == lyon_contact
    assert Consent.objects.get(contact=lyon_contact, channel="email").status == "withdrawn"
    assert list(lyon_contact.phones.values_list("e164", flat=True)) == ["+33612345678"]


def test_a_token_less_signature_adds_a_consent_where_there_was_none(
    client, water, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/api/v1/petitions/{water.pk}/signatures",
            signer("nina@example.fr", "07 11 22 33 44"),
            content_type="application/json",
        )

    nina = Contact.objects.get()
    assert nina.consents.get(channel="email").status == "granted"
