"""What the exchange holds, as JSON (operators, tests, the benchmark)."""

import hashlib
import json

from django.core.management.base import BaseCommand

from egov.exchange.models import OutboxMessage, ReceivedPackage, ReceivedStatus


class Command(BaseCommand):
    help = "Print the received packages, received statuses and outbox as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--counts", action="store_true", help="only the counts")
        parser.add_argument("--files", action="store_true", help="with attachment digests")
        parser.add_argument(
            "--export", nargs=2, metavar=("MESSAGE_ID", "PATH"), help="write a queued package"
        )
        parser.add_argument(
            "--incoming",
            action="store_true",
            help="the office's incoming documents from the exchange, with versions and history",
        )

    def handle(self, *args, counts, files, export=None, incoming=False, **options):
        if incoming:
            self.stdout.write(json.dumps(_incoming(), ensure_ascii=False))
            return
        if export:
            message = OutboxMessage.objects.get(pk=int(export[0]))
            with open(export[1], "wb") as out:
                out.write(bytes(message.package))
            return
        if counts:
            data = {
                "received": ReceivedPackage.objects.count(),
                "received_documents": ReceivedPackage.objects.values("document_id", "to_code")
                .distinct()
                .count(),
                "statuses": ReceivedStatus.objects.count(),
                "outbox": {
                    s: OutboxMessage.objects.filter(status=s).count()
                    for s in OutboxMessage.Status.values
                },
            }
            self.stdout.write(json.dumps(data))
            return
        received = []
        for p in ReceivedPackage.objects.order_by("pk"):
            row = {
                "document_id": p.document_id,
                "from": p.from_code,
                "to": p.to_code,
                "business": p.business_doc_type,
                "subject": p.subject,
                "indication": p.validation.get("indication"),
                "signer": (p.validation.get("signer") or {}).get("name"),
            }
            if files:
                row["files"] = [
                    {"name": n, "type": t, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                    for n, t, d in p.attachments
                ]
            received.append(row)
        data = {
            "received": received,
            "statuses": [
                {
                    "document_id": s.document_id,
                    "from": s.from_code,
                    "status": s.status_code,
                    "description": s.description,
                }
                for s in ReceivedStatus.objects.order_by("pk")
            ],
            "outbox": [
                {
                    "id": m.pk,
                    "kind": m.kind,
                    "document_id": m.document_id,
                    "to": m.recipient_code,
                    "business": m.business_doc_type,
                    "status": m.status,
                    "attempts": m.attempts,
                    "answer": m.answer_code,
                    "error": m.last_error,
                }
                for m in OutboxMessage.objects.order_by("pk")
            ],
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False))


def _incoming() -> list[dict]:
    """What the office registered from the exchange (operators and tests read the result of
    updates, replacements and recalls here)."""
    from egov.office.models import IncomingDocument

    return [
        {
            "id": d.pk,
            "document_id": d.edxml_document_id,
            "number_symbol": d.number_symbol,
            "subject": d.subject,
            "state": d.state,
            "version": d.version,
            "revocation": (d.validation.get("package") or {}).get("revocation", {}).get("status"),
            "files": [
                {"name": f.name, "version": f.version, "superseded": f.superseded}
                for f in d.files.order_by("pk")
            ],
            "history": [h.action for h in d.handlings.order_by("at", "pk")],
        }
        for d in IncomingDocument.objects.filter(source="exchange").order_by("pk")
    ]
