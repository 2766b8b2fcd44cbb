"""`seed_demo` makes believable, consistent French demo data, and `--if-empty` leaves it alone."""

from io import StringIO

import pytest
from django.core.management import call_command

from campaign.models import User
from contacts.models import Consent, ConsentEvent, Contact, ContactPhone
from contacts.normalize import phone_read, search_key, search_words
from contacts.scope import contacts_visible_to


@pytest.mark.django_db(transaction=True)
def test_seed_demo_makes_contacts_users_and_consistent_rows():
    call_command("seed_demo", contacts=400, seed=1, stdout=StringIO())
    volunteer = User.objects.get(username="benevole")
    people = Contact.objects.exclude(pk=volunteer.contact_id)  # benevole is a contact too
    assert people.count() == 400
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "lyon",
        "paris",
        "benevole",
    }
    # Every consent has the event that proves it.
    assert Consent.objects.count() == ConsentEvent.objects.count() > 0
    # Search keys and phones are what the services would have written.
    for contact in Contact.objects.all()[:50]:
        assert contact.last_name_key == search_key(contact.last_name)
        assert contact.search_words == search_words(
            first_key=contact.first_name_key,
            last_key=contact.last_name_key,
            commune_key=contact.commune_key,
        )
    for phone in ContactPhone.objects.all()[:50]:
        assert phone.e164 == phone_read(phone.raw).e164
    # Bulk-loaded dates read like ORM-saved ones (date lookups work on every backend).
    from django.utils import timezone

    assert people.filter(source_at__date__lte=timezone.localdate()).count() == 400
    # The demo petition is signed by the contacts who came from a petition.
    from actions.petitions.models import Signature

    first = Signature.objects.filter(petition__slug="transports-gratuits")
    assert first.count() == Contact.objects.filter(source="petition").count() > 0
    # The funnel is filled: every stage has people, from the actions the demo made.
    from contacts.models import StageEvent

    reached = set(StageEvent.objects.values_list("stage", flat=True))
    assert reached == {1, 2, 3, 4, 5, 6}
    # A segment ready for a first text: it reaches people who can be texted.
    from actions.sms.selectors import sms_reachable
    from contacts.models import Segment
    from contacts.segments.selectors import segment_contacts

    segment = Segment.objects.get(name="Ont accepté les SMS")
    admin = User.objects.get(username="admin")
    assert sms_reachable(segment_contacts(user=admin, segment=segment)).count() > 0
    # The Lyon organizer sees Lyon contacts only.
    lyon = contacts_visible_to(User.objects.get(username="lyon"))
    assert lyon.exists()
    assert not lyon.exclude(insee_code__startswith="6938").exists()
    # New contacts after a bulk load get fresh ids (the sequence was moved on).
    from contacts import services

    new = services.contact_create(actor=None, source="manual", first_name="Nouveau")
    assert new.pk > 401


@pytest.mark.django_db(transaction=True)
def test_if_empty_does_not_add_a_second_batch():
    call_command("seed_demo", contacts=50, stdout=StringIO())
    before = Contact.objects.count()  # the 50, and benevole's own contact
    call_command("seed_demo", contacts=50, if_empty=True, stdout=StringIO())
    assert Contact.objects.count() == before == 51
