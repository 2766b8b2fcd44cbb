"""Public forms are unverified: they add a consent where the person had none, never undo a
withdrawal unless the person confirms by the emailed link, and write nothing new onto a
contact known before (what they bring stays with the action)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from actions.petitions.models import Signature
from contacts import services
from contacts.models import Consent, ConsentEvent, Contact, Source
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(db, eager_tasks, settings):
    cache.clear()  # rate limits and counters
    settings.SITE_URL = "https://terrain.example"
    return PetitionFactory()


@pytest.fixture
def opted_out(lyon_contact):
    """Léa sent STOP and unsubscribed from the emails."""
    for channel in ("email", "sms"):
        services.consent_set(
            contact=lyon_contact,
            channel=channel,
            status="withdrawn",
            source=Source.SMS if channel == "sms" else Source.MANUAL,
            actor=None,
        )
    return lyon_contact


def sign(client, petition, capture, **overrides):
    with capture(execute=True):
        return client.post(
            reverse("petitions:page", args=[petition.slug]),
            {
                "first_name": "Lea",
                "last_name": "Imposteur",
                "email": "lea.garnier@example.fr",
                "phone": "07 81 23 45 67",
                "postal_code": "75011",
                "consent_email": "on",
                "consent_sms": "on",
                **overrides,
            },
        )


def statuses(contact: Contact) -> dict[str, str]:
    return dict(Consent.objects.filter(contact=contact).values_list("channel", "status"))


def confirmation_link() -> str:
    [message] = mail.outbox
    return re.search(r"https://terrain\.example(/contacts/confirmer/\S+)", message.body).group(1)


def test_signing_with_an_opted_out_email_does_not_turn_consent_back_on(
    client, petition, opted_out, django_capture_on_commit_callbacks
):
    events_before = ConsentEvent.objects.count()
    response = sign(client, petition, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Signature.objects.get().contact == opted_out
    assert statuses(opted_out) == {"email": "withdrawn", "sms": "withdrawn"}
    assert ConsentEvent.objects.count() == events_before


def test_the_person_is_emailed_a_link_at_the_address_on_file(
    client, petition, opted_out, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["lea.garnier@example.fr"]
    assert "lea.garnier" not in confirmation_link()  # no address in a link that ends in logs


def test_opening_the_link_changes_nothing(
    client, petition, opted_out, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    events_before = ConsentEvent.objects.count()
    page = client.get(confirmation_link())
    assert page.status_code == 200
    assert escape(petition.consent_sms) in page.content.decode()  # what they would agree to
    assert statuses(opted_out) == {"email": "withdrawn", "sms": "withdrawn"}
    assert ConsentEvent.objects.count() == events_before


def test_the_button_of_the_link_records_the_consents_confirmed_by_email(
    client, petition, opted_out, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    client.post(confirmation_link())
    assert statuses(opted_out) == {"email": "granted", "sms": "granted"}
    event = ConsentEvent.objects.filter(contact=opted_out, channel="sms").latest("id")
    assert (event.status, event.source, event.wording) == (
        "granted",
        "petition",
        petition.consent_sms,
    )
    assert event.source_detail == f"{gettext('confirmed by email')} · {petition.title}"


def test_pressing_the_button_twice_records_one_event_per_channel(
    client, petition, opted_out, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    link = confirmation_link()
    client.post(link)
    events = ConsentEvent.objects.count()
    client.post(link)
    assert ConsentEvent.objects.count() == events


def test_a_forged_or_expired_link_records_nothing(
    client, petition, opted_out, django_capture_on_commit_callbacks, monkeypatch
):
    import time

    sign(client, petition, django_capture_on_commit_callbacks)
    link = confirmation_link()
    assert client.post(link[:-3] + "x/").status_code == 400
    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now + 8 * 86400)
    assert client.post(link).status_code == 400  # eight days later
    assert statuses(opted_out) == {"email": "withdrawn", "sms": "withdrawn"}


def test_a_channel_never_asked_is_added_as_before(
    client, petition, lyon_contact, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    assert statuses(lyon_contact) == {"email": "granted", "sms": "granted"}
    assert not mail.outbox


def test_the_signers_phone_name_and_postal_code_stay_with_the_signature(
    client, petition, lyon_contact, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    lyon_contact.refresh_from_db()
    assert list(lyon_contact.phones.values_list("e164", flat=True)) == ["+33612345678"]
    assert (lyon_contact.last_name, lyon_contact.postal_code) == ("Garnier", "69001")
    signature = Signature.objects.get()
    assert (signature.last_name, signature.phone, signature.postal_code) == (
        "Imposteur",
        "07 81 23 45 67",
        "75011",
    )


def test_an_empty_field_of_a_known_contact_is_not_filled_by_a_signer(
    client, petition, lyon_contact, django_capture_on_commit_callbacks
):
    Contact.objects.filter(pk=lyon_contact.pk).update(postal_code="", first_name="")
    sign(client, petition, django_capture_on_commit_callbacks)
    lyon_contact.refresh_from_db()
    assert (lyon_contact.first_name, lyon_contact.postal_code) == ("", "")


def test_a_new_signer_is_a_contact_with_what_they_typed(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks, email="nina@example.fr")
    nina = Contact.objects.get()
    assert (nina.last_name, nina.postal_code) == ("Imposteur", "75011")
    assert nina.phones.get().e164 == "+33781234567"
    assert statuses(nina) == {"email": "granted", "sms": "granted"}


def test_a_double_opt_in_confirmation_does_not_undo_a_withdrawal_either(
    client, petition, opted_out, django_capture_on_commit_callbacks
):
    petition.double_opt_in = True
    petition.save()
    sign(client, petition, django_capture_on_commit_callbacks)
    [first] = mail.outbox
    signature_link = re.search(r"https://terrain\.example(/p/\S+)", first.body).group(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signature_link)
    assert Signature.objects.get().confirmed_at is not None
    assert statuses(opted_out) == {"email": "withdrawn", "sms": "withdrawn"}
    assert "/contacts/confirmer/" in mail.outbox[0].body  # asked separately, explicitly


def test_erasing_a_signer_erases_what_they_typed_on_their_signatures(
    client, petition, lyon_contact, admin_user, django_capture_on_commit_callbacks
):
    from contacts.privacy.services import contact_erase

    sign(client, petition, django_capture_on_commit_callbacks)
    contact_erase(contact=lyon_contact, actor=admin_user)
    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name, signature.phone, signature.postal_code) == (
        "",
        "",
        "",
        "",
    )


def test_a_link_for_an_erased_person_records_nothing(
    client, petition, opted_out, admin_user, django_capture_on_commit_callbacks
):
    from contacts.privacy.services import contact_erase

    sign(client, petition, django_capture_on_commit_callbacks)
    link = confirmation_link()
    contact_erase(contact=opted_out, actor=admin_user)
    events = ConsentEvent.objects.count()
    assert client.post(link).status_code == 400
    assert ConsentEvent.objects.count() == events
