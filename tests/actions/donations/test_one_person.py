"""One person, one cap, on every door: the public page, the card's confirmation, the staff
form, a provider's export and the API find a donor as an import does (their email, else
their name and address) and count what they gave under every record that is them; a
first-time donor's gifts at the same instant make one contact and pass no cap; a merge of
two records judges their gifts again."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from actions.donations import services
from actions.donations.imports import provider_import
from actions.donations.models import Donation
from campaign.exceptions import ApplicationError
from campaign.models import Territory
from contacts import services as contact_services
from contacts.dedupe.services import contact_merge, duplicates_refresh
from contacts.models import Contact, ContactActivity, DuplicateCandidate, Source
from contacts.timeline import timeline_for
from tests.factories import DriveFactory

pytestmark = pytest.mark.django_db

LEA = {
    "first_name": "Léa",
    "last_name": "Garnier",
    "street": "3 rue Terme",
    "postal_code": "69001",
    "commune": "Lyon",
}
CAP = "4\u202f600,00\u00a0€"


def lea(email="lea@example.fr", **fields) -> Contact:
    """Léa Garnier's record, as staff or an import made it."""
    return contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        emails=[contact_services.EmailInput(address=email)] if email else [],
        **{**LEA, **fields},
    )


def paid(entity, contact, cents: int, **extra) -> Donation:
    """A gift received by hand (a cheque), judged like any other."""
    return services.donation_record(
        entity=entity,
        contact=contact,
        amount_cents=cents,
        method="cheque",
        received_on=timezone.localdate(),
        natural_person=True,
        french_or_resident=True,
        online=False,
        **extra,
    ).donation


@pytest.fixture
def drive(db, settings):
    cache.clear()  # the per-address limit starts at zero
    settings.DONATION_CARD_PROVIDER = "fake_card"
    settings.DONATION_ATTEMPTS_PER_IP_PER_MINUTE = 100
    return DriveFactory()


def give_on_page(client, drive, *, amount: str, email: str, method: str = "cheque"):
    return client.post(
        reverse("donations:page", args=[drive.slug]),
        {
            **LEA,
            "email": email,
            "other": amount,
            "method": method,
            "natural_person": "on",
            "french_or_resident": "on",
        },
    )


def at_once(count: int, work) -> list:
    """`work(i)` in `count` threads released together, each on its own database connection;
    what each returned, or the ApplicationError it raised."""
    start, outcomes = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        try:
            start.wait()
            outcomes[i] = work(i)
        except ApplicationError as error:
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def kept_in_all() -> int:
    return sum(d.kept_cents for d in Donation.objects.exclude(status=Donation.Status.CANCELLED))


# The same person under another email -----------------------------------------------------


def test_a_donor_with_another_email_and_the_same_name_and_address_is_the_known_person():
    known = lea()
    donor = services.donor_for(services.DonorInput(**LEA, email="lea.pro@example.fr"))
    assert donor == known
    assert Contact.objects.count() == 1
    assert list(known.emails.values_list("address", flat=True)) == ["lea@example.fr"]


def test_the_page_refuses_100_euros_more_under_another_email_of_the_same_person(client, drive):
    paid(drive.entity, lea(), 460_000)
    response = give_on_page(client, drive, amount="100", email="lea.pro@example.fr")
    assert response.status_code == 200
    assert CAP in str(response.context["form"].non_field_errors())
    assert Donation.objects.count() == 1
    assert Contact.objects.count() == 1


def test_a_late_card_confirmation_counts_a_cheque_recorded_on_a_duplicate_record(client, drive):
    first = lea()
    pledged = give_on_page(client, drive, amount="4600", email="lea@example.fr", method="card")
    assert pledged.status_code == 302
    pledge = Donation.objects.get()
    Donation.objects.filter(pk=pledge.pk).update(created_at=timezone.now() - timedelta(hours=2))
    duplicate = lea(street="")  # the same email, typed by staff on a second record
    paid(drive.entity, duplicate, 460_000)  # the card pledge had expired: lawful then
    assert pledge.contact == first

    client.post(reverse("donations:fake_card", args=[pledge.checkout]), {"number": "4242" * 4})

    pledge.refresh_from_db()
    assert (pledge.status, pledge.refund_cents) == ("to_refund", 460_000)


def test_the_staff_form_counts_what_the_person_gave_under_another_record(
    client_as, admin_user, drive
):
    paid(drive.entity, lea(), 460_000)
    second = lea(email="lea.pro@example.fr")  # the same name and address
    response = client_as(admin_user).post(
        reverse("donations:new") + f"?contact={second.pk}",
        {
            "entity": drive.entity.pk,
            "amount": "100",
            "method": "cheque",
            "kind": "gift",
            "received_on": timezone.localdate().isoformat(),
            "natural_person": "on",
            "french_or_resident": "on",
        },
    )
    assert response.status_code == 302
    gift = Donation.objects.get(contact=second)
    assert (gift.status, gift.refund_cents) == ("to_refund", 10_000)


def test_a_provider_export_finds_the_person_by_name_and_address_under_another_email(
    tmp_path, admin_user, entity
):
    known = lea()
    paid(entity, known, 460_000)
    export = tmp_path / "helloasso.csv"
    export.write_text(
        "Transaction;Date;Montant;Prénom;Nom;Email;Adresse;Code postal;Ville\n"
        "T-1;01/06/2026;100,00;Léa;Garnier;lea.pro@example.fr;3 rue Terme;69001;Lyon\n",
        encoding="utf-8",
    )
    report = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=export)
    assert (report.created, report.to_refund) == (1, 1)
    assert Contact.objects.count() == 1
    assert Donation.objects.get(provider_txn_id="T-1").contact == known


def test_an_organizers_api_gift_counts_what_the_person_gave_outside_their_territories(
    api, organizer_lyon, fundraising_page
):
    lyon_69001 = Territory.objects.create(
        kind=Territory.Kind.POSTAL_CODE, code="69001", name="69001"
    )
    organizer_lyon.territories.add(lyon_69001)
    paris = lea(street="8 rue Oberkampf", postal_code="75011", commune="Paris")
    paid(fundraising_page.entity, paris, 460_000)
    body = {
        "person": {
            "given_name": "Léa",
            "family_name": "Garnier",
            "email_addresses": [{"address": "lea@example.fr"}],
            "postal_addresses": [{"address_lines": ["3 rue Terme"], "postal_code": "69001"}],
        },
        "recipients": [{"amount": "100.00"}],
        "payment": {"method": "Check", "reference_number": "C-1"},
        "declarations": {"natural_person": True, "french_or_resident": True},
    }
    response = api(organizer_lyon).post(
        f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations",
        body,
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    # A record of their own (the other is not theirs to see), and the person's cap.
    assert Contact.objects.count() == 2
    assert (response.json()["terrain:status"], response.json()["terrain:to_refund"]) == (
        "to_refund",
        "100.00",
    )


# First gifts at the same instant (PostgreSQL: SQLite lets one writer in at a time) ------

concurrent = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time already"
)


@concurrent
@pytest.mark.django_db(transaction=True)
def test_twenty_first_gifts_of_300_euros_at_once_make_one_donor_under_the_cap(settings):
    settings.DONATION_CARD_PROVIDER = "fake_card"
    drive = DriveFactory()

    def one(_i: int) -> Donation:
        donation, _next = services.donation_start(
            drive=drive,
            donor=services.DonorInput(**LEA, email="Lea.New@Example.fr"),
            amount_cents=30_000,
            method="card",
            monthly=False,
            natural_person=True,
            french_or_resident=True,
        )
        return donation

    outcomes = at_once(20, one)

    assert sum(isinstance(o, Donation) for o in outcomes) == 15  # 15 × 300 € = 4,500 €
    assert all(isinstance(o, (Donation, ApplicationError)) for o in outcomes)
    assert Contact.objects.count() == 1
    assert kept_in_all() == 450_000


@concurrent
@pytest.mark.django_db(transaction=True)
def test_twenty_first_gifts_at_once_on_the_page_are_paid_at_most_up_to_the_cap(settings):
    from django.test import Client

    cache.clear()
    settings.DONATION_CARD_PROVIDER = "fake_card"
    settings.DONATION_ATTEMPTS_PER_IP_PER_MINUTE = 100
    drive = DriveFactory()

    def one(_i: int) -> int:
        client = Client()
        pledged = give_on_page(
            client, drive, amount="300", email="lea.new@example.fr", method="card"
        )
        if pledged.status_code != 302:
            return pledged.status_code
        checkout = pledged.url.rstrip("/").rsplit("/", 1)[-1]
        card = client.post(reverse("donations:fake_card", args=[checkout]), {"number": "4242" * 4})
        return card.status_code

    statuses = at_once(20, one)

    assert statuses.count(302) == 15 and statuses.count(200) == 5
    assert Contact.objects.count() == 1
    assert Donation.objects.filter(status="paid").count() == 15
    assert kept_in_all() == 450_000


@concurrent
@pytest.mark.django_db(transaction=True)
def test_exports_imported_at_once_make_one_contact_per_email(tmp_path, entity, admin_user):
    lines = [
        f"T-{n};01/06/2026;35,00;Prénom{n};Nom{n};donor{n}@example.fr;{n} rue Terme;69001;Lyon"
        for n in range(10)
    ]
    export = tmp_path / "export.csv"
    export.write_text(
        "Transaction;Date;Montant;Prénom;Nom;Email;Adresse;Code postal;Ville\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )

    reports = at_once(
        4,
        lambda i: provider_import(
            actor=admin_user, entity=entity, provider=f"provider{i}", path=str(export)
        ),
    )

    assert [report.created for report in reports] == [10, 10, 10, 10]
    assert Contact.objects.count() == 10


# Two records merged ------------------------------------------------------------------------


def two_records_of_lea(entity) -> tuple[Contact, Contact]:
    """Léa under two records that share only a phone (she moved, and wrote another email):
    4,000 € given under the first, then 1,000 € under the second, each within the cap."""
    first = lea(phones=[contact_services.PhoneInput(number="06 12 34 56 78")])
    paid(entity, first, 400_000)
    second = lea(
        email="lea.pro@example.fr",
        street="12 avenue Foch",
        postal_code="69006",
        phones=[contact_services.PhoneInput(number="06 12 34 56 78")],
    )
    paid(entity, second, 100_000)
    return first, second


def test_a_merge_judges_the_gifts_again_and_the_last_one_passes_the_cap(entity, admin_user):
    first, second = two_records_of_lea(entity)

    kept = contact_merge(keep=first, drop=second, actor=admin_user)

    older, newer = Donation.objects.order_by("created_at", "pk")
    assert (older.status, older.refund_cents) == ("paid", 0)
    assert (newer.status, newer.refund_cents) == ("to_refund", 40_000)
    assert newer.contact == kept
    voided, replacing = newer.receipts.order_by("pk")
    assert voided.voided_at is not None  # it said 1,000 €: only 600 € are kept
    assert (replacing.voided_at, replacing.amount_cents) == (None, 60_000)
    assert replacing.number > voided.number  # a number of its own, the voided one kept
    note = ContactActivity.objects.get(contact=kept, kind=ContactActivity.Kind.NOTE)
    assert "400,00" in note.summary and CAP in note.summary
    assert replacing.reference in note.summary


def test_a_receipt_voided_by_mistake_is_followed_by_a_new_one_from_the_donations_page(
    entity, admin_user, client_as
):
    gift = paid(entity, lea(), 10_000)
    client = client_as(admin_user)
    client.post(reverse("donations:action", args=[gift.pk, "void"]), {"reason": "Mauvais nom"})
    page = client.get(reverse("donations:list"))
    assert "Émettre un nouveau reçu" in page.content.decode()

    client.post(reverse("donations:action", args=[gift.pk, "receipt"]))

    first, second = gift.receipts.order_by("pk")
    assert (first.void_reason, second.voided_at, second.amount_cents) == (
        "Mauvais nom",
        None,
        10_000,
    )
    assert second.number == first.number + 1
    client.post(reverse("donations:action", args=[gift.pk, "receipt"]))  # twice: still one
    assert gift.receipts.filter(voided_at__isnull=True).count() == 1


def test_a_merge_within_the_cap_changes_no_gift(entity, admin_user):
    first = lea(phones=[contact_services.PhoneInput(number="06 12 34 56 78")])
    paid(entity, first, 100_000)
    second = lea(email="lea.pro@example.fr", street="12 avenue Foch", postal_code="69006")
    paid(entity, second, 100_000)

    contact_merge(keep=second, drop=first, actor=admin_user)

    assert sorted(Donation.objects.values_list("status", "refund_cents")) == [
        ("paid", 0),
        ("paid", 0),
    ]
    assert not ContactActivity.objects.filter(kind=ContactActivity.Kind.NOTE).exists()


def test_staff_merging_duplicates_see_the_excess_to_refund_in_the_timeline(
    client_as, admin_user, entity
):
    first, second = two_records_of_lea(entity)
    duplicates_refresh()
    candidate = DuplicateCandidate.objects.get()

    response = client_as(admin_user).post(
        reverse("contacts:duplicate_merge", args=[candidate.pk]), {"keep": "a", "confirm": "yes"}
    )

    assert response.status_code == 302
    kept = Contact.objects.get()
    assert Donation.objects.get(status="to_refund").refund_cents == 40_000
    notes = [entry.detail for entry in timeline_for(kept) if entry.kind == "note"]
    assert len(notes) == 1 and "400,00" in notes[0]
