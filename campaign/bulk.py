"""Loading many rows at once: COPY on PostgreSQL, batched INSERTs elsewhere."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.db import connection

BATCH = 5000


def db_datetime(value) -> str:
    """A datetime as this database stores it, for raw SQL and bulk loads: SQLite keeps naive
    UTC text the ORM can read and compare; PostgreSQL takes the aware value."""
    return str(connection.ops.adapt_datetimefield_value(value))


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, nullable: Iterable[str] = ()
) -> None:
    """Insert `rows` into `table`. Table and column names come from code, never from input.

    Values are written as text; an empty string in a `nullable` column becomes NULL.
    """
    nullable = set(nullable)
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        buffer.seek(0)
        not_null = [c for c in columns if c not in nullable]
        options = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv{options})", buffer
            )
        return
    null_at = [i for i, c in enumerate(columns) if c in nullable]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    batch: list = []
    with connection.cursor() as cursor:
        for row in rows:
            if null_at:
                row = [None if (i in null_at and v == "") else v for i, v in enumerate(row)]
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def copy_model_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """copy_rows for a model's table, by field names; empty strings become NULL in nullable fields."""
    meta = model._meta
    columns = [meta.get_field(f).column for f in fields]
    nullable = [meta.get_field(f).column for f in fields if meta.get_field(f).null]
    copy_rows(meta.db_table, columns, rows, nullable=nullable)
