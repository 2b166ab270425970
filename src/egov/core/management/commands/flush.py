"""``flush`` that respects the append-only audit trail.

Django's ``flush`` empties every table. On a real installation the audit triggers make it fail,
which is what we want: nobody wipes the audit trail by accident. The test suite, which empties
its throw-away database between transactional tests, sets ``EGOV_FLUSH_WIPES_AUDIT`` so the
triggers are lifted for the duration of the flush and put back afterwards.
"""

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from ...db_triggers import drop_audit_triggers, ensure_audit_triggers


class Command(DjangoFlush):
    def handle(self, **options):
        if not getattr(settings, "EGOV_FLUSH_WIPES_AUDIT", False):
            return super().handle(**options)
        connection = connections[options["database"]]
        with connection.schema_editor() as editor:
            drop_audit_triggers(editor)
        try:
            return super().handle(**options)
        finally:
            ensure_audit_triggers(options["database"])
