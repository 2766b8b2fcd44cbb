"""What other tools write in their columns lands: three phones, address lines, a country by
code or name, tags however they are separated, the date a person was added, a second email,
and subscription statuses as consents given and withdrawn."""

from datetime import UTC, datetime

import pytest

from contacts import services
from contacts.imports.mapping import guess_mapping
from contacts.models import Consent, ConsentEvent, Contact

pytestmark = pytest.mark.django_db


def known(email: str, **fields) -> Contact:
    return services.contact_create(
        actor=None, source="manual", emails=[services.EmailInput(address=email)], **fields
    )


def test_three_phones_of_a_row_all_land_and_a_country_reads_its_national_numbers(run_import):
    run_import(
        "Prénom;Nom;Portable;Fixe;Téléphone professionnel;Pays\n"
        "Léa;Garnier;06 12 34 56 78;01 42 00 00 00;09 70 00 00 01;France\n"
        "John;Smith;(202) 555-0143;;;United States\n"
    )
    lea = Contact.objects.get(first_name="Léa")
    assert sorted(lea.phones.values_list("e164", flat=True)) == [
        "+33142000000",
        "+33612345678",
        "+33970000001",
    ]
    assert lea.phones.get(is_primary=True).e164 == "+33612345678"
    john = Contact.objects.get(first_name="John")
    assert list(john.phones.values_list("e164", flat=True)) == ["+12025550143"]
    assert (lea.country, john.country) == ("FR", "US")


def test_address_lines_two_and_three_follow_the_first_on_the_street_line(run_import):
    run_import(
        "Nom;Email;Adresse;Complément d'adresse;Adresse ligne 3;CP\n"
        "Garnier;lea@example.fr;12 rue des Lilas;Bâtiment B;Escalier 3;69001\n"
        "Roux;hugo@example.fr;4 place Bellecour;;;69002\n"
    )
    assert Contact.objects.get(last_name="Garnier").street == (
        "12 rue des Lilas, Bâtiment B, Escalier 3"
    )
    assert Contact.objects.get(last_name="Roux").street == "4 place Bellecour"


def test_countries_are_read_from_codes_and_french_or_english_names(run_import):
    job = run_import(
        "Email;Pays\n"
        "a@example.fr;Russie\n"
        "b@example.fr;RUS\n"
        "c@example.fr;Germany\n"
        "d@example.fr;be\n"
        "e@example.fr;Atlantide\n"
    )
    countries = dict(Contact.objects.values_list("emails__address", "country"))
    assert countries == {
        "a@example.fr": "RU",
        "b@example.fr": "RU",
        "c@example.fr": "DE",
        "d@example.fr": "BE",
        "e@example.fr": "",
    }
    assert [line for line, _why in job.warnings] == [6]


def test_tags_in_one_cell_split_on_commas_semicolons_and_googles_separator(run_import):
    run_import(
        "email,tags\n"
        'a@example.fr,"Bénévole, Lyon 3e"\n'
        "b@example.fr,Donateur;Sympathisant\n"
        'c@example.fr,"* myContacts ::: Amis ::: Voisins"\n'
        'd@example.fr,"""VIP"",""Presse"""\n'
    )
    tags = {
        c.emails.get().address: sorted(c.tags.values_list("name", flat=True))
        for c in Contact.objects.all()
    }
    assert tags == {
        "a@example.fr": ["Bénévole", "Lyon 3e"],
        "b@example.fr": ["Donateur", "Sympathisant"],
        "c@example.fr": ["Amis", "Voisins"],
        "d@example.fr": ["Presse", "VIP"],
    }


def test_the_date_a_person_was_added_becomes_a_new_contacts_collected_on(run_import):
    existing = known("known@example.fr")
    collected_before = existing.source_at
    job = run_import(
        "email,created_at\n"
        "new@example.fr,2013-03-20T15:26:53-07:00\n"
        "paris@example.fr,03/12/2024 14:05\n"
        "known@example.fr,2015-01-01 10:00:00 UTC\n"
        "odd@example.fr,the day after\n"
    )
    assert job.mapping["created_at"] == "source_at"
    at = dict(Contact.objects.values_list("emails__address", "source_at"))
    assert at["new@example.fr"] == datetime(2013, 3, 20, 22, 26, 53, tzinfo=UTC)
    assert at["paris@example.fr"] == datetime(2024, 12, 3, 13, 5, tzinfo=UTC)  # Paris time
    assert at["known@example.fr"] == collected_before  # an existing contact keeps its own
    assert at["odd@example.fr"] >= job.started_at
    assert [line for line, _why in job.warnings] == [5]


def test_a_us_column_of_dates_is_read_month_first(run_import):
    run_import(
        "email,created_at\na@example.fr,03/20/2013 3:26 PM\nb@example.fr,04/01/2013 9:00 AM\n"
    )
    at = dict(Contact.objects.values_list("emails__address", "source_at"))
    assert at["a@example.fr"] == datetime(2013, 3, 20, 14, 26, tzinfo=UTC)
    assert at["b@example.fr"] == datetime(2013, 4, 1, 7, 0, tzinfo=UTC)


def test_a_second_email_is_kept_and_finds_the_person_it_belongs_to(run_import):
    lea = known("lea.pro@example.fr", first_name="Léa")
    run_import(
        "Prénom;Email;Email 2\n"
        "Léa;lea@example.fr;lea.pro@example.fr\n"
        "Hugo;hugo@example.fr;hugo@example.fr\n"
    )
    assert Contact.objects.count() == 2
    assert sorted(lea.emails.values_list("address", flat=True)) == [
        "lea.pro@example.fr",
        "lea@example.fr",
    ]
    assert Contact.objects.get(first_name="Hugo").emails.count() == 1


SUBSCRIPTIONS = "email,first_name,email_status,sms_status\n"


def test_subscription_statuses_grant_withdraw_or_say_nothing(run_import):
    job = run_import(
        SUBSCRIPTIONS
        + "a@example.fr,Ana,subscribed,unsubscribed\n"
        + "b@example.fr,Ben,unsubscribed,\n"
        + "c@example.fr,Cid,cleaned,pending\n"
        + "d@example.fr,Dan,peut-être,subscribed\n",
        name="export-crm.csv",
        mapping={"email_status": "consent_email", "sms_status": "consent_sms"},
    )
    consents = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert consents == {
        ("Ana", "email", "granted"),
        ("Ana", "sms", "withdrawn"),
        ("Ben", "email", "withdrawn"),
        ("Dan", "sms", "granted"),
    }
    assert job.consents_count == 4
    event = ConsentEvent.objects.get(contact__first_name="Ben")
    assert event.status == "withdrawn"
    assert event.wording == "Fichier « export-crm.csv », colonne « email_status »"
    assert [line for line, _why in job.warnings] == [5]


def test_an_opt_out_column_withdraws_even_a_consent_given_before(run_import):
    lea = known("lea@example.fr")
    services.consent_set(
        contact=lea, channel="email", status="granted", source="manual", actor=None
    )
    run_import(
        "Email;Do Not Email;Do Not Phone\nlea@example.fr;1;0\nhugo@example.fr;0;Yes\n",
        mapping={"Do Not Email": "optout_email", "Do Not Phone": "optout_phone"},
    )
    assert Consent.objects.get(contact=lea, channel="email").status == "withdrawn"
    assert not Consent.objects.filter(contact=lea, channel="phone").exists()
    hugo = Contact.objects.get(emails__address="hugo@example.fr")
    assert list(Consent.objects.filter(contact=hugo).values_list("channel", "status")) == [
        ("phone", "withdrawn")
    ]


def test_a_withdrawal_on_any_line_of_a_person_wins_and_is_recorded_once(run_import):
    sheet = SUBSCRIPTIONS + "a@example.fr,Ana,subscribed,\n" + "a@example.fr,Ana,unsubscribed,\n"
    mapping = {"email_status": "consent_email"}
    run_import(sheet, mapping=mapping)
    run_import(sheet, mapping=mapping)  # the same file again
    assert Consent.objects.get().status == "withdrawn"
    assert ConsentEvent.objects.count() == 1


def test_the_new_columns_are_recognized_in_french_and_english():
    mapping = guess_mapping(
        [
            "Email 2",
            "Tel pro",
            "Complément d'adresse",
            "Address line 3",
            "Pays",
            "Date d'inscription",
        ]
    )
    assert list(mapping.values()) == [
        "email_2",
        "phone_3",
        "street_2",
        "street_3",
        "country",
        "source_at",
    ]


def test_a_withdrawal_from_a_file_is_announced_to_webhooks_as_any_opt_out(run_import):
    from campaign.webhooks.models import Delivery, Event, Webhook

    Webhook.objects.create(url="https://hooks.example.org/t", events=[Event.OPT_OUT])
    run_import(
        SUBSCRIPTIONS + "a@example.fr,Ana,unsubscribed,\nb@example.fr,Ben,subscribed,\n",
        mapping={"email_status": "consent_email"},
    )
    [delivery] = Delivery.objects.filter(event=Event.OPT_OUT)
    assert delivery.payload["data"]["channel"] == "email"
    assert delivery.payload["data"]["person"]["given_name"] == "Ana"


def test_religion_and_ethnic_origin_columns_are_never_imported(run_import):
    job = run_import(
        "email,religion,ethnicity\na@example.fr,catholique,x\n",
        mapping={"religion": "custom:religion", "ethnicity": "custom:ethnicity"},
    )
    assert job.mapping == {"email": "email", "religion": "ignore", "ethnicity": "ignore"}
    assert Contact.objects.get().custom_fields == {}


def test_several_tag_columns_all_give_their_tags(run_import):
    run_import(
        "email,Tag(s),Group(s)\na@example.fr,Bénévole,Newsletter; Quartier Nord\n",
        mapping={"Group(s)": "tags"},
    )
    names = sorted(Contact.objects.get().tags.values_list("name", flat=True))
    assert names == ["Bénévole", "Newsletter", "Quartier Nord"]


def test_an_erased_persons_second_email_or_third_phone_does_not_bring_them_back(run_import):
    from contacts.models import Suppression
    from contacts.privacy.services import suppression_digest

    Suppression.objects.create(
        digest=suppression_digest(Suppression.Kind.EMAIL, "ana.old@example.fr"),
        kind=Suppression.Kind.EMAIL,
    )
    Suppression.objects.create(
        digest=suppression_digest(Suppression.Kind.PHONE, "+33970000001"),
        kind=Suppression.Kind.PHONE,
    )
    job = run_import(
        "Email;Email 2;Tel pro\n"
        "ana@example.fr;ana.old@example.fr;\n"
        "ben@example.fr;;09 70 00 00 01\n"
        "cid@example.fr;;\n"
    )
    assert list(Contact.objects.values_list("emails__address", flat=True)) == ["cid@example.fr"]
    assert [line for line, _why in job.rejected] == [2, 3]


def test_a_national_number_is_read_as_its_rows_country_writes_it(run_import):
    run_import("Email;Portable;Pays\nlouise@example.be;0470 12 34 56;Belgique\n")
    assert list(Contact.objects.get().phones.values_list("e164", flat=True)) == ["+32470123456"]
