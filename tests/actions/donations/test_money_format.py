"""Money reads the way each language writes it, on every page: "6 050,00 €" in French (a
narrow no-break space between thousands, a no-break space before the sign), "€6,050.00" in
English; the rows and the totals of the donations page agree."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from actions.donations import services
from actions.sms.models import Blast
from campaign.money import money_format, money_input, money_parse
from contacts import services as contact_services
from contacts.funnel.summaries import funnel_refresh
from contacts.models import Segment, SegmentMember, Source
from tests.factories import EntityFactory

NNBSP, NBSP = "\u202f", "\u00a0"


def rendered(template: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load money %}" + template).render(Context(context))


@pytest.mark.parametrize(
    ("cents", "french", "english"),
    [
        (1_000, f"10,00{NBSP}€", "€10.00"),
        (605_000, f"6{NNBSP}050,00{NBSP}€", "€6,050.00"),
        (123_456_789, f"1{NNBSP}234{NNBSP}567,89{NBSP}€", "€1,234,567.89"),
        (5, f"0,05{NBSP}€", "€0.05"),
        (0, f"0,00{NBSP}€", "€0.00"),
        (-2_550, f"-25,50{NBSP}€", "-€25.50"),
    ],
)
def test_the_money_filter_writes_amounts_in_french_and_in_english(cents, french, english):
    assert rendered("{{ cents|money }}", "fr", cents=cents) == french
    assert rendered("{{ cents|money }}", "en", cents=cents) == english


def test_a_sum_over_no_rows_is_zero():
    assert rendered("{{ nothing|money }}", "fr", nothing=None) == f"0,00{NBSP}€"


def test_an_amount_kept_in_euros_says_so_and_is_rounded_to_the_cent():
    cost = Decimal("1234.5678")  # an SMS blast's estimate: a price per segment times many
    assert rendered('{{ cost|money:"euros" }}', "fr", cost=cost) == f"1{NNBSP}234,57{NBSP}€"
    assert rendered('{{ cost|money:"euros" }}', "en", cost=cost) == "€1,234.57"


def test_a_round_amount_on_a_button_leaves_out_its_cents():
    assert money_format(3_500, language="fr", whole=True) == f"35{NBSP}€"
    assert money_format(3_500, language="en", whole=True) == "€35"
    assert money_format(3_550, language="en", whole=True) == "€35.50"


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        money_format(10.5)


@pytest.mark.parametrize(
    ("typed", "language", "cents"),
    [
        ("35", "fr", 3_500),
        ("35,50", "fr", 3_550),
        ("35.50", "fr", 3_550),
        (f"1{NNBSP}250,5 €", "fr", 125_050),
        ("35.50", "en", 3_550),
        ("1,250.50", "en", 125_050),
        ("€1,250", "en", 125_000),
    ],
)
def test_an_amount_typed_reads_as_the_language_writes_it(typed, language, cents):
    assert money_parse(typed, language=language) == cents


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "12,345", "1e3x", "NaN"])
def test_an_amount_that_is_not_one_is_refused_in_french(typed):
    with pytest.raises(ValueError):
        money_parse(typed, language="fr")


def test_an_amount_to_edit_reads_back_as_typed():
    assert money_input(1_000_000, language="fr") == "10000"
    assert money_input(3_550, language="fr") == "35,50"
    assert money_input(3_550, language="en") == "35.50"


@pytest.fixture
def gifts(db, lyon_contact, paris_contact):
    """Léa gave 10 € by card and 1,440 € by cheque, Hugo 4,600 € by transfer: 6,050 €."""
    entity = EntityFactory()
    for contact, cents, method in (
        (lyon_contact, 1_000, "card"),
        (lyon_contact, 144_000, "cheque"),
        (paris_contact, 460_000, "transfer"),
    ):
        services.donation_record(
            entity=entity,
            contact=contact,
            amount_cents=cents,
            method=method,
            received_on=date(2026, 6, 1),
            natural_person=True,
            french_or_resident=True,
            online=False,
        )


def test_the_donations_page_writes_rows_and_totals_alike_in_french(client_as, admin_user, gifts):
    page = client_as(admin_user).get(reverse("donations:list")).content.decode()
    assert f"10,00{NBSP}€" in page  # a row, which read "10.00 €"
    assert f"1{NNBSP}440,00{NBSP}€" in page and f"4{NNBSP}600,00{NBSP}€" in page
    assert f"6{NNBSP}050,00{NBSP}€" in page  # the total
    assert "10.00 €" not in page


def test_the_donations_page_writes_rows_and_totals_alike_in_english(client_as, admin_user, gifts):
    client = client_as(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("donations:list")).content.decode()
    assert "€10.00" in page and "€1,440.00" in page and "€4,600.00" in page
    assert "€6,050.00" in page
    assert f"10,00{NBSP}€" not in page


def test_a_message_about_a_gift_follows_the_language_too(client_as, admin_user, lyon_contact):
    client = client_as(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("donations:new") + f"?contact={lyon_contact.pk}",
        {
            "entity": EntityFactory().pk,
            "amount": "5000",
            "method": "cheque",
            "kind": "gift",
            "received_on": "2026-11-20",
            "natural_person": "on",
            "french_or_resident": "on",
        },
        follow=True,
    )
    assert "€400.00" in response.content.decode()  # what is to be refunded


def test_a_blasts_estimated_cost_is_written_as_money(client_as, admin_user, lyon_contact, settings):
    """An amount of another app, kept in euros: the SMS blast's estimate before sending."""
    settings.SMS_PRICE_PER_SEGMENT = "1500.0000"  # a price that needs its thousands grouped
    contact_services.consent_set(
        contact=lyon_contact, channel="sms", status="granted", source=Source.MANUAL, actor=None
    )
    segment = Segment.objects.create(name="Léa", is_static=True)
    SegmentMember.objects.create(segment=segment, contact=lyon_contact)
    blast = Blast.objects.create(
        name="Réunion",
        segment=segment,
        body="Réunion jeudi",
        quiet_start=time(0),
        quiet_end=time(0),
    )
    page = client_as(admin_user).get(reverse("sms:detail", args=[blast.pk])).content.decode()
    assert f"1{NNBSP}500,00{NBSP}€" in page


def test_the_home_pages_gifts_are_written_as_money(client_as, admin_user, lyon_contact):
    """The funnel's activity on the staff home page: what was given, with its cents."""
    services.donation_record(
        entity=EntityFactory(),
        contact=lyon_contact,
        amount_cents=123_450,
        method="card",
        received_on=timezone.localdate(),
        natural_person=True,
        french_or_resident=True,
        online=False,
    )
    funnel_refresh(full=True)
    page = client_as(admin_user).get(reverse("home")).content.decode()
    assert f"1{NNBSP}234,50{NBSP}€" in page


@given(cents=st.integers(min_value=0, max_value=10**12), language=st.sampled_from(["fr", "en"]))
def test_an_amount_written_or_shown_to_edit_reads_back_as_the_same_cents(cents, language):
    assert money_parse(money_format(cents, language=language), language=language) == cents
    assert money_parse(money_input(cents, language=language), language=language) == cents
