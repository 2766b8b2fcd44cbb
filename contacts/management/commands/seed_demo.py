"""Believable French demo data: users and territories, then N contacts loaded in bulk, then
each app's part (petitions, texts, doors, gifts: its plugin's seed_demo, in its demo.py).

Bulk-loaded (COPY on PostgreSQL) so 100,000 contacts take seconds, not minutes.
The rows are what the services would write (search keys, E.164 phones, a consent
event behind every consent), without going through them one by one.
"""

import random
import time
import unicodedata
import uuid
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from campaign.bulk import copy_model_rows, db_datetime
from campaign.models import Territory, User
from contacts import plugins
from contacts.dedupe.services import duplicates_refresh
from contacts.demo import DemoSeed
from contacts.demo_places import COMMUNES, EMAIL_DOMAINS, STREET_KINDS, STREET_NAMES, TAGS
from contacts.funnel.services import funnel_rebuild
from contacts.models import (
    Consent,
    ConsentEvent,
    Contact,
    ContactEmail,
    ContactPhone,
    Segment,
    Source,
    Tag,
)
from contacts.normalize import identity_key, search_key, search_words

DEMO_PASSWORD = "terrain-demo"  # noqa: S105 - printed on purpose: these are demo accounts
CONSENT_WORDING = {
    "email": "J'accepte de recevoir les informations de la campagne par email.",
    "sms": "J'accepte de recevoir des SMS de la campagne. STOP au 36180 pour ne plus en recevoir.",
    "phone": "J'accepte d'être appelé(e) par les équipes de la campagne.",
    "post": "J'accepte de recevoir des courriers de la campagne.",
}
SOURCE_WEIGHTS = [
    (Source.IMPORT, 45, "liste-electorale-2026.csv"),
    (Source.PETITION, 30, "Pétition : des transports gratuits"),
    (Source.CANVASS, 15, "Porte-à-porte printemps"),
    (Source.MANUAL, 7, ""),
    (Source.API, 3, "formulaire du site"),
]


class Command(BaseCommand):
    help = "Create demo users, territories and N believable French contacts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--contacts", type=int, default=3000, help="how many contacts (default 3000)"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed, for repeatable data"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when contacts already exist (what `make run` uses)",
        )

    def handle(self, *args, contacts: int, seed: int, if_empty: bool, **options):
        if contacts < 0:
            raise CommandError("--contacts must be 0 or more")
        if if_empty and Contact.objects.exists():
            self.stdout.write("Contacts already exist: demo data left as it is.")
            self._print_logins()
            return
        started = time.perf_counter()
        rng = random.Random(seed)
        with transaction.atomic():
            territories = self._territories()
            users = self._users(territories)
            tags = self._tags()
            made = DemoContacts(rng=rng, tags=tags).load(contacts)
            self._segment()
            demo = DemoSeed(
                rng=rng,
                now=timezone.now(),
                contacts=made,
                territories=territories,
                users=users,
                stdout=self.stdout,
                style=self.style,
            )
            # Each app adds its part through its plugin, in the apps' order (the one random
            # generator runs through them all); the funnel is then rebuilt from all of it.
            for plugin in plugins.installed():
                plugin.seed_demo(demo)
            funnel_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Created {made} contacts in {seconds:.1f} s."))
        self._print_logins()

    def _territories(self) -> dict[str, list[Territory]]:
        """Each commune by its INSEE code and by its postal code (files often have only one)."""
        out = {}
        for name, insee, postal, _b, _lat, _lng, _w in COMMUNES:
            commune, _ = Territory.objects.get_or_create(
                kind=Territory.Kind.COMMUNE, code=insee, defaults={"name": name}
            )
            by_postal, _ = Territory.objects.get_or_create(
                kind=Territory.Kind.POSTAL_CODE, code=postal, defaults={"name": f"{postal} {name}"}
            )
            out[insee] = [commune, by_postal]
        Territory.objects.get_or_create(
            kind=Territory.Kind.BUREAU,
            code="69381-0101",
            defaults={"name": "Lyon 1er — bureau 101 (Hôtel de ville)"},
        )
        return out

    def _users(self, territories: dict[str, list[Territory]]) -> dict[str, User]:
        people = [
            ("admin", "Alice", "Martin", User.Role.ADMIN, []),
            (
                "lyon",
                "Karim",
                "Benali",
                User.Role.ORGANIZER,
                [t for c, ts in territories.items() if c.startswith("6938") for t in ts],
            ),
            (
                "paris",
                "Sophie",
                "Durand",
                User.Role.ORGANIZER,
                [t for c, ts in territories.items() if c.startswith("751") for t in ts],
            ),
            ("benevole", "Lucas", "Petit", User.Role.VOLUNTEER, []),
        ]
        users = {}
        for username, first, last, role, scope in people:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@terrain.example",
                    "role": role,
                    "is_staff": role == User.Role.ADMIN,
                    "is_superuser": role == User.Role.ADMIN,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.territories.set(scope)
            users[username] = user
        return users

    def _segment(self) -> None:
        """A segment ready for a first text: everyone who agreed to texts."""
        Segment.objects.get_or_create(
            name="Ont accepté les SMS",
            defaults={
                "description": "Démo : tous les contacts qui ont accepté les SMS.",
                "filters": {"consent": {"sms": "granted"}},
            },
        )

    def _tags(self) -> list[Tag]:
        Tag.objects.bulk_create([Tag(name=n) for n in TAGS], ignore_conflicts=True)
        return list(Tag.objects.filter(name__in=TAGS))

    def _print_logins(self) -> None:
        self.stdout.write(
            f"\nDemo logins (password for all: {DEMO_PASSWORD})\n"
            "  admin     administrator, sees everything, Django admin at /admin/\n"
            "  lyon      organizer of Lyon's 9 arrondissements\n"
            "  paris     organizer of Paris's 20 arrondissements\n"
            "  benevole  volunteer\n"
        )


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and c.isascii()).lower()


class DemoContacts:
    """Generates rows in memory, then loads each table in one bulk operation."""

    def __init__(self, *, rng: random.Random, tags: list[Tag]):
        self.rng = rng
        self.tags = tags
        faker = Faker("fr_FR")
        faker.seed_instance(rng.randint(0, 2**31))
        # Pools drawn once: calling Faker per row would cost most of the run.
        self.female = [faker.first_name_female() for _ in range(300)]
        self.male = [faker.first_name_male() for _ in range(300)]
        self.last = [faker.last_name() for _ in range(1500)]
        self.communes = COMMUNES
        self.weights = [c[6] for c in COMMUNES]

    def load(self, n: int) -> int:
        if n == 0:
            return 0
        rng = self.rng
        now = timezone.now()
        next_id = (Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        contacts, emails, phones, consents, events, taggings = [], [], [], [], [], []
        seen_with_phone: list[tuple[str, str, str]] = []
        source_kinds = [s for s, _w, _d in SOURCE_WEIGHTS]
        source_weights = [w for _s, w, _d in SOURCE_WEIGHTS]
        source_detail = {s: d for s, _w, d in SOURCE_WEIGHTS}
        for i in range(n):
            cid = next_id + i
            female = rng.random() < 0.52
            first = rng.choice(self.female if female else self.male)
            last = rng.choice(self.last)
            # A few people were entered twice (a petition, then a door): same name and phone.
            twin = seen_with_phone and rng.random() < 0.004
            if twin:
                first, last, twin_digits = rng.choice(seen_with_phone)
            commune, insee, postal, bureaux, lat, lng, _w = rng.choices(
                self.communes, self.weights
            )[0]
            bureau = rng.randint(1, bureaux)
            street = f"{rng.randint(1, 180)} {rng.choice(STREET_KINDS)} {rng.choice(STREET_NAMES)}"
            source = rng.choices(source_kinds, source_weights)[0]
            collected = now - timedelta(days=rng.randint(0, 720), seconds=rng.randint(0, 86399))
            birth = None
            if rng.random() < 0.6:
                birth = date(rng.randint(1940, 2006), rng.randint(1, 12), rng.randint(1, 28))
            first_key, last_key, commune_key = (
                search_key(first),
                search_key(last),
                search_key(commune),
            )
            contacts.append(
                (
                    cid,
                    str(uuid.uuid4()),
                    first,
                    last,
                    birth.isoformat() if birth else "",
                    first_key,
                    last_key,
                    street,
                    postal,
                    commune,
                    commune_key,
                    insee,
                    f"{insee}-{bureau:04d}",
                    f"Bureau {bureau}",
                    f"{lat + rng.uniform(-0.01, 0.01):.6f}",
                    f"{lng + rng.uniform(-0.01, 0.01):.6f}",
                    "{}",
                    source,
                    source_detail[source],
                    db_datetime(collected),
                    db_datetime(now),
                    db_datetime(now),
                    identity_key(
                        last_key=last_key,
                        first_key=first_key,
                        birth=birth.isoformat() if birth else "",
                        postal_code=postal,
                        street_key=search_key(street),
                    ),
                    search_words(first_key=first_key, last_key=last_key, commune_key=commune_key),
                )
            )
            if rng.random() < 0.85:
                address = f"{_ascii(first)}.{_ascii(last)}{cid}@{rng.choice(EMAIL_DOMAINS)}"
                emails.append((cid, address, True))
            if rng.random() < 0.75:
                # Metropolitan mobile ranges only (parts of 063/069 are overseas numbers).
                prefix = rng.choice(
                    ["60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"]
                )
                digits = twin_digits if twin else f"{prefix}{rng.randint(0, 9_999_999):07d}"
                if len(seen_with_phone) < 5000:
                    seen_with_phone.append((first, last, digits))
                if rng.random() < 0.02:  # a few numbers typed badly, kept raw and flagged
                    phones.append((cid, f"0{digits[:5]}", "", "unknown", True))
                else:
                    spaced = " ".join(
                        [digits[0], digits[1:3], digits[3:5], digits[5:7], digits[7:]]
                    )
                    raw = rng.choice([f"0{spaced}", f"+33{digits}", f"0{digits}", f"+33 {spaced}"])
                    phones.append((cid, raw, f"+33{digits}", "mobile", True))
            for channel, chance in (("email", 0.6), ("sms", 0.45), ("phone", 0.2), ("post", 0.1)):
                if rng.random() < chance:
                    status = "withdrawn" if rng.random() < 0.06 else "granted"
                    wording = CONSENT_WORDING[channel]
                    consents.append((cid, channel, status, source, wording, db_datetime(collected)))
                    events.append(
                        (
                            cid,
                            channel,
                            status,
                            source,
                            source_detail[source],
                            wording,
                            db_datetime(collected),
                            db_datetime(now),
                        )
                    )
            for tag in rng.sample(self.tags, k=rng.choice([0, 0, 1, 1, 1, 2, 3])):
                taggings.append((cid, tag.pk))
        copy_model_rows(
            Contact,
            [
                "id",
                "uuid",
                "first_name",
                "last_name",
                "birth_date",
                "first_name_key",
                "last_name_key",
                "street",
                "postal_code",
                "commune",
                "commune_key",
                "insee_code",
                "bureau_code",
                "bureau_label",
                "latitude",
                "longitude",
                "custom_fields",
                "source",
                "source_detail",
                "source_at",
                "created_at",
                "updated_at",
                "identity_key",
                "search_words",
            ],
            contacts,
        )
        copy_model_rows(ContactEmail, ["contact_id", "address", "is_primary"], emails)
        copy_model_rows(ContactPhone, ["contact_id", "raw", "e164", "kind", "is_primary"], phones)
        copy_model_rows(
            Consent,
            ["contact_id", "channel", "status", "source", "wording", "changed_at"],
            consents,
        )
        copy_model_rows(
            ConsentEvent,
            [
                "contact_id",
                "channel",
                "status",
                "source",
                "source_detail",
                "wording",
                "occurred_at",
                "recorded_at",
            ],
            events,
        )
        copy_model_rows(Contact.tags.through, ["contact_id", "tag_id"], taggings)
        _reset_sequence(Contact)
        duplicates_refresh()
        return n


def _reset_sequence(model) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The table name comes from the model, never from input.
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))",  # noqa: E501, S608
            [table],
        )
