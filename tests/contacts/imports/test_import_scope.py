"""An organizer's import never changes, nor reveals, a contact outside their territories: a row
that would have matched one becomes its own contact in the organizer's territory, flagged as a
possible duplicate for an administrator; administrators' imports match everyone, as before."""

import pytest

from contacts.dedupe.selectors import duplicates_to_review
from contacts.models import Consent, Contact, ContactActivity, DuplicateCandidate
from contacts.scope import contacts_visible_to

pytestmark = pytest.mark.django_db

HEADER = "prenom;nom;email;telephone;code postal;code insee;tags;accord sms\n"


def lyon_snapshot(contact: Contact) -> tuple:
    contact.refresh_from_db()
    return (
        contact.first_name,
        contact.street,
        contact.postal_code,
        contact.updated_at,
        sorted(contact.emails.values_list("address", flat=True)),
        sorted(contact.phones.values_list("e164", flat=True)),
        sorted(contact.tags.values_list("name", flat=True)),
        list(Consent.objects.filter(contact=contact).values_list("channel", "status")),
        contact.activities.count(),
    )


def test_a_paris_row_with_a_lyon_contacts_email_leaves_the_lyon_contact_unchanged(
    run_import, organizer_paris, lyon_contact
):
    before = lyon_snapshot(lyon_contact)
    run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;07 11 22 33 44;75011;75111;militante;oui\n",
        actor=organizer_paris,
    )
    assert lyon_snapshot(lyon_contact) == before


def test_the_report_counts_such_a_row_as_a_new_contact_not_a_completed_one(
    run_import, organizer_paris, lyon_contact
):
    job = run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;07 11 22 33 44;75011;75111;militante;oui\n",
        actor=organizer_paris,
    )
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 0, 0)


def test_such_a_row_becomes_a_contact_of_the_organizers_territory(
    run_import, organizer_paris, lyon_contact
):
    run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;07 11 22 33 44;75011;75111;militante;oui\n",
        actor=organizer_paris,
    )
    new = Contact.objects.exclude(pk=lyon_contact.pk).get()
    assert contacts_visible_to(organizer_paris).filter(pk=new.pk).exists()
    assert new.emails.get().address == "lea.garnier@example.fr"
    assert [t.name for t in new.tags.all()] == ["militante"]
    assert new.consents.get(channel="sms").status == "granted"


def test_such_a_row_is_a_possible_duplicate_that_only_an_admin_reviews(
    run_import, organizer_paris, organizer_lyon, admin_user, lyon_contact
):
    run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;;75011;75111;;\n", actor=organizer_paris
    )
    new = Contact.objects.exclude(pk=lyon_contact.pk).get()
    pair = DuplicateCandidate.objects.get()
    assert (pair.contact_a_id, pair.contact_b_id, pair.reason) == (
        lyon_contact.pk,
        new.pk,
        DuplicateCandidate.Reason.EMAIL,
    )
    assert list(duplicates_to_review(user=admin_user)) == [pair]
    assert not duplicates_to_review(user=organizer_paris).exists()
    assert not duplicates_to_review(user=organizer_lyon).exists()


def test_a_phone_match_outside_the_territory_is_a_duplicate_by_phone(
    run_import, organizer_paris, lyon_contact
):
    before = lyon_snapshot(lyon_contact)
    job = run_import(HEADER + "Léa;Garnier;;06 12 34 56 78;75011;75111;;\n", actor=organizer_paris)
    assert job.created_count == 1
    assert lyon_snapshot(lyon_contact) == before
    assert DuplicateCandidate.objects.get().reason == DuplicateCandidate.Reason.PHONE


def test_a_contact_inside_the_territory_is_still_completed(
    run_import, organizer_paris, paris_contact
):
    job = run_import(
        HEADER + "Hugo;Lefèvre;hugo.lefevre@example.fr;01 44 55 66 77;75011;75111;militant;\n",
        actor=organizer_paris,
    )
    assert (job.created_count, job.updated_count) == (0, 1)
    assert paris_contact.phones.count() == 2
    assert not DuplicateCandidate.objects.exists()


def test_an_email_held_both_inside_and_outside_matches_the_contact_inside(
    run_import, organizer_paris, lyon_contact, paris_contact
):
    from contacts.models import ContactEmail

    ContactEmail.objects.create(contact=paris_contact, address="lea.garnier@example.fr")
    before = lyon_snapshot(lyon_contact)
    job = run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;;75011;75111;militante;\n",
        actor=organizer_paris,
    )
    assert (job.created_count, job.updated_count) == (0, 1)
    assert lyon_snapshot(lyon_contact) == before
    assert [t.name for t in paris_contact.tags.all()] == ["militante"]


def test_an_admins_import_still_completes_any_contact(run_import, admin_user, lyon_contact):
    job = run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;07 11 22 33 44;75011;75111;militante;\n",
        actor=admin_user,
    )
    assert (job.created_count, job.updated_count) == (0, 1)
    assert lyon_contact.phones.count() == 2
    assert not DuplicateCandidate.objects.exists()


NO_ADDRESS = "prenom;nom;email;telephone\nInès;Roux;ines@example.fr;07 98 76 54 30\n"


def test_a_row_without_an_address_goes_to_the_organizers_territory(run_import, organizer_paris):
    job = run_import(NO_ADDRESS, actor=organizer_paris)
    assert (job.created_count, job.rejected_count) == (1, 0)
    ines = Contact.objects.get()
    assert ines.insee_code == "75111"  # the organizer's territory (a commune): they still see her
    assert (ines.street, ines.postal_code, ines.commune) == ("", "", "")
    assert contacts_visible_to(organizer_paris).filter(pk=ines.pk).exists()


def test_a_row_without_an_address_completes_a_contact_inside_without_moving_it(
    run_import, organizer_paris, paris_contact
):
    paris_contact.insee_code = ""  # seen through its postal code only
    paris_contact.save()
    organizer_paris.territories.create(kind="postal_code", code="75011", name="75011")
    organizer_paris.territories.create(kind="commune", code="75120", name="Paris 20e")
    job = run_import(
        "prenom;nom;email;telephone\nHugo;Lefèvre;hugo.lefevre@example.fr;01 44 55 66 77\n",
        actor=organizer_paris,
    )
    assert job.updated_count == 1
    paris_contact.refresh_from_db()
    assert (paris_contact.insee_code, paris_contact.postal_code) == ("", "75011")


def test_a_row_with_an_address_but_no_code_is_rejected_for_an_organizer(
    run_import, organizer_paris
):
    job = run_import(
        "prenom;nom;email;adresse;ville\nInès;Roux;ines@example.fr;3 rue Neuve;Lyon\n",
        actor=organizer_paris,
    )
    assert (job.created_count, job.rejected_count) == (0, 1)
    assert not Contact.objects.exists()


def test_the_activity_of_a_completed_contact_inside_is_recorded_once(
    run_import, organizer_paris, paris_contact
):
    run_import(
        HEADER + "Hugo;Lefèvre;hugo.lefevre@example.fr;;75011;75111;militant;\n",
        actor=organizer_paris,
    )
    assert paris_contact.activities.filter(kind=ContactActivity.Kind.UPDATED).count() == 1


def test_a_withdrawal_outside_still_holds_for_the_new_contact_of_the_same_person(
    run_import, organizer_paris, lyon_contact
):
    from contacts import services

    services.consent_set(
        contact=lyon_contact, channel="sms", status="withdrawn", source="manual", actor=None
    )
    job = run_import(
        HEADER + "Léa;Garnier;lea.garnier@example.fr;;75011;75111;;oui\n", actor=organizer_paris
    )
    new = Contact.objects.exclude(pk=lyon_contact.pk).get()
    assert job.consents_count == 0
    assert not new.consents.filter(channel="sms", status="granted").exists()


def test_an_import_whose_author_can_no_longer_import_fails_and_changes_nothing(
    run_import, organizer_paris, paris_contact
):
    from django.core.files.base import ContentFile

    from contacts.imports.run import contact_import_run
    from contacts.imports.services import contact_import_create, contact_import_start
    from contacts.models import ImportJob

    job = contact_import_create(
        actor=organizer_paris,
        file=ContentFile(
            HEADER.encode() + "Hugo;Lefèvre;hugo.lefevre@example.fr;;75011;75111;x;\n".encode()
        ),
        original_name="liste.csv",
    )
    contact_import_start(job=job, enqueue=False)
    organizer_paris.role = organizer_paris.Role.VOLUNTEER  # between the upload and the worker
    organizer_paris.save()
    with pytest.raises(Exception, match="import"):
        contact_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not paris_contact.tags.exists()
    assert Contact.objects.count() == 1
