"""Signatures wait in a queue and are merged in batches: a viral petition answers each signer
with one insert, and a worker turns the queue into contacts, consents and signatures."""

import pytest
from django.utils import timezone

from actions.petitions.models import PendingSignature, Petition, Signature
from actions.petitions.signatures import pending_signatures_merge
from contacts.models import Consent, ConsentEvent, Contact, Tag
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def petition(slug: str, **fields) -> Petition:
    return PetitionFactory(slug=slug, title=slug.title(), **fields)


def received(petition: Petition, email: str, **fields) -> PendingSignature:
    return PendingSignature.objects.create(
        petition=petition,
        email=email,
        first_name=fields.pop("first_name", "Léa"),
        last_name=fields.pop("last_name", "Garnier"),
        postal_code="69001",
        received_at=fields.pop("received_at", timezone.now()),
        **fields,
    )


def test_a_burst_is_merged_in_one_batch_one_person_one_contact(lyon_contact):
    water, bus = petition("eau"), petition("bus")
    bus.tags.add(Tag.objects.create(name="bus"))
    at = timezone.now() - timezone.timedelta(minutes=3)
    received(water, "nina@example.fr", first_name="Nina", consents=["email"], received_at=at)
    received(bus, "nina@example.fr", first_name="Nina", utm_source="sms")
    received(water, "autre@example.fr", phone="+33612345678")  # Léa's phone: not proof
    received(bus, "hugo@example.fr", first_name="Hugo", phone="07 81 23 45 67")

    assert pending_signatures_merge() == 4

    assert not PendingSignature.objects.exists()
    # Léa, Nina (twice in the batch), Hugo, and whoever typed Léa's phone with a new email.
    assert Contact.objects.count() == 4
    nina = Contact.objects.get(first_name="Nina")
    assert (nina.source, nina.source_detail) == ("petition", "Eau")
    assert sorted(nina.signatures.values_list("petition__slug", "utm_source")) == [
        ("bus", "sms"),
        ("eau", ""),
    ]
    assert nina.signatures.get(petition=water).signed_at == at  # when they signed, not merged
    assert [t.name for t in nina.tags.all()] == ["bus"]
    consent = Consent.objects.get(contact=nina)
    assert (consent.channel, consent.status, consent.wording) == (
        "email",
        "granted",
        water.consent_email,
    )
    assert list(lyon_contact.emails.values_list("address", flat=True)) == ["lea.garnier@example.fr"]
    other = Contact.objects.get(emails__address="autre@example.fr")
    assert not other.phones.exists()
    assert other.signatures.get().phone == "+33612345678"
    assert Contact.objects.get(first_name="Hugo").phones.get().e164 == "+33781234567"


def test_a_known_phone_typed_with_a_new_email_is_kept_with_the_signature_only(lyon_contact):
    water = petition("eau")
    received(water, "lea.garnier@example.fr")
    pending_signatures_merge()
    received(water, "nouvelle@example.fr", phone="06 12 34 56 78", consents=["sms"])
    pending_signatures_merge()
    newcomer = Contact.objects.get(emails__address="nouvelle@example.fr")
    assert newcomer != lyon_contact
    assert not newcomer.phones.exists()  # the number is Léa's: it texts no one else
    assert newcomer.signatures.get().phone == "06 12 34 56 78"
    assert list(lyon_contact.emails.values_list("address", flat=True)) == ["lea.garnier@example.fr"]
    assert not ConsentEvent.objects.filter(contact=lyon_contact).exists()


def test_nothing_waiting_merges_nothing():
    assert pending_signatures_merge() == 0


@pytest.mark.real_worker
def test_a_real_worker_merges_signatures_received_by_the_page(celery_worker_queue):
    from actions.petitions.services import SignatureInput, petition_sign
    from actions.petitions.tasks import petition_signatures_merge
    from campaign.celery import app

    water = petition("eau")
    for n in range(3):
        assert petition_sign(
            petition=water,
            data=SignatureInput(
                first_name="Léa", last_name=f"N{n}", email=f"n{n}@example.fr", postal_code="69001"
            ),
        )
    assert PendingSignature.objects.count() == 3 and not Signature.objects.exists()
    result = petition_signatures_merge.apply_async(queue=celery_worker_queue).get(timeout=60)
    app.control.purge()  # the task the page queued on the default queue, which no test reads
    assert result == 3
    assert Signature.objects.filter(petition=water).count() == 3
    assert not PendingSignature.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_signers_are_not_held_up_while_a_merge_is_under_way():
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing to show there")
    water = petition("eau")
    received(water, "nina@example.fr")
    outcome = {}

    def sign() -> None:  # another signer, on a connection of its own
        try:
            received(water, "hugo@example.fr")
            outcome["stored"] = True
        finally:
            connections.close_all()

    with transaction.atomic():
        pending_signatures_merge()  # its locks are held until this block ends
        signer = threading.Thread(target=sign)
        signer.start()
        signer.join(timeout=5)
        while_merging = dict(outcome)
    signer.join(timeout=10)

    assert while_merging == {"stored": True}
