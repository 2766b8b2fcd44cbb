"""Door to door in the OSDI API: campaigns, their results for people one may see, and the
record_canvass_helper, which records a result the way a phone's sync does."""

import pytest
from django.utils import timezone

from actions.canvassing import services
from actions.canvassing.models import Visit
from campaign.api.tokens import api_token_create
from contacts import services as contact_services
from contacts.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def effort(admin_user, lyon_contact):
    from contacts.models import Contact

    Contact.objects.filter(pk=lyon_contact.pk).update(street="3 rue Terme")  # a door to knock
    campaign = services.canvass_campaign_save(
        actor=admin_user,
        name="Municipales",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    services.canvass_campaign_set_status(campaign=campaign, actor=admin_user, status="active")
    services.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )
    return campaign


@pytest.fixture
def staff(api, admin_user):
    return api(admin_user)


def test_a_result_at_a_person_door_is_recorded_like_a_phone_sync(staff, effort, lyon_contact):
    url = f"/api/v1/canvassing_efforts/{effort.pk}/canvasses"

    made = staff.post(
        url,
        {"person": f"terrain:{lyon_contact.uuid}", "status_code": "talked", "support_level": 5},
        content_type="application/json",
    )

    assert made.status_code == 201, made.json()
    visit = Visit.objects.get()
    assert (visit.contact, visit.result, visit.support_level) == (lyon_contact, "talked", 5)
    assert lyon_contact.stage_events.filter(stage=3).exists()  # support engages
    listed = staff.get(url).json()
    assert listed["total_records"] == 1
    assert staff.get(f"/api/v1/canvassing_efforts/{effort.pk}").json()["total_canvasses"] == 1


def test_a_result_for_someone_off_the_lists_or_with_an_unknown_code_is_refused(
    staff, effort, lyon_contact
):
    stranger = contact_services.contact_create(
        actor=None, source=Source.MANUAL, first_name="Loin", insee_code="13055"
    )
    url = f"/api/v1/canvassing_efforts/{effort.pk}/canvasses"

    off = staff.post(
        url,
        {"person": f"terrain:{stranger.uuid}", "status_code": "talked"},
        content_type="application/json",
    )
    odd = staff.post(
        url,
        {"person": f"terrain:{lyon_contact.uuid}", "status_code": "danced"},
        content_type="application/json",
    )

    assert off.status_code == 400 and "listes" in off.json()["detail"]
    assert odd.status_code == 400 and "danced" in odd.json()["detail"]
    assert not Visit.objects.exists()


def test_messages_are_the_text_blasts_for_staff_only(client, admin_user, volunteer):
    from datetime import time

    from actions.sms.models import Blast
    from contacts.models import Segment

    Blast.objects.create(
        name="Rappel",
        segment=Segment.objects.create(name="Tous"),
        body="Bonjour",
        quiet_start=time(21),
        quiet_end=time(9),
    )
    _t, admin_key = api_token_create(user=admin_user, name="a")
    _t, volunteer_key = api_token_create(user=volunteer, name="v")

    [shown] = client.get("/api/v1/messages", HTTP_OSDI_API_TOKEN=admin_key).json()["_embedded"][
        "osdi:messages"
    ]
    assert (shown["name"], shown["message"], shown["type"]) == ("Rappel", "Bonjour", "sms")
    assert client.get("/api/v1/messages", HTTP_OSDI_API_TOKEN=volunteer_key).status_code == 403


def test_reading_support_levels_leaves_an_audit_row(
    staff, effort, lyon_contact, client_as, admin_user
):
    from django.urls import reverse

    from contacts.models import OpinionView

    url = f"/api/v1/canvassing_efforts/{effort.pk}/canvasses"
    staff.get(url)
    assert not OpinionView.objects.exists()  # nothing shown, nothing to audit
    staff.post(
        url,
        {"person": f"terrain:{lyon_contact.uuid}", "status_code": "talked", "support_level": 2},
        content_type="application/json",
    )

    staff.get(url)
    client_as(admin_user).get(reverse("contacts:detail", args=[lyon_contact.pk]))

    seen = list(OpinionView.objects.order_by("pk").values_list("what", "contact_id_seen", "rows"))
    assert seen == [("API: canvasses", None, 1), ("contact page", lyon_contact.pk, 1)]
    assert OpinionView.objects.filter(actor=admin_user).count() == 2


def test_a_contact_page_without_opinions_leaves_no_audit_row(client_as, admin_user, lyon_contact):
    from django.urls import reverse

    from contacts.models import OpinionView

    client_as(admin_user).get(reverse("contacts:detail", args=[lyon_contact.pk]))

    assert not OpinionView.objects.exists()
