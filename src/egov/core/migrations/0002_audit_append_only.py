"""Database triggers that refuse UPDATE and DELETE (and TRUNCATE) on the audit trail."""

from django.db import migrations

from egov.core.db_triggers import create_audit_triggers, drop_audit_triggers


def forwards(apps, schema_editor):
    create_audit_triggers(schema_editor)


def backwards(apps, schema_editor):
    drop_audit_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
