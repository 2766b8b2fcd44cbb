"""Named locks held until the current transaction ends."""

from django.db import connection


def transaction_lock(name: str) -> None:
    """Wait for, then hold, the lock `name` until the transaction commits or rolls back.

    PostgreSQL: an advisory lock. SQLite (the embedded default) lets one writer in at a time
    already, so there is nothing more to take. Call inside transaction.atomic().
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
