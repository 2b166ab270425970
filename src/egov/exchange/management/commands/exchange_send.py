"""Send a synthetic document through the exchange (demo, tests, benchmark) — the same path
as a document the office releases."""

import datetime as dt
import mimetypes
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from egov.core.models import Agency
from egov.exchange.outgoing import OutgoingInfo
from egov.exchange.services import queue_document


class Command(BaseCommand):
    help = "Queue a synthetic document from a local agency to agencies of peer installations."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="from_code", required=True)
        parser.add_argument("--to", action="append", required=True)
        parser.add_argument("--number", required=True)
        parser.add_argument("--notation", default="UBND-VP")
        parser.add_argument("--date", help="promulgation date YYYY-MM-DD (default today)")
        parser.add_argument("--subject", default="Văn bản thử nghiệm trao đổi liên thông")
        parser.add_argument("--attach", action="append", default=[], help="file to attach")
        parser.add_argument("--business", type=int, default=0, help="0 new, 1 revoke, 2, 3")
        parser.add_argument("--reason", default="")
        parser.add_argument(
            "--response-for",
            default="",
            help="DocumentId of the earlier document an update (2) or replacement (3) revises",
        )
        parser.add_argument(
            "--count", type=int, default=1, help="send this many, numbered from --number on"
        )

    def handle(self, *args, **o):
        agency = Agency.objects.filter(code=o["from_code"]).first()
        if agency is None:
            raise CommandError(f"{o['from_code']} is not an agency of this installation")
        date = dt.date.fromisoformat(o["date"]) if o["date"] else timezone.localdate()
        attachments = [
            (
                Path(p).name,
                mimetypes.guess_type(p)[0] or "application/octet-stream",
                Path(p).read_bytes(),
            )
            for p in o["attach"]
        ]
        for offset in range(o["count"]):
            number = str(int(o["number"]) + offset) if o["count"] > 1 else o["number"]
            info = OutgoingInfo(
                from_code=agency.code,
                from_name=agency.name,
                code_number=number,
                code_notation=o["notation"],
                subject=o["subject"],
                promulgation_date=date,
                attachments=attachments,
                response_for=_response_for(o["response_for"]),
            )
            rows = queue_document(info, o["to"], business=o["business"], reason=o["reason"])
            self.stdout.write(info.document_id)
            for row in rows:
                self.stdout.write(
                    f"  #{row.pk} → {row.recipient_code}: {row.status} {row.last_error}"
                )


def _response_for(document_id: str) -> dict:
    """ResponseFor from an edXML DocumentId ``<OrganId>,<yyyy/MM/dd>,<number/symbol>``."""
    if not document_id:
        return {}
    organ, _sep, rest = document_id.partition(",")
    day, _sep, code = rest.partition(",")
    try:
        promulgated = dt.datetime.strptime(day, "%Y/%m/%d").strftime("%d/%m/%Y")
    except ValueError:
        promulgated = ""
    return {
        "OrganId": organ,
        "Code": code,
        "PromulgationDate": promulgated,
        "DocumentId": document_id,
    }
