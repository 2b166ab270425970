"""edXML package bytes of received packages and of the outbox move from the database to files.

``ReceivedPackage.raw`` and ``OutboxMessage.package`` (BinaryFields of ~1.4 MB) become files of
the default storage (``exchange/received/%Y/%m/``, ``exchange/outbox/%Y/%m/``) whose SHA-256 is
kept in the row: on PostgreSQL the exchange waited on writing each package into the WAL and
TOAST. Each existing row's bytes are written to a file (flushed) before the row names it.
Reversible: going back reads the files into the rows again (the files are left in place).
Status packages (``ReceivedStatus.raw``, the answers) stay in the database: they are small.
"""

from django.db import migrations, models

from egov.exchange import package_files

MOVES = [
    ("receivedpackage", "raw"),
    ("outboxmessage", "package"),
]


def to_files(apps, schema_editor):
    for model_name, name in MOVES:
        model = apps.get_model("exchange", model_name)
        for pk in model.objects.order_by("pk").values_list("pk", flat=True).iterator():
            row = model.objects.get(pk=pk)
            data = bytes(getattr(row, name) or b"")
            if not data:
                continue
            sha256 = package_files.store(row, f"{name}_file", data)
            model.objects.filter(pk=pk).update(
                **{
                    f"{name}_file": getattr(row, f"{name}_file").name,
                    f"{name}_sha256": sha256,
                    name: b"",  # the column is dropped next
                }
            )


def to_rows(apps, schema_editor):
    for model_name, name in MOVES:
        model = apps.get_model("exchange", model_name)
        for pk in model.objects.order_by("pk").values_list("pk", flat=True).iterator():
            row = model.objects.get(pk=pk)
            fieldfile = getattr(row, f"{name}_file")
            data = package_files.load(fieldfile, getattr(row, f"{name}_sha256"))
            model.objects.filter(pk=pk).update(**{name: data})


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_packages_stored_uncompressed")]

    operations = [
        migrations.AddField(
            model_name="receivedpackage",
            name="raw_file",
            field=models.FileField(
                blank=True, upload_to="exchange/received/%Y/%m/", verbose_name="package"
            ),
        ),
        migrations.AddField(
            model_name="receivedpackage",
            name="raw_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="package SHA-256"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="package_file",
            field=models.FileField(
                blank=True, upload_to="exchange/outbox/%Y/%m/", verbose_name="package"
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="package_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="package SHA-256"),
        ),
        migrations.RunPython(to_files, to_rows),
        # A default, so that going back can add the columns to tables that hold rows.
        migrations.AlterField(
            model_name="receivedpackage",
            name="raw",
            field=models.BinaryField(blank=True, default=b"", verbose_name="package"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="package",
            field=models.BinaryField(blank=True, default=b"", verbose_name="package"),
        ),
        migrations.RemoveField(model_name="receivedpackage", name="raw"),
        migrations.RemoveField(model_name="outboxmessage", name="package"),
    ]
