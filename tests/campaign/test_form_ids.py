"""Every id a page names for assistive technology exists on that page: a help text or an
error a field is described by (aria-describedby), a heading a section is labelled by
(aria-labelledby), the field a label is for. A screen reader reads nothing from an id that is
not there, and a label for a missing field cannot be clicked.

Every page a visitor, a volunteer and an administrator can open is requested in the demo
campaign (the world of the escaping tests) and parsed with the standard library's parser;
then each staff and volunteer form is sent back empty, so that its errors show.
"""

import tempfile
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.campaign.test_escaping import (
    FORMS,
    HOSTILE,
    FormReader,
    _extra_objects,
    busy_contacts,
    known_arguments,
    page_urls,
)

pytestmark = pytest.mark.django_db

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "list")


class IdReader(HTMLParser):
    """The ids a page has, and those its attributes point at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.pointed: list[tuple[str, str]] = []  # (the element and attribute, the id)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if "id" in named:
            self.ids.append(named["id"])
        for attribute in REFERENCES:
            for target in named.get(attribute, "").split():
                self.pointed.append((f"<{tag} {attribute}>", target))
        if tag == "label" and "for" in named:
            self.pointed.append(("<label for>", named["for"]))


def broken_references(html: str) -> list[str]:
    """What points at an id the page lacks (or at an empty one), and the ids given twice."""
    reader = IdReader()
    reader.feed(html)
    reader.close()
    ids = set(reader.ids)
    problems = [f"{where} → {target!r}" for where, target in reader.pointed if target not in ids]
    twice = sorted({i for i in reader.ids if reader.ids.count(i) > 1})
    return problems + [f"id {i!r} given twice" for i in twice]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo campaign with what it lacks (an import, a token, a webhook…), once for the
    module, read only."""
    from campaign.models import User

    media = tempfile.TemporaryDirectory()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media.name), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", contacts=60, verbosity=0)
            _extra_objects()
            yield User.objects.get(username="admin")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def crawl(client, urls: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Each HTML page's broken references by URL, and the pages read."""
    problems, read = {}, set()
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read.add(url)
        if found := broken_references(response.content.decode()):
            problems[url] = found
    return problems, read


def test_every_id_named_on_a_public_page_exists(demo_world, client):
    slug = known_arguments()["petitions"]["slug"]

    problems, read = crawl(
        client, page_urls({"public"}) + [reverse("login"), reverse("password_reset")]
    )

    assert problems == {}
    assert {
        reverse("petitions:page", args=[slug]),
        reverse("donations:page", args=[known_arguments()["donations"]["slug"]]),
        reverse("login"),
        reverse("password_reset"),
    } <= read


def test_every_id_named_on_a_volunteer_page_exists(demo_world, client):
    from campaign.models import User

    client.force_login(User.objects.get(username="benevole"))
    known = known_arguments()

    problems, read = crawl(client, page_urls({"login"}))

    assert problems == {}
    assert {
        reverse("home"),
        reverse("canvassing:walk", args=[known["canvassing"]["turf_id"]]),
        reverse(
            "canvassing:door", args=[known["canvassing"]["turf_id"], known["canvassing"]["door_id"]]
        ),
    } <= read


def test_every_id_named_on_a_staff_page_exists(demo_world, client):
    client.force_login(demo_world)

    problems, read = crawl(client, page_urls({"crm", "admin", "login"}) + busy_contacts())

    assert problems == {}
    assert {
        reverse("contacts:import_new"),
        reverse("sms:new"),
        reverse("canvassing:turf", args=[known_arguments()["canvassing"]["turf_id"]]),
        reverse("donations:import"),
    } <= read
    assert len(read) >= 30


@pytest.mark.parametrize(("who", "name", "keys"), FORMS)
def test_a_form_sent_back_empty_names_only_ids_it_has(demo_world, client, who, name, keys):
    """Its fields are then described by their errors too."""
    from campaign.models import User

    client.force_login(User.objects.get(username=who))
    known = known_arguments()[name.split(":")[0]]
    url = reverse(name, kwargs={key: known[key] for key in keys})
    reader = FormReader()  # every field a person types in holds HOSTILE: emptied here
    reader.feed(client.get(url).content.decode())
    form = max((f for f in reader.forms if f), key=len)
    empty = {key: "" if value == HOSTILE else value for key, value in form.items()}

    response = client.post(url, empty)

    assert broken_references(response.content.decode()) == []


def test_a_field_with_help_and_an_error_is_described_by_both(demo_world, client):
    client.force_login(demo_world)

    response = client.post(reverse("contacts:import_new"), {"source_detail": "Marché"})

    page = response.content.decode()
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert 'id="id_file_helptext"' in page
    assert 'id="id_file_error"' in page


@pytest.mark.parametrize("name", ["petitions:page", "donations:page"])
def test_a_public_form_sent_back_empty_names_only_ids_it_has(demo_world, client, name):
    slug = known_arguments()[name.split(":")[0]]["slug"]
    url = reverse(name, args=[slug])
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    form = max((f for f in reader.forms if f), key=len)
    empty = {key: "" if value == HOSTILE else value for key, value in form.items()}

    response = client.post(url, empty)

    assert 'aria-invalid="true"' in response.content.decode()  # the form again, with errors
    assert broken_references(response.content.decode()) == []
