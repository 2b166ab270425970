"""Primary keys allocated before the row is written.

A row whose final content is only known at the end of its transaction (a dossier gets its code
and tracking number last, when the registers are locked) can then be inserted once, in final
form, while the rows that point to it are written first — their foreign keys are checked at
commit (Django declares them DEFERRABLE INITIALLY DEFERRED). Inserting once instead of
INSERT + UPDATE saves a statement and a second version of the row with all its index entries.
"""

from django.db import connection

_sequences: dict[str, str] = {}


def next_id(model) -> int | None:
    """The next primary key of ``model`` from its PostgreSQL identity sequence, or None where
    the database has no sequences (SQLite: the caller inserts first and updates later)."""
    if connection.vendor != "postgresql":
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if table not in _sequences:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            _sequences[table] = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass)", [_sequences[table]])
        return cursor.fetchone()[0]
