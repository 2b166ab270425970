"""The shipped Vietnamese message templates (existing ones are never overwritten)."""

from django.db import migrations


def load(apps, schema_editor):
    from egov.notifications.defaults import VI

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    existing = set(
        MessageTemplate.objects.filter(language="vi").values_list("event", "channel")
    )
    MessageTemplate.objects.bulk_create(
        [
            MessageTemplate(
                event=event, channel=channel, language="vi", subject=subject, body=body
            )
            for (event, channel), (subject, body) in VI.items()
            if (event, channel) not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_applicant_messages")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
