"""The write matrix: every URL that may change something (each page's POST, each write
method of each API view) is sent as a visitor, a volunteer, an organizer of another
territory, the territory's organizer and an administrator, each against an object OUT of
their scope (a Lyon-owned petition, blast, texting campaign, canvass campaign, turf, segment,
fundraising page, import job, contact, webhook, another user's API token…). A refused persona
must get a 404, a 403 or the login page (401/403 from the API), never a success and never a
500, and nothing may have changed in the database: every table's rows are compared before
and after each request (a few tables that any request may write are left out, below).

What each URL may change is declared once, in campaign.permissions.WRITES; a URL missing
there fails `test_every_url_declares_what_it_may_change`.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign.permissions import WRITES, access_rule_of
from tests.campaign.test_access import routes

pytestmark = pytest.mark.django_db

# Tables any request may write, left out of the "nothing changed" comparison:
EXCLUDED_MODELS = {
    # the session holds the flash messages and the CSRF secret of whoever asks;
    "sessions.Session",
    # django-axes counts and logs login attempts, whoever makes them (that is its job);
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    # audit rows written on reading (GDPR): who exported which list, who saw opinions.
    # A refused request must not write them either, but a read that is allowed does.
    "contacts.ExportLog",
    "contacts.OpinionView",
}

# Columns any request may write: when a token was last used (each call with it, refused or
# not, says so: that is how its owner sees a stolen token at work).
EXCLUDED_COLUMNS = {"campaign.ApiToken": {"last_used_at"}}

REFUSED_STATUSES = {401, 403, 404, 405}

# Who tries, and against which version of the world's objects: the Lyon-owned one for
# whoever is not of Lyon, another territory's (Paris) or the whole campaign's one for
# Lyon's organizer. The administrator tries Lyon's: the control that the URL and the world
# are right (an admin is not refused).
ATTEMPTS = [
    ("visitor", "lyon"),
    ("volunteer", "lyon"),
    ("other_organizer", "lyon"),
    ("organizer", "paris"),
    ("organizer", "national"),
    ("admin", "lyon"),
]
EVERYONE_BUT_ADMIN = {a for a in ATTEMPTS if a[0] != "admin"}
OUTSIDERS = {a for a in EVERYONE_BUT_ADMIN if a != ("organizer", "national")}


@dataclass(frozen=True)
class Rule:
    refused: frozenset  # attempts that must be refused, with nothing changed
    unchanged: frozenset = frozenset()  # attempts that may answer anything but change nothing
    admin_allowed: bool = True  # the control: the admin is not refused


def rule(refused, unchanged=(), *, admin_allowed=True) -> Rule:
    return Rule(frozenset(refused), frozenset(unchanged), admin_allowed)


# What WRITES' values mean for each attempt.
RULES = {
    "nothing": rule((), ATTEMPTS, admin_allowed=False),
    "new": rule({("visitor", "lyon"), ("volunteer", "lyon")}, admin_allowed=False),
    "account": rule((), admin_allowed=False),
    "public": rule((), admin_allowed=False),
    "signed": rule(ATTEMPTS, admin_allowed=False),
    # Objects owned by a territory: the whole campaign's are changed by admins only.
    "segment": rule(EVERYONE_BUT_ADMIN),
    "petition": rule(EVERYONE_BUT_ADMIN),
    "blast": rule(EVERYONE_BUT_ADMIN),
    "email_blast": rule(EVERYONE_BUT_ADMIN),
    "p2p_campaign": rule(EVERYONE_BUT_ADMIN),
    "canvass_campaign": rule(EVERYONE_BUT_ADMIN),
    "turf": rule(EVERYONE_BUT_ADMIN),
    # Using a whole-campaign segment (freezing it into one's own list) is allowed.
    "segment_use": rule(OUTSIDERS),
    # Gifts follow their donor: a page is changed by its owners (in the admin), but staff
    # record and settle the gifts of their own people on any page they may read, a
    # whole-campaign one included (organizers collect their people's cheques).
    "drive": rule(OUTSIDERS),
    # The page itself (its staff form) is changed by its owners only.
    "drive_page": rule(EVERYONE_BUT_ADMIN),
    "donation": rule(OUTSIDERS),
    # People, and what is done to them: nobody outside one's scope.
    "contact": rule(OUTSIDERS),
    "audited_read": rule(OUTSIDERS, admin_allowed=False),
    "canvass_record": rule(OUTSIDERS),
    "tagging": rule(OUTSIDERS),
    "duplicate": rule(OUTSIDERS),
    "import_job": rule(OUTSIDERS),
    # Missions: the volunteers they are handed to and the staff of their people.
    "turf_mission": rule(OUTSIDERS),
    "conversation": rule(OUTSIDERS),
    # A texting campaign's batches: any volunteer may ask for one (that is the design),
    # computed with the asker's scope: an organizer of another territory gets nobody.
    "p2p_mission": rule({("visitor", "lyon")}, {("other_organizer", "lyon")}, admin_allowed=False),
    # Reaching every territory: administrators only.
    "webhook": rule(EVERYONE_BUT_ADMIN),
    "delivery": rule(EVERYONE_BUT_ADMIN),
    # Another user's API token: nobody but its owner, administrators included.
    "api_token": rule(ATTEMPTS, admin_allowed=False),
}

# Kinds that name no object of the world (the others must give every URL parameter).
GENERIC_KINDS = {"nothing", "new", "account", "public", "signed", "audited_read"}

# Where the admin's control may be refused by design.
CONTROL_EXCEPTIONS = {("donations:action", "void")}  # a gift without a receipt: nothing to void

# URLs with an action in their path: each action is tried.
ACTIONS = {
    "sms:action": ["test", "start", "pause", "resume", "cancel"],
    "emails:action": ["test", "start", "pause", "resume", "cancel"],
    "sms:p2p_action": ["start", "close", "assign"],
    "canvassing:action": ["start", "close", "reopen", "cut"],
    "donations:action": ["paid", "refunded", "stop", "void", "receipt"],
}


def clock(hour: int) -> time:
    return time(hour, 0)


def owned(model, variant: str, territories: dict, **fields):
    """An object of `model` for the variant's territory (when the model says whose it is)."""
    if hasattr(model, "territory"):
        fields["territory"] = territories[variant]
    return model.objects.create(**fields)


def person(first: str, insee: str, postal: str, email: str, phone: str):
    from contacts import services
    from contacts.models import Source

    contact = services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=first,
        last_name="Témoin",
        street="3 rue Terme" if insee == "69381" else "4 rue Oberkampf",
        postal_code=postal,
        insee_code=insee,
        emails=[services.EmailInput(address=email)],
        phones=[services.PhoneInput(number=phone)],
    )
    services.consent_set(
        contact=contact, channel="sms", status="granted", source=Source.MANUAL, actor=None
    )
    return contact


@pytest.fixture
def world(
    lyon_1er, paris_11e, admin_user, organizer_lyon, organizer_paris, volunteer, tmp_path, settings
):
    """For each kind of object, one of Lyon's, one of Paris's and one of the whole campaign,
    with the URL parameters naming it."""
    from actions.canvassing.models import CanvassCampaign, Door, Resident, Turf
    from actions.donations.models import Donation, Drive, Entity
    from actions.emails.models import Blast as EmailBlast
    from actions.emails.models import Sender
    from actions.petitions.models import Petition
    from actions.sms.models import Blast, Conversation, P2PCampaign
    from campaign.api.tokens import api_token_create
    from campaign.models import User
    from campaign.webhooks.models import Delivery, Webhook
    from contacts.models import DuplicateCandidate, ImportJob, Segment, SegmentMember, Tag

    settings.MEDIA_ROOT = tmp_path / "media"
    territories = {"lyon": lyon_1er, "paris": paris_11e, "national": None}
    people = {
        "lyon": person("Léa", "69381", "69001", "lea@example.fr", "06 12 34 56 78"),
        "paris": person("Hugo", "75111", "75011", "hugo@example.fr", "06 98 76 54 32"),
    }
    people["national"] = people["lyon"]  # a person is always in some territory
    twin = person("Léa", "69381", "69001", "lea.twin@example.fr", "06 12 34 56 79")
    other_volunteer = User.objects.create_user(username="texteur", role=User.Role.VOLUNTEER)
    stranger = User.objects.create_user(username="tiers", role=User.Role.ORGANIZER)
    entity = Entity.objects.create(name="Association de financement", kind="candidate")
    tag = Tag.objects.create(name="quartier")
    for someone in people.values():
        someone.tags.add(tag)  # a tagging to read and to take off (DELETE)
    webhook = Webhook.objects.create(url="https://hooks.example.org/t", events=["person.created"])
    delivery = Delivery.objects.create(
        webhook=webhook, event="person.created", payload={}, status="failed"
    )
    token, _key = api_token_create(user=stranger, name="Outil")
    sender = Sender.objects.create(name="Équipe", address="equipe@example.org", is_verified=True)
    # Lyon's duplicates are two Lyon people; for Lyon's organizer, a pair that reaches into
    # Paris is out of scope (only an admin reviews it).
    duplicates = {
        variant: DuplicateCandidate.objects.create(
            contact_a=min(pair, key=lambda c: c.pk),
            contact_b=max(pair, key=lambda c: c.pk),
            reason="email",
        )
        for variant, pair in (("lyon", (people["lyon"], twin)), ("paris", (twin, people["paris"])))
    }
    known = {}
    for variant in territories:
        contact = people[variant]
        segment = owned(Segment, variant, territories, name=f"Liste {variant}", is_static=True)
        SegmentMember.objects.create(segment=segment, contact=contact)
        dynamic = owned(Segment, variant, territories, name=f"Segment {variant}", filters={})
        petition = owned(
            Petition,
            variant,
            territories,
            slug=f"eau-{variant}",
            title="Eau",
            text="…",
            status=Petition.Status.PUBLISHED,
        )
        blast = owned(
            Blast,
            variant,
            territories,
            name=f"Rappel {variant}",
            segment=segment,
            body="Bonjour {prenom}",
            quiet_start=clock(21),
            quiet_end=clock(9),
        )
        email_blast = owned(
            EmailBlast,
            variant,
            territories,
            name=f"Lettre {variant}",
            segment=segment,
            sender=sender,
            subject="Samedi",
            body="Bonjour {prenom}",
        )
        p2p = owned(
            P2PCampaign,
            variant,
            territories,
            name=f"Conversations {variant}",
            segment=segment,
            script="Bonjour {prenom}",
            batch_size=5,
            quiet_start=clock(21),
            quiet_end=clock(9),
            status=P2PCampaign.Status.ACTIVE,
            started_at=timezone.now(),
        )
        # The volunteer who tries has missions of their own, in Paris: a scope that is not
        # empty, and not Lyon's.
        texter = volunteer if variant == "paris" else other_volunteer
        conversation = Conversation.objects.create(
            campaign=p2p, contact=contact, to="+33612345678", volunteer=texter
        )
        canvass = owned(
            CanvassCampaign,
            variant,
            territories,
            name=f"Porte-à-porte {variant}",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=30),
            status=CanvassCampaign.Status.ACTIVE,
        )
        turf = Turf.objects.create(campaign=canvass, name="Terme", doors_count=1)
        turf.volunteers.add(texter)
        door = Door.objects.create(turf=turf, building="b", street="rue Terme", number=3)
        Resident.objects.create(door=door, turf=turf, campaign=canvass, contact=contact)
        drive = owned(
            Drive,
            variant,
            territories,
            entity=entity,
            slug=f"don-{variant}",
            title="Financez",
            story="…",
            goal_cents=100_000,
            status=Drive.Status.PUBLISHED,
        )
        donation = Donation.objects.create(
            entity=entity,
            drive=drive,
            contact=contact,
            amount_cents=5_000,
            method=Donation.Method.CHEQUE,
            status=Donation.Status.PLEDGED,
            received_on=timezone.localdate(),
        )
        author = {"lyon": organizer_lyon, "paris": organizer_paris, "national": admin_user}
        job = owned(
            ImportJob,
            variant,
            territories,
            original_name="liste.csv",
            file="imports/liste.csv",
            created_by=author[variant],
        )
        duplicate = duplicates["lyon" if variant == "lyon" else "paris"]
        known[variant] = {
            "contact": {"contact_id": contact.pk, "uuid": contact.uuid},
            "segment": {"segment_id": dynamic.pk},
            "segment_use": {"segment_id": segment.pk},
            "petition": {"petition_id": petition.pk, "pk": petition.pk, "slug": petition.slug},
            "blast": {"blast_id": blast.pk},
            "email_blast": {"blast_id": email_blast.pk},
            "p2p_campaign": {"campaign_id": p2p.pk},
            "p2p_mission": {"campaign_id": p2p.pk},
            "conversation": {"conversation_id": conversation.pk},
            "canvass_campaign": {"campaign_id": canvass.pk, "pk": canvass.pk},
            "canvass_record": {"pk": canvass.pk},
            "turf": {"turf_id": turf.pk},
            "turf_mission": {"turf_id": turf.pk, "door_id": door.pk},
            "drive": {"pk": drive.pk, "slug": drive.slug},
            "drive_page": {"drive_id": drive.pk},
            "donation": {"donation_id": donation.pk},
            "import_job": {"job_id": job.pk},
            "duplicate": {"candidate_id": duplicate.pk},
            "tagging": {"pk": tag.pk, "tag_pk": tag.pk},
            "webhook": {"webhook_id": webhook.pk},
            "delivery": {"delivery_id": delivery.pk},
            "api_token": {"token_id": token.pk},
            "_objects": {"contact": contact, "segment": segment, "door": door},
        }
    return {"known": known, "volunteer": volunteer, "other_volunteer": other_volunteer}


def body_for(name: str, action: str | None, objects: dict, world: dict) -> tuple[dict, bool]:
    """A body that would change the object if the URL let the sender through: (data, json)."""
    contact, segment, door = objects["contact"], objects["segment"], objects["door"]
    person_ref = f"terrain:{contact.uuid}"
    forms = {
        "contacts:edit": {
            "first_name": "Pris",
            "last_name": "Témoin",
            "emails-TOTAL_FORMS": 0,
            "emails-INITIAL_FORMS": 0,
            "phones-TOTAL_FORMS": 0,
            "phones-INITIAL_FORMS": 0,
        },
        "contacts:consent": {"channel": "email", "status": "granted"},
        "contacts:note": {"text": "Vu au marché"},
        "contacts:tags": {"add": "pris"},
        "contacts:erase": {"confirm": "yes", "reason": "test"},
        "contacts:segment_delete": {"confirm": "yes"},
        "contacts:segment_edit": {"name": "Pris"},
        "petitions:staff_edit": {"title": "Pris", "slug": "pris", "text": "Pris"},
        "petitions:staff_status": {"status": "closed"},
        "donations:drive_edit": {"title": "Pris", "goal": "100", "story": "…", "status": "closed"},
        "sms:edit": {
            "name": "Pris",
            "segment": segment.pk,
            "body": "Pris",
            "quiet_start": "21:00",
            "quiet_end": "09:00",
        },
        "sms:p2p_edit": {
            "name": "Pris",
            "segment": segment.pk,
            "script": "Pris",
            "batch_size": 5,
            "quiet_start": "21:00",
            "quiet_end": "09:00",
        },
        "sms:conversation": {"action": "opt_out"},
        "canvassing:edit": {
            "name": "Pris",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
            "codes-TOTAL_FORMS": 0,
            "codes-INITIAL_FORMS": 0,
        },
        "canvassing:turf": {"volunteers": [world["volunteer"].pk]},
        "canvassing:door": {"id": str(uuid.uuid4()), "result": "talked", "contact": contact.pk},
        "canvassing:not_home": {"building": door.building, "key": "k"},
    }
    per_action = {
        ("sms:action", "test"): {"to": "06 11 22 33 44"},
        ("sms:p2p_action", "assign"): {"volunteer": world["volunteer"].pk, "count": 5},
        ("canvassing:action", "cut"): {"name": "T", "kind": "postal_code", "values": "69001"},
        ("canvassing:action", "close"): {"confirm": "yes"},
        ("sms:action", "cancel"): {"confirm": "yes"},
        ("sms:p2p_action", "close"): {"confirm": "yes"},
    }
    api = {
        "api:taggings": {"person": person_ref},
        "api:person": {"given_name": "Pris"},
        "api:tags": {"name": "pris"},
        "api:canvasses": {"person": person_ref, "status_code": "talked", "support_level": 5},
        "api:donations": {
            "person": {
                "given_name": "Léa",
                "family_name": "Témoin",
                "email_addresses": [{"address": "lea@example.fr"}],
            },
            "recipients": [{"display_name": "Campagne", "amount": "35.00"}],
            "payment": {"method": "Check", "reference_number": "txn-1"},
            "declarations": {"natural_person": True, "french_or_resident": True},
        },
        "canvassing:api_visits": {
            "visits": [
                {
                    "id": str(uuid.uuid4()),
                    "door": door.pk,
                    "contact": contact.pk,
                    "result": "talked",
                    "support_level": 5,
                    "visited_at": timezone.now().isoformat(),
                }
            ]
        },
    }
    if name in api:
        return api[name], True
    return per_action.get((name, action), forms.get(name, {})), False


def new_object_body(name: str, objects: dict) -> dict | None:
    """For a page that makes a territory-owned object: a body that makes one (its owner is
    set by the caller). The admin's attempt checks that the body is right."""
    segment = objects["segment"]
    bodies = {
        "contacts:segment_new": {"name": "Nouveau"},
        "canvassing:new": {
            "name": "Nouveau",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
            "codes-TOTAL_FORMS": 2,
            "codes-INITIAL_FORMS": 0,
            "codes-0-code": "talked",
            "codes-0-label": "Discussion à la porte",
            "codes-0-talked": "on",
            "codes-1-code": "not_home",
            "codes-1-label": "Personne",
        },
        "sms:new": {
            "name": "Nouveau",
            "segment": segment.pk,
            "body": "Bonjour",
            "quiet_start": "21:00",
            "quiet_end": "09:00",
        },
        "sms:p2p_new": {
            "name": "Nouveau",
            "segment": segment.pk,
            "script": "Bonjour",
            "batch_size": 5,
            "quiet_start": "21:00",
            "quiet_end": "09:00",
            "canned-TOTAL_FORMS": 0,
            "canned-INITIAL_FORMS": 0,
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        },
        "petitions:staff_new": {
            "title": "Nouvelle",
            "text": "Signez",
            "goal": 100,
            "next_step": "share",
            "data_controller": "Association Terrain",
        },
    }
    return bodies.get(name)


def owned_counts(territory_id: int | None) -> dict[str, int]:
    """How many objects each territory-owned model gives `territory_id` (None: the whole
    campaign)."""
    from campaign.models import Territory

    counts = {}
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "territory"), None)
        if field is not None and field.related_model is Territory:
            counts[model._meta.label] = model.objects.filter(territory_id=territory_id).count()
    return counts


def test_an_organizer_makes_nothing_for_another_territory_nor_the_whole_campaign(
    world, admin_user, organizer_lyon, lyon_1er, paris_11e
):
    """Every page that makes a territory-owned object, sent by Lyon's organizer with Paris,
    then the whole campaign, as the owner: nothing is made for either. The same body from an
    administrator, for Lyon, makes one (the control that the body is right)."""
    objects = world["known"]["lyon"]["_objects"]
    attempts = [
        (organizer_lyon, paris_11e.pk, False),
        (organizer_lyon, None, False),
        (admin_user, lyon_1er.pk, True),
    ]
    wrong, tried = [], 0
    for _entry, route, name in routes():
        body = new_object_body(name, objects)
        if body is None:
            continue
        for user, owner, made in attempts:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            owner_value = "" if owner is None else owner
            try:
                with transaction.atomic():
                    before = owned_counts(owner)
                    response = client.post(
                        reverse(name), {**body, "territory": owner_value, "owner": owner_value}
                    )
                    after = owned_counts(owner)
                    raise Rollback
            except Rollback:
                pass
            tried += 1
            grew = sorted(label for label in after if after[label] > before[label])
            if response.status_code >= 500 or bool(grew) != made:
                form = (response.context or {}).get("form") if response.context else None
                errors = form.errors.get_json_data() if form is not None else ""
                wrong.append((route, user.username, owner, response.status_code, grew, errors))
    assert wrong == [], "\n".join(map(str, wrong))
    assert tried == 15


def write_methods(entry) -> list[str]:
    """POST for a page; for an API view, each write method it has (POST at least, which
    must then be refused as a 405 where it has none)."""
    callback = entry.callback
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None or access_rule_of(callback) != "api":
        return ["post"]
    return ["post"] + [m for m in ("put", "patch", "delete") if hasattr(cls, m)]


def has_method(entry, method: str) -> bool:
    """Whether the URL's view answers `method` (a page takes POST; an API view the methods
    it defines): the admin's control is due only there, the rest being a 405 for all."""
    callback = entry.callback
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return cls is None or access_rule_of(callback) != "api" or hasattr(cls, method)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows."""
    skipped = {apps.get_model(label)._meta.db_table for label in EXCLUDED_MODELS}
    columns = {}
    for label, left_out in EXCLUDED_COLUMNS.items():
        meta = apps.get_model(label)._meta
        kept = [f.column for f in meta.concrete_fields if f.name not in left_out]
        columns[meta.db_table] = ", ".join(map(connection.ops.quote_name, kept))
    prints = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in skipped:
                continue
            shown = columns.get(table, "*")
            cursor.execute(f"SELECT {shown} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            prints[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return prints


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


class Rollback(Exception):
    pass


def test_every_url_declares_what_it_may_change():
    names = {name for _entry, _route, name in routes()}
    undeclared = sorted(names - WRITES.keys())
    assert undeclared == [], "declare what these URLs change in campaign.permissions.WRITES"
    assert {WRITES[n] for n in names} <= RULES.keys()
    assert set(ACTIONS) <= names
    assert set(WRITES) - names == set(), "WRITES names URLs that no longer exist"
    # What changes an object, or makes one, is never open to anyone.
    opened = [
        (route, WRITES[name])
        for entry, route, name in routes()
        if access_rule_of(entry.callback) == "public"
        and WRITES[name] not in ("nothing", "public", "account")
    ]
    assert opened == []


def url_of(
    entry, name: str, kwargs_known: dict, action: str | None, *, complete: bool = False
) -> str | None:
    """The URL with its parameters from the world; for a URL that changes an object of the
    world (`complete`), a parameter the world does not give fails the test."""
    kwargs = {}
    for key, converter in entry.pattern.converters.items():
        if key == "action":
            kwargs[key] = action
        elif key in kwargs_known:
            kwargs[key] = kwargs_known[key]
        elif complete:
            raise AssertionError(f"the world gives no {key} for {name}")
        elif type(converter).__name__ == "IntConverter":
            kwargs[key] = 999_999
        elif type(converter).__name__ == "UUIDConverter":
            kwargs[key] = uuid.uuid4()
        else:
            kwargs[key] = {"what": "stages", "fmt": "csv"}.get(key, "x")
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 - a route with a regex part (the admin's): skipped
        return None


def test_the_write_matrix(world, admin_user, organizer_lyon, organizer_paris, volunteer):
    users = {
        "visitor": None,
        "volunteer": volunteer,
        "other_organizer": organizer_paris,
        "organizer": organizer_lyon,
        "admin": admin_user,
    }
    from campaign.api.tokens import api_token_create

    clients = {}
    for persona, user in users.items():
        clients[persona] = Client(raise_request_exception=False)
        if user is not None:
            clients[persona].force_login(user)
            # The API is also tried with each persona's own token, without a session.
            _token, key = api_token_create(user=user, name="matrice")
            clients[f"{persona}+token"] = Client(
                raise_request_exception=False, HTTP_OSDI_API_TOKEN=key
            )
    baseline = fingerprint()
    wrong, tried = [], 0
    for entry, route, name in routes():
        kind = WRITES[name]
        expected = RULES[kind]
        vias = ("", "+token") if access_rule_of(entry.callback) == "api" else ("",)
        for action, (persona, variant), via in (
            (action, attempt, via)
            for action in ACTIONS.get(name, [None])
            for attempt in ATTEMPTS
            for via in vias
        ):
            if f"{persona}{via}" not in clients:
                continue  # a visitor has no token
            if True:
                known = world["known"][variant]
                url = url_of(
                    entry,
                    name,
                    {**known["contact"], **known.get(kind, {})},
                    action,
                    complete=kind not in GENERIC_KINDS,
                )
                if url is None:
                    continue
                data, as_json = body_for(name, action, known["_objects"], world)
                for method in write_methods(entry):
                    send = getattr(clients[f"{persona}{via}"], method)
                    watched = (persona, variant) in expected.refused | expected.unchanged
                    try:
                        with transaction.atomic():
                            if as_json:
                                response = send(url, data, content_type="application/json")
                            else:
                                response = send(url, data)
                            after = fingerprint() if watched else baseline
                            raise Rollback
                    except Rollback:
                        pass
                    tried += 1
                    status = response.status_code
                    location = response.get("Location", "")
                    to_login = status == 302 and "/accounts/login/" in location
                    refused = status in REFUSED_STATUSES or to_login
                    what = (route, action or "", method.upper(), f"{persona}{via}", variant)
                    if status >= 500:
                        wrong.append((*what, status, "server error"))
                    elif (persona, variant) in expected.refused and not refused:
                        wrong.append((*what, status, "not refused"))
                    elif (
                        persona == "admin"
                        and not via  # the phone's door sync takes no token, by design
                        and expected.admin_allowed
                        and refused
                        and (name, action) not in CONTROL_EXCEPTIONS
                        and has_method(entry, method)
                    ):
                        wrong.append((*what, status, "the control (admin) was refused"))
                    if watched:
                        tables = changed(baseline, after)
                        if tables:
                            wrong.append((*what, status, f"changed {', '.join(tables)}"))

    assert wrong == [], f"{len(wrong)} wrong:\n" + "\n".join(map(str, wrong))
    assert tried > 700  # every URL, six times, each action and write method


def test_staff_who_have_not_passed_the_second_factor_change_nothing(
    world, settings, admin_user, organizer_lyon
):
    """With two-factor authentication required, a staff session that gave its password but
    no code (force_login) sends every write of every URL to Lyon's objects, which are its own:
    it is sent to the code page (or answered as a visitor by the API and public pages), and
    nothing changes. Logging in, out and the second factor's own pages are what it may use."""
    settings.TWO_FACTOR_REQUIRED = True
    clients = []
    for user in (organizer_lyon, admin_user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append((user.username, client))
    baseline = fingerprint()
    known = world["known"]["lyon"]
    wrong = []
    for entry, route, name in routes():
        kind = WRITES[name]
        if kind in ("account", "public"):
            continue
        for action in ACTIONS.get(name, [None]):
            url = url_of(entry, name, {**known["contact"], **known.get(kind, {})}, action)
            if url is None:
                continue
            data, as_json = body_for(name, action, known["_objects"], world)
            if kind == "new":
                data = new_object_body(name, known["_objects"]) or data
            for username, client in clients:
                for method in write_methods(entry):
                    send = getattr(client, method)
                    try:
                        with transaction.atomic():
                            if as_json:
                                response = send(url, data, content_type="application/json")
                            else:
                                response = send(url, data)
                            after = fingerprint()
                            raise Rollback
                    except Rollback:
                        pass
                    tables = changed(baseline, after)
                    if response.status_code >= 500 or tables:
                        wrong.append(
                            (route, action, method, username, response.status_code, tables)
                        )
    assert wrong == [], "\n".join(map(str, wrong))


def person_state(contact) -> tuple:
    """Everything a write could change on a person: the row and what hangs from it."""
    from contacts.models import Contact

    row = Contact.objects.filter(pk=contact.pk).values().get()
    row.pop("updated_at", None)
    return (
        row,
        sorted(contact.emails.values_list("address", "is_primary")),
        sorted(contact.phones.values_list("raw", "is_primary")),
        sorted(contact.consents.values_list("channel", "status")),
        sorted(contact.tags.values_list("name", flat=True)),
    )


@pytest.mark.parametrize("via", ["session", "token"])
def test_an_organizers_api_helpers_leave_a_person_outside_their_scope_as_they_were(
    world, organizer_paris, via
):
    """The sign-up and donation helpers match people by email: Paris's organizer sending a
    Lyon person's email, a new phone, tags and a consent changes nothing on that person."""
    from campaign.api.tokens import api_token_create

    lea = world["known"]["lyon"]["_objects"]["contact"]
    before = person_state(lea)
    if via == "token":
        _token, key = api_token_create(user=organizer_paris, name="outil")
        client = Client(raise_request_exception=False, HTTP_OSDI_API_TOKEN=key)
    else:
        client = Client(raise_request_exception=False)
        client.force_login(organizer_paris)
    person = {
        "given_name": "Léa",
        "family_name": "Témoin",
        "email_addresses": [{"address": "lea@example.fr", "status": "subscribed"}],
        "phone_numbers": [{"number": "07 11 22 33 44", "status": "subscribed"}],
        "postal_addresses": [{"address_lines": ["1 rue Oberkampf"], "postal_code": "75011"}],
    }
    signup = client.post(
        reverse("api:person_signup_helper"),
        {"person": person, "add_tags": ["pris"]},
        content_type="application/json",
    )
    gift = client.post(
        reverse("api:donations", args=[world["known"]["paris"]["drive"]["pk"]]),
        {
            "person": person,
            "recipients": [{"display_name": "Campagne", "amount": "35.00"}],
            "payment": {"method": "Check", "reference_number": "txn-9"},
            "declarations": {"natural_person": True, "french_or_resident": True},
        },
        content_type="application/json",
    )

    assert signup.status_code < 500 and gift.status_code < 500
    assert person_state(lea) == before
