"""The person_signup_helper writes only inside the caller's scope, computed with the caller
(a token acts with its owner's territories, as they are now), and a partner's "subscribed"
never undoes a withdrawal."""

from functools import partial

import pytest
from django.utils import translation

from campaign.models import Territory
from contacts import services
from contacts.models import Consent, ConsentEvent, Contact, DuplicateCandidate

pytestmark = pytest.mark.django_db
URL = "/api/v1/people/person_signup_helper"


@pytest.fixture
def api(api):
    """Calls with a token named as a partner's would be."""
    return partial(api, name="Zapier")


@pytest.fixture
def organizer_lyon(organizer_lyon):
    """Karim holds Lyon 1er by its postal code too, as a signup's address gives it."""
    postal = Territory.objects.create(kind=Territory.Kind.POSTAL_CODE, code="69001", name="69001")
    organizer_lyon.territories.add(postal)
    return organizer_lyon


def signup(*, email="", phone="", status="subscribed", postal_code="69001", tags=()):
    person = {
        "given_name": "Nina",
        "family_name": "Roux",
        "postal_addresses": [
            {"address_lines": ["3 rue Terme"], "locality": "Lyon", "postal_code": postal_code}
        ],
    }
    if email:
        person["email_addresses"] = [{"address": email, "status": status}]
    if phone:
        person["phone_numbers"] = [{"number": phone, "status": status}]
    return {"person": person, "add_tags": list(tags)}


def snapshot(contact: Contact) -> tuple:
    contact.refresh_from_db()
    return (
        contact.first_name,
        contact.street,
        contact.updated_at,
        sorted(contact.phones.values_list("e164", flat=True)),
        sorted(contact.emails.values_list("address", flat=True)),
        sorted(contact.tags.values_list("name", flat=True)),
        sorted(contact.consents.values_list("channel", "status")),
        contact.activities.count(),
    )


def test_an_organizers_signup_matching_someone_outside_changes_and_reveals_nothing(
    api, organizer_lyon, paris_contact
):
    before = snapshot(paris_contact)

    made = api(organizer_lyon).post(
        URL,
        signup(email="hugo.lefevre@example.fr", phone="07 11 22 33 44", tags=["quartier"]),
        content_type="application/json",
    )

    assert made.status_code == 201, made.json()  # as for anyone new: nothing says who matched
    assert str(paris_contact.uuid) not in made.content.decode()
    assert "Hugo" not in made.content.decode()
    assert snapshot(paris_contact) == before
    mine = Contact.objects.exclude(pk=paris_contact.pk).get()
    assert (mine.first_name, mine.postal_code) == ("Nina", "69001")
    assert [t.name for t in mine.tags.all()] == ["quartier"]
    pair = DuplicateCandidate.objects.get()
    assert {pair.contact_a_id, pair.contact_b_id} == {mine.pk, paris_contact.pk}


def test_a_token_acts_with_its_owners_territories_as_they_are_now(api, organizer_lyon, paris_11e):
    client = api(organizer_lyon)
    organizer_lyon.territories.set([paris_11e])  # moved to Paris after making the token

    refused = client.post(URL, signup(email="nina@example.fr"), content_type="application/json")

    assert refused.status_code == 400
    assert not Contact.objects.exists()


def test_a_subscribed_status_never_undoes_a_withdrawal(api, admin_user, lyon_contact):
    services.consent_set(
        contact=lyon_contact, channel="sms", status="withdrawn", source="sms", actor=None
    )
    events = ConsentEvent.objects.count()

    known = api(admin_user).post(
        URL,
        signup(email="lea.garnier@example.fr", phone="07 11 22 33 44", tags=["bénévole"]),
        content_type="application/json",
    )

    assert known.status_code == 200, known.json()
    assert Consent.objects.get(contact=lyon_contact, channel="sms").status == "withdrawn"
    assert not ConsentEvent.objects.filter(contact=lyon_contact, status="granted", channel="sms")
    assert ConsentEvent.objects.count() == events + 1  # the email's consent, which was none
    assert Consent.objects.get(contact=lyon_contact, channel="email").status == "granted"
    phones = [p["status"] for p in known.json()["phone_numbers"]]
    assert set(phones) == {"unsubscribed"}


def test_an_unsubscribed_status_always_applies(api, organizer_lyon, lyon_contact):
    services.consent_set(
        contact=lyon_contact, channel="email", status="granted", source="manual", actor=None
    )

    api(organizer_lyon).post(
        URL,
        signup(email="lea.garnier@example.fr", status="unsubscribed"),
        content_type="application/json",
    )

    assert Consent.objects.get(contact=lyon_contact, channel="email").status == "withdrawn"


def test_a_new_duplicate_does_not_get_a_consent_its_person_withdrew_outside(
    api, organizer_lyon, paris_contact
):
    services.consent_set(
        contact=paris_contact, channel="sms", status="withdrawn", source="sms", actor=None
    )

    made = api(organizer_lyon).post(
        URL, signup(phone="+33 7 98 76 54 32"), content_type="application/json"
    )

    assert made.status_code == 201, made.json()
    mine = Contact.objects.exclude(pk=paris_contact.pk).get()
    assert not mine.consents.exists()
    assert Consent.objects.get(contact=paris_contact, channel="sms").status == "withdrawn"


def test_a_person_erased_at_their_request_is_not_added_again(api, admin_user, lyon_contact):
    from contacts.privacy.services import contact_erase

    contact_erase(contact=lyon_contact, actor=admin_user, reason="art. 17")
    people = Contact.objects.filter(erased_at__isnull=True).count()

    refused = api(admin_user).post(
        URL, signup(email="lea.garnier@example.fr"), content_type="application/json"
    )

    assert refused.status_code == 400
    with translation.override("fr"):
        said = translation.gettext(
            "This person asked to be erased and not to be added again (suppression list)."
        )
    assert refused.json()["detail"] == said
    assert Contact.objects.filter(erased_at__isnull=True).count() == people
