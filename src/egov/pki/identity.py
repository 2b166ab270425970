"""What a signer needs to sign as one certificate holder: the certificate, its chain, a key.

The signing code (PAdES, XML-DSig) receives a :class:`SigningIdentity` from
``egov.pki.services.identity_for(certificate)`` and never sees the private key itself: the
``signer`` signs through the key's store (PKCS#11 token or encrypted PKCS#12 file).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import x509
from pyhanko.sign.signers import Signer


@dataclass(frozen=True)
class SigningIdentity:
    """A holder's certificate with the chain up to our root and a pyHanko signer for its key.

    ``chain`` lists the issuing CA first, then the root (what a PAdES signature embeds and what
    a validator needs to build the path); it does not include ``certificate`` itself.
    """

    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)
    signer: Signer | None = None

    @property
    def subject_name(self) -> str:
        """The holder's common name (person or agency), as written in the certificate."""
        return self.certificate.subject.native.get("common_name", "")
