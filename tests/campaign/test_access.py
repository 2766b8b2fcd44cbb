"""Who may open what: every URL declares an access rule, and a matrix requests each one as a
visitor, a volunteer, an organizer of another territory, the territory's organizer and an
administrator, and checks what each gets."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaign.permissions import access_rule_of

pytestmark = pytest.mark.django_db
RULES = {"public", "login", "crm", "admin", "api", "signed"}


def routes():
    """(pattern, name, view) of every URL but the Django admin's (it checks staff itself)."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                yield entry, prefix + str(entry.pattern), namespace + (entry.name or "")

    return [r for r in walk(get_resolver().url_patterns) if not r[2].startswith("admin:")]


def test_every_url_declares_who_may_use_it():
    undeclared = [
        (route, name) for entry, route, name in routes() if access_rule_of(entry.callback) is None
    ]
    assert undeclared == []
    assert {access_rule_of(entry.callback) for entry, _r, _n in routes()} <= RULES


@pytest.fixture
def world(lyon_contact, admin_user, organizer_lyon, organizer_paris, volunteer):
    """One of each thing the URLs name, in Lyon."""
    from actions.petitions.models import Petition

    petition = Petition.objects.create(
        slug="eau", title="Eau", text="…", status=Petition.Status.PUBLISHED
    )
    return {
        "contact_id": lyon_contact.pk,
        "uuid": lyon_contact.uuid,
        "petition_id": petition.pk,
        "slug": petition.slug,
    }


def url_for(entry: URLPattern, name: str, known: dict) -> str | None:
    """The URL with its parameters filled: a known object, else one that does not exist."""
    kwargs = {}
    for key, converter in entry.pattern.converters.items():
        if key in known:
            kwargs[key] = known[key]
        elif type(converter).__name__ == "IntConverter":
            kwargs[key] = 999_999
        elif type(converter).__name__ == "UUIDConverter":
            kwargs[key] = uuid.uuid4()
        else:
            kwargs[key] = {"what": "stages", "action": "paid"}.get(key, "x")
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 - a route with a regex part: skipped
        return None


def allowed(rule: str, persona: str, status: int, to_login: bool) -> bool:
    """What each persona must get from a view of this rule (a 404 for an object that does
    not exist, or is not theirs, is fine where the rule lets them in)."""
    if rule == "public":
        return status not in (401, 403)
    if rule == "signed":  # nobody here carries Twilio's signature
        return status == 403
    if rule == "api":  # token or session; DRF answers 401/403 itself, never the login page
        return not to_login
    if persona == "visitor":
        return to_login
    if rule == "login":
        return not to_login
    if rule == "crm":
        return status == 403 if persona == "volunteer" else status != 403
    return status == 403 if persona != "admin" else status != 403  # admin


def test_the_access_matrix(world, admin_user, organizer_lyon, organizer_paris, volunteer):
    personas = {
        "visitor": None,
        "volunteer": volunteer,
        "other_organizer": organizer_paris,
        "organizer": organizer_lyon,
        "admin": admin_user,
    }
    clients = {}
    for persona, user in personas.items():
        clients[persona] = Client(raise_request_exception=False)
        if user is not None:
            clients[persona].force_login(user)
    wrong, checked = [], 0
    for entry, route, name in routes():
        url = url_for(entry, name, world)
        if url is None:
            continue
        rule = access_rule_of(entry.callback)
        for persona, client in clients.items():
            response = client.get(url)
            if response.status_code == 405 and name != "logout":  # a form's target: POST it
                response = client.post(url)
            to_login = response.status_code == 302 and "/accounts/login/" in response.get(
                "Location", ""
            )
            checked += 1
            if response.status_code >= 500 or not allowed(
                rule, persona, response.status_code, to_login
            ):
                wrong.append((route, rule, persona, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    assert checked > 400  # every route, five times


def test_an_organizer_of_another_territory_does_not_even_see_that_a_contact_exists(
    world, client_as, organizer_lyon, organizer_paris
):
    page = reverse("contacts:detail", args=[world["contact_id"]])

    assert client_as(organizer_lyon).get(page).status_code == 200
    assert client_as(organizer_paris).get(page).status_code == 404
