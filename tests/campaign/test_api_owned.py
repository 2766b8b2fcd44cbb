"""A territory's objects in the API follow campaign.ownership, as on their pages: another
territory's organizer does not see its drafts, blasts, door-to-door campaigns nor segments
(absent from the collections, 404 by their link), and records no gift on its pages."""

from datetime import time

import pytest
from django.utils import timezone

from actions.canvassing.models import CanvassCampaign
from actions.donations.models import Donation, Drive, Entity
from actions.petitions.models import Petition
from actions.sms.models import Blast
from campaign.api.tokens import api_token_create
from contacts.models import Contact, Segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyons(lyon_1er):
    """One of each object Lyon owns, none published."""
    segment = Segment.objects.create(name="Appel Lyon", is_static=True, territory=lyon_1er)
    entity = Entity.objects.create(
        name="Campagne", kind=Entity.Kind.CANDIDATE, election="M", spending_limit_cents=1
    )
    return {
        "petitions": Petition.objects.create(
            slug="eau-lyon", title="Eau à Lyon", text="…", territory=lyon_1er
        ),
        "messages": Blast.objects.create(
            name="Rappel Lyon",
            segment=segment,
            body="Bonjour",
            quiet_start=time(21),
            quiet_end=time(9),
            territory=lyon_1er,
        ),
        "canvassing_efforts": CanvassCampaign.objects.create(
            name="Porte à porte Lyon",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            territory=lyon_1er,
        ),
        "lists": segment,
        "fundraising_pages": Drive.objects.create(
            entity=entity,
            slug="don-lyon",
            title="Lyon",
            story="…",
            goal_cents=100,
            status=Drive.Status.DRAFT,
            territory=lyon_1er,
        ),
    }


def token_of(user) -> dict:
    return {"HTTP_OSDI_API_TOKEN": api_token_create(user=user, name="tests")[1]}


@pytest.mark.parametrize(
    "collection",
    ["petitions", "messages", "canvassing_efforts", "lists", "fundraising_pages"],
)
def test_another_territorys_organizer_does_not_see_its_objects(
    client, lyons, organizer_lyon, organizer_paris, collection
):
    url = f"/api/v1/{collection}"
    item = f"{url}/{lyons[collection].pk}"

    theirs = client.get(url, **token_of(organizer_lyon)).json()
    others = client.get(url, **token_of(organizer_paris)).json()

    assert theirs["total_records"] == 1
    assert others["total_records"] == 0
    assert client.get(item, **token_of(organizer_lyon)).status_code == 200
    assert client.get(item, **token_of(organizer_paris)).status_code == 404


def test_another_territorys_organizer_records_no_gift_on_its_page(
    client, lyons, organizer_paris, paris_contact
):
    page = lyons["fundraising_pages"]
    Drive.objects.filter(pk=page.pk).update(status=Drive.Status.PUBLISHED)

    refused = client.post(
        f"/api/v1/fundraising_pages/{page.pk}/donations",
        {
            "person": {"email_addresses": [{"address": "hugo.lefevre@example.fr"}]},
            "recipients": [{"amount": "10.00"}],
            "payment": {"method": "Check", "reference_number": "c-1"},
        },
        content_type="application/json",
        **token_of(organizer_paris),
    )

    assert refused.status_code == 404
    assert not Donation.objects.exists()
    assert Contact.objects.count() == 1
