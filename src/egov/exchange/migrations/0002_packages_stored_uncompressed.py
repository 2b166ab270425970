"""PostgreSQL: keep edXML package bytes out of line but uncompressed.

A package is mostly the base64 of its attachments, which compresses poorly: PostgreSQL's
default TOAST compression spent more CPU on each 1.4 MB package than it saved (the exchange
benchmark on PostgreSQL ran at half its SQLite speed). ``STORAGE EXTERNAL`` keeps the value
out of line without compressing it. Nothing to do on SQLite.
"""

from django.db import migrations

COLUMNS = [
    ("exchange_receivedpackage", "raw"),
    ("exchange_outboxmessage", "package"),
]


def uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STORAGE EXTERNAL')


def compressed(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STORAGE EXTENDED')


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(uncompressed, compressed)]
