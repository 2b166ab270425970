"""``manage.py verify_audit``: check the hash chain of the audit trail."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...audit import verify_anchors, verify_chain
from ...models import AuditChainHead


class Command(BaseCommand):
    help = "Verify the audit trail: report edited, deleted or reordered events (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor-file",
            default=getattr(settings, "EGOV_AUDIT_ANCHOR_FILE", ""),
            help="file of '<seq> <hash> <time>' lines kept outside the database; "
            "checked, then the current head is appended",
        )

    def handle(self, *args, anchor_file="", **options):
        report = verify_chain()
        problems = list(report.problems)
        anchor_path = Path(anchor_file) if anchor_file else None
        if anchor_path and anchor_path.exists():
            problems += verify_anchors(anchor_path.read_text().splitlines())
        for problem in problems:
            self.stderr.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(
                f"audit trail: {len(problems)} problem(s) in {report.checked} events"
            )
        head = AuditChainHead.objects.filter(pk=1).first()
        if anchor_path and head:
            from django.utils import timezone

            anchor_path.parent.mkdir(parents=True, exist_ok=True)
            with anchor_path.open("a") as out:
                out.write(f"{head.seq} {head.hash} {timezone.now().isoformat()}\n")
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {report.checked} events"))
