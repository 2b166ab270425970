"""Public status look-up by the dossier code and the secret printed on the receipt."""

from __future__ import annotations

import hmac

from .models import Dossier

DUMMY_SECRET = "X" * 8


def find_for_applicant(code: str, secret: str) -> Dossier | None:
    """The dossier when code and secret match, else None.

    A wrong code and a wrong secret take the same path (one query, one constant-time
    comparison), so the answer says nothing about which codes exist.
    """
    code, secret = (code or "").strip(), (secret or "").strip().upper()
    dossier = (
        Dossier.objects.select_related("procedure_version").filter(code=code).first()
        if code
        else None
    )
    expected = dossier.lookup_secret if dossier else DUMMY_SECRET
    matches = hmac.compare_digest(expected.encode(), secret.encode())
    return dossier if dossier is not None and matches else None
