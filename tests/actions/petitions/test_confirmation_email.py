"""The petition's confirmation email is in the campaign's template: both parts greet the
signer and name the petition, the link is written out, and an erased signer gets none."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from actions.petitions.tasks import petition_send_confirmation, petition_send_consent_confirmation
from contacts.privacy.services import contact_erase
from tests.factories import PetitionFactory, person
from tests.mail_parts import parsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature(db, settings):
    settings.SITE_URL = "https://terrain.example"
    petition = PetitionFactory(double_opt_in=True, title="Sauvons la {forêt} & <b>l'eau</b>")
    return petition.signatures.create(contact=person(first_name="Léa"))


def test_the_confirmation_email_greets_the_signer_and_names_the_petition_in_both_parts(
    signature,
):
    assert petition_send_confirmation(signature.pk) == "sent"

    [message] = mail.outbox
    sent = parsed(message)
    assert (
        sent.headers["Subject"] == "Confirmez votre signature : Sauvons la {forêt} & <b>l'eau</b>"
    )
    assert sent.text.startswith(
        "Bonjour Léa,\n\nMerci d’avoir signé « Sauvons la {forêt} & <b>l'eau</b> »"
    )
    assert "Bonjour Léa," in sent.html
    assert "« Sauvons la {forêt} &amp; &lt;b&gt;l'eau&lt;/b&gt; »" in sent.html
    link = re.search(r"^(https://terrain\.example/p/\S+)$", sent.text, re.M).group(1)
    assert f'href="{link}"' in sent.html


def test_an_erased_signer_gets_no_confirmation_email(signature, admin_user):
    contact_erase(contact=signature.contact, actor=admin_user)

    assert petition_send_confirmation(signature.pk) == "erased"
    assert mail.outbox == []


def test_a_confirmed_signature_gets_no_email(signature):
    signature.confirmed_at = timezone.now()
    signature.save()

    assert petition_send_confirmation(signature.pk) == "confirmed or gone"
    assert mail.outbox == []


def test_the_link_confirming_a_withdrawn_consent_is_in_the_template_too(signature):
    petition_send_consent_confirmation(
        signature.contact_id, "lea@example.fr", {"email": "Je veux des nouvelles"}, "Eau"
    )

    [message] = mail.outbox
    sent = parsed(message)
    assert (
        sent.headers["Subject"] == "Confirmez que vous souhaitez de nouveau avoir de nos nouvelles"
    )
    link = re.search(r"^(https://terrain\.example/contacts/confirmer/\S+)$", sent.text, re.M)
    assert f'href="{link.group(1)}"' in sent.html
    assert "(Eau)" in sent.text
