"""People's rights: access, objection, erasure with a suppression list, and retention."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts import services
from contacts.models import (
    Consent,
    ConsentEvent,
    Contact,
    ContactActivity,
    ExportLog,
    RetentionRule,
    Suppression,
)
from contacts.privacy.services import contact_erase, retention_apply

pytestmark = pytest.mark.django_db


def test_access_export_holds_everything_and_is_logged(client_as, organizer_lyon, lyon_contact):
    services.consent_set(
        contact=lyon_contact,
        channel="sms",
        status="granted",
        source="petition",
        actor=None,
        wording="J'accepte les SMS",
    )
    services.contact_tag(contact=lyon_contact, actor=organizer_lyon, add=["militante"])
    response = client_as(organizer_lyon).get(reverse("contacts:data_json", args=[lyon_contact.pk]))
    data = json.loads(response.content)
    assert data["identity"]["last_name"] == "Garnier"
    assert data["emails"][0]["address"] == "lea.garnier@example.fr"
    assert data["phones"][0]["number"] == "+33612345678"
    assert data["consents"][0]["wording"] == "J'accepte les SMS"
    assert data["tags"] == ["militante"]
    assert data["origin"]["source"] == "manual"
    assert ExportLog.objects.get().what == "gdpr_access.json"
    csv_body = client_as(organizer_lyon).get(reverse("contacts:data_csv", args=[lyon_contact.pk]))
    assert "identity.last_name,Garnier" in csv_body.content.decode()


def test_access_export_of_a_contact_out_of_scope_is_404(client_as, organizer_lyon, paris_contact):
    response = client_as(organizer_lyon).get(reverse("contacts:data_json", args=[paris_contact.pk]))
    assert response.status_code == 404


def test_objection_withdraws_every_channel_with_events(client_as, organizer_lyon, lyon_contact):
    services.consent_set(
        contact=lyon_contact, channel="sms", status="granted", source="manual", actor=None
    )
    client = client_as(organizer_lyon)
    asked = client.post(reverse("contacts:object", args=[lyon_contact.pk]))
    lyon_contact.refresh_from_db()
    assert (asked.status_code, lyon_contact.objected_at) == (200, None)  # asked first
    client.post(reverse("contacts:object", args=[lyon_contact.pk]), {"confirm": "yes"})
    lyon_contact.refresh_from_db()
    assert lyon_contact.objected_at is not None
    assert set(Consent.objects.filter(contact=lyon_contact).values_list("status", flat=True)) == {
        "withdrawn"
    }
    assert ConsentEvent.objects.filter(contact=lyon_contact, status="withdrawn").count() == 4


def test_erasure_anonymizes_and_keeps_only_hashes(client_as, organizer_lyon, lyon_contact):
    services.contact_note_add(contact=lyon_contact, actor=organizer_lyon, text="Habite au 3e")
    client = client_as(organizer_lyon)
    refused = client.post(
        reverse("contacts:erase", args=[lyon_contact.pk]), {"reason": "mail du 3/11"}
    )
    assert refused.status_code == 200  # not confirmed: nothing done
    assert Contact.objects.get(pk=lyon_contact.pk).erased_at is None
    client.post(
        reverse("contacts:erase", args=[lyon_contact.pk]),
        {"confirm": "yes", "reason": "mail du 3/11"},
    )
    erased = Contact.objects.get(pk=lyon_contact.pk)
    assert erased.erased_at is not None
    assert (erased.first_name, erased.last_name, erased.identity_key) == ("", "", "")
    assert not erased.emails.exists() and not erased.phones.exists()
    assert not ContactActivity.objects.filter(contact=erased, kind="note").exists()
    stored = list(Suppression.objects.values_list("digest", flat=True))
    assert len(stored) == 3  # email, phone, and name with postal code
    assert all(len(d) == 64 and "garnier" not in d for d in stored)
    page = client.get(reverse("contacts:list")).content.decode()
    assert reverse("contacts:detail", args=[erased.pk]) not in page


def test_a_later_import_does_not_bring_an_erased_person_back(
    run_import, organizer_lyon, lyon_contact
):
    contact_erase(contact=lyon_contact, actor=organizer_lyon)
    job = run_import(
        "prenom;nom;email;telephone\nLéa;Garnier;LEA.GARNIER@example.fr;\nLéa;G.;;06 12 34 56 78\nHugo;Roux;hugo@example.fr;\n"
    )
    assert job.created_count == 1
    assert [line for line, _reason in job.rejected] == [2, 3]
    assert not Contact.objects.filter(last_name__in=["Garnier", "G."]).exists()


def test_retention_anonymizes_old_unanswered_imports_only(admin_user):
    old = timezone.now() - timedelta(days=90)
    silent = services.contact_create(
        actor=None, source="import", first_name="Silent", source_at=old
    )
    answered = services.contact_create(
        actor=None, source="import", first_name="Answered", source_at=old
    )
    services.consent_set(
        contact=answered, channel="email", status="granted", source="import", actor=None
    )
    recent = services.contact_create(actor=None, source="import", first_name="Recent")
    petition = services.contact_create(
        actor=None, source="petition", first_name="Signer", source_at=old
    )
    assert RetentionRule.objects.get(source="import").months == 2  # the CNIL default
    assert retention_apply() == {"import": 1}
    assert Contact.objects.get(pk=silent.pk).erased_at is not None
    for kept in (answered, recent, petition):
        assert Contact.objects.get(pk=kept.pk).erased_at is None
    assert retention_apply() == {"import": 0}  # nothing left to do: idempotent


def test_an_erased_contact_cannot_be_edited_back_into_existence(
    client_as, organizer_lyon, lyon_contact
):
    contact_erase(contact=lyon_contact, actor=organizer_lyon)
    client = client_as(organizer_lyon)
    page = client.get(reverse("contacts:detail", args=[lyon_contact.pk])).content.decode()
    assert reverse("contacts:edit", args=[lyon_contact.pk]) not in page
    response = client.post(
        reverse("contacts:edit", args=[lyon_contact.pk]),
        {
            "first_name": "Léa",
            "last_name": "Garnier",
            "postal_code": "69001",
            "insee_code": "69381",
            "emails-TOTAL_FORMS": "0",
            "emails-INITIAL_FORMS": "0",
            "phones-TOTAL_FORMS": "0",
            "phones-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert Contact.objects.get(pk=lyon_contact.pk).first_name == ""
