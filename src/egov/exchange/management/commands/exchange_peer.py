"""Peer directory: ``exchange_peer add …`` / ``exchange_peer list``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.exchange.models import Peer
from egov.exchange.services import ExchangeRefused, save_peer
from egov.exchange.setup import to_pem


class Command(BaseCommand):
    help = (
        "Add or update a peer installation (agency code prefix → endpoint, trusted CAs), "
        "or list them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add or update the peer serving a code prefix")
        add.add_argument("--name", required=True)
        add.add_argument("--code-prefix", required=True, help="agency code or its first part")
        add.add_argument("--url", required=True, help="the peer's POST /exchange/v1/edxml URL")
        add.add_argument(
            "--ca", action="append", required=True, help="CA certificate file (PEM or DER)"
        )
        add.add_argument("--inactive", action="store_true")
        sub.add_parser("list", help="list the peers")

    def handle(self, *args, action, **options):
        if action == "add":
            pem = "".join(to_pem(Path(path).read_bytes()) for path in options["ca"])
            try:
                peer = save_peer(
                    None,
                    name=options["name"],
                    code_prefix=options["code_prefix"],
                    endpoint_url=options["url"],
                    ca_certificates=pem,
                    active=not options["inactive"],
                )
            except ExchangeRefused as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"saved {peer}")
            return
        for peer in Peer.objects.all():
            state = "active" if peer.active else "inactive"
            roots = "; ".join(c.subject.native.get("common_name", "") for c in peer.trust_roots)
            self.stdout.write(
                f"{peer.code_prefix:<14} {state:<8} {peer.endpoint_url}  {peer.name}  [{roots}]"
            )
