"""Database triggers that make the audit trail append-only (used by migration 0002).

The model already refuses updates and deletes; the triggers keep the promise against raw SQL,
other programs and a database administrator who forgets. Someone who drops them first is
still caught by the hash chain.
"""

TABLE = "core_auditevent"
MESSAGE = "audit events are append-only"
SQLITE_NO_REPLACE = (
    "CREATE TRIGGER egov_audit_no_replace BEFORE INSERT ON core_auditevent "
    "WHEN EXISTS (SELECT 1 FROM core_auditevent WHERE id = NEW.id OR seq = NEW.seq) "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
)


def create_audit_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION egov_audit_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;
        """)
        schema_editor.execute(f"""
            CREATE TRIGGER egov_audit_no_update BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION egov_audit_append_only();
        """)
        schema_editor.execute(f"""
            CREATE TRIGGER egov_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION egov_audit_append_only();
        """)
    elif vendor == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            schema_editor.execute(f"""
                CREATE TRIGGER egov_audit_no_{operation.lower()} BEFORE {operation} ON {TABLE}
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
            """)
        # INSERT OR REPLACE removes the old row by conflict resolution, which fires no DELETE
        # trigger: refuse any insert that would collide with an existing event.
        schema_editor.execute(SQLITE_NO_REPLACE)


def ensure_audit_triggers(using: str = "default") -> None:
    """(Re)create the triggers after every ``migrate``.

    SQLite rebuilds a table (new table, copy, drop, rename) for many schema changes, and the
    triggers of the old table go with it; re-creating them after each migration run keeps the
    promise whatever later migrations do to the audit table.
    """
    from django.db import connections

    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return
    with connection.schema_editor() as editor:
        drop_audit_triggers(editor)
        create_audit_triggers(editor)


def drop_audit_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS egov_audit_no_update ON {TABLE}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS egov_audit_no_truncate ON {TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS egov_audit_append_only()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS egov_audit_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS egov_audit_no_delete")
        schema_editor.execute("DROP TRIGGER IF EXISTS egov_audit_no_replace")
