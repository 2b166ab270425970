"""Tin nhắn SMS: one function, ``send_sms``, over a backend chosen in settings.

``EGOV_SMS_BACKEND`` is the dotted path of a backend class (default :class:`LogBackend`, which
only logs and keeps an in-memory outbox, like Django's locmem e-mail backend). Production uses
:class:`HttpBackend`, which speaks the JSON API of SMS-brandname providers:

    POST <EGOV_SMS_URL>
    X-API-Key: <EGOV_SMS_API_KEY>
    {"phone": "0912345678", "message": "...", "brandname": "UBND-TINH", "request_id": "<uuid>"}
    -> 2xx {"message_id": "..."}   (also accepted: "id", "msg_id", "sms_id")

Operators bill Unicode SMS per 70 characters and plain ASCII per 160, so by default
(``EGOV_SMS_ASCII = True``) Vietnamese text is sent without diacritics.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

from egov.core.text import fold, normalize_text

logger = logging.getLogger("egov.sms")

DEFAULT_BACKEND = "egov.notifications.sms.LogBackend"


class SmsError(Exception):
    """The SMS could not be handed to the operator (refused, server error, timeout, bad setup)."""


def strip_diacritics(text: str) -> str:
    """Vietnamese without accents, keeping case, digits, punctuation and line breaks.

    "Hồ sơ ĐK-01 đã được tiếp nhận" -> "Ho so DK-01 da duoc tiep nhan". Each accented letter is
    folded with :func:`egov.core.text.fold` (which also lower-cases, so the case is put back).
    """
    out = []
    for ch in normalize_text(text) if text else "":
        if ch.isascii():
            out.append(ch)
            continue
        folded = fold(ch)
        if not folded:  # non-ASCII blank (no-break space...) folds to nothing
            out.append(" " if ch.isspace() else "")
            continue
        out.append(folded.upper() if ch.isupper() else folded)
    # anything left outside ASCII (symbols, emoji) would force a Unicode SMS
    return "".join(c if c.isascii() else "?" for c in "".join(out))


class BaseBackend:
    """An SMS channel. Subclasses implement :meth:`send` and return the provider's id."""

    def send(self, phone: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class LogBackend(BaseBackend):
    """Development and tests: writes to the ``egov.sms`` logger and keeps an outbox."""

    #: (phone, text) of every message "sent" in this process; tests may clear it.
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        message_id = f"log-{uuid.uuid4().hex[:12]}"
        LogBackend.outbox.append((phone, text))
        logger.info("SMS to %s (%s): %s", phone, message_id, text)
        return message_id


class HttpBackend(BaseBackend):
    """An SMS-brandname gateway over HTTPS with a JSON body and an API key header."""

    def __init__(self, url=None, api_key=None, brandname=None, timeout=None):
        self.url = url or getattr(settings, "EGOV_SMS_URL", "")
        self.api_key = api_key if api_key is not None else getattr(settings, "EGOV_SMS_API_KEY", "")
        self.brandname = brandname or getattr(settings, "EGOV_SMS_BRANDNAME", "")
        self.timeout = timeout or getattr(settings, "EGOV_SMS_TIMEOUT", 10)

    def send(self, phone: str, text: str) -> str:
        if not self.url:
            raise SmsError("EGOV_SMS_URL is not set")
        if not self.url.startswith(("https://", "http://")):
            raise SmsError(f"EGOV_SMS_URL must be an http(s) URL, not {self.url!r}")
        request_id = uuid.uuid4().hex
        payload = {
            "phone": phone,
            "message": text,
            "brandname": self.brandname,
            "request_id": request_id,
        }
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "X-API-Key": self.api_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode("utf-8", "replace")
            raise SmsError(f"SMS gateway answered HTTP {exc.code}: {detail}".strip()) from exc
        except TimeoutError as exc:
            raise SmsError(f"SMS gateway timed out after {self.timeout}s") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise SmsError(f"SMS gateway timed out after {self.timeout}s") from exc
            raise SmsError(f"SMS gateway unreachable: {reason}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict):
            for key in ("message_id", "id", "msg_id", "sms_id"):
                if answer.get(key):
                    return str(answer[key])
        return request_id


def get_backend() -> BaseBackend:
    """The backend named by ``EGOV_SMS_BACKEND`` (an instance, built per call)."""
    path = getattr(settings, "EGOV_SMS_BACKEND", DEFAULT_BACKEND) or DEFAULT_BACKEND
    return import_string(path)()


def send_sms(phone: str, text: str) -> str:
    """Send one SMS and return the provider's message id; raises :class:`SmsError` on failure.

    The phone number is sent as given (digits only, after removing blanks and dots); the text
    is stripped of diacritics unless ``EGOV_SMS_ASCII`` is False.
    """
    phone = "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")
    if not phone:
        raise SmsError("no phone number")
    text = normalize_text(text)
    if getattr(settings, "EGOV_SMS_ASCII", True):
        text = strip_diacritics(text)
    return get_backend().send(phone, text)
