"""Peer-to-peer texting: an organizer writes a campaign and hands out batches; a volunteer
sends each opening with one tap, answers replies, records answers and tags, opts people
out; staff read every conversation and hand them over."""

from datetime import time

import pytest
from django.urls import reverse

from actions.sms.models import (
    Conversation,
    Inbound,
    Message,
    OptOut,
    P2PCampaign,
    SurveyAnswer,
)
from actions.sms.p2p import services
from campaign.exceptions import ApplicationError
from campaign.models import User
from contacts.models import Consent, Tag
from contacts.scope import contacts_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_tasks):
    pass


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Do something and run what it queued on commit (the texts' send tasks)."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


@pytest.fixture
def campaign(admin_user, segment, run):
    Tag.objects.create(name="Bénévole potentiel")
    campaign = services.p2p_campaign_save(
        actor=admin_user,
        name="Relance dimanche",
        segment=segment,
        script="Bonjour {prenom}, c'est Lucas de l'équipe. Serez-vous là dimanche ?",
        tags=list(Tag.objects.all()),
        canned=[{"title": "Merci", "body": "Merci {prenom}, à dimanche !"}],
        questions=[{"text": "Vote dimanche ?", "choices": "Oui\nNon\nPeut-être"}],
        batch_size=1,
    )
    run(services.p2p_campaign_start, campaign=campaign, actor=admin_user)
    return campaign


@pytest.fixture
def handed(campaign, volunteer, admin_user):
    """Both people who may be texted, handed to the volunteer."""
    services.conversations_assign(
        campaign=campaign, volunteer=volunteer, count=10, actor=admin_user
    )
    return campaign


def test_starting_writes_one_conversation_per_person_who_may_be_texted(campaign, people):
    held = set(Conversation.objects.filter(campaign=campaign).values_list("contact_id", flat=True))
    assert held == {people["lea"].pk, people["hugo"].pk}  # not Nina (no consent), Paul, Zoé


def test_an_organizer_builds_a_campaign_in_the_browser(client_as, admin_user, segment):
    Tag.objects.create(name="Voisin")
    client = client_as(admin_user)
    response = client.post(
        reverse("sms:p2p_new"),
        {
            "name": "Porte-à-porte par SMS",
            "segment": segment.pk,
            "script": "Bonjour {prenom} !",
            "tags": [Tag.objects.get().pk],
            "batch_size": 25,
            "volunteers_ask_for_more": "on",
            "quiet_start": "21:00",
            "quiet_end": "09:00",
            "canned-TOTAL_FORMS": 1,
            "canned-INITIAL_FORMS": 0,
            "canned-0-title": "Merci",
            "canned-0-body": "Merci {prenom} !",
            "questions-TOTAL_FORMS": 2,
            "questions-INITIAL_FORMS": 0,
            "questions-0-text": "Soutien ?",
            "questions-0-choices": "Oui\nNon",
            "questions-1-text": "",
            "questions-1-choices": "",
        },
    )
    campaign = P2PCampaign.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert campaign.quiet_start == time(21) and campaign.batch_size == 25
    assert [c.body for c in campaign.canned.all()] == ["Merci {prenom} !"]
    assert [q.choice_list for q in campaign.questions.all()] == [["Oui", "Non"]]
    page = client.get(reverse("sms:p2p_detail", args=[campaign.pk])).content.decode()
    assert "Bonjour Léa !" in page and "STOP au 36180" in page


def test_an_unknown_merge_field_in_the_script_is_refused(admin_user, segment):
    with pytest.raises(ApplicationError, match="prenon"):
        services.p2p_campaign_save(
            actor=admin_user, name="x", segment=segment, script="Bonjour {prenon}"
        )


def test_batches_hand_out_each_person_once(campaign, volunteer, admin_user):
    other = User.objects.create_user(username="ines", password="x" * 12)
    assert (
        services.conversations_assign(
            campaign=campaign, volunteer=volunteer, count=1, actor=admin_user
        )
        == 1
    )
    assert (
        services.conversations_assign(campaign=campaign, volunteer=other, count=5, actor=admin_user)
        == 1
    )
    assert (
        services.conversations_assign(campaign=campaign, volunteer=other, count=5, actor=admin_user)
        == 0
    )
    holders = Conversation.objects.values_list("volunteer__username", flat=True)
    assert sorted(holders) == ["ines", "lucas"]


def test_a_volunteer_sees_the_people_handed_to_them_and_nobody_else(handed, volunteer, people):
    visible = set(contacts_visible_to(volunteer).values_list("pk", flat=True))
    assert visible == {people["lea"].pk, people["hugo"].pk}
    P2PCampaign.objects.filter(pk=handed.pk).update(status=P2PCampaign.Status.CLOSED)
    assert not contacts_visible_to(volunteer).exists()


def test_the_volunteer_home_lists_the_mission(client_as, handed, volunteer):
    page = client_as(volunteer).get(reverse("home")).content.decode()
    assert "Relance dimanche" in page
    assert "2 SMS à envoyer" in page


def test_one_tap_sends_one_opening_and_a_second_tap_sends_nothing(
    client_as, handed, volunteer, people, django_capture_on_commit_callbacks
):
    client = client_as(volunteer)
    send = reverse("sms:mission_send", args=[handed.pk])
    page = client.get(send).content.decode()
    first = Conversation.objects.filter(campaign=handed).order_by("pk").first()
    assert f'value="{first.pk}"' in page
    assert "Bonjour Léa, c&#x27;est Lucas" in page
    for _ in range(2):  # a double tap, or the form sent again on a bad connection
        with django_capture_on_commit_callbacks(execute=True):
            client.post(send, {"c": first.pk})
    sent = Message.objects.get(conversation=first)
    assert sent.status == "sent" and sent.sent_by == volunteer
    assert sent.body.endswith("Serez-vous là dimanche ?\nSTOP au 36180")
    assert Message.objects.filter(conversation__campaign=handed).count() == 1
    assert f'value="{first.pk}"' not in client.get(send).content.decode()


def test_someone_elses_conversation_is_not_found(client_as, handed, admin_user):
    intruder = User.objects.create_user(username="max", password="x" * 12)
    conversation = Conversation.objects.filter(campaign=handed).first()
    client = client_as(intruder)
    assert client.get(reverse("sms:conversation", args=[conversation.pk])).status_code == 404
    response = client.post(reverse("sms:mission_send", args=[handed.pk]), {"c": conversation.pk})
    assert response.status_code == 404
    assert not Message.objects.exists()


def opened(handed, volunteer, run):
    conversation = Conversation.objects.filter(campaign=handed).order_by("pk").first()
    run(services.conversation_open, conversation=conversation, actor=volunteer)
    return conversation


def test_a_reply_joins_the_conversation_and_waits_for_an_answer(
    handed, volunteer, run, client_as, admin_user
):
    from actions.sms.services.inbound import inbound_receive

    conversation = opened(handed, volunteer, run)
    inbound_receive(sid="SMr1", from_number=conversation.to, to_number="", body="Oui, sûrement")
    conversation.refresh_from_db()
    assert conversation.needs_reply
    assert Inbound.objects.get().conversation == conversation
    inbox = client_as(admin_user).get(reverse("sms:p2p_inbox"), {"show": "unanswered"})
    assert conversation.contact.first_name in inbox.content.decode()
    page = client_as(volunteer).get(reverse("sms:conversation", args=[conversation.pk]))
    assert "Oui, sûrement" in page.content.decode()


def test_a_canned_answer_goes_with_the_merge_fields_filled(handed, volunteer, run, client_as):
    from actions.sms.services.inbound import inbound_receive

    conversation = opened(handed, volunteer, run)
    inbound_receive(sid="SMr1", from_number=conversation.to, to_number="", body="Oui")
    canned = handed.canned.get()
    with_callbacks = run
    response = with_callbacks(
        client_as(volunteer).post,
        reverse("sms:conversation", args=[conversation.pk]),
        {"action": "reply", "key": "k1", "body": "", "canned": canned.pk},
    )
    assert response.status_code == 302
    answer = Message.objects.get(key="k1")
    assert answer.body == "Merci Léa, à dimanche !" and answer.status == "sent"
    conversation.refresh_from_db()
    assert not conversation.needs_reply


def test_the_same_answer_form_sent_twice_sends_one_text(handed, volunteer, run):
    conversation = opened(handed, volunteer, run)
    for _ in range(2):
        run(
            services.conversation_reply,
            conversation=conversation,
            actor=volunteer,
            body="Super, merci !",
            key="same-form",
        )
    assert Message.objects.filter(conversation=conversation).count() == 2  # opening + 1


def test_stop_in_reply_ends_the_conversation(handed, volunteer, run, client_as, admin_user):
    from actions.sms.services.inbound import inbound_receive

    conversation = opened(handed, volunteer, run)
    inbound_receive(sid="SMr1", from_number=conversation.to, to_number="", body="Stop")
    conversation.refresh_from_db()
    assert conversation.status == "opted_out" and not conversation.needs_reply
    with pytest.raises(ApplicationError, match="plus aucun SMS"):
        services.conversation_reply(
            conversation=conversation, actor=volunteer, body="Pardon", key="k"
        )
    inbox = client_as(admin_user).get(reverse("sms:p2p_inbox"), {"show": "opted_out"})
    assert str(conversation.contact) in inbox.content.decode()


def test_the_volunteer_opts_someone_out_who_asked_in_their_own_words(
    handed, volunteer, run, client_as
):
    conversation = opened(handed, volunteer, run)
    client_as(volunteer).post(
        reverse("sms:conversation", args=[conversation.pk]), {"action": "opt_out"}
    )
    conversation.refresh_from_db()
    assert conversation.status == "opted_out"
    assert OptOut.objects.filter(number=conversation.to).exists()
    consent = Consent.objects.get(contact=conversation.contact, channel="sms")
    assert consent.status == "withdrawn"
    assert conversation.contact.consent_events.filter(status="withdrawn", actor=volunteer).exists()


def test_survey_answers_and_offered_tags_are_recorded(handed, volunteer, run, client_as):
    conversation = opened(handed, volunteer, run)
    question = handed.questions.get()
    client_as(volunteer).post(
        reverse("sms:conversation", args=[conversation.pk]),
        {"action": "record", f"q{question.pk}": "Peut-être", "tags": ["Bénévole potentiel"]},
    )
    assert SurveyAnswer.objects.get(conversation=conversation).answer == "Peut-être"
    assert list(conversation.contact.tags.values_list("name", flat=True)) == ["Bénévole potentiel"]
    with pytest.raises(ApplicationError):
        services.conversation_record(
            conversation=conversation, actor=volunteer, answers={question.pk: "Jamais"}, tags=[]
        )
    services.conversation_record(
        conversation=conversation, actor=volunteer, answers={}, tags=["Autre chose"]
    )
    assert not SurveyAnswer.objects.exists()
    assert not conversation.contact.tags.exists()  # only offered tags come and go


def test_quiet_hours_stop_the_tap_and_the_worker(handed, volunteer, run, settings):
    from actions.sms.services.sending import conversation_message_send

    conversation = Conversation.objects.filter(campaign=handed).order_by("pk").first()
    P2PCampaign.objects.filter(pk=handed.pk).update(quiet_start=time(0), quiet_end=time(23, 59))
    with pytest.raises(ApplicationError, match="Heures de silence"):
        services.conversation_open(conversation=conversation, actor=volunteer)
    # A text tapped just before quiet hours and picked up by the worker after: it waits.
    P2PCampaign.objects.filter(pk=handed.pk).update(quiet_start=time(0), quiet_end=time(0))
    message = services.conversation_open(conversation=conversation, actor=volunteer)
    P2PCampaign.objects.filter(pk=handed.pk).update(quiet_start=time(0), quiet_end=time(23, 59))
    result = conversation_message_send(message_id=message.pk)
    assert result.outcome == "quiet" and result.resume_at is not None
    message.refresh_from_db()
    assert message.status == "queued"


def test_staff_hand_conversations_over_from_the_inbox(
    handed, volunteer, run, client_as, admin_user
):
    conversation = opened(handed, volunteer, run)
    other = User.objects.create_user(username="ines", password="x" * 12)
    client = client_as(admin_user)
    response = client.post(
        reverse("sms:p2p_inbox"), {"conversations": [conversation.pk], "volunteer": other.pk}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.volunteer == other
    assert not contacts_visible_to(volunteer).filter(pk=conversation.contact_id).exists()


def test_an_organizer_cannot_take_conversations_outside_their_territories(
    handed, volunteer, organizer_lyon
):
    conversation = Conversation.objects.filter(campaign=handed).first()
    moved = services.conversations_reassign(
        conversation_ids=[conversation.pk], volunteer=organizer_lyon, actor=organizer_lyon
    )
    assert moved == 0  # the people of the fixture have no Lyon INSEE code


def test_a_volunteer_asks_for_another_batch_once_theirs_is_sent(
    campaign, volunteer, run, client_as
):
    client = client_as(volunteer)
    assert "Rejoindre" in client.get(reverse("home")).content.decode()
    client.post(reverse("sms:mission_more", args=[campaign.pk]))
    assert Conversation.objects.filter(volunteer=volunteer).count() == 1  # batch_size
    with pytest.raises(ApplicationError, match="Envoyez d.abord"):
        services.conversations_assign(
            campaign=campaign, volunteer=volunteer, count=50, actor=volunteer
        )


def test_a_one_tap_text_goes_through_twilio_and_keeps_its_sid(fake, handed, volunteer, run):
    conversation = opened(handed, volunteer, run)
    message = Message.objects.get(conversation=conversation)
    assert message.status == "sent"
    assert [m["sid"] for m in fake.messages] == [message.sid]
    assert fake.messages[0]["to"] == conversation.to


def test_a_closed_campaign_sends_nothing_more(handed, volunteer, run, admin_user):
    conversation = Conversation.objects.filter(campaign=handed).first()
    services.p2p_campaign_close(campaign=handed, actor=admin_user)
    with pytest.raises(ApplicationError):
        services.conversation_open(
            conversation=Conversation.objects.get(pk=conversation.pk), actor=volunteer
        )


def test_a_text_whose_task_was_lost_is_sent_by_the_recovery_once(handed, volunteer, settings):
    from datetime import timedelta

    from django.utils import timezone

    from actions.sms.services.recovery import recover

    conversation = Conversation.objects.filter(campaign=handed).first()
    message = services.conversation_open(conversation=conversation, actor=volunteer)  # never queued
    assert Message.objects.get(pk=message.pk).status == "queued"
    long_ago = timezone.now() - timedelta(seconds=settings.SMS_CLAIM_STALE_SECONDS + 1)
    Message.objects.filter(pk=message.pk).update(updated_at=long_ago)
    assert recover()["conversation_texts"] == 1
    assert Message.objects.get(pk=message.pk).status == "sent"
    assert recover()["conversation_texts"] == 0


def test_merging_two_people_keeps_the_conversation_and_its_texts(
    handed, volunteer, run, admin_user, people
):
    from contacts.dedupe.services import contact_merge

    conversation = opened(handed, volunteer, run)
    dropped = conversation.contact
    kept = people["nina"]  # the same person, who never agreed to texts under this record
    contact_merge(keep=kept, drop=dropped, actor=admin_user)
    conversation.refresh_from_db()
    assert conversation.contact == kept
    assert Message.objects.get(conversation=conversation).contact == kept


def test_erasing_someone_blanks_their_texts_and_ends_the_conversation(
    handed, volunteer, run, admin_user
):
    from actions.sms.services.inbound import inbound_receive
    from contacts.privacy.services import contact_erase

    conversation = opened(handed, volunteer, run)
    inbound_receive(sid="SMr1", from_number=conversation.to, to_number="", body="Je suis Léa")
    contact_erase(contact=conversation.contact, actor=admin_user)
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.volunteer is None
    assert conversation.to.startswith("erased-")
    assert Message.objects.get(conversation=conversation).body == ""
    assert Inbound.objects.get().body == "" and Inbound.objects.get().from_number == ""
