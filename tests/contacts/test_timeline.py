"""The timeline merges what every app says about a contact, newest first; new sources plug in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contacts import services
from contacts.plugins import ActionPlugin, TimelineEntry
from contacts.timeline import timeline_for

pytestmark = pytest.mark.django_db


def test_origin_consents_and_staff_activity_appear_newest_first(lyon_contact, organizer_lyon):
    services.consent_set(
        contact=lyon_contact,
        channel="sms",
        status="granted",
        source="manual",
        actor=organizer_lyon,
        occurred_at=timezone.now() + timedelta(seconds=1),
    )
    services.contact_note_add(contact=lyon_contact, actor=organizer_lyon, text="Très motivée")
    kinds = [entry.kind for entry in timeline_for(lyon_contact)]
    assert kinds[-1] == "origin"
    assert set(kinds) == {"origin", "created", "consent", "note", "stage"}  # consent: reachable
    times = [entry.at for entry in timeline_for(lyon_contact)]
    assert times == sorted(times, reverse=True)


SIGNED = timezone.now() + timedelta(days=1)


class PetitionNews(ActionPlugin):
    def timeline(self, contact, limit):
        return [TimelineEntry(at=SIGNED, kind="petition", title="Signed: Transports gratuits")]


def test_another_app_plugs_its_events_into_the_timeline(lyon_contact, plugged):
    plugged("petitions", "tests.contacts.test_timeline.PetitionNews")
    first = timeline_for(lyon_contact)[0]
    assert (first.kind, first.title) == ("petition", "Signed: Transports gratuits")


def test_the_timeline_is_cut_at_its_limit(lyon_contact, organizer_lyon):
    for i in range(5):
        services.contact_note_add(contact=lyon_contact, actor=organizer_lyon, text=f"note {i}")
    assert len(timeline_for(lyon_contact, limit=3)) == 3
