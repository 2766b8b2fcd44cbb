"""A person's emails follow a merge, even when both records got the same blast, and an
erasure keeps them counted without the address."""

import pytest

from actions.emails.models import Message
from contacts.dedupe.services import contact_merge
from contacts.privacy.services import contact_erase
from tests.factories import EmailBlastFactory, EmailMessageFactory, person

pytestmark = pytest.mark.django_db


def test_a_merge_keeps_one_message_per_blast_for_the_person(admin_user):
    blast = EmailBlastFactory()
    lea = person("lea@example.fr")
    twin = person("lea.garnier@example.fr")
    EmailMessageFactory(blast=blast, contact=lea, to="lea@example.fr")
    EmailMessageFactory(blast=blast, contact=twin, to="lea.garnier@example.fr")
    other = EmailMessageFactory(contact=twin, to="lea.garnier@example.fr")

    contact_merge(keep=lea, drop=twin, actor=admin_user)

    assert Message.objects.filter(blast=blast, contact=lea).count() == 1
    assert Message.objects.filter(blast=blast).count() == 2  # both stay counted
    other.refresh_from_db()
    assert other.contact == lea


def test_an_erasure_keeps_the_message_counted_without_the_address(admin_user):
    message = EmailMessageFactory()
    contact_erase(contact=message.contact, actor=admin_user)
    message.refresh_from_db()
    assert message.to == ""
