"""Signing a petition turns a visitor into a contact, with consents worded exactly as shown."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from actions.petitions.models import Petition, Signature
from contacts.models import Consent, ConsentEvent, Contact
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate limits and counters start at zero for each test


@pytest.fixture
def petition(db):
    return PetitionFactory(
        slug="transports-gratuits",
        title="Des transports gratuits à Lyon",
        target="La Métropole de Lyon",
        text="Nous demandons **la gratuité** des transports.",
        goal=1000,
        questions=[{"label": "Votre ligne de bus ?", "required": False}],
        tags=["pétition transports"],
    )


def sign(client, petition, **overrides):
    data = {
        "first_name": "Léa",
        "last_name": "Garnier",
        "email": "Lea.Garnier@example.fr",
        "phone": "06 12 34 56 78",
        "postal_code": "69001",
        "consent_sms": "on",
        "question_0": "C3",
        "utm_source": "whatsapp",
        "utm_campaign": "lancement",
        **overrides,
    }
    return client.post(
        reverse("petitions:page", args=[petition.slug]),
        data,
        HTTP_REFERER="https://example.org/article",
    )


def test_a_new_visitor_becomes_a_contact_with_consent_tags_and_origin(client, petition):
    response = sign(client, petition)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:thanks", args=[petition.slug])
    contact = Contact.objects.get()
    assert (contact.first_name, contact.source, contact.source_detail) == (
        "Léa",
        "petition",
        petition.title,
    )
    assert contact.emails.get().address == "lea.garnier@example.fr"
    assert contact.phones.get().e164 == "+33612345678"
    assert [t.name for t in contact.tags.all()] == ["pétition transports"]
    event = ConsentEvent.objects.get(contact=contact)
    assert (event.channel, event.status, event.source, event.wording) == (
        "sms",
        "granted",
        "petition",
        petition.consent_sms,
    )
    assert not Consent.objects.filter(
        contact=contact, channel="email"
    ).exists()  # box left unticked
    signature = Signature.objects.get()
    assert (signature.utm_source, signature.utm_campaign) == ("whatsapp", "lancement")
    assert signature.answers == {"Votre ligne de bus ?": "C3"}
    assert signature.referrer == "https://example.org/article"


def test_an_existing_contact_is_found_by_email(client, petition, lyon_contact):
    sign(client, petition, email="LEA.GARNIER@example.fr", phone="", first_name="L.")
    assert Contact.objects.count() == 1
    assert Signature.objects.get().contact == lyon_contact
    lyon_contact.refresh_from_db()
    assert lyon_contact.first_name == "Léa"  # never overwritten


def test_a_known_phone_with_a_new_email_does_not_add_that_email_to_its_owner(
    client, petition, lyon_contact
):
    sign(client, petition, email="autre@example.fr", phone="+33612345678")
    assert Contact.objects.count() == 2
    assert list(lyon_contact.emails.values_list("address", flat=True)) == ["lea.garnier@example.fr"]


def test_signing_twice_changes_nothing(client, petition):
    sign(client, petition)
    sign(client, petition, consent_sms="", phone="")
    assert Signature.objects.count() == 1
    assert ConsentEvent.objects.count() == 1


def test_the_answer_does_not_tell_whether_an_email_had_signed(client, petition):
    first = sign(client, petition)
    again = sign(client, petition, consent_sms="", phone="")
    assert again["Location"] == first["Location"]
    assert client.get(again["Location"]).content == client.get(first["Location"]).content


def test_consent_boxes_are_unticked_and_optional(client, petition):
    page = client.get(reverse("petitions:page", args=[petition.slug])).content.decode()
    assert 'name="consent_sms"' in page and "checked" not in page
    sign(client, petition, consent_sms="")
    assert Signature.objects.count() == 1
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "lea@", "lea@gmial.com"])
def test_a_bad_email_is_explained_next_to_the_field(client, petition, email):
    response = sign(client, petition, email=email)
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert not Signature.objects.exists()


def test_a_typo_in_a_big_provider_gets_a_suggestion(client, petition):
    response = sign(client, petition, email="lea@gmial.com")
    assert "lea@gmail.com" in response.content.decode()


def test_the_honeypot_keeps_bots_out_quietly(client, petition):
    response = sign(client, petition, website="http://spam.example")
    assert response.status_code == 302
    assert not Contact.objects.exists()


def test_a_flood_from_one_address_is_throttled_with_a_message(client, petition, settings):
    settings.PETITION_SIGNATURES_PER_IP_PER_MINUTE = 3
    for i in range(3):
        assert sign(client, petition, email=f"p{i}@example.fr", phone="").status_code == 302
    throttled = sign(client, petition, email="p9@example.fr", phone="")
    assert throttled.status_code == 429
    assert 'class="form-errors"' in throttled.content.decode()
    assert Signature.objects.count() == 3


def test_a_closed_or_draft_petition_takes_no_signature(client, petition):
    petition.status = Petition.Status.CLOSED
    petition.save()
    response = sign(client, petition)
    assert response.status_code == 200
    assert not Signature.objects.exists()
    petition.status = Petition.Status.DRAFT
    petition.save()
    assert client.get(reverse("petitions:page", args=[petition.slug])).status_code == 404


def test_the_page_is_csrf_protected(petition):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert sign(strict, petition).status_code == 403


def test_the_embed_can_be_framed_and_records_it(client, petition):
    page = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert "X-Frame-Options" not in page
    client.post(
        reverse("petitions:embed", args=[petition.slug]),
        {"first_name": "A", "last_name": "B", "email": "ab@example.fr", "postal_code": "69001"},
    )
    assert Signature.objects.get().embedded


def test_the_text_is_rendered_safely(client, petition):
    petition.text = "**Oui** <script>alert(1)</script> [lien](javascript:alert(1))"
    petition.save()
    page = client.get(reverse("petitions:page", args=[petition.slug])).content.decode()
    assert "<strong>Oui</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "javascript:" not in page


def test_the_counter_and_timeline_follow_signatures(client, petition):
    sign(client, petition)
    assert client.get(reverse("petitions:count", args=[petition.slug])).json() == {
        "count": 1,
        "goal": 1000,
    }
    from contacts.timeline import timeline_for

    assert "petition" in [entry.kind for entry in timeline_for(Contact.objects.get())]


def test_a_segment_can_target_signers(admin_user, client, petition, lyon_contact):
    sign(client, petition, email="hugo@example.fr", phone="", first_name="Hugo")
    from contacts.segments.filters import SegmentFilters
    from contacts.segments.selectors import segment_preview_contacts

    filters = SegmentFilters(actions={"signed_petition": {"petition": petition.pk}})
    assert [c.first_name for c in segment_preview_contacts(user=admin_user, filters=filters)] == [
        "Hugo"
    ]


def test_a_merge_keeps_one_signature_per_petition(client, petition, lyon_contact, admin_user):
    sign(client, petition, email="lea2@example.fr", phone="")
    other = Contact.objects.exclude(pk=lyon_contact.pk).get()
    from actions.petitions.services import SignatureInput, petition_sign

    petition_sign(
        petition=petition,
        data=SignatureInput(
            first_name="Léa", last_name="G", email="lea.garnier@example.fr", postal_code="69001"
        ),
    )
    from contacts.dedupe.services import contact_merge

    contact_merge(keep=lyon_contact, drop=other, actor=admin_user)
    assert Signature.objects.filter(contact=lyon_contact).count() == 1


def test_the_organizers_figures_count_per_day_and_source(client, petition, admin_user):
    from django.utils import timezone

    from actions.petitions.selectors import petition_stats
    from contacts.funnel.selectors import Period

    sign(client, petition)
    sign(client, petition, email="hugo@example.fr", phone="", utm_source="")
    today = timezone.localdate()
    stats = petition_stats(petition=petition, user=admin_user, period=Period(None, today))
    assert stats.rows == [(today, 2, 0)]
    assert {(r["utm_source"], r["n"]) for r in stats.per_source} == {("whatsapp", 1), ("", 1)}


def test_organizers_export_signers_they_may_see(client, client_as, petition, organizer_lyon):
    import csv as csvlib
    import io

    from contacts.models import ExportLog

    sign(client, petition, postal_code="69001")
    Contact.objects.update(insee_code="69381")
    sign(client, petition, email="paris@example.fr", phone="", postal_code="75011")
    response = client_as(organizer_lyon).get(reverse("petitions:staff_export", args=[petition.pk]))
    rows = list(
        csvlib.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")))
    )
    assert [r[3] for r in rows[1:]] == ["lea.garnier@example.fr"]
    assert ExportLog.objects.get().row_count == 1


def test_a_fresh_csrf_token_lets_a_visitor_sign_from_a_cached_page(petition):
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)  # no cookie: as if the page came from a cache
    token = visitor.get(reverse("petitions:csrf")).json()["token"]
    response = sign(visitor, petition, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_the_page_rendered_once_is_filled_in_for_each_visitor(petition):
    from django.test import Client

    page = reverse("petitions:page", args=[petition.slug])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(page + "?utm_source=whatsapp").content.decode()
    second_html = second.get(
        page + '?utm_source="><script>alert(1)</script>', HTTP_REFERER="https://example.org/a"
    ).content.decode()
    assert 'name="utm_source" value="whatsapp"' in first_html
    assert "whatsapp" not in second_html
    assert "<script>alert(1)" not in second_html and "&lt;script&gt;" in second_html
    assert 'name="referrer" value="https://example.org/a"' in second_html
    assert "terrain-slot" not in first_html + second_html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second_html).group(1)
    assert sign(second, petition, csrfmiddlewaretoken=token).status_code == 302
    assert Signature.objects.count() == 1
