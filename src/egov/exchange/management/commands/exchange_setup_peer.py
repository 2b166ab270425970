"""Configure this installation to exchange with another one, from its public URLs."""

from django.core.management.base import BaseCommand, CommandError

from egov.exchange.setup import setup_peer_from_url


class Command(BaseCommand):
    help = (
        "Trust another installation: fetch its CA certificates from <base>/pki/ca/<name>.crt "
        "and add it as the peer serving --code-prefix at <base>/exchange/v1/edxml."
    )

    def add_arguments(self, parser):
        parser.add_argument("base_url", help="e.g. http://127.0.0.1:8001")
        parser.add_argument("--code-prefix", required=True, action="append")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--ca-name", action="append", help="CA names to trust (default root-ca, issuing-ca)"
        )

    def handle(self, *args, base_url, code_prefix, name, ca_name, **options):
        try:
            peers = setup_peer_from_url(
                base_url, code_prefix, name=name, ca_names=ca_name or ["root-ca", "issuing-ca"]
            )
        except Exception as error:
            raise CommandError(f"{base_url}: {error}") from error
        for peer in peers:
            self.stdout.write(f"saved {peer} → {peer.endpoint_url}")
