"""Numbers that said STOP, here or elsewhere, get no bulk text, whoever they belong to."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.sms.models import Blast, Message, OptOut
from actions.sms.services.blasts import blast_save
from actions.sms.services.inbound import inbound_receive
from actions.sms.services.sending import blast_fan_out, blast_send_batch
from contacts.models import Consent, ConsentEvent, SegmentMember

from .conftest import person

pytestmark = pytest.mark.django_db


def test_an_export_of_the_36180_service_turns_sms_off_with_a_report(client_as, admin_user, people):
    csv = "msisdn;date\n33612345678;12/11/2026\n+33 7 81 23 45 67;12/11/2026\npas un numéro;\n"
    response = client_as(admin_user).post(
        reverse("sms:optouts"),
        {"file": SimpleUploadedFile("stop.csv", csv.encode("utf-8")), "source": "36180"},
    )
    page = response.content.decode()
    assert sorted(OptOut.objects.values_list("number", flat=True)) == [
        "+33612345678",
        "+33781234567",
    ]
    for name in ("lea", "hugo"):
        assert Consent.objects.get(contact=people[name], channel="sms").status == "withdrawn"
    event = ConsentEvent.objects.filter(contact=people["lea"]).latest("recorded_at")
    assert (event.status, event.source_detail) == ("withdrawn", "36180")
    assert "ligne 4" in page and "pas un numéro" in page


def test_a_number_that_said_stop_gets_nothing_even_as_a_new_contact(admin_user, segment):
    inbound_receive(sid="SM1", from_number="+33699999999", to_number="", body="STOP")
    newcomer = person("Inès", "06 99 99 99 99")  # imported later, with SMS consent
    SegmentMember.objects.create(segment=segment, contact=newcomer)
    blast = blast_save(actor=admin_user, name="b", segment=segment, body="Salut")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    for batch in blast_fan_out(blast_id=blast.pk):
        blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert not Message.objects.filter(to="+33699999999").exists()
    inbound_receive(sid="SM2", from_number="+33699999999", to_number="", body="START")
    assert not OptOut.objects.exists()


def test_a_stop_recorded_after_queueing_suppresses_the_text(admin_user, segment, people):
    blast = blast_save(actor=admin_user, name="b", segment=segment, body="Salut")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    batches = blast_fan_out(blast_id=blast.pk)
    OptOut.objects.create(number="+33612345678", source="36180")
    blast_send_batch(blast_id=blast.pk, message_ids=batches[0])
    assert Message.objects.get(to="+33612345678").status == "suppressed"
