"""A petition belongs to a territory (or to the whole campaign): its territory's organizers
and the administrators change it; another territory's organizer gets a 404 and changes
nothing; organizers read the whole campaign's petitions, cut to their own signers."""

import pytest
from django.urls import reverse

from actions.petitions.models import Petition, Signature
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def petition(territory, slug="piscine", **fields) -> Petition:
    return PetitionFactory(slug=slug, title="Sauvons la piscine", territory=territory, **fields)


def form(**overrides) -> dict:
    return {
        "title": "Une autre piscine",
        "text": "Autre texte.",
        "goal": "10",
        "next_step": "share",
        "data_controller": "Nous",
        **overrides,
    }


def unchanged(p: Petition) -> tuple:
    fresh = Petition.objects.get(pk=p.pk)
    return (fresh.title, fresh.status, fresh.territory_id)


def test_an_organizer_cannot_edit_another_territorys_petition(client_as, organizer_paris, lyon_1er):
    lyon = petition(lyon_1er)
    before = unchanged(lyon)
    client = client_as(organizer_paris)
    assert client.get(reverse("petitions:staff_edit", args=[lyon.pk])).status_code == 404
    response = client.post(reverse("petitions:staff_edit", args=[lyon.pk]), form())
    assert response.status_code == 404
    assert unchanged(lyon) == before


def test_an_organizer_cannot_close_another_territorys_petition(
    client_as, organizer_paris, lyon_1er
):
    lyon = petition(lyon_1er)
    response = client_as(organizer_paris).post(
        reverse("petitions:staff_status", args=[lyon.pk]), {"status": "closed"}
    )
    assert response.status_code == 404
    assert unchanged(lyon) == ("Sauvons la piscine", "published", lyon_1er.pk)


def test_another_territorys_petition_is_not_even_shown(client_as, organizer_paris, lyon_1er):
    lyon = petition(lyon_1er)
    client = client_as(organizer_paris)
    assert client.get(reverse("petitions:staff_detail", args=[lyon.pk])).status_code == 404
    assert lyon not in client.get(reverse("petitions:staff_list")).context["petitions"]


def test_an_organizer_reads_a_whole_campaign_petition_but_cannot_change_it(
    client_as, organizer_lyon
):
    national = petition(None)
    client = client_as(organizer_lyon)
    page = client.get(reverse("petitions:staff_detail", args=[national.pk]))
    assert page.status_code == 200
    assert reverse("petitions:staff_edit", args=[national.pk]) not in page.content.decode()
    assert client.post(reverse("petitions:staff_edit", args=[national.pk]), form()).status_code == (
        404
    )
    assert client.post(
        reverse("petitions:staff_status", args=[national.pk]), {"status": "archived"}
    ).status_code == (404)
    assert unchanged(national) == ("Sauvons la piscine", "published", None)


def test_an_organizer_changes_their_own_territorys_petition(client_as, organizer_lyon, lyon_1er):
    lyon = petition(lyon_1er)
    client = client_as(organizer_lyon)
    response = client.post(
        reverse("petitions:staff_edit", args=[lyon.pk]), form(territory=lyon_1er.pk)
    )
    assert response.status_code == 302
    client.post(reverse("petitions:staff_status", args=[lyon.pk]), {"status": "closed"})
    assert unchanged(lyon) == ("Une autre piscine", "closed", lyon_1er.pk)


def test_a_new_petition_is_offered_the_organizers_territories_and_defaults_to_theirs(
    client_as, organizer_lyon, lyon_1er, paris_11e
):
    page = client_as(organizer_lyon).get(reverse("petitions:staff_new"))
    field = page.context["form"]["territory"]
    assert list(field.field.queryset) == [lyon_1er]
    assert field.value() == lyon_1er.pk


def test_an_organizer_cannot_give_a_petition_to_another_territory(
    client_as, organizer_lyon, paris_11e
):
    client = client_as(organizer_lyon)
    response = client.post(reverse("petitions:staff_new"), form(territory=paris_11e.pk))
    assert response.status_code == 200  # the form, with the error
    assert not Petition.objects.exists()


def test_an_organizer_cannot_make_a_whole_campaign_petition(client_as, organizer_lyon):
    response = client_as(organizer_lyon).post(reverse("petitions:staff_new"), form(territory=""))
    assert response.status_code == 200
    assert not Petition.objects.exists()


def test_an_admin_changes_a_whole_campaign_petition(client_as, admin_user):
    national = petition(None)
    client = client_as(admin_user)
    response = client.post(reverse("petitions:staff_edit", args=[national.pk]), form(territory=""))
    assert response.status_code == 302
    assert unchanged(national) == ("Une autre piscine", "published", None)


def test_the_service_refuses_an_organizer_outside_the_petitions_territory(
    organizer_paris, lyon_1er
):
    from actions.petitions.services import petition_set_status
    from campaign.exceptions import ApplicationError

    lyon = petition(lyon_1er)
    with pytest.raises(ApplicationError):
        petition_set_status(petition=lyon, status="closed", actor=organizer_paris)
    assert unchanged(lyon) == ("Sauvons la piscine", "published", lyon_1er.pk)


def test_a_whole_campaign_petitions_signers_are_cut_to_the_organizers_scope(
    client_as, organizer_lyon, lyon_contact, paris_contact
):
    national = petition(None)
    for contact in (lyon_contact, paris_contact):
        Signature.objects.create(
            petition=national, contact=contact, confirmed_at=contact.created_at
        )
    page = client_as(organizer_lyon).get(reverse("petitions:staff_detail", args=[national.pk]))
    assert [s.contact for s in page.context["stats"].latest] == [lyon_contact]
