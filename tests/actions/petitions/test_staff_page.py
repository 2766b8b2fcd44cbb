"""The petition's staff page: figures over a chosen period (the latest first, grouped by
week or month over long periods, with a chart), where signers come from near the top, and
the answers to the petition's questions in the signer's timeline and the export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.petitions.models import Signature
from contacts import services as contact_services
from contacts.models import OpinionView, Source
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(db):
    return PetitionFactory(questions=[{"label": "Votre ligne de bus ?", "required": False}])


def signed(petition, days_ago: int, *, source: str = "", answers: dict | None = None):
    contact = contact_services.contact_create(
        actor=None, source=Source.PETITION, first_name="Signataire", last_name=str(days_ago)
    )
    at = timezone.now() - timedelta(days=days_ago)
    return Signature.objects.create(
        petition=petition,
        contact=contact,
        signed_at=at,
        confirmed_at=at,
        utm_source=source,
        answers=answers or {},
    )


def page(client, petition, **query):
    return client.get(reverse("petitions:staff_detail", args=[petition.pk]), query)


def test_the_page_shows_the_last_30_days_day_by_day_the_latest_first(
    client_as, admin_user, petition
):
    for days_ago in (0, 2, 2, 400):
        signed(petition, days_ago)

    stats = page(client_as(admin_user), petition).context["stats"]

    today = timezone.localdate()
    assert (stats.total, stats.in_period, stats.bucket) == (4, 3, "day")
    assert len(stats.rows) == 30
    assert stats.rows[0] == (today, 1, 0)
    assert stats.rows[2] == (today - timedelta(days=2), 2, 0)


def test_since_the_beginning_is_counted_month_by_month(client_as, admin_user, petition):
    for days_ago in (0, 400):
        signed(petition, days_ago)

    stats = page(client_as(admin_user), petition, range="all").context["stats"]

    today = timezone.localdate()
    assert stats.bucket == "month"
    assert stats.rows[0] == (today.replace(day=1), 1, 0)
    assert sum(n for _start, n, _c in stats.rows) == 2
    assert 13 <= len(stats.rows) <= 15  # one row a month since the first signature


def test_twelve_weeks_are_counted_week_by_week(client_as, admin_user, petition):
    signed(petition, 0)

    stats = page(client_as(admin_user), petition, range="12w").context["stats"]

    assert stats.bucket == "week"
    assert stats.rows[0][0].weekday() == 0  # weeks start on Monday
    assert stats.in_period == 1


def test_a_custom_period_needs_both_dates(client_as, admin_user, petition):
    answer = page(client_as(admin_user), petition, range="custom", start="2026-01-01")

    assert answer.status_code == 200
    assert answer.context["period_form"].errors


def test_the_page_draws_the_signatures_as_a_chart_with_the_sources_beside(
    client_as, admin_user, petition
):
    signed(petition, 0, source="whatsapp")
    signed(petition, 1, source="whatsapp")
    signed(petition, 1, source="facebook")

    answer = page(client_as(admin_user), petition)

    html = answer.content.decode()
    assert '<svg class="chart activity-chart"' in html
    assert html.index("whatsapp") < html.index("Derniers signataires")
    sources = answer.context["stats"].per_source
    assert [(row["utm_source"], row["n"]) for row in sources] == [("whatsapp", 2), ("facebook", 1)]
    assert round(sources[0]["share"], 2) == 0.67


def test_the_signers_answers_show_in_their_timeline(client_as, admin_user, petition):
    signature = signed(petition, 0, answers={"Votre ligne de bus ?": "C3"})

    html = (
        client_as(admin_user)
        .get(reverse("contacts:detail", args=[signature.contact_id]))
        .content.decode()
    )

    assert "Votre ligne de bus ? — C3" in html


def test_reading_a_signers_answers_is_recorded_as_reading_an_opinion(
    client_as, admin_user, petition
):
    answered = signed(petition, 0, answers={"Votre ligne de bus ?": "C3"})
    silent = signed(petition, 1)

    for signature in (answered, silent):
        client_as(admin_user).get(reverse("contacts:detail", args=[signature.contact_id]))

    seen = OpinionView.objects.values_list("actor", "contact_id_seen")
    assert list(seen) == [(admin_user.pk, answered.contact_id)]


def test_the_export_has_a_column_per_question_and_keeps_older_answers(
    client_as, admin_user, petition
):
    signed(petition, 0, answers={"Votre ligne de bus ?": "C3"})
    signed(petition, 1, answers={"Votre arrêt ?": "Part-Dieu"})  # a question since renamed

    response = client_as(admin_user).get(reverse("petitions:staff_export", args=[petition.pk]))

    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    older, newer = csv.DictReader(io.StringIO(text))  # in the order they signed
    assert (newer["Votre ligne de bus ?"], newer["other_answers"]) == ("C3", "")
    assert (older["Votre ligne de bus ?"], older["other_answers"]) == (
        "",
        "Votre arrêt ?: Part-Dieu",
    )
