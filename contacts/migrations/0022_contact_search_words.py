"""Contact.search_words: the words of a person's names and commune, so that a search finds
"Le Goff" by "goff", "le goff" or "goff le", and "d'Almeida" by "almeida" or "dalmeida".

Existing rows are filled in batches of ids, each committed on its own (the migration is not
atomic), so a large table is never locked by one long statement. The index is built once
they are all filled.

On PostgreSQL a GIN index holds every prefix of every word (contact_word_prefixes), so a
search for "le goff" is `contact_word_prefixes(search_words) @> '{le,goff}'`: one index
lookup per word, intersected. SQLite, the embedded default, scans with LIKE.
"""

from django.db import migrations, models

from contacts.normalize import search_words_sql

BATCH = 50_000

PREFIXES_FUNCTION = """
CREATE OR REPLACE FUNCTION contact_word_prefixes(words text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(pg_catalog.substr(word, 1, n))
    FROM pg_catalog.unnest(pg_catalog.string_to_array(words, ' ')) AS word,
         pg_catalog.generate_series(1, pg_catalog.length(word)) AS n
$$
"""
PREFIXES_INDEX = (
    "CREATE INDEX contact_search_words_idx ON contacts_contact "
    "USING gin (contact_word_prefixes(search_words))"
)


def fill(apps, schema_editor):
    words = search_words_sql(
        first_key="first_name_key", last_key="last_name_key", commune_key="commune_key"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM contacts_contact")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                f"UPDATE contacts_contact SET search_words = {words} "  # noqa: S608 (column names)
                "WHERE id >= %s AND id < %s AND erased_at IS NULL",
                [start, start + BATCH],
            )
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(PREFIXES_FUNCTION)
            cursor.execute(PREFIXES_INDEX)


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS contact_search_words_idx")
            cursor.execute("DROP FUNCTION IF EXISTS contact_word_prefixes(text)")


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
