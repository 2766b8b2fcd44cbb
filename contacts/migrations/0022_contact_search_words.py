"""Contact.search_words: the words of a person's names and commune, so that a search finds
"Le Goff" by "goff", "le goff" or "goff le", and "d'Almeida" by "almeida" or "dalmeida".

Existing rows are filled in batches of ids, each committed on its own (the migration is not
atomic), so a large table is never locked by one long statement. The index is built once
they are all filled.

On PostgreSQL a GIN index of the words as a text-search vector (contact_search_vector)
answers a search for "le goff" as `… @@ to_tsquery('le:* & goff:*')`: a prefix lookup per
word, intersected. SQLite, the embedded default, scans with LIKE.

The search also tests each word with LIKE, which PostgreSQL checks first (cheaper), so the
vector is computed only on rows that match when a page walks the newest contacts or the
name order instead of the index. The function is declared cheap (COST 1) and with its own
search_path, which keeps PostgreSQL from inlining to_tsvector and its cost of 100: at that
cost the planner launched parallel workers for such a walk, 50 ms to find 50 rows in 2 ms.

Measured at 1,000,000 demo contacts (a shared, busy machine): the index takes 13 MB and 7 s
to build, and adds about half to the time of inserting contacts (their other indexes
included). A GIN of every prefix of every word (an array, `@> '{le,goff}'`) answered as
fast but was 85 MB, took 40 s to build and made inserts three times slower. Filling the
column took about 10 s per 100,000 contacts: this migration takes about 10 s at 100,000
contacts and two minutes at a million.
"""

from django.db import migrations, models

from contacts.normalize import search_words_sql

BATCH = 50_000

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION contact_search_vector(words text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1 SET search_path = pg_catalog AS $$
    SELECT to_tsvector('simple'::regconfig, words)
$$
"""
VECTOR_INDEX = (
    "CREATE INDEX contact_search_words_idx ON contacts_contact "
    "USING gin (contact_search_vector(search_words))"
)


def fill_words(connection, *, batch: int = BATCH) -> None:
    """Every contact's search words from its keys, `batch` ids at a time (erased ones stay
    blank)."""
    words = search_words_sql(
        first_key="first_name_key", last_key="last_name_key", commune_key="commune_key"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM contacts_contact")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, batch):
            cursor.execute(
                f"UPDATE contacts_contact SET search_words = {words} "  # noqa: S608 (column names)
                "WHERE id >= %s AND id < %s AND erased_at IS NULL",
                [start, start + batch],
            )


def fill(apps, schema_editor):
    fill_words(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(VECTOR_FUNCTION)
            cursor.execute(VECTOR_INDEX)


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS contact_search_words_idx")
            cursor.execute("DROP FUNCTION IF EXISTS contact_search_vector(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("contacts", "0021_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="search_words",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(fill, unfill, elidable=False),
    ]
