"""Blasts and texting campaigns belong to a territory (or to the whole campaign, the admins'):
only their owners act on them, an object out of scope is a 404 and nothing changes, and what
a write reaches is computed with the scope of whoever acts, never the author's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.sms.models import Blast, Conversation, Message, OptOut, P2PCampaign, SurveyAnswer
from actions.sms.p2p import services as p2p_services
from actions.sms.services.blasts import blast_save, blast_send_test, blast_start
from actions.sms.services.sending import blast_fan_out
from campaign.models import User
from contacts import services as contact_services
from contacts.models import Consent, Segment, SegmentMember, Source, Tag

pytestmark = pytest.mark.django_db


def agree_to_texts(*contacts) -> None:
    for contact in contacts:
        contact_services.consent_set(
            contact=contact, channel="sms", status="granted", source=Source.MANUAL, actor=None
        )


@pytest.fixture
def both_cities(lyon_contact, paris_contact) -> Segment:
    """A static list of a Lyon person (first) and a Paris person, both agreeing to texts."""
    agree_to_texts(lyon_contact, paris_contact)
    segment = Segment.objects.create(name="Lyon et Paris", is_static=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=segment, contact=c) for c in (lyon_contact, paris_contact)
    )
    return segment


def draft(actor, segment, territory=None) -> Blast:
    return blast_save(
        actor=actor, name="Réunion", segment=segment, body="Bonjour {prenom}", territory=territory
    )


def unchanged(blast: Blast) -> bool:
    before = Blast.objects.get(pk=blast.pk)
    return (before.name, before.status, before.body, before.territory_id, before.started_by_id) == (
        blast.name,
        blast.status,
        blast.body,
        blast.territory_id,
        blast.started_by_id,
    ) and not Message.objects.exists()


# Blasts


def test_an_organizer_cannot_edit_an_admins_whole_campaign_draft(
    client_as, admin_user, organizer_paris, both_cities, paris_11e
):
    blast = draft(admin_user, both_cities)
    response = client_as(organizer_paris).post(
        reverse("sms:edit", args=[blast.pk]),
        {
            "name": "À moi",
            "territory": paris_11e.pk,
            "segment": both_cities.pk,
            "body": "Bonjour {prenom}",
        },
    )
    assert response.status_code == 404
    assert unchanged(blast)


@pytest.mark.parametrize("action", ["start", "test", "pause", "resume", "cancel"])
def test_an_organizer_cannot_act_on_another_territorys_blast(
    client_as, organizer_lyon, organizer_paris, both_cities, lyon_1er, action
):
    blast = draft(organizer_lyon, both_cities, territory=lyon_1er)
    response = client_as(organizer_paris).post(
        reverse("sms:action", args=[blast.pk, action]), {"at": "", "to": "06 11 22 33 44"}
    )
    assert response.status_code == 404
    assert unchanged(blast)


def test_an_organizer_neither_lists_nor_opens_another_territorys_draft(
    client_as, organizer_lyon, organizer_paris, both_cities, lyon_1er, lyon_contact
):
    blast = draft(organizer_lyon, both_cities, territory=lyon_1er)
    client = client_as(organizer_paris)
    assert "Réunion" not in client.get(reverse("sms:list")).content.decode()
    for name in ("detail", "progress"):
        assert client.get(reverse(f"sms:{name}", args=[blast.pk])).status_code == 404


def test_an_organizer_does_not_see_the_admins_whole_campaign_blasts(
    client_as, admin_user, organizer_paris, both_cities
):
    blast = draft(admin_user, both_cities)
    client = client_as(organizer_paris)
    assert "Réunion" not in client.get(reverse("sms:list")).content.decode()
    assert client.get(reverse("sms:detail", args=[blast.pk])).status_code == 404


def test_a_blast_an_admin_wrote_reaches_only_the_people_of_the_organizer_who_starts_it(
    client_as,
    admin_user,
    organizer_paris,
    both_cities,
    paris_11e,
    paris_contact,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    blast = draft(admin_user, both_cities, territory=paris_11e)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(organizer_paris).post(
            reverse("sms:action", args=[blast.pk, "start"]), {"at": ""}
        )
    assert response.status_code == 302
    assert list(Message.objects.values_list("contact_id", flat=True)) == [paris_contact.pk]
    assert Blast.objects.get(pk=blast.pk).started_by == organizer_paris


def test_a_scheduled_blast_reaches_the_starters_people_when_its_time_comes(
    admin_user, organizer_paris, both_cities, paris_11e, paris_contact
):
    from datetime import timedelta

    from django.utils import timezone

    blast = draft(admin_user, both_cities, territory=paris_11e)
    later = timezone.now() + timedelta(hours=1)
    blast_start(blast=blast, actor=organizer_paris, at=later)
    blast_fan_out(blast_id=blast.pk)  # what beat does when the time comes
    assert list(Message.objects.values_list("contact_id", flat=True)) == [paris_contact.pk]


def test_the_preview_shows_only_the_viewers_people(
    client_as, admin_user, organizer_paris, both_cities, paris_11e
):
    blast = draft(admin_user, both_cities, territory=paris_11e)
    page = client_as(organizer_paris).get(reverse("sms:detail", args=[blast.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bonjour Hugo" in text
    assert "Garnier" not in text and "Léa" not in text
    assert page.context["recipients"] == 1


def test_a_test_text_uses_one_of_the_senders_own_people(
    admin_user, organizer_paris, both_cities, paris_11e
):
    blast = draft(admin_user, both_cities, territory=paris_11e)
    blast_send_test(blast=blast, actor=organizer_paris, to="06 11 22 33 44")
    assert Message.objects.get().body.startswith("[TEST] Bonjour Hugo")


def test_an_organizer_cannot_give_a_blast_to_another_territory(
    client_as, organizer_paris, both_cities, lyon_1er
):
    response = client_as(organizer_paris).post(
        reverse("sms:new"),
        {"name": "x", "territory": lyon_1er.pk, "segment": both_cities.pk, "body": "Salut"},
    )
    assert response.status_code == 200
    assert not Blast.objects.exists()


def test_an_organizer_cannot_leave_a_blast_to_the_whole_campaign(organizer_paris, both_cities):
    from campaign.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        draft(organizer_paris, both_cities, territory=None)
    assert not Blast.objects.exists()


def test_an_organizers_new_blast_is_their_territorys(
    client_as, organizer_paris, both_cities, paris_11e
):
    client = client_as(organizer_paris)
    form = client.get(reverse("sms:new")).context["form"]
    assert form["territory"].value() == paris_11e.pk
    client.post(
        reverse("sms:new"),
        {"name": "x", "territory": paris_11e.pk, "segment": both_cities.pk, "body": "Salut"},
    )
    assert Blast.objects.get().territory == paris_11e


def test_an_admin_may_leave_a_blast_to_the_whole_campaign(client_as, admin_user, both_cities):
    client_as(admin_user).post(
        reverse("sms:new"), {"name": "x", "territory": "", "segment": both_cities.pk, "body": "Hi"}
    )
    assert Blast.objects.get().territory is None


# Peer-to-peer texting


@pytest.fixture
def run(django_capture_on_commit_callbacks, eager_tasks):
    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def texting(actor, segment, *, territory=None, starter=None, run) -> P2PCampaign:
    Tag.objects.get_or_create(name="Voisin")
    campaign = p2p_services.p2p_campaign_save(
        actor=actor,
        name="Relance",
        segment=segment,
        script="Bonjour {prenom}",
        territory=territory,
        tags=list(Tag.objects.all()),
        questions=[{"text": "Vient ?", "choices": "Oui\nNon"}],
    )
    run(p2p_services.p2p_campaign_start, campaign=campaign, actor=starter or actor)
    return campaign


def assign_url(campaign: P2PCampaign) -> str:
    return reverse("sms:p2p_action", args=[campaign.pk, "assign"])


def test_an_organizer_cannot_hand_themself_the_whole_campaigns_conversations(
    client_as, admin_user, organizer_paris, both_cities, run
):
    campaign = texting(admin_user, both_cities, run=run)
    response = client_as(organizer_paris).post(
        assign_url(campaign), {"volunteer": organizer_paris.pk, "count": 5000}
    )
    assert response.status_code == 404
    assert not Conversation.objects.filter(volunteer__isnull=False).exists()


def test_an_organizer_hands_out_only_people_of_their_territories(
    client_as, admin_user, organizer_paris, both_cities, paris_11e, paris_contact, run
):
    # Written by an admin, with both cities' people: Paris's campaign all the same.
    campaign = texting(admin_user, both_cities, territory=paris_11e, run=run)
    assert Conversation.objects.filter(campaign=campaign).count() == 2
    client_as(organizer_paris).post(
        assign_url(campaign), {"volunteer": organizer_paris.pk, "count": 5000}
    )
    held = Conversation.objects.filter(volunteer=organizer_paris)
    assert list(held.values_list("contact_id", flat=True)) == [paris_contact.pk]


def test_a_campaign_an_organizer_starts_talks_to_their_people_only(
    admin_user, organizer_paris, both_cities, paris_11e, paris_contact, run
):
    campaign = texting(
        admin_user, both_cities, territory=paris_11e, starter=organizer_paris, run=run
    )
    people = Conversation.objects.filter(campaign=campaign).values_list("contact_id", flat=True)
    assert list(people) == [paris_contact.pk]


@pytest.mark.parametrize("action", ["start", "close", "assign"])
def test_an_organizer_cannot_act_on_another_territorys_texting_campaign(
    client_as, organizer_lyon, organizer_paris, both_cities, lyon_1er, run, action
):
    campaign = p2p_services.p2p_campaign_save(
        actor=organizer_lyon, name="Lyon", segment=both_cities, script="Salut", territory=lyon_1er
    )
    response = client_as(organizer_paris).post(
        reverse("sms:p2p_action", args=[campaign.pk, action]),
        {"volunteer": organizer_paris.pk, "count": 10},
    )
    assert response.status_code == 404
    assert P2PCampaign.objects.get(pk=campaign.pk).status == "draft"
    assert not Conversation.objects.exists()


def test_an_organizer_cannot_edit_another_territorys_texting_campaign(
    client_as, organizer_lyon, organizer_paris, both_cities, lyon_1er
):
    campaign = p2p_services.p2p_campaign_save(
        actor=organizer_lyon, name="Lyon", segment=both_cities, script="Salut", territory=lyon_1er
    )
    client = client_as(organizer_paris)
    assert client.get(reverse("sms:p2p_edit", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("sms:p2p_detail", args=[campaign.pk])).status_code == 404
    response = client.post(
        reverse("sms:p2p_edit", args=[campaign.pk]),
        {"name": "Paris", "segment": both_cities.pk, "script": "Coucou", "batch_size": 5},
    )
    assert response.status_code == 404
    assert P2PCampaign.objects.get(pk=campaign.pk).name == "Lyon"
    assert "Lyon" not in client.get(reverse("sms:p2p_list")).content.decode()


@pytest.fixture
def lyon_person_in_paris_campaign(admin_user, both_cities, paris_11e, lyon_contact, run, volunteer):
    """A Paris campaign an admin started, whose Lyon person is held by a volunteer and has
    been sent the opening."""
    campaign = texting(admin_user, both_cities, territory=paris_11e, run=run)
    conversation = Conversation.objects.get(campaign=campaign, contact=lyon_contact)
    Conversation.objects.filter(pk=conversation.pk).update(volunteer=volunteer)
    conversation.refresh_from_db()
    run(p2p_services.conversation_open, conversation=conversation, actor=volunteer)
    return Conversation.objects.get(pk=conversation.pk)


def conversation_posts(conversation, other):
    question = conversation.campaign.questions.get()
    return {
        "reply": {"action": "reply", "key": "k1", "body": "Coucou"},
        "record": {"action": "record", f"q{question.pk}": "Oui", "tags": ["Voisin"]},
        "opt_out": {"action": "opt_out"},
        "reassign": {"action": "reassign", "volunteer": other.pk},
    }


def nothing_happened_to(conversation, holder) -> bool:
    now = Conversation.objects.get(pk=conversation.pk)
    return (
        now.status == "open"
        and now.volunteer == holder
        and Message.objects.filter(conversation=conversation).count() == 1  # the opening
        and not SurveyAnswer.objects.exists()
        and not conversation.contact.tags.exists()
        and not OptOut.objects.exists()
    )


@pytest.mark.parametrize("action", ["reply", "record", "opt_out", "reassign"])
def test_an_organizer_cannot_act_on_a_conversation_of_a_campaign_not_theirs(
    client_as, organizer_lyon, lyon_person_in_paris_campaign, volunteer, action
):
    # The person is Lyon's, but the campaign is Paris's: Lyon's organizer does not run it.
    conversation = lyon_person_in_paris_campaign
    url = reverse("sms:conversation", args=[conversation.pk])
    data = conversation_posts(conversation, organizer_lyon)[action]
    response = client_as(organizer_lyon).post(url, data)
    assert response.status_code == 404
    assert nothing_happened_to(conversation, volunteer)


@pytest.mark.parametrize("action", ["reply", "record", "opt_out", "reassign"])
def test_an_organizer_cannot_act_on_a_conversation_with_someone_outside_their_territory(
    client_as, organizer_paris, lyon_person_in_paris_campaign, volunteer, action
):
    conversation = lyon_person_in_paris_campaign
    url = reverse("sms:conversation", args=[conversation.pk])
    data = conversation_posts(conversation, organizer_paris)[action]
    response = client_as(organizer_paris).post(url, data)
    assert response.status_code == 404
    assert nothing_happened_to(conversation, volunteer)


@pytest.mark.parametrize("action", ["reply", "record", "opt_out", "reassign"])
def test_a_volunteer_cannot_act_on_a_conversation_not_handed_to_them(
    client_as, lyon_person_in_paris_campaign, volunteer, action
):
    conversation = lyon_person_in_paris_campaign
    other = User.objects.create_user(username="ines", password="x" * 12)
    url = reverse("sms:conversation", args=[conversation.pk])
    response = client_as(other).post(url, conversation_posts(conversation, other)[action])
    assert response.status_code == 404
    assert nothing_happened_to(conversation, volunteer)


def test_an_organizer_cannot_take_over_the_whole_campaigns_conversations_from_the_inbox(
    client_as, admin_user, organizer_paris, both_cities, paris_contact, volunteer, run
):
    campaign = texting(admin_user, both_cities, run=run)  # the whole campaign's
    conversation = Conversation.objects.get(campaign=campaign, contact=paris_contact)
    Conversation.objects.filter(pk=conversation.pk).update(volunteer=volunteer)
    conversation.refresh_from_db()
    run(p2p_services.conversation_open, conversation=conversation, actor=volunteer)
    client_as(organizer_paris).post(
        reverse("sms:p2p_inbox"),
        {"conversations": [conversation.pk], "volunteer": organizer_paris.pk},
    )
    assert Conversation.objects.get(pk=conversation.pk).volunteer == volunteer


def test_an_organizer_joining_a_campaign_as_a_texter_gets_only_their_people(
    client_as, admin_user, organizer_paris, both_cities, paris_contact, run
):
    campaign = texting(admin_user, both_cities, run=run)  # the whole campaign's, open to all
    client_as(organizer_paris).post(reverse("sms:mission_more", args=[campaign.pk]))
    held = Conversation.objects.filter(volunteer=organizer_paris)
    assert list(held.values_list("contact_id", flat=True)) == [paris_contact.pk]


# Opt-outs gathered elsewhere


def test_an_organizers_opt_out_list_leaves_people_outside_their_territory_alone(
    client_as, organizer_paris, lyon_contact, paris_contact
):
    agree_to_texts(lyon_contact, paris_contact)
    csv = "telephone\n06 12 34 56 78\n07 98 76 54 32\n"  # Léa (Lyon), Hugo (Paris)
    page = client_as(organizer_paris).post(
        reverse("sms:optouts"),
        {"file": SimpleUploadedFile("stop.csv", csv.encode()), "source": "36180"},
    )
    # No bulk text goes to either number, whoever sends it...
    assert OptOut.objects.count() == 2
    # ...but the Lyon person's record is not Paris's to change, nor to count.
    assert Consent.objects.get(contact=lyon_contact, channel="sms").status == "granted"
    assert Consent.objects.get(contact=paris_contact, channel="sms").status == "withdrawn"
    assert page.context["report"].contacts == 1
    assert page.context["report"].added is None
