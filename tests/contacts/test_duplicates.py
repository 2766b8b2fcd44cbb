"""Possible duplicates are found, reviewed, and merged without losing anything."""

import pytest
from django.urls import reverse

from contacts import services
from contacts.dedupe.services import contact_merge, duplicates_refresh
from contacts.models import (
    Consent,
    ConsentEvent,
    Contact,
    ContactActivity,
    ContactMerge,
    DuplicateCandidate,
)
from contacts.privacy.services import contact_erase

pytestmark = pytest.mark.django_db


def lyon(first, last, **kw):
    return services.contact_create(
        actor=None,
        source="manual",
        first_name=first,
        last_name=last,
        postal_code="69001",
        insee_code="69381",
        **kw,
    )


@pytest.fixture
def twins(organizer_lyon):
    a = lyon("Léa", "Garnier", emails=[services.EmailInput(address="lea@example.fr")])
    b = lyon(
        "Léa",
        "Garnier-Morel",
        emails=[
            services.EmailInput(address="lea@example.fr"),
            services.EmailInput(address="lea2@example.fr"),
        ],
        phones=[services.PhoneInput(number="06 12 34 56 78")],
        street="3 rue Neuve",
    )
    return a, b


def test_pairs_sharing_an_email_phone_or_identity_are_found_once(twins):
    a, b = twins
    c = lyon("Hugo", "Roux", phones=[services.PhoneInput(number="+33612345678")])
    assert duplicates_refresh() == 2
    pairs = set(DuplicateCandidate.objects.values_list("contact_a", "contact_b", "reason"))
    assert pairs == {(a.pk, b.pk, "email"), (b.pk, c.pk, "phone")}
    assert duplicates_refresh() == 0  # already recorded


def test_a_dismissed_pair_is_not_proposed_again(client_as, organizer_lyon, twins):
    duplicates_refresh()
    candidate = DuplicateCandidate.objects.get()
    client_as(organizer_lyon).post(reverse("contacts:duplicate_dismiss", args=[candidate.pk]))
    duplicates_refresh()
    assert DuplicateCandidate.objects.get().status == "dismissed"
    page = client_as(organizer_lyon).get(reverse("contacts:duplicates")).content.decode()
    assert '<div class="empty">' in page


def test_merging_keeps_everything_of_both_and_explains_itself(client_as, organizer_lyon, twins):
    a, b = twins
    services.consent_set(contact=a, channel="sms", status="granted", source="petition", actor=None)
    services.consent_set(contact=b, channel="sms", status="withdrawn", source="sms", actor=None)
    services.consent_set(contact=b, channel="email", status="granted", source="manual", actor=None)
    services.contact_note_add(contact=b, actor=organizer_lyon, text="Rencontrée au marché")
    services.contact_tag(contact=b, actor=None, add=["militante"])
    duplicates_refresh()
    candidate = DuplicateCandidate.objects.get()
    response = client_as(organizer_lyon).post(
        reverse("contacts:duplicate_merge", args=[candidate.pk]), {"keep": "a", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=b.pk).exists()
    a.refresh_from_db()
    assert sorted(a.emails.values_list("address", flat=True)) == [
        "lea2@example.fr",
        "lea@example.fr",
    ]
    assert [p.e164 for p in a.phones.all()] == ["+33612345678"]
    assert a.street == "3 rue Neuve"  # completed from the merged contact
    assert a.last_name == "Garnier"  # not overwritten
    assert [t.name for t in a.tags.all()] == ["militante"]
    assert ConsentEvent.objects.filter(contact=a).count() == 3
    # The latest decision per channel wins: B withdrew SMS after A granted it.
    assert dict(Consent.objects.filter(contact=a).values_list("channel", "status")) == {
        "sms": "withdrawn",
        "email": "granted",
    }
    assert a.activities.filter(kind="note", summary="Rencontrée au marché").exists()
    merge = ContactMerge.objects.get()
    assert (merge.kept, merge.dropped_id, merge.actor) == (a, b.pk, organizer_lyon)
    merged_entry = a.activities.get(kind=ContactActivity.Kind.MERGED)
    assert "Garnier-Morel" in merged_entry.summary and str(b.pk) in merged_entry.summary
    assert not DuplicateCandidate.objects.exists()


def test_an_organizer_cannot_merge_a_contact_outside_their_territories(
    organizer_lyon, paris_contact
):
    mine = lyon("Hugo", "Lefèvre", emails=[services.EmailInput(address="hugo.lefevre@example.fr")])
    duplicates_refresh()
    from campaign.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        contact_merge(keep=mine, drop=paris_contact, actor=organizer_lyon)
    assert Contact.objects.filter(pk=paris_contact.pk).exists()


def test_the_review_list_shows_only_pairs_fully_in_scope(client_as, organizer_lyon, paris_contact):
    lyon("Hugo", "Lefèvre", emails=[services.EmailInput(address="hugo.lefevre@example.fr")])
    duplicates_refresh()
    assert DuplicateCandidate.objects.count() == 1
    page = client_as(organizer_lyon).get(reverse("contacts:duplicates")).content.decode()
    assert reverse("contacts:detail", args=[paris_contact.pk]) not in page


def test_an_import_looks_for_duplicates_afterwards(run_import, eager_tasks):
    known = lyon("Hugo", "Roux", phones=[services.PhoneInput(number="07 98 76 54 32")])
    # The import matches by email first: this row becomes a new contact sharing the phone.
    run_import("prenom;nom;email;telephone\nHugo;R.;hugo@example.fr;\n")
    newcomer = Contact.objects.exclude(pk=known.pk).get()
    services.contact_update(
        contact=newcomer, actor=None, phones=[services.PhoneInput(number="+33798765432")]
    )
    run_import("prenom;nom;email\nZoé;Petit;zoe@example.fr\n")  # any import triggers the search
    assert list(DuplicateCandidate.objects.values_list("contact_a", "contact_b", "reason")) == [
        (known.pk, newcomer.pk, "phone")
    ]


def test_erasing_a_merged_person_erases_the_duplicate_their_merge_remembered(organizer_lyon, twins):
    a, b = twins
    contact_merge(keep=a, drop=b, actor=organizer_lyon)
    assert ContactMerge.objects.get(kept=a).dropped_summary["name"] == "Léa Garnier-Morel"
    contact_erase(contact=a, actor=organizer_lyon, reason="courrier du 2/12")
    merge = ContactMerge.objects.get(kept=a)
    assert merge.dropped_summary == {}
    assert (merge.dropped_id, merge.actor) == (b.pk, organizer_lyon)
