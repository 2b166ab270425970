"""Demo certificates: the province's CA, personal certificates for the demo officials and seal
certificates for the agencies that have a leader, through the same services as in real use.

Keys go where ``EGOV_PKI_KEY_STORAGE`` says (encrypted PKCS#12 files by default, the HSM when
configured). Loaded once: a second run finds the certificates and changes nothing. The demo also
leaves one request waiting for the Department of Information and Communications' administrator
(``quantri.stttt``) and one revoked, replaced certificate, so every part of the pages shows data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from egov.core.models import Position, Role, User

from . import services
from .authority import setup_pki
from .models import Certificate, CertificateRequest, HolderKind, RevocationReason

# Officials who sign: leaders, and the clerks and administrators who handle documents.
SIGNING_ROLES = (Role.AGENCY_LEADER, Role.UNIT_LEADER, Role.CLERK, Role.AGENCY_ADMIN)
# Asks for a certificate and waits: quantri.stttt decides it in the demo.
WAITING = "chuyenvien.stttt"
# Had a certificate revoked (lost token) and received a new one.
REPLACED = "truongphong.stttt"


@dataclass
class DemoCertificates:
    created: dict[str, int] = field(default_factory=dict)
    logins: list = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def _personal(user: User) -> Certificate:
    request = services.request_certificate(
        None, kind=CertificateRequest.Kind.PERSONAL, holder=user, reason="Chữ ký số cá nhân"
    )
    services.approve_request(None, request)
    return Certificate.objects.get(request=request)


def load(stdout=None) -> DemoCertificates:
    """Set up the CA and issue the demo certificates (idempotent)."""
    stats = DemoCertificates()
    with transaction.atomic():
        result = setup_pki()
        for name in result.created:
            stats.count(name)
        demo_positions = (
            Position.objects.valid_on()
            .filter(user__username__in=_demo_usernames())
            .select_related("user", "agency")
            .order_by("user__username")
        )
        signers, sealed = {}, {}
        for position in demo_positions:
            if position.role in SIGNING_ROLES:
                signers[position.user.username] = position.user
            if position.role == Role.AGENCY_LEADER:
                agency = position.agency.organisation()
                sealed[agency.code] = agency
        for username, user in sorted(signers.items()):
            if Certificate.objects.filter(user=user, holder_kind=HolderKind.OFFICIAL).exists():
                continue
            cert = _personal(user)
            stats.count("personal certificates")
            if username == REPLACED:
                services.revoke_certificate(
                    None, cert, RevocationReason.KEY_COMPROMISE, "Mất thiết bị lưu khóa (demo)"
                )
                _personal(user)
                stats.count("personal certificates")
        for _code, agency in sorted(sealed.items()):
            if Certificate.objects.filter(agency=agency, holder_kind=HolderKind.AGENCY).exists():
                continue
            request = services.request_certificate(
                None, kind=CertificateRequest.Kind.SEAL, agency=agency, reason="Con dấu điện tử"
            )
            services.approve_request(None, request)
            stats.count("seal certificates")
        waiting = User.objects.filter(username=WAITING).first()
        if waiting and not CertificateRequest.objects.filter(holder=waiting).exists():
            services.request_certificate(
                None,
                kind=CertificateRequest.Kind.PERSONAL,
                holder=waiting,
                reason="Ký số văn bản của Phòng Công nghệ thông tin",
            )
            stats.count("waiting requests")
    if stdout is not None:
        for kind, n in sorted(stats.created.items()):
            stdout.write(f"  created {n} {kind}")
        if not stats.created:
            stdout.write("  demo certificates already issued: nothing to change")
    return stats


def _demo_usernames() -> list[str]:
    """The officials of the demo data file (not people added by hand since)."""
    import json

    from egov.core.demo.loader import DATA_DIR

    rows = json.loads((DATA_DIR / "officials.json").read_text(encoding="utf-8"))
    return [row["username"] for row in rows if row["username"] != WAITING]
