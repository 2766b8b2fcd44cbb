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
import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from campaign.bulk import copy_rows

STAGE = "terrain_import_stage"
STAGE_TAGS = "terrain_import_stage_tags"
TEXT_COLUMNS = [
    "first_name",
    "last_name",
    "first_name_key",
    "last_name_key",
    "birth_date",
    "email",
    "phone_raw",
    "phone_e164",
    "phone_kind",
    "phone2_raw",
    "phone2_e164",
    "phone2_kind",
    "street",
    "postal_code",
    "commune",
    "commune_key",
    "insee_code",
    "bureau_code",
    "bureau_label",
    "custom_fields",
    "identity",
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
]


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # rows folded into another row of the same file


def _dialect() -> dict:
    if connection.vendor == "postgresql":
        return {"uuid": "uuid", "json": "CAST({} AS jsonb)", "date": "CAST({} AS date)"}
    return {"uuid": "char(32)", "json": "{}", "date": "{}"}


def merge_rows(
    *,
    rows: pd.DataFrame,
    groups: np.ndarray,
    source_detail: str,
    tags: list[str],
    actor_id: int | None,
    on_phase=lambda phase, percent: None,
) -> MergeCounts:
    """Merge clean rows into contacts. Call inside a transaction (services.contact_import_run)."""
    counts = MergeCounts(merged=int(len(rows) - len(np.unique(groups))) if len(rows) else 0)
    if not len(rows):
        return counts
    d = _dialect()
    now = timezone.now()
    person_uuid = np.array([uuid.uuid4().hex for _ in range(len(rows))], dtype=object)
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {STAGE}")
        c.execute(f"DROP TABLE IF EXISTS {STAGE_TAGS}")
        columns_sql = ", ".join(f"{name} text NOT NULL" for name in TEXT_COLUMNS)
        c.execute(
            f"CREATE TEMP TABLE {STAGE} (row_index integer NOT NULL, line integer NOT NULL, "
            f"grp integer NOT NULL, person_uuid {d['uuid']} NOT NULL, {columns_sql}, contact_id bigint)"
        )
        c.execute(
            f"CREATE TEMP TABLE {STAGE_TAGS} (row_index integer NOT NULL, name text NOT NULL)"
        )
    on_phase("staging", 55)
    frame = rows[TEXT_COLUMNS].copy()
    frame.insert(0, "person_uuid", person_uuid[groups])
    frame.insert(0, "grp", groups)
    frame.insert(0, "line", rows["line"].to_numpy())
    frame.insert(0, "row_index", np.arange(len(rows)))
    copy_rows(
        STAGE,
        ["row_index", "line", "grp", "person_uuid", *TEXT_COLUMNS],
        frame.itertuples(index=False),
    )
    row_tags = [(i, name) for i, names in enumerate(rows["tags"]) for name in json.loads(names)]
    copy_rows(STAGE_TAGS, ["row_index", "name"], row_tags)

    with connection.cursor() as c:
        run = c.execute
        for column in (
            "grp",
            "email",
            "phone_e164",
            "phone2_e164",
            "identity",
            "contact_id",
            "row_index",
        ):
            run(f"CREATE INDEX {STAGE}_{column} ON {STAGE} ({column})")
        run(f"ANALYZE {STAGE}")
        on_phase("matching", 65)

        def spread_to_group() -> None:
            # A person matched through one row is matched for all the rows of the group.
            run(
                f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
                f"(SELECT grp, MIN(contact_id) AS contact_id FROM {STAGE} "
                f" WHERE contact_id IS NOT NULL GROUP BY grp) m "
                f"WHERE {STAGE}.grp = m.grp AND {STAGE}.contact_id IS NULL"
            )

        run(
            f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
            f"(SELECT address, MIN(contact_id) AS contact_id FROM contacts_contactemail "
            f" WHERE address IN (SELECT email FROM {STAGE} WHERE email <> '') GROUP BY address) m "
            f"WHERE {STAGE}.email = m.address"
        )
        spread_to_group()
        for phone in ("phone_e164", "phone2_e164"):
            run(
                f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
                f"(SELECT e164, MIN(contact_id) AS contact_id FROM contacts_contactphone "
                f" WHERE e164 IN (SELECT {phone} FROM {STAGE} WHERE {phone} <> '') GROUP BY e164) m "
                f"WHERE {STAGE}.{phone} = m.e164 AND {STAGE}.contact_id IS NULL"
            )
        spread_to_group()
        run(
            f"UPDATE {STAGE} SET contact_id = m.contact_id FROM "
            f"(SELECT identity_key, MIN(id) AS contact_id FROM contacts_contact "
            f" WHERE identity_key IN (SELECT identity FROM {STAGE} WHERE identity <> '') "
            f" GROUP BY identity_key) m "
            f"WHERE {STAGE}.identity = m.identity_key AND {STAGE}.contact_id IS NULL"
        )
        spread_to_group()

        # Watermarks: rows added after these ids are this import's.
        run("SELECT COALESCE(MAX(id), 0) FROM contacts_contact")
        contact_mark = c.fetchone()[0]
        marks = {}
        for table in ("contacts_contactemail", "contacts_contactphone", "contacts_contact_tags"):
            run(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            marks[table] = c.fetchone()[0]

        on_phase("creating", 75)
        run(
            "INSERT INTO contacts_contact (uuid, first_name, last_name, birth_date, first_name_key, "
            "last_name_key, street, postal_code, commune, commune_key, insee_code, bureau_code, "
            "bureau_label, custom_fields, source, source_detail, source_at, created_at, updated_at, "
            "created_by_id, identity_key) "
            f"SELECT person_uuid, first_name, last_name, {d['date'].format('NULLIF(birth_date, %s)')}, "
            "first_name_key, last_name_key, street, postal_code, commune, commune_key, insee_code, "
            f"bureau_code, bureau_label, {d['json'].format('custom_fields')}, 'import', %s, %s, %s, "
            f"%s, %s, identity FROM {STAGE} WHERE contact_id IS NULL AND row_index = grp",
            ["", source_detail[:255], now, now, now, actor_id],
        )
        counts.created = c.rowcount
        run(
            f"UPDATE {STAGE} SET contact_id = c.id FROM contacts_contact c "
            f"WHERE c.uuid = {STAGE}.person_uuid AND {STAGE}.contact_id IS NULL"
        )

        on_phase("completing", 85)
        # Fill empty fields of matched (and new) contacts from any row of their person.
        aggregates = ", ".join(
            f"MAX({field}) AS {field}" + "".join(f", MAX({key}) AS {key}" for key in keys)
            for field, keys in FILLABLE
        )
        blanks = " OR ".join(f"(c.{field} = '' AND f.{field} <> '')" for field, _keys in FILLABLE)
        blanks += " OR (c.birth_date IS NULL AND f.birth_date <> '')"
        sets = ", ".join(
            f"{col} = CASE WHEN contacts_contact.{field} = '' THEN f.{col} "
            f"ELSE contacts_contact.{col} END"
            for field, keys in FILLABLE
            for col in [field, *keys]
        )
        run(f"DROP TABLE IF EXISTS {STAGE}_fill")
        run(
            f"CREATE TEMP TABLE {STAGE}_fill AS SELECT contact_id, {aggregates}, "
            f"MAX(birth_date) AS birth_date FROM {STAGE} GROUP BY contact_id"
        )
        run(
            f"UPDATE contacts_contact SET updated_at = %s FROM {STAGE}_fill f "
            f"WHERE contacts_contact.id = f.contact_id AND contacts_contact.id <= %s AND EXISTS ("
            f" SELECT 1 FROM contacts_contact c WHERE c.id = f.contact_id AND ({blanks}))",
            [now, contact_mark],
        )
        # Marked ones, and the new contacts (made at `now` too), whose other rows may add.
        run(
            f"UPDATE contacts_contact SET {sets}, "
            f"birth_date = COALESCE(contacts_contact.birth_date, "
            f"{d['date'].format('NULLIF(f.birth_date, %s)')}) "
            f"FROM {STAGE}_fill f WHERE contacts_contact.id = f.contact_id "
            f"AND contacts_contact.updated_at = %s",
            ["", now],
        )

        on_phase("channels", 90)
        run(
            "INSERT INTO contacts_contactemail (contact_id, address, is_primary) "
            f"SELECT DISTINCT s.contact_id, s.email, {_false()} FROM {STAGE} s WHERE s.email <> '' "
            "AND NOT EXISTS (SELECT 1 FROM contacts_contactemail e "
            " WHERE e.contact_id = s.contact_id AND e.address = s.email)"
        )
        for prefix in ("phone", "phone2"):
            run(
                "INSERT INTO contacts_contactphone (contact_id, raw, e164, kind, is_primary) "
                f"SELECT s.contact_id, MIN(s.{prefix}_raw), s.{prefix}_e164, MIN(s.{prefix}_kind), {_false()} "
                f"FROM {STAGE} s WHERE s.{prefix}_raw <> '' AND NOT EXISTS ("
                " SELECT 1 FROM contacts_contactphone p WHERE p.contact_id = s.contact_id AND "
                f" ((s.{prefix}_e164 <> '' AND p.e164 = s.{prefix}_e164) OR "
                f"  (s.{prefix}_e164 = '' AND p.raw = s.{prefix}_raw))) "
                f"GROUP BY s.contact_id, s.{prefix}_e164, CASE WHEN s.{prefix}_e164 = '' THEN s.{prefix}_raw END"
            )
        for table in ("contacts_contactemail", "contacts_contactphone"):
            # The first address or number of a contact that has none marked primary becomes it.
            run(
                f"UPDATE {table} SET is_primary = {_true()} WHERE id IN ("
                f" SELECT MIN(t.id) FROM {table} t WHERE t.id > %s GROUP BY t.contact_id"
                f" HAVING NOT EXISTS (SELECT 1 FROM {table} p "
                f"  WHERE p.contact_id = t.contact_id AND p.is_primary = {_true()}))",
                [marks[table]],
            )

        on_phase("tags", 95)
        names = sorted({name for _i, name in row_tags} | set(tags))
        if names:
            from contacts.models import Tag

            Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
        if row_tags:
            run(
                "INSERT INTO contacts_contact_tags (contact_id, tag_id) "
                f"SELECT DISTINCT s.contact_id, t.id FROM {STAGE} s "
                f"JOIN {STAGE_TAGS} st ON st.row_index = s.row_index "
                "JOIN contacts_tag t ON t.name = st.name "
                "WHERE NOT EXISTS (SELECT 1 FROM contacts_contact_tags ct "
                " WHERE ct.contact_id = s.contact_id AND ct.tag_id = t.id)"
            )
        if tags:
            placeholders = ", ".join(["%s"] * len(tags))
            run(
                "INSERT INTO contacts_contact_tags (contact_id, tag_id) "
                f"SELECT DISTINCT s.contact_id, t.id FROM {STAGE} s "
                f"CROSS JOIN (SELECT id FROM contacts_tag WHERE name IN ({placeholders})) t "
                "WHERE NOT EXISTS (SELECT 1 FROM contacts_contact_tags ct "
                " WHERE ct.contact_id = s.contact_id AND ct.tag_id = t.id)",
                list(tags),
            )

        # Existing contacts that got something new: a filled field, an email, a phone, a tag.
        run(f"DROP TABLE IF EXISTS {STAGE}_touched")
        run(
            f"CREATE TEMP TABLE {STAGE}_touched AS SELECT DISTINCT contact_id FROM {STAGE} "
            "WHERE contact_id <= %s AND ("
            " contact_id IN (SELECT id FROM contacts_contact WHERE updated_at = %s) "
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
            [f"Import: {source_detail}"[:1000], actor_id, now],
        )
        counts.updated = c.rowcount
        run(
            f"SELECT COUNT(DISTINCT contact_id) FROM {STAGE} WHERE contact_id <= %s", [contact_mark]
        )
        counts.unchanged = c.fetchone()[0] - counts.updated
        for table in (STAGE, STAGE_TAGS, f"{STAGE}_fill", f"{STAGE}_touched"):
            run(f"DROP TABLE IF EXISTS {table}")
    return counts


def _true() -> str:
    return "TRUE" if connection.vendor == "postgresql" else "1"


def _false() -> str:
    return "FALSE" if connection.vendor == "postgresql" else "0"
