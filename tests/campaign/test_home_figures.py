"""The home page's figures agree with the funnel under them: the people new this week are
those the funnel counts as acquired this week, by first contact, not by when their record
was made; its dates read as French writes them."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from contacts import services
from contacts.funnel.summaries import funnel_refresh
from contacts.models import Source

pytestmark = pytest.mark.django_db


def person(first_name: str, *, first_heard: timedelta):
    return services.contact_create(
        actor=None,
        source=Source.MANUAL,
        source_at=timezone.now() - first_heard,
        first_name=first_name,
        last_name="Martin",
    )


def home(client_as, user):
    cache.delete(f"home-counts:{user.pk}")  # the counts are kept a minute per user
    return client_as(user).get("/")


def test_the_new_this_week_are_those_first_heard_of_this_week(client_as, admin_user):
    person("Inès", first_heard=timedelta(days=2))
    person("Hugo", first_heard=timedelta(days=300))  # entered today, known for months

    page = home(client_as, admin_user)

    assert page.context["total"] == 2
    assert page.context["new_this_week"] == 1


def test_the_card_says_it_counts_as_the_funnel_does(client_as, admin_user):
    person("Inès", first_heard=timedelta(days=2))

    text = home(client_as, admin_user).content.decode()

    assert "acquis ces 7 derniers jours (premier contact, comme dans l’entonnoir)" in text


def test_the_funnel_dates_its_figures_as_french_writes_dates(client_as, admin_user):
    person("Inès", first_heard=timedelta(days=2))
    funnel_refresh()

    text = home(client_as, admin_user).content.decode()

    as_of = re.search(r"Chiffres[^<(]*", text)[0]
    assert re.search(r"\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)", as_of)
    assert not re.search(r"\b(Jan|Fév|Déc|Sep)\b", text)
