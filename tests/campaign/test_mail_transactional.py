"""Transactional mail (a receipt, a confirmation link, a password reset) goes to a person
without marketing consent, in the campaign's template, but never to an erased person nor to
an address on the suppression list: the call says why nothing was sent."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from contacts.mail import Unsent, contact_mail_send
from contacts.models import Consent
from contacts.privacy.services import contact_erase
from tests.factories import person
from tests.mail_parts import parsed

pytestmark = pytest.mark.django_db


def send(contact, **kwargs):
    return contact_mail_send(
        contact_id=contact.pk,
        subject="Votre reçu, {prenom}",
        body="Bonjour {prenom} {nom}, voici [{link}]({link})",
        extra={"link": "https://terrain.example/r/1/"},
        reason="Vous avez donné.",
        **kwargs,
    )


def test_a_person_without_any_consent_gets_a_transactional_message_in_both_parts():
    lea = person(last_name="Garnier")
    assert not Consent.objects.filter(contact=lea).exists()

    mailed = send(lea)

    assert (mailed.sent, mailed.address) == (True, "lea@example.fr")
    sent = parsed(mail.outbox[0])
    assert sent.headers["To"] == "lea@example.fr"
    assert sent.headers["Subject"] == "Votre reçu, Léa"
    assert sent.headers["Auto-Submitted"] == "auto-generated"
    assert sent.text.startswith("Bonjour Léa Garnier, voici https://terrain.example/r/1/\n")
    assert '<a href="https://terrain.example/r/1/"' in sent.html
    assert "Vous avez donné." in sent.text
    assert "List-Unsubscribe" not in sent.headers


def test_the_message_goes_to_the_address_asked_for_when_it_is_the_persons():
    lea = person()
    lea.emails.create(address="lea.pro@example.fr")

    assert send(lea, address="LEA.PRO@example.fr").address == "lea.pro@example.fr"
    assert send(lea, address="someone@example.fr").address == "lea@example.fr"
    assert [m.to for m in mail.outbox] == [["lea.pro@example.fr"], ["lea@example.fr"]]


def test_an_erased_person_gets_nothing(admin_user):
    lea = person()
    contact_erase(contact=lea, actor=admin_user)

    mailed = send(lea, address="lea@example.fr")

    assert (mailed.sent, mailed.unsent) == (False, Unsent.ERASED)
    assert mail.outbox == []


def test_an_address_on_the_suppression_list_gets_nothing(admin_user):
    contact_erase(contact=person(), actor=admin_user)
    again = person()  # the same address, on a record made since (a gift is kept by law)

    mailed = send(again)

    assert (mailed.sent, mailed.unsent, mailed.address) == (
        False,
        Unsent.SUPPRESSED,
        "lea@example.fr",
    )
    assert mail.outbox == []


def test_an_address_that_bounced_for_good_gets_nothing():
    lea = person()
    lea.emails.update(bounced_at=timezone.now())

    assert send(lea).unsent == Unsent.BOUNCING
    assert mail.outbox == []


def test_a_person_without_an_email_gets_nothing():
    lea = person()
    lea.emails.all().delete()

    assert send(lea).unsent == Unsent.NO_ADDRESS
    assert mail.outbox == []


def test_the_password_reset_email_is_in_the_template_with_its_link_in_both_parts(
    client, organizer_lyon, settings
):
    cache.clear()  # the reset limits count in the cache
    settings.MAIL_BRAND_NAME = "Garnier 2026"
    organizer_lyon.email = "karim@example.fr"
    organizer_lyon.save()

    client.post(reverse("password_reset"), {"email": "karim@example.fr"})

    [message] = mail.outbox
    sent = parsed(message)
    assert sent.headers["To"] == "karim@example.fr"
    link = re.search(r"^(http://testserver/accounts/reset/\S+/)$", sent.text, re.M).group(1)
    assert f'href="{link}"' in sent.html
    assert organizer_lyon.get_username() in sent.text
    assert "Garnier 2026" in sent.html
    assert client.get(link, follow=True).status_code == 200
    cache.clear()
