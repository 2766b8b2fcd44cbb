"""A blast reaches who agreed to texts, each exactly once, and respects what changes meanwhile."""

from datetime import time as clock

import pytest
from django.utils import timezone

from actions.sms.models import Blast, Message
from actions.sms.services.blasts import blast_cancel, blast_pause, blast_save
from actions.sms.services.quiet_hours import PARIS, quiet_until
from actions.sms.services.sending import BatchResult, blast_fan_out, blast_send_batch
from contacts import services as contact_services
from contacts.models import SegmentMember, Source

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def blast(admin_user, segment):
    return blast_save(
        actor=admin_user, name="Meeting", segment=segment, body="Bonjour {prenom}, RDV samedi"
    )


def send_all(blast) -> list[BatchResult]:
    return [
        blast_send_batch(blast_id=blast.pk, message_ids=batch)
        for batch in blast_fan_out(blast_id=blast.pk)
    ]


def start(blast, admin_user):
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)


def test_only_consenting_people_with_a_mobile_get_the_text_with_their_name(
    blast, admin_user, people
):
    start(blast, admin_user)
    send_all(blast)
    sent = {m.contact.first_name: m for m in Message.objects.select_related("contact")}
    assert sorted(sent) == ["Hugo", "Léa"]
    assert sent["Léa"].body == "Bonjour Léa, RDV samedi\nSTOP au 36180"
    assert sent["Léa"].to == "+33612345678" and sent["Léa"].sid.startswith("LOG")
    assert {m.status for m in sent.values()} == {"sent"}
    blast.refresh_from_db()
    assert (blast.status, blast.recipients) == ("done", 2)


def test_running_fan_out_and_batches_twice_sends_nothing_twice(blast, admin_user):
    start(blast, admin_user)
    first = send_all(blast)
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SENDING)
    again = blast_send_batch(
        blast_id=blast.pk, message_ids=list(Message.objects.values_list("pk", flat=True))
    )
    assert sum(r.sent for r in first) == 2 and again.sent == 0
    assert Message.objects.count() == 2


def test_two_contacts_sharing_a_phone_get_one_text(blast, admin_user, segment):
    twin = person("Léo", "06 12 34 56 78")  # Léa's number
    SegmentMember.objects.create(segment=segment, contact=twin)
    start(blast, admin_user)
    send_all(blast)
    assert Message.objects.filter(to="+33612345678").count() == 1


def test_consent_withdrawn_after_queueing_is_honoured_at_send_time(blast, admin_user, people):
    start(blast, admin_user)
    batches = blast_fan_out(blast_id=blast.pk)
    contact_services.consent_set(
        contact=people["hugo"], channel="sms", status="withdrawn", source=Source.SMS, actor=None
    )
    result = blast_send_batch(blast_id=blast.pk, message_ids=batches[0])
    assert (result.sent, result.suppressed) == (1, 1)
    assert Message.objects.get(contact=people["hugo"]).status == "suppressed"


def test_quiet_hours_are_checked_by_the_worker_when_it_sends(blast, admin_user):
    now = timezone.localtime(timezone.now(), PARIS)
    start(blast, admin_user)
    batches = blast_fan_out(blast_id=blast.pk)
    # Quiet hours began after the blast was queued: from an hour ago to an hour from now.
    Blast.objects.filter(pk=blast.pk).update(
        quiet_start=clock((now.hour - 1) % 24, 0), quiet_end=clock((now.hour + 1) % 24, 59)
    )
    result = blast_send_batch(blast_id=blast.pk, message_ids=batches[0])
    assert result.sent == 0 and result.resume_at > timezone.now()
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}


def test_quiet_hours_across_midnight():
    b = Blast(quiet_start=clock(21), quiet_end=clock(9))
    at = lambda h: timezone.datetime(2026, 11, 26, h, 30, tzinfo=PARIS)  # noqa: E731
    assert quiet_until(b, at(22)) == timezone.datetime(2026, 11, 27, 9, 0, tzinfo=PARIS)
    assert quiet_until(b, at(3)) == timezone.datetime(2026, 11, 26, 9, 0, tzinfo=PARIS)
    assert quiet_until(b, at(12)) is None


def test_a_paused_blast_sends_nothing_and_cancel_stops_what_is_queued(blast, admin_user):
    start(blast, admin_user)
    batches = blast_fan_out(blast_id=blast.pk)
    blast_pause(blast=blast, actor=admin_user)
    assert blast_send_batch(blast_id=blast.pk, message_ids=batches[0]).stopped
    blast_cancel(blast=blast, actor=admin_user)
    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}
    assert Blast.objects.get().status == "cancelled"


def test_an_unknown_merge_field_is_refused(admin_user, segment):
    from campaign.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        blast_save(actor=admin_user, name="x", segment=segment, body="Hi {surnom}")
