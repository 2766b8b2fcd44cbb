"""Merging clean rows into contacts, set-based: one staging table, a handful of SQL statements.

Rules (also in the README):
1. A row is matched to an existing contact by email, then by phone, then by the same
   name, birth date and address (Contact.identity_key). Rows of the file that share an
   email, a phone or an identity are one person (cleaning.group_people).
2. Unmatched people become new contacts, with source "import" and the file as origin.
3. Matched contacts are completed, never overwritten: an empty field takes the file's
   value; emails, phones and tags from the file are added; nothing is removed.
4. It runs in one transaction: a failure leaves nothing behind, and a rerun of the same
   file matches every row to what the first run made, so it changes nothing.

The SQL runs on PostgreSQL and on SQLite (3.33 or newer: UPDATE … FROM).
"""

import json
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Min, QuerySet
from django.utils import timezone

from campaign.bulk import copy_rows, db_datetime
from campaign.webhooks.models import Event
from campaign.webhooks.services import person_brief, webhooks_emit
from contacts.funnel.services import stages_record_query
from contacts.funnel.sources import contacts_acquired
from contacts.funnel.stages import Stage
from contacts.models import ConsentEvent, Contact, DuplicateCandidate, Source, Tag
from contacts.normalize import search_words_sql
from contacts.services import consent_why

STAGE = "terrain_import_stage"
STAGE_TAGS = "terrain_import_stage_tags"
TEXT_COLUMNS = [
    "first_name",
    "last_name",
    "first_name_key",
    "last_name_key",
    "birth_date",
    "email",
    "email2",
    "phone_raw",
    "phone_e164",
    "phone_kind",
    "phone2_raw",
    "phone2_e164",
    "phone2_kind",
    "phone3_raw",
    "phone3_e164",
    "phone3_kind",
    "street",
    "postal_code",
    "commune",
    "commune_key",
    "insee_code",
    "bureau_code",
    "bureau_label",
    "custom_fields",
    "identity",
    "country",
    "source_at",
    "consents",
    "withdrawals",
]
# Fields an import may fill on an existing contact when they are empty there.
FILLABLE = [
    ("first_name", ["first_name_key"]),
    ("last_name", ["last_name_key"]),
    ("street", []),
    ("postal_code", []),
    ("commune", ["commune_key"]),
    ("insee_code", []),
    ("bureau_code", []),
    ("bureau_label", []),
    ("country", []),
]


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # rows folded into another row of the same file
    consents: int = 0  # consents the file recorded
    contact_ids: list[int] | None = None  # each staged row's contact, when asked for


def _dialect() -> dict:
    if connection.vendor == "postgresql":
        return {
            "json": "CAST({} AS jsonb)",
            "date": "CAST({} AS date)",
            "stamp": "CAST({} AS timestamptz)",
            "uuid": "gen_random_uuid()",
            "true": "TRUE",
            "false": "FALSE",
        }
    return {
        "json": "{}",
        "date": "{}",
        "stamp": "{}",
        "uuid": "lower(hex(randomblob(16)))",
        "true": "1",
        "false": "0",
    }


def _reserve_contact_ids(count: int) -> list[int]:
    """Ids for the contacts an import may create, taken before the insert so that every
    row knows its person's id without a second pass."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT nextval(pg_get_serial_sequence('contacts_contact', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in c.fetchall()]
        # SQLite (the embedded default): one writer at a time. A contact saved elsewhere in
        # between would make the insert fail, rolling the import back whole for a rerun.
        c.execute("SELECT COALESCE(MAX(id), 0) FROM contacts_contact")
        start = c.fetchone()[0] + 1
        return list(range(start, start + count))


KEY_COLUMNS = ["email", "email2", "phone_e164", "phone2_e164", "phone3_e164", "identity"]
EMAILS = ("email", "email2")
PHONES = ("phone", "phone2", "phone3")


class Staging:
    """The import's clean rows in a temporary table, loaded chunk by chunk, with in memory
    only what grouping people needs (their keys). Use inside the import's transaction."""

    def __init__(self) -> None:
        self.count = 0
        self.keys: dict[str, list[str]] = {column: [] for column in KEY_COLUMNS}
        self.row_tags = 0
        with connection.cursor() as c:
            for table in (
                f"{STAGE}_raw",
                f"{STAGE}_groups",
                STAGE,
                STAGE_TAGS,
                f"{STAGE}_fill",
                f"{STAGE}_touched",
            ):
                c.execute(f"DROP TABLE IF EXISTS {table}")
            columns_sql = ", ".join(f"{name} text NOT NULL" for name in TEXT_COLUMNS)
            c.execute(
                f"CREATE TEMP TABLE {STAGE}_raw (row_index integer NOT NULL, "
                f"line integer NOT NULL, {columns_sql})"
            )
            c.execute(
                f"CREATE TEMP TABLE {STAGE_TAGS} (row_index integer NOT NULL, name text NOT NULL)"
            )

    def add(self, rows: pd.DataFrame) -> None:
        if not len(rows):
            return
        index = np.arange(self.count, self.count + len(rows))
        frame = rows[TEXT_COLUMNS].copy()
        frame.insert(0, "line", rows["line"].to_numpy())
        frame.insert(0, "row_index", index)
        copy_rows(
            f"{STAGE}_raw", ["row_index", "line", *TEXT_COLUMNS], frame.itertuples(index=False)
        )
        row_tags = [
            (i, name)
            for i, names in zip(index.tolist(), rows["tags"], strict=True)
            for name in json.loads(names)
        ]
        copy_rows(STAGE_TAGS, ["row_index", "name"], row_tags)
        self.row_tags += len(row_tags)
        for column in KEY_COLUMNS:
            self.keys[column].extend(rows[column].tolist())
        self.count += len(rows)

    def keys_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.keys)


def merge_staged(
    *,
    staging: Staging,
    groups: np.ndarray,
    source_detail: str,
    tags: list[str],
    actor_id: int | None,
    source: str = "import",
    activity_summary: str = "",
    with_contact_ids: bool = False,
    consent_wordings: dict[str, str] | None = None,
    within: QuerySet | None = None,
    place_new: tuple[str, str] | None = None,
    on_phase=lambda phase, percent: None,
) -> MergeCounts:
    """Merge the staged rows into contacts. Call inside the import's transaction.

    New contacts get `source`; existing ones that gained something get an activity saying
    `activity_summary` (by default, the import's). With `with_contact_ids`, the counts carry
    each staged row's contact id, in staging order. `consent_wordings` ({channel: wording})
    records the consents the rows agreed to (their "consents" column).

    `within` (the actor's `contacts_visible_to`) bounds which existing contacts rows may
    match and complete: a person known only outside it becomes a new contact, recorded as a
    possible duplicate of the one outside, so that nothing outside is changed nor revealed.
    `place_new` (a territory's kind and code) is given to new contacts without any address,
    so that the organizer who imported them still sees them.
    """
    counts = MergeCounts()
    if not staging.count:
        return counts
    d = _dialect()
    now = db_datetime(timezone.now())
    representatives, group_number = np.unique(groups, return_inverse=True)
    counts.merged = staging.count - len(representatives)

    with connection.cursor() as c:
        run = c.execute
        # Watermarks: what this import adds has a larger id.
        run("SELECT COALESCE(MAX(id), 0) FROM contacts_contact")
        contact_mark = c.fetchone()[0]
        marks = {}
        for table in ("contacts_contactemail", "contacts_contactphone", "contacts_contact_tags"):
            run(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            marks[table] = c.fetchone()[0]
        new_ids = np.array(_reserve_contact_ids(len(representatives)), dtype=np.int64)
        run(
            f"CREATE TEMP TABLE {STAGE}_groups (row_index integer NOT NULL, grp integer NOT NULL, "
            "new_id bigint NOT NULL)"
        )
        copy_rows(
            f"{STAGE}_groups",
            ["row_index", "grp", "new_id"],
            zip(range(staging.count), groups.tolist(), new_ids[group_number].tolist(), strict=True),
        )
        run(
            f"CREATE TEMP TABLE {STAGE} AS SELECT r.*, g.grp, g.new_id, "
            f"CAST(NULL AS bigint) AS contact_id FROM {STAGE}_raw r "
            f"JOIN {STAGE}_groups g ON g.row_index = r.row_index"
        )
        run(f"DROP TABLE {STAGE}_raw")
        run(f"DROP TABLE {STAGE}_groups")
        run(f"CREATE INDEX {STAGE}_grp ON {STAGE} (grp)")
        run(f"ANALYZE {STAGE}")

        on_phase("matching", 65)
        _match_existing(run, _scope_sql(within))

        on_phase("creating", 75)
        pid = "COALESCE(contact_id, new_id)"  # the person's contact, existing or new
        aggregates = ", ".join(f"MAX({col}) AS {col}" for col in _fillable_columns())
        run(
            f"CREATE TEMP TABLE {STAGE}_fill AS SELECT {pid} AS pid, {aggregates}, "
            f"MAX(birth_date) AS birth_date, MIN(NULLIF(source_at, '')) AS source_at "
            f"FROM {STAGE} GROUP BY {pid}"
        )
        run(f"CREATE INDEX {STAGE}_fill_pid ON {STAGE}_fill (pid)")
        # New contacts: the first row of each person, its empty fields taken from the others.
        completed = {
            col: f"CASE WHEN r.{field} = '' THEN f.{col} ELSE r.{col} END"
            for field, keys in FILLABLE
            for col in [field, *keys]
        }
        run(
            "INSERT INTO contacts_contact (id, uuid, "
            + ", ".join(completed)
            + ", search_words, birth_date, custom_fields, source, source_detail, source_at, "
            "created_at, updated_at, created_by_id, identity_key) "
            f"SELECT r.new_id, {d['uuid']}, {', '.join(completed.values())}, "
            f"{_search_words(completed)}, "
            f"{d['date'].format('COALESCE(NULLIF(r.birth_date, %s), NULLIF(f.birth_date, %s))')}, "
            f"{d['json'].format('r.custom_fields')}, %s, %s, "
            f"COALESCE({d['stamp'].format('f.source_at')}, %s), %s, %s, %s, r.identity "
            f"FROM {STAGE} r JOIN {STAGE}_fill f ON f.pid = r.new_id "
            "WHERE r.contact_id IS NULL AND r.row_index = r.grp",
            ["", "", source, source_detail[:255], now, now, now, actor_id],
        )
        counts.created = c.rowcount
        if counts.created and place_new is not None:
            _place_unaddressed(run, place_new)
        if counts.created:
            _record_acquired(contact_mark, source, source_detail[:255])
        if within is not None:
            _flag_matches_outside(run, contact_mark=contact_mark, now=now)

        on_phase("completing", 85)
        # Existing contacts: fill what is empty, never overwrite.
        blanks = " OR ".join(
            f"(contacts_contact.{field} = '' AND f.{field} <> '')" for field, _keys in FILLABLE
        )
        filled = {
            col: f"CASE WHEN contacts_contact.{field} = '' THEN f.{col} "
            f"ELSE contacts_contact.{col} END"
            for field, keys in FILLABLE
            for col in [field, *keys]
        }
        sets = ", ".join(f"{col} = {value}" for col, value in filled.items())
        run(
            f"UPDATE contacts_contact SET {sets}, search_words = {_search_words(filled)}, "
            "birth_date = COALESCE(contacts_contact.birth_date, "
            f"{d['date'].format('NULLIF(f.birth_date, %s)')}), updated_at = %s "
            f"FROM {STAGE}_fill f WHERE contacts_contact.id = f.pid AND f.pid <= %s AND ("
            f"{blanks} OR (contacts_contact.birth_date IS NULL AND f.birth_date <> ''))",
            ["", now, contact_mark],
        )

        on_phase("channels", 90)
        _add_channels(run, d, pid)

        on_phase("tags", 95)
        _add_tags(c, pid, staging.row_tags, tags)
        if consent_wordings:
            counts.consents = _add_withdrawals(
                c, consent_wordings, source=source, source_detail=source_detail[:255], now=now
            ) + _add_consents(
                c,
                consent_wordings,
                source=source,
                source_detail=source_detail[:255],
                now=now,
                paired_withdrawals=within is not None,
            )

        # Existing contacts that got something new: a filled field, an email, a phone, a tag.
        run(
            f"CREATE TEMP TABLE {STAGE}_touched AS SELECT DISTINCT contact_id FROM {STAGE} "
            "WHERE contact_id IS NOT NULL AND ("
            " contact_id IN (SELECT id FROM contacts_contact WHERE id <= %s AND updated_at = %s) "
            " OR contact_id IN (SELECT contact_id FROM contacts_contactemail WHERE id > %s) "
            " OR contact_id IN (SELECT contact_id FROM contacts_contactphone WHERE id > %s) "
            " OR contact_id IN (SELECT contact_id FROM contacts_contact_tags WHERE id > %s))",
            [
                contact_mark,
                now,
                marks["contacts_contactemail"],
                marks["contacts_contactphone"],
                marks["contacts_contact_tags"],
            ],
        )
        run(
            "INSERT INTO contacts_contactactivity (contact_id, kind, summary, actor_id, occurred_at) "
            f"SELECT contact_id, 'updated', %s, %s, %s FROM {STAGE}_touched",
            [(activity_summary or f"Import: {source_detail}")[:1000], actor_id, now],
        )
        counts.updated = c.rowcount
        if with_contact_ids:
            run(f"SELECT {pid} FROM {STAGE} ORDER BY row_index")
            counts.contact_ids = [contact_id for (contact_id,) in c.fetchall()]
        run(f"SELECT COUNT(DISTINCT contact_id) FROM {STAGE} WHERE contact_id IS NOT NULL")
        counts.unchanged = c.fetchone()[0] - counts.updated
        for table in (STAGE, STAGE_TAGS, f"{STAGE}_fill", f"{STAGE}_touched"):
            run(f"DROP TABLE IF EXISTS {table}")
    return counts


def _record_acquired(contact_mark: int, source: str, source_detail: str) -> None:
    """The people this merge created reached the funnel's first stage."""
    stages_record_query(
        stage=Stage.ACQUIRED,
        query=contacts_acquired().filter(
            pk__gt=contact_mark, source=source, source_detail=source_detail
        ),
        why=" · ".join(filter(None, [str(Source(source).label), source_detail])),
    )


def _add_consents(
    cursor,
    wordings: dict[str, str],
    *,
    source: str,
    source_detail: str,
    now,
    paired_withdrawals: bool = False,
) -> int:
    """Each person's consents as the file gives them, with an event each, only where Terrain
    holds no answer yet on that channel: a file, of unknown date, never overrides a
    withdrawal (a STOP) nor repeats a consent already given. With `paired_withdrawals`, a
    new contact paired as a possible duplicate with a contact that withdrew on a channel
    does not get that channel either: it is likely the same person, whose "no" holds.
    Returns how many it recorded."""
    run = cursor.execute
    run("SELECT COALESCE(MAX(id), 0) FROM contacts_consentevent")
    event_mark = cursor.fetchone()[0]
    recorded = 0
    for channel, wording in wordings.items():
        run(f"DROP TABLE IF EXISTS {STAGE}_consent")
        run(
            f"CREATE TEMP TABLE {STAGE}_consent AS SELECT DISTINCT "
            f"COALESCE(s.contact_id, s.new_id) AS pid FROM {STAGE} s "
            "WHERE (',' || s.consents || ',') LIKE %s AND NOT EXISTS ("
            "SELECT 1 FROM contacts_consent k WHERE k.contact_id = COALESCE(s.contact_id, s.new_id) "
            "AND k.channel = %s AND k.status IN ('granted', 'withdrawn'))"
            + (
                " AND (s.contact_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM "
                "contacts_duplicatecandidate d JOIN contacts_consent k ON k.contact_id = "
                "CASE WHEN d.contact_a_id = s.new_id THEN d.contact_b_id ELSE d.contact_a_id END "
                "WHERE (d.contact_a_id = s.new_id OR d.contact_b_id = s.new_id) "
                "AND k.channel = %s AND k.status = 'withdrawn'))"
                if paired_withdrawals
                else ""
            ),
            [f"%,{channel},%", channel, *([channel] if paired_withdrawals else [])],
        )
        run(
            "INSERT INTO contacts_consentevent (contact_id, channel, status, source, "
            "source_detail, wording, actor_id, occurred_at, recorded_at) "
            f"SELECT pid, %s, 'granted', %s, %s, %s, NULL, %s, %s FROM {STAGE}_consent",
            [channel, source, source_detail, wording[:1000], now, now],
        )
        granted = cursor.rowcount
        recorded += granted
        run(
            "UPDATE contacts_consent SET status = 'granted', source = %s, wording = %s, "
            f"changed_at = %s WHERE channel = %s AND contact_id IN (SELECT pid FROM {STAGE}_consent)",
            [source, wording[:1000], now, channel],
        )
        run(
            "INSERT INTO contacts_consent (contact_id, channel, status, source, wording, "
            f"changed_at) SELECT x.pid, %s, 'granted', %s, %s, %s FROM {STAGE}_consent x "
            "WHERE NOT EXISTS (SELECT 1 FROM contacts_consent k "
            "WHERE k.contact_id = x.pid AND k.channel = %s)",
            [channel, source, wording[:1000], now, channel],
        )
        run(f"DROP TABLE {STAGE}_consent")
        if granted:  # the funnel: reachable, said as any other consent says it
            stages_record_query(
                stage=Stage.REACHABLE,
                query=ConsentEvent.objects.filter(
                    pk__gt=event_mark, channel=channel, status="granted"
                )
                .values(person=F("contact_id"))
                .annotate(at=Min("occurred_at")),
                why=consent_why(channel, source, source_detail),
            )
    return recorded


def _add_withdrawals(
    cursor, wordings: dict[str, str], *, source: str, source_detail: str, now
) -> int:
    """Each person's withdrawals as the file gives them (an unsubscribe, a "do not email"),
    with an event each, where Terrain does not hold a withdrawal already: a "no" the person
    said elsewhere holds here too, whatever Terrain knew. Returns how many it recorded;
    each is announced as an opt-out, as any other withdrawal is."""
    run = cursor.execute
    recorded = 0
    at = timezone.now().isoformat()
    for channel, wording in wordings.items():
        run(f"DROP TABLE IF EXISTS {STAGE}_consent")
        run(
            f"CREATE TEMP TABLE {STAGE}_consent AS SELECT DISTINCT "
            f"COALESCE(s.contact_id, s.new_id) AS pid FROM {STAGE} s "
            "WHERE (',' || s.withdrawals || ',') LIKE %s AND NOT EXISTS ("
            "SELECT 1 FROM contacts_consent k WHERE k.contact_id = COALESCE(s.contact_id, s.new_id) "
            "AND k.channel = %s AND k.status = 'withdrawn')",
            [f"%,{channel},%", channel],
        )
        run(
            "INSERT INTO contacts_consentevent (contact_id, channel, status, source, "
            "source_detail, wording, actor_id, occurred_at, recorded_at) "
            f"SELECT pid, %s, 'withdrawn', %s, %s, %s, NULL, %s, %s FROM {STAGE}_consent",
            [channel, source, source_detail, wording[:1000], now, now],
        )
        recorded += cursor.rowcount
        run(
            "UPDATE contacts_consent SET status = 'withdrawn', source = %s, wording = %s, "
            f"changed_at = %s WHERE channel = %s AND contact_id IN (SELECT pid FROM {STAGE}_consent)",
            [source, wording[:1000], now, channel],
        )
        run(
            "INSERT INTO contacts_consent (contact_id, channel, status, source, wording, "
            f"changed_at) SELECT x.pid, %s, 'withdrawn', %s, %s, %s FROM {STAGE}_consent x "
            "WHERE NOT EXISTS (SELECT 1 FROM contacts_consent k "
            "WHERE k.contact_id = x.pid AND k.channel = %s)",
            [channel, source, wording[:1000], now, channel],
        )
        run(f"SELECT pid FROM {STAGE}_consent")
        withdrawn = [pid for (pid,) in cursor.fetchall()]
        run(f"DROP TABLE {STAGE}_consent")
        for start in range(0, len(withdrawn), 2000):
            webhooks_emit(
                event=Event.OPT_OUT,
                payloads=partial(
                    _opt_out_payloads, withdrawn[start : start + 2000], channel, source, at
                ),
            )
    return recorded


def _opt_out_payloads(pks: list[int], channel: str, source: str, at: str) -> list[dict]:
    return [
        {"person": person_brief(contact), "channel": channel, "source": source, "at": at}
        for contact in Contact.objects.filter(pk__in=pks)
    ]


def _search_words(keys: dict[str, str]) -> str:
    """The search words of the contact the SQL expressions of its keys describe."""
    return search_words_sql(
        first_key=keys["first_name_key"],
        last_key=keys["last_name_key"],
        commune_key=keys["commune_key"],
    )


def _fillable_columns() -> list[str]:
    return [col for field, keys in FILLABLE for col in [field, *keys]]


def _scope_sql(within: QuerySet | None) -> tuple[str, list] | None:
    """`within` as SQL giving the ids of the contacts it holds (None: every contact)."""
    if within is None:
        return None
    try:
        sql, params = within.values("pk").query.sql_with_params()
    except EmptyResultSet:  # an organizer without territories: nobody
        return "SELECT id FROM contacts_contact WHERE 1 = 0", []
    return sql, list(params)


# Where a territory's code sits on a contact (contacts.scope.territory_q).
_TERRITORY_COLUMN = {"commune": "insee_code", "postal_code": "postal_code", "bureau": "bureau_code"}


def _place_unaddressed(run, place: tuple[str, str]) -> None:
    """New contacts with no address at all take the importing organizer's territory code,
    the one fact that keeps them in the organizer's sight; existing contacts never do."""
    kind, code = place
    run(
        f"UPDATE contacts_contact SET {_TERRITORY_COLUMN[kind]} = %s "
        f"WHERE id IN (SELECT new_id FROM {STAGE} WHERE contact_id IS NULL) "
        "AND street = '' AND postal_code = '' AND commune = '' AND insee_code = '' "
        "AND bureau_code = ''",
        [code],
    )


def _flag_matches_outside(run, *, contact_mark: int, now) -> None:
    """Rows left unmatched by a scoped merge whose email, phone or identity an existing
    contact holds: that contact is outside the scope (one inside would have matched). The
    new contact and that one become a pair for duplicate review, which only someone who
    sees both (an administrator) is shown."""
    found = {
        DuplicateCandidate.Reason.EMAIL: " UNION ".join(
            f"SELECT s.new_id AS mine, e.contact_id AS other FROM {STAGE} s "
            f"JOIN contacts_contactemail e ON e.address = s.{email} "
            f"WHERE s.contact_id IS NULL AND s.{email} <> ''"
            for email in EMAILS
        ),
        DuplicateCandidate.Reason.PHONE: " UNION ".join(
            f"SELECT s.new_id AS mine, p.contact_id AS other FROM {STAGE} s "
            f"JOIN contacts_contactphone p ON p.e164 = s.{phone} "
            f"WHERE s.contact_id IS NULL AND s.{phone} <> ''"
            for phone in (f"{p}_e164" for p in PHONES)
        ),
        DuplicateCandidate.Reason.IDENTITY: (
            f"SELECT s.new_id AS mine, c.id AS other FROM {STAGE} s "
            "JOIN contacts_contact c ON c.identity_key = s.identity "
            "WHERE s.contact_id IS NULL AND s.identity <> ''"
        ),
    }
    for reason, pairs in found.items():
        # One row per pair (a < b), whatever the reason found first.
        run(
            "INSERT INTO contacts_duplicatecandidate "
            "(contact_a_id, contact_b_id, reason, status, found_at) "
            "SELECT q.a, q.b, %s, %s, %s FROM (SELECT DISTINCT "
            "CASE WHEN p.other < p.mine THEN p.other ELSE p.mine END AS a, "
            "CASE WHEN p.other < p.mine THEN p.mine ELSE p.other END AS b "
            f"FROM ({pairs}) p WHERE p.other <= %s) q WHERE NOT EXISTS ("
            "SELECT 1 FROM contacts_duplicatecandidate d "
            "WHERE d.contact_a_id = q.a AND d.contact_b_id = q.b)",
            [reason, DuplicateCandidate.Status.OPEN, now, contact_mark],
        )


def _match_existing(run, scope: tuple[str, list] | None = None) -> None:
    """Set contact_id on rows whose person already exists: by email, then phone, then identity.
    With `scope` (SQL giving contact ids, and its parameters), only those contacts match."""
    sql, params = scope or ("", [])

    def inside(column: str) -> str:
        return f" AND {column} IN ({sql})" if scope else ""

    def spread_to_group() -> None:
        # A person matched through one row is matched for all the rows of the group.
        run(
            f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
            f"(SELECT grp, MIN(contact_id) AS contact_id FROM {STAGE} "
            f" WHERE contact_id IS NOT NULL GROUP BY grp) m "
            f"WHERE {STAGE}.grp = m.grp AND {STAGE}.contact_id IS NULL"
        )

    for email in EMAILS:
        run(
            f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
            f"(SELECT address, MIN(contact_id) AS contact_id FROM contacts_contactemail "
            f" WHERE address IN (SELECT {email} FROM {STAGE} WHERE {email} <> '')"
            f"{inside('contact_id')} GROUP BY address) m "
            f"WHERE {STAGE}.{email} = m.address AND {STAGE}.contact_id IS NULL",
            params or None,
        )
    spread_to_group()
    for phone in (f"{p}_e164" for p in PHONES):
        run(
            f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
            f"(SELECT e164, MIN(contact_id) AS contact_id FROM contacts_contactphone "
            f" WHERE e164 IN (SELECT {phone} FROM {STAGE} WHERE {phone} <> '')"
            f"{inside('contact_id')} GROUP BY e164) m "
            f"WHERE {STAGE}.{phone} = m.e164 AND {STAGE}.contact_id IS NULL",
            params or None,
        )
    spread_to_group()
    run(
        f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
        f"(SELECT identity_key, MIN(id) AS contact_id FROM contacts_contact "
        f" WHERE identity_key IN (SELECT identity FROM {STAGE} WHERE identity <> '')"
        f"{inside('id')} GROUP BY identity_key) m "
        f"WHERE {STAGE}.identity = m.identity_key AND {STAGE}.contact_id IS NULL",
        params or None,
    )
    spread_to_group()


def _add_channels(run, d: dict, pid: str) -> None:
    """New emails and phones of each person; the first becomes primary if none is."""
    # A row's first email comes before its second (line * 2, + 1 for the second).
    emails = " UNION ALL ".join(
        f"SELECT {pid} AS pid, {column} AS email, line * 2 + {rank} AS line "
        f"FROM {STAGE} WHERE {column} <> ''"
        for rank, column in enumerate(EMAILS)
    )
    run(
        "INSERT INTO contacts_contactemail (contact_id, address, is_primary) "
        f"SELECT x.pid, x.email, CASE WHEN x.rn = 1 AND NOT EXISTS (SELECT 1 FROM "
        f" contacts_contactemail p WHERE p.contact_id = x.pid AND p.is_primary = {d['true']}) "
        f" THEN {d['true']} ELSE {d['false']} END "
        "FROM (SELECT pid, email, ROW_NUMBER() OVER (PARTITION BY pid ORDER BY MIN(line)) AS rn "
        f" FROM ({emails}) e GROUP BY pid, email) x "
        "WHERE NOT EXISTS (SELECT 1 FROM contacts_contactemail e "
        " WHERE e.contact_id = x.pid AND e.address = x.email)"
    )
    phones = " UNION ALL ".join(
        f"SELECT {pid} AS pid, {p}_raw AS raw, {p}_e164 AS e164, {p}_kind AS kind, "
        f"line * 3 + {rank} AS line FROM {STAGE} WHERE {p}_raw <> ''"
        for rank, p in enumerate(PHONES)
    )
    # A readable number is one phone however it was typed; an unreadable one, by its text.
    key = "CASE WHEN e164 = '' THEN raw ELSE e164 END"
    run(
        "INSERT INTO contacts_contactphone (contact_id, raw, e164, kind, is_primary) "
        f"SELECT x.pid, x.raw, x.e164, x.kind, CASE WHEN x.rn = 1 AND NOT EXISTS (SELECT 1 FROM "
        f" contacts_contactphone p WHERE p.contact_id = x.pid AND p.is_primary = {d['true']}) "
        f" THEN {d['true']} ELSE {d['false']} END "
        "FROM (SELECT pid, MIN(raw) AS raw, e164, MIN(kind) AS kind, "
        "  ROW_NUMBER() OVER (PARTITION BY pid ORDER BY MIN(line)) AS rn "
        f" FROM ({phones}) p GROUP BY pid, e164, {key}) x "
        "WHERE NOT EXISTS (SELECT 1 FROM contacts_contactphone p WHERE p.contact_id = x.pid AND "
        " ((x.e164 <> '' AND p.e164 = x.e164) OR (x.e164 = '' AND p.raw = x.raw)))"
    )


def _add_tags(cursor, pid: str, row_tag_count: int, tags: list[str]) -> None:
    run = cursor.execute
    if row_tag_count:
        run(f"SELECT DISTINCT name FROM {STAGE_TAGS}")
        names = {name for (name,) in cursor.fetchall()}
    else:
        names = set()
    names |= set(tags)
    if not names:
        return
    Tag.objects.bulk_create([Tag(name=n) for n in sorted(names)], ignore_conflicts=True)
    if row_tag_count:
        run(
            "INSERT INTO contacts_contact_tags (contact_id, tag_id) "
            "SELECT DISTINCT COALESCE(s.contact_id, s.new_id), t.id "
            f"FROM {STAGE} s JOIN {STAGE_TAGS} st ON st.row_index = s.row_index "
            "JOIN contacts_tag t ON t.name = st.name "
            "WHERE NOT EXISTS (SELECT 1 FROM contacts_contact_tags ct "
            f" WHERE ct.contact_id = COALESCE(s.contact_id, s.new_id) AND ct.tag_id = t.id)"
        )
    if tags:
        placeholders = ", ".join(["%s"] * len(tags))
        run(
            "INSERT INTO contacts_contact_tags (contact_id, tag_id) "
            f"SELECT x.pid, t.id FROM (SELECT DISTINCT {pid} AS pid FROM {STAGE}) x "
            f"CROSS JOIN (SELECT id FROM contacts_tag WHERE name IN ({placeholders})) t "
            "WHERE NOT EXISTS (SELECT 1 FROM contacts_contact_tags ct "
            " WHERE ct.contact_id = x.pid AND ct.tag_id = t.id)",
            list(tags),
        )
