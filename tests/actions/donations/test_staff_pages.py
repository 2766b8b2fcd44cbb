"""The staff's donations pages: the reports name providers and payments in words, the list
is filtered by page, status, payment and period (its figures following), and fundraising
pages are made and changed in Terrain by their territory's staff, as in the Django admin."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.donations import services
from actions.donations.models import Donation, Drive
from tests.factories import DriveFactory, EntityFactory

pytestmark = pytest.mark.django_db

NNBSP, NBSP = "\u202f", "\u00a0"


def gift(contact, cents, *, method="cheque", on=date(2026, 6, 1), drive=None, **stored):
    """A gift recorded by hand (paid, with its receipt), from `drive`'s page when given."""
    return services.donation_record(
        entity=drive.entity if drive else EntityFactory(),
        contact=contact,
        amount_cents=cents,
        method=method,
        received_on=on,
        natural_person=True,
        french_or_resident=True,
        online=False,
        stored={"drive": drive} if drive else None,
        **stored,
    ).donation


def listing(client, **filters):
    return client.get(reverse("donations:list"), filters)


# The report by provider


def test_the_report_by_provider_names_providers_and_payments_in_words(
    client_as, admin_user, lyon_contact
):
    gift(lyon_contact, 3_500, method="card", provider="fake_card", provider_txn_id="fake_1")
    gift(lyon_contact, 2_000, method="transfer", provider="helloasso", provider_txn_id="h-1")
    client = client_as(admin_user)
    french = listing(client).content.decode()
    assert "Page de carte de test · Carte" in french
    assert "HelloAsso · Virement" in french
    assert "fake_card" not in french and "· card" not in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = listing(client).content.decode()
    assert "Test card page · Card" in english and "HelloAsso · Transfer" in english


# Filters


@pytest.fixture
def drive(db, lyon_1er):
    return DriveFactory(territory=lyon_1er)


@pytest.fixture
def gifts(drive, lyon_contact):
    """From the page: 35 € by card in June, 50 € by cheque in July (pledged, not paid);
    by hand: 20 € by transfer in August."""
    card = gift(lyon_contact, 3_500, method="card", on=date(2026, 6, 10), drive=drive)
    cheque = gift(lyon_contact, 5_000, on=date(2026, 7, 10), drive=drive)
    Donation.objects.filter(pk=cheque.pk).update(status=Donation.Status.PLEDGED)
    by_hand = gift(lyon_contact, 2_000, method="transfer", on=date(2026, 8, 10))
    return {"card": card, "cheque": cheque, "by_hand": by_hand}


def listed(response) -> set[int]:
    return {d.pk for d in response.context["page"].items}


def test_the_list_narrows_to_a_page_and_its_figures_follow(client_as, admin_user, drive, gifts):
    response = listing(client_as(admin_user), drive=drive.pk)
    assert listed(response) == {gifts["card"].pk, gifts["cheque"].pk}
    summary = response.context["summary"]
    assert (summary["count"], summary["total"]) == (1, 3_500)  # the pledge is not money yet
    page = response.content.decode()
    assert f"35,00{NBSP}€" in page and "1–2 sur 2" in page


def test_the_list_narrows_to_gifts_from_no_page(client_as, admin_user, gifts):
    response = listing(client_as(admin_user), drive="none")
    assert listed(response) == {gifts["by_hand"].pk}
    assert response.context["summary"]["total"] == 2_000


def test_the_list_narrows_to_a_status_and_a_payment(client_as, admin_user, gifts):
    client = client_as(admin_user)
    assert listed(listing(client, status="pledged")) == {gifts["cheque"].pk}
    assert listed(listing(client, method="transfer")) == {gifts["by_hand"].pk}
    both = listing(client, status="paid", method="card")
    assert listed(both) == {gifts["card"].pk}
    assert both.context["summary"]["total"] == 3_500


def test_the_list_narrows_to_a_period_and_its_reports_follow(client_as, admin_user, gifts):
    response = listing(client_as(admin_user), received_from="2026-07-01", received_to="2026-08-31")
    assert listed(response) == {gifts["cheque"].pk, gifts["by_hand"].pk}
    assert response.context["summary"]["total"] == 2_000
    assert [row["kept"] for row in response.context["report"]["by_provider"]] == [2_000]


def test_a_period_that_ends_before_it_starts_is_said_and_nothing_is_hidden(
    client_as, admin_user, gifts
):
    response = listing(client_as(admin_user), received_from="2026-08-01", received_to="2026-07-01")
    assert "La période se termine avant de commencer." in response.content.decode()
    assert len(listed(response)) == 3


def test_a_page_out_of_reach_is_not_a_filter(client_as, organizer_paris, drive, gifts):
    """Lyon's page is not offered to Paris's organizer; asked for by hand, it is refused."""
    client = client_as(organizer_paris)
    response = listing(client)
    assert str(drive.pk) not in dict(response.context["form"].fields["drive"].choices)
    refused = listing(client, drive=drive.pk)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert listed(refused) == set()  # Paris's organizer sees none of Léa's gifts anyway


def test_filters_stay_within_the_staff_members_people(
    client_as, organizer_paris, lyon_contact, paris_contact
):
    national = DriveFactory(slug="national", territory=None)
    hugo = gift(paris_contact, 1_000, on=date(2026, 6, 12), drive=national)
    gift(lyon_contact, 9_000, drive=national)  # Léa's, out of Paris's organizer's scope
    response = listing(client_as(organizer_paris), drive=national.pk)
    assert listed(response) == {hugo.pk}
    assert response.context["summary"]["total"] == 1_000


def test_no_gift_matching_the_filters_says_so_with_a_way_back(client_as, admin_user, gifts):
    response = listing(client_as(admin_user), method="cash")
    page = response.content.decode()
    assert "Aucun don ne correspond à ces filtres." in page
    assert 'href="/donations/">Réinitialiser les filtres' in page
    assert "Aucun don pour l" not in page


def test_the_next_page_keeps_the_filters(client_as, admin_user, lyon_contact):
    entity = EntityFactory()
    Donation.objects.bulk_create(
        Donation(
            entity=entity,
            contact=lyon_contact,
            amount_cents=1_000,
            method=method,
            status=Donation.Status.PAID,
            received_on=date(2026, 6, 1) + timedelta(days=i % 20),
        )
        for i in range(60)
        for method in ("cheque", "card")
    )
    client = client_as(admin_user)
    first = listing(client, method="cheque")
    page = first.content.decode()
    assert "1–50 sur 60" in page
    next_link = re.search(r'<a rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "method=cheque" in next_link and "page=2" in next_link
    second = client.get(reverse("donations:list") + next_link)
    assert len(second.context["page"].items) == 10
    assert {d.method for d in second.context["page"].items} == {"cheque"}
    assert second.context["summary"]["count"] == 60


# Fundraising pages, made in Terrain


def page_form(entity, **changes):
    return {
        "title": "Financez la campagne de Lyon",
        "slug": "",
        "entity": entity.pk,
        "story": "Chaque don **compte**.",
        "goal": "10 000,50",
        "suggested": "50 20 35,50",
        "monthly": "on",
        "status": "published",
        "territory": "",
        **changes,
    }


def test_the_donations_page_leads_to_the_fundraising_pages(client_as, organizer_lyon):
    page = client_as(organizer_lyon).get(reverse("donations:list")).content.decode()
    assert f'href="{reverse("donations:drives")}"' in page


def test_an_organizer_makes_a_fundraising_page_for_their_territory(
    client_as, organizer_lyon, lyon_1er
):
    entity = EntityFactory()
    client = client_as(organizer_lyon)
    assert client.get(reverse("donations:drive_new")).status_code == 200
    response = client.post(reverse("donations:drive_new"), page_form(entity, territory=lyon_1er.pk))
    assert response.status_code == 302
    drive = Drive.objects.get()
    assert drive.slug == "financez-la-campagne-de-lyon"  # made from the title
    assert (drive.goal_cents, drive.suggested_cents) == (1_000_050, [2_000, 3_550, 5_000])
    assert drive.territory == lyon_1er and drive.entity == entity and drive.monthly
    public = client.get(reverse("donations:page", args=[drive.slug])).content.decode()
    assert f"10{NNBSP}000,50{NBSP}€" in public and f"35,50{NBSP}€" in public
    listed_pages = client.get(reverse("donations:drives")).content.decode()
    assert "Financez la campagne de Lyon" in listed_pages
    assert reverse("donations:drive_edit", args=[drive.pk]) in listed_pages


def test_staff_change_a_page_and_see_its_amounts_as_they_typed_them(
    client_as, organizer_lyon, drive
):
    client = client_as(organizer_lyon)
    url = reverse("donations:drive_edit", args=[drive.pk])
    form = client.get(url).context["form"]
    assert form["goal"].value() == "10000"
    changes = page_form(drive.entity, slug="lyon-2026", goal="12500", status="closed")
    changes["territory"] = drive.territory_id
    assert client.post(url, changes).status_code == 302
    drive.refresh_from_db()
    assert (drive.slug, drive.goal_cents, drive.status) == ("lyon-2026", 1_250_000, "closed")


def test_a_page_address_is_unique(client_as, admin_user, drive):
    response = client_as(admin_user).post(
        reverse("donations:drive_new"), page_form(drive.entity, slug=drive.slug)
    )
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert Drive.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"goal": "0"}, "goal", "L’objectif doit être supérieur à zéro."),
        ({"goal": "dix mille"}, "goal", "Ce montant est illisible."),
        ({"suggested": "20 trente"}, "suggested", "« trente » n’est pas un montant lisible."),
        ({"suggested": "20 0"}, "suggested", "Chaque montant doit être supérieur à zéro."),
        ({"suggested": "1 2 3 4 5 6 7"}, "suggested", "Au plus 6 montants"),
        ({"suggested": "20 5000"}, "suggested", f"Au-delà de 4{NNBSP}600,00{NBSP}€"),
    ],
)
def test_amounts_that_cannot_be_taken_are_refused_with_the_reason(
    client_as, admin_user, changes, field, message
):
    response = client_as(admin_user).post(
        reverse("donations:drive_new"), page_form(EntityFactory(), **changes)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Drive.objects.exists()


def test_a_party_may_suggest_up_to_its_own_cap(client_as, admin_user):
    party = EntityFactory(name="Parti", kind="party")
    response = client_as(admin_user).post(
        reverse("donations:drive_new"), page_form(party, suggested="5000 7500")
    )
    assert response.status_code == 302
    assert Drive.objects.get().suggested_cents == [500_000, 750_000]


def test_a_page_with_gifts_keeps_its_entity(client_as, admin_user, drive, lyon_contact):
    gift(lyon_contact, 3_500, drive=drive)
    other = EntityFactory(name="Parti", kind="party")
    response = client_as(admin_user).post(
        reverse("donations:drive_edit", args=[drive.pk]),
        page_form(other, territory=drive.territory_id),
    )
    assert response.status_code == 200
    assert "Garnier 2026" in " ".join(response.context["form"].errors["entity"])
    drive.refresh_from_db()
    assert drive.entity.name == "Garnier 2026"


def test_an_organizer_gives_a_page_none_but_their_own_territories(
    client_as, organizer_lyon, paris_11e
):
    client = client_as(organizer_lyon)
    entity = EntityFactory()
    elsewhere = client.post(
        reverse("donations:drive_new"), page_form(entity, territory=paris_11e.pk)
    )
    assert elsewhere.status_code == 200 and "territory" in elsewhere.context["form"].errors
    assert not Drive.objects.exists()


def test_only_a_pages_owners_change_it(
    client_as, organizer_lyon, organizer_paris, admin_user, drive
):
    national = DriveFactory(slug="national", title="Campagne nationale", territory=None)
    url = reverse("donations:drive_edit", args=[drive.pk])
    assert client_as(organizer_paris).get(url).status_code == 404
    assert client_as(organizer_paris).post(url, page_form(drive.entity)).status_code == 404
    national_url = reverse("donations:drive_edit", args=[national.pk])
    assert client_as(organizer_lyon).get(national_url).status_code == 404
    assert client_as(admin_user).get(national_url).status_code == 200
    pages = client_as(organizer_lyon).get(reverse("donations:drives")).content.decode()
    assert "Campagne nationale" in pages  # read, as on the site
    assert national_url not in pages  # but not changed


def test_the_pages_list_shows_what_each_page_raised(client_as, admin_user, drive, lyon_contact):
    gift(lyon_contact, 3_500, drive=drive)
    page = client_as(admin_user).get(reverse("donations:drives")).content.decode()
    assert f"35,00{NBSP}€" in page and f"10{NNBSP}000,00{NBSP}€" in page


def test_volunteers_do_not_reach_the_pages(client_as, volunteer, drive):
    client = client_as(volunteer)
    assert client.get(reverse("donations:drives")).status_code == 403
    assert client.post(reverse("donations:drive_new"), {}).status_code == 403
    assert client.get(reverse("donations:drive_edit", args=[drive.pk])).status_code == 403


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: dict[str, list[str]] = {}
        self.inputs: dict[str, dict[str, str]] = {}
        self.labelled: set[str] = set()

    def handle_starttag(self, tag, attrs):
        named = {k: v or "" for k, v in attrs}
        if "id" in named:
            self.ids.add(named["id"])
        if "aria-describedby" in named:
            self.described[named.get("name", tag)] = named["aria-describedby"].split()
        if tag in ("input", "select", "textarea") and named.get("type") != "hidden":
            self.inputs[named["name"]] = named
        if tag == "label" and "for" in named:
            self.labelled.add(named["for"])


def test_the_page_form_is_accessible(client_as, admin_user, drive):
    """Each field has its label; each help text and error a field is described by exists;
    the amounts open a keypad with a decimal mark."""
    client = client_as(admin_user)
    for response in (
        client.get(reverse("donations:drive_edit", args=[drive.pk])),
        client.post(reverse("donations:drive_new"), {"goal": "x", "suggested": "y"}),
    ):
        ids = Ids()
        ids.feed(response.content.decode())
        assert ids.described, "no field is described by its help text"
        for name, targets in ids.described.items():
            assert set(targets) <= ids.ids, f"{name} points at {targets}"
        for name, attrs in ids.inputs.items():
            if attrs.get("type") != "checkbox":
                assert attrs["id"] in ids.labelled, f"{name} has no label"
        assert ids.inputs["goal"]["inputmode"] == "decimal"
        assert ids.inputs["suggested"]["inputmode"] == "decimal"
        assert "goal" in ids.described and "slug" in ids.described


def test_the_pages_of_ones_territories_are_offered_as_filters(client_as, organizer_lyon, drive):
    response = client_as(organizer_lyon).get(reverse("donations:list"))
    assert (str(drive.pk), drive.title) in response.context["form"].fields["drive"].choices


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_take_the_same_number_of_queries_however_many_gifts_and_pages(
    client_as, organizer_lyon, drive, lyon_contact
):
    client = client_as(organizer_lyon)
    filtered = reverse("donations:list") + f"?drive={drive.pk}&status=paid"
    gift(lyon_contact, 1_000, drive=drive)
    few = queries_for(client, filtered), queries_for(client, reverse("donations:drives"))
    for n in range(5):
        gift(lyon_contact, 1_000 + n, method="card", drive=drive)
        DriveFactory(slug=f"page-{n}", territory=drive.territory)
    many = queries_for(client, filtered), queries_for(client, reverse("donations:drives"))
    assert many == few
