"""``manage.py check_deadlines``: warn before due dates and mark overdue dossiers (idempotent)."""

from django.core.management.base import BaseCommand

from ...deadlines import check_deadlines


class Command(BaseCommand):
    help = "Warn assignees and leaders before due dates; mark overdue dossiers."

    def handle(self, *args, **options):
        counts = check_deadlines()
        self.stdout.write(f"deadlines: {counts['warned']} warned, {counts['overdue']} overdue")
