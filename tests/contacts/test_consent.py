"""Consent is per channel, with its source, wording and date; every change is an event."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.exceptions import ApplicationError
from contacts import services
from contacts.models import Consent, ConsentEvent

pytestmark = pytest.mark.django_db


def test_granting_consent_records_current_state_and_an_event(lyon_contact, organizer_lyon):
    services.consent_set(
        contact=lyon_contact,
        channel="sms",
        status="granted",
        source="petition",
        source_detail="Pétition transports",
        wording="J'accepte de recevoir des SMS.",
        actor=organizer_lyon,
    )
    consent = Consent.objects.get(contact=lyon_contact, channel="sms")
    assert (consent.status, consent.source, consent.wording) == (
        "granted",
        "petition",
        "J'accepte de recevoir des SMS.",
    )
    event = ConsentEvent.objects.get(contact=lyon_contact)
    assert (event.channel, event.status, event.actor, event.source_detail) == (
        "sms",
        "granted",
        organizer_lyon,
        "Pétition transports",
    )


def test_each_change_adds_an_event_and_none_is_ever_rewritten(lyon_contact, organizer_lyon):
    for status in ["granted", "withdrawn", "granted"]:
        services.consent_set(
            contact=lyon_contact,
            channel="email",
            status=status,
            source="manual",
            actor=organizer_lyon,
        )
    assert list(
        ConsentEvent.objects.filter(contact=lyon_contact)
        .order_by("id")
        .values_list("status", flat=True)
    ) == ["granted", "withdrawn", "granted"]
    event = ConsentEvent.objects.first()
    event.status = "withdrawn"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_channels_are_independent(lyon_contact):
    services.consent_set(
        contact=lyon_contact, channel="sms", status="withdrawn", source="sms", actor=None
    )
    services.consent_set(
        contact=lyon_contact, channel="email", status="granted", source="manual", actor=None
    )
    states = dict(Consent.objects.filter(contact=lyon_contact).values_list("channel", "status"))
    assert states == {"sms": "withdrawn", "email": "granted"}


def test_an_older_event_recorded_late_does_not_override_a_newer_decision(lyon_contact):
    now = timezone.now()
    services.consent_set(
        contact=lyon_contact,
        channel="sms",
        status="withdrawn",
        source="sms",
        actor=None,
        occurred_at=now,
    )
    services.consent_set(
        contact=lyon_contact,
        channel="sms",
        status="granted",
        source="canvass",
        actor=None,
        occurred_at=now - timedelta(days=3),
    )
    assert Consent.objects.get(contact=lyon_contact, channel="sms").status == "withdrawn"
    assert ConsentEvent.objects.filter(contact=lyon_contact).count() == 2


def test_an_unknown_channel_is_refused(lyon_contact):
    with pytest.raises(ApplicationError):
        services.consent_set(
            contact=lyon_contact, channel="pigeon", status="granted", source="manual", actor=None
        )
    assert not ConsentEvent.objects.exists()


def test_staff_record_consent_from_the_contact_page_and_see_it_on_the_timeline(
    client_as, organizer_lyon, lyon_contact
):
    client = client_as(organizer_lyon)
    response = client.post(
        reverse("contacts:consent", args=[lyon_contact.pk]),
        {"channel": "phone", "status": "granted", "wording": "Accord donné au téléphone"},
    )
    assert response.status_code == 302
    event = ConsentEvent.objects.get(contact=lyon_contact)
    assert (event.channel, event.source, event.actor) == ("phone", "manual", organizer_lyon)
    page = client.get(reverse("contacts:detail", args=[lyon_contact.pk])).content.decode()
    assert "Accord donné au téléphone" in page
