"""Matching: by email, then phone, then name + birth date + address; a rerun changes nothing."""

from datetime import date

import pytest
from django.db import connection

from contacts import services
from contacts.models import Contact, ContactActivity, ContactEmail, ContactPhone

pytestmark = pytest.mark.django_db

HEADER = "prenom;nom;email;telephone;date de naissance;adresse;code postal;ville;tags\n"


def existing(**fields):
    defaults = {"first_name": "Léa", "last_name": "Garnier", "postal_code": "69001"}
    return services.contact_create(actor=None, source="manual", **{**defaults, **fields})


def test_an_existing_contact_is_found_by_email_and_completed_not_overwritten(run_import):
    lea = existing(emails=[services.EmailInput(address="lea@example.fr")], commune="")
    job = run_import(
        HEADER + "Léa;Autre-Nom;LEA@example.fr;06 12 34 56 78;;;69001;Lyon;militante\n"
    )
    assert (job.created_count, job.updated_count) == (0, 1)
    lea.refresh_from_db()
    assert lea.last_name == "Garnier"  # kept: never overwritten
    assert lea.commune == "Lyon"  # filled: it was empty
    assert lea.phones.get().e164 == "+33612345678"
    assert [t.name for t in lea.tags.all()] == ["militante"]
    assert lea.activities.filter(kind=ContactActivity.Kind.UPDATED).exists()


def test_found_by_phone_in_another_format(run_import):
    lea = existing(phones=[services.PhoneInput(number="+33612345678")])
    job = run_import(HEADER + "Léa;Garnier;;06.12.34.56.78;;;;;\n")
    assert (job.created_count, job.unchanged_count) == (0, 1)
    assert Contact.objects.get() == lea


def test_found_by_name_birth_date_and_address(run_import):
    lea = existing(street="3 rue Neuve", birth_date=date(1984, 3, 5))
    job = run_import(HEADER + "LÉA;garnier;;;05/03/1984;3, rue Neuve;69001;;\n")
    assert job.created_count == 0
    assert Contact.objects.get() == lea


def test_same_name_elsewhere_is_another_person(run_import):
    existing(street="3 rue Neuve")
    job = run_import(HEADER + "Léa;Garnier;;;;8 quai Perrache;69002;Lyon;\n")
    assert job.created_count == 1
    assert Contact.objects.count() == 2


def test_duplicated_rows_in_one_file_make_one_contact(run_import):
    rows = [
        "Léa;Garnier;lea@example.fr;;;;69001;;\n",
        "Léa;Garnier;lea@example.fr;06 12 34 56 78;;;69001;;\n",  # same email
        "L.;Garnier;;+33612345678;;;;Lyon;\n",  # same phone as the row above
        "Léa;Garnier;lea@example.fr;;;;69001;;\n",  # exact duplicate
    ]
    job = run_import(HEADER + "".join(rows))
    assert (job.created_count, job.merged_count) == (1, 3)
    lea = Contact.objects.get()
    assert lea.commune == "Lyon"  # completed from a later row of the same person
    assert [p.e164 for p in lea.phones.all()] == ["+33612345678"]


def test_importing_the_same_file_twice_changes_nothing(run_import):
    text = HEADER + (
        "Léa;Garnier;lea@example.fr;06 12 34 56 78;05/03/1984;3 rue Neuve;69001;Lyon;a,b\n"
        "Hugo;Lefèvre;;;;8 quai Perrache;69002;Lyon;\n"
        "Inès;Roux;;07 98 76 54 32;;;;;\n"
    )
    first = run_import(text, tags=["fichier"])
    snapshot = (
        Contact.objects.count(),
        ContactEmail.objects.count(),
        ContactPhone.objects.count(),
        Contact.tags.through.objects.count(),
    )
    second = run_import(text, tags=["fichier"])
    assert first.created_count == 3
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert snapshot == (
        Contact.objects.count(),
        ContactEmail.objects.count(),
        ContactPhone.objects.count(),
        Contact.tags.through.objects.count(),
    )


def test_new_contacts_get_primary_email_and_phone_and_search_keys(run_import):
    run_import(HEADER + "Noël;Lefèvre-Dupont;noel@example.fr;06 12 34 56 78;;;;;\n")
    contact = Contact.objects.get()
    assert contact.emails.get().is_primary and contact.phones.get().is_primary
    assert (contact.first_name_key, contact.last_name_key) == ("noel", "lefevre dupont")
    from contacts.selectors import contact_search_q  # the search the staff use finds it

    assert Contact.objects.filter(contact_search_q("lefevre")).get() == contact


@pytest.fixture
def phones_table_fails(db):
    """A real database error halfway through the merge: inserting a phone is refused."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION terrain_test_fail() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER terrain_test_fail BEFORE INSERT ON contacts_contactphone "
                "FOR EACH ROW EXECUTE FUNCTION terrain_test_fail()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER terrain_test_fail BEFORE INSERT ON contacts_contactphone "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )


def test_a_failure_in_the_middle_leaves_nothing_behind(run_import, phones_table_fails):
    from contacts.models import ImportJob

    with pytest.raises(Exception, match="disk full"):
        run_import(HEADER + "Léa;Garnier;lea@example.fr;06 12 34 56 78;;;;;\n")
    assert Contact.objects.count() == 0
    assert ContactEmail.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "rien n’a été importé" in job.error  # French, the default language
