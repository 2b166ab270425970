"""The append-only triggers survive schema changes: every `migrate` puts them back."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from egov.core.audit import record_event
from egov.core.db_triggers import drop_audit_triggers

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_migration_run_restores_triggers_a_table_rebuild_would_have_lost():
    record_event("test.event", changes={"n": 1})
    # What SQLite's table rebuild (or a careless administrator) does to the triggers:
    with connection.schema_editor() as editor:
        drop_audit_triggers(editor)
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'rewritten'")
