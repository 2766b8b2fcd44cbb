"""Believable French demo data: users and territories, then N contacts loaded in bulk.

Bulk-loaded (COPY on PostgreSQL) so 100,000 contacts take seconds, not minutes.
The rows are what the services would write (search keys, E.164 phones, a consent
event behind every consent), without going through them one by one.
"""

import random
import time
import unicodedata
import uuid
from datetime import date, timedelta
from datetime import time as clock

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from campaign.bulk import copy_model_rows, db_datetime
from campaign.models import Territory, User
from contacts.demo_places import COMMUNES, EMAIL_DOMAINS, STREET_KINDS, STREET_NAMES, TAGS
from contacts.models import (
    Consent,
    ConsentEvent,
    Contact,
    ContactEmail,
    ContactPhone,
    Source,
    Tag,
)
from contacts.normalize import identity_key, search_key

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
            self._users(territories)
            tags = self._tags()
            made = DemoContacts(rng=rng, tags=tags).load(contacts)
            self._petition(rng)
            self._segment()
            self._texting()
            self._canvassing()
            self._donations()
            self._funnel(rng)
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

    def _users(self, territories: dict[str, list[Territory]]) -> None:
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

    def _segment(self) -> None:
        """A segment ready for a first text: everyone who agreed to texts."""
        from contacts.models import Segment

        Segment.objects.get_or_create(
            name="Ont accepté les SMS",
            defaults={
                "description": "Démo : tous les contacts qui ont accepté les SMS.",
                "filters": {"consent": {"sms": "granted"}},
            },
        )

    def _donations(self) -> None:
        """A candidate's campaign with a published fundraising page and a few gifts."""
        from actions.donations.models import Drive, Entity
        from actions.donations.services import donation_record

        if Entity.objects.exists():
            return
        entity = Entity.objects.create(
            name="Campagne municipale 2026",
            kind=Entity.Kind.CANDIDATE,
            election="Municipales 2026, Lyon",
            spending_limit_cents=6_000_000,
        )
        drive = Drive.objects.create(
            entity=entity,
            slug="municipales-2026",
            title="Financez une campagne qui vous ressemble",
            story=(
                "Pas de grands donateurs : **vous**. Chaque don finance les tracts, "
                "les réunions publiques et le porte-à-porte.\n\n- 20 € : 1 000 tracts\n"
                "- 50 € : une salle pour une réunion publique"
            ),
            goal_cents=2_000_000,
            status=Drive.Status.PUBLISHED,
        )
        amounts = [2_000, 3_500, 5_000, 3_500, 10_000, 2_500, 15_000, 3_000]
        donors = Contact.objects.filter(source=Source.IMPORT).order_by("pk")[: len(amounts)]
        for contact, amount in zip(donors, amounts, strict=False):
            donation_record(
                entity=entity,
                contact=contact,
                amount_cents=amount,
                method="card" if amount < 10_000 else "cheque",
                received_on=timezone.localdate(),
                natural_person=True,
                french_or_resident=True,
                online=False,
                note="demo",
                stored={"drive": drive},
            )

    def _funnel(self, rng: random.Random) -> None:
        """What makes the funnel worth reading: a second petition signed by people already
        known, replies to texts, doors knocked by benevole (whose account is linked to a
        contact), gifts over the months; then the stage events rebuilt from all of it."""
        from actions.petitions.models import Petition, Signature
        from actions.sms.models import Inbound
        from contacts.funnel.services import funnel_rebuild

        if Petition.objects.filter(slug="piscine-municipale").exists():
            return
        now = timezone.now()
        pool = Petition.objects.create(
            slug="piscine-municipale",
            title="Sauvons la piscine municipale",
            target="Le conseil municipal",
            text="La piscine ferme l'été prochain. **Signez pour qu'elle reste ouverte.**",
            goal=1000,
            status=Petition.Status.PUBLISHED,
            published_at=now - timedelta(days=120),
        )
        people = list(Contact.objects.filter(erased_at__isnull=True).values_list("pk", "source_at"))

        def later(at, most_days: int):
            moment = at + timedelta(days=rng.randint(1, most_days), hours=rng.randint(0, 10))
            return min(moment, now)

        copy_model_rows(
            Signature,
            [
                "petition_id",
                "contact_id",
                "signed_at",
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "referrer",
                "embedded",
                "answers",
                "confirmed_at",
                "pending_consents",
            ],
            (
                (
                    pool.pk,
                    pk,
                    db_datetime(when),
                    "newsletter",
                    "",
                    "",
                    "",
                    False,
                    "{}",
                    db_datetime(when),
                    "[]",
                )
                for pk, at in people
                if rng.random() < 0.12
                for when in [later(at, 60)]
            ),
        )
        texted = Consent.objects.filter(channel="sms", status="granted")
        copy_model_rows(
            Inbound,
            ["sid", "from_number", "to_number", "body", "kind", "contact_id", "received_at"],
            (
                (f"SMdemo{pk}", "", "", "Oui, je viendrai", "reply", pk, db_datetime(later(at, 30)))
                for pk, at in texted.values_list("contact_id", "contact__source_at")
                if rng.random() < 0.08
            ),
        )
        self._doors_knocked(rng)
        self._gifts_over_time(rng, later)
        funnel_rebuild()

    def _doors_knocked(self, rng: random.Random) -> None:
        """benevole, whose account now names their own contact, knocks on most doors of
        their turf: support levels, a few who want to help."""
        from actions.canvassing.models import Door, Turf
        from actions.canvassing.services import VisitInput, visits_record
        from contacts import services

        volunteer = User.objects.get(username="benevole")
        if volunteer.contact_id is None:
            volunteer.contact = services.contact_create(
                actor=None,
                source=Source.MANUAL,
                source_detail="Compte bénévole",
                first_name=volunteer.first_name,
                last_name=volunteer.last_name,
                emails=[services.EmailInput(address=volunteer.email)],
            )
            volunteer.save(update_fields=["contact"])
            services.volunteer_account_linked(user=volunteer)
        turf = Turf.objects.filter(volunteers=volunteer).first()
        if turf is None:
            return
        visits = []
        for door in Door.objects.filter(turf=turf).prefetch_related("residents"):
            if rng.random() < 0.3:
                continue
            resident = next(iter(door.residents.all()), None)
            talked = resident is not None and rng.random() < 0.7
            visits.append(
                VisitInput(
                    id=uuid.uuid4(),
                    door_id=door.pk,
                    result="talked" if talked else "not_home",
                    contact_id=resident.contact_id if talked else None,
                    support_level=rng.choice([2, 3, 4, 4, 5, 5]) if talked else None,
                    wants_to_volunteer=talked and rng.random() < 0.2,
                    visited_at=timezone.now() - timedelta(days=rng.randint(0, 12)),
                )
            )
        visits_record(actor=volunteer, turf=turf, visits=visits)

    def _gifts_over_time(self, rng: random.Random, later) -> None:
        """Gifts through the months from a few of the people (by hand: cheques, cards)."""
        from actions.donations.models import Drive
        from actions.donations.services import donation_record

        drive = Drive.objects.filter(slug="municipales-2026").select_related("entity").first()
        if drive is None:
            return
        donors = Contact.objects.filter(erased_at__isnull=True).order_by("?")[:150]
        for contact in donors:
            donation_record(
                entity=drive.entity,
                contact=contact,
                amount_cents=rng.choice([1_000, 2_000, 2_000, 3_500, 5_000, 10_000]),
                method=rng.choice(["card", "card", "cheque", "transfer"]),
                received_on=timezone.localtime(later(contact.source_at, 90)).date(),
                natural_person=True,
                french_or_resident=True,
                online=False,
                note="demo",
                stored={"drive": drive},
            )

    def _canvassing(self) -> None:
        """A canvassing campaign under way in Lyon 1er, its first turf walked by benevole."""
        from actions.canvassing.models import CanvassCampaign
        from actions.canvassing.services import (
            canvass_campaign_save,
            canvass_campaign_set_status,
            turf_assign,
            turfs_cut,
        )
        from campaign.exceptions import ApplicationError

        if CanvassCampaign.objects.exists():
            return
        # A few neighbours of Lyon 1er share buildings, with and without flat numbers, as
        # in a real electoral list: walk lists then have buildings with several doors.
        lyon = list(Contact.objects.filter(insee_code="69381").order_by("pk")[:12])
        for i, contact in enumerate(lyon):
            building = ("3 rue Terme", "14 rue d'Algérie", "8 bis rue Sainte-Catherine")[i % 3]
            flat = f", Apt {i + 1}" if i % 2 else ""
            Contact.objects.filter(pk=contact.pk).update(street=building + flat)
        admin = User.objects.get(username="admin")
        today = timezone.localdate()
        campaign = canvass_campaign_save(
            actor=admin,
            name="Porte-à-porte des municipales",
            starts_on=today,
            ends_on=today + timedelta(days=60),
            # Lyon 1er's: its organizers run it (campaign.ownership), as they would.
            territory=Territory.objects.filter(kind=Territory.Kind.COMMUNE, code="69381").first(),
        )
        canvass_campaign_set_status(campaign=campaign, actor=admin, status="active")
        try:
            turfs = turfs_cut(
                campaign=campaign,
                actor=admin,
                name="Lyon 1er",
                kind="commune",
                values=["69381"],
                max_doors=40,
            )
        except ApplicationError:  # no contact there (a tiny demo)
            return
        turf_assign(turf=turfs[0], volunteers=[User.objects.get(username="benevole")], actor=admin)

    def _texting(self) -> None:
        """A texting campaign under way, with a batch already handed to the volunteer."""
        from actions.sms.models import P2PCampaign
        from actions.sms.p2p.services import conversations_assign, conversations_write
        from actions.sms.selectors import sms_reachable
        from contacts.models import Segment, SegmentMember

        if P2PCampaign.objects.exists():
            return
        admin = User.objects.get(username="admin")
        segment = Segment.objects.create(
            name="Démo : conversations SMS",
            description="Démo : 200 personnes qui ont accepté les SMS, pour des conversations.",
            is_static=True,
        )
        people = sms_reachable(Contact.objects.all()).order_by("pk").values_list("pk", flat=True)
        SegmentMember.objects.bulk_create(
            SegmentMember(segment=segment, contact_id=pk) for pk in people[:200]
        )
        campaign = P2PCampaign.objects.create(
            name="Rassemblement du 12 : qui vient ?",
            segment=segment,
            script=(
                "Bonjour {prenom}, c'est l'équipe Terrain. Un rassemblement a lieu samedi 12 "
                "à 14h place de la mairie. Vous pensez venir ?"
            ),
            batch_size=20,
            quiet_start=clock(21),
            quiet_end=clock(9),
            status=P2PCampaign.Status.ACTIVE,
            started_at=timezone.now(),
            created_by=admin,
            started_by=admin,  # the whole campaign's (no territory): its people are admin's
        )
        campaign.canned.create(title="Merci", body="Merci {prenom} ! À samedi.", position=0)
        campaign.canned.create(
            title="Pas disponible",
            body="Pas de souci {prenom}, merci de votre réponse. Bonne journée !",
            position=1,
        )
        campaign.questions.create(
            text="Viendra au rassemblement ?", choices="Oui\nNon\nPeut-être", position=0
        )
        campaign.tags.set(Tag.objects.filter(name__in=["bénévole"]))
        conversations_write(campaign_id=campaign.pk)
        conversations_assign(
            campaign=campaign,
            volunteer=User.objects.get(username="benevole"),
            count=20,
            actor=admin,
        )

    def _petition(self, rng: random.Random) -> None:
        """A published petition, signed by the demo contacts who came from a petition."""
        from actions.petitions.models import Petition, Signature

        petition, _ = Petition.objects.get_or_create(
            slug="transports-gratuits",
            defaults={
                "title": "Des transports en commun gratuits pour les moins de 26 ans",
                "target": "La Métropole de Lyon",
                "text": (
                    "Chaque jour, des jeunes renoncent à se déplacer faute de moyens.\n\n"
                    "**Nous demandons :**\n\n- la gratuité des transports pour les moins de 26 ans ;\n"
                    "- un tarif solidaire pour toutes et tous.\n\nSignez, puis partagez autour de vous !"
                ),
                "goal": 5000,
                "status": Petition.Status.PUBLISHED,
                "published_at": timezone.now(),
                "questions": [{"label": "Quelle ligne prenez-vous le plus ?", "required": False}],
                "next_step": Petition.NextStep.VOLUNTEER,
                "next_step_url": "https://example.org/benevoles",
            },
        )
        signers = Contact.objects.filter(source=Source.PETITION).exclude(
            signatures__petition=petition
        )
        sources = ["", "whatsapp", "facebook", "newsletter", "x"]
        copy_model_rows(
            Signature,
            [
                "petition_id",
                "contact_id",
                "signed_at",
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "referrer",
                "embedded",
                "answers",
                "confirmed_at",
                "pending_consents",
            ],
            (
                (
                    petition.pk,
                    cid,
                    db_datetime(at),
                    rng.choice(sources),
                    "",
                    "",
                    "",
                    rng.random() < 0.1,
                    "{}",
                    db_datetime(at),
                    "[]",
                )
                for cid, at in signers.values_list("pk", "source_at").iterator(chunk_size=5000)
            ),
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
            contacts.append(
                (
                    cid,
                    str(uuid.uuid4()),
                    first,
                    last,
                    birth.isoformat() if birth else "",
                    search_key(first),
                    search_key(last),
                    street,
                    postal,
                    commune,
                    search_key(commune),
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
                        last_key=search_key(last),
                        first_key=search_key(first),
                        birth=birth.isoformat() if birth else "",
                        postal_code=postal,
                        street_key=search_key(street),
                    ),
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
        from contacts.dedupe.services import duplicates_refresh

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
