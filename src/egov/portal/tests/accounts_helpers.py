"""Helpers of the account scenarios: read the codes people receive, post as a browser does."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from egov.notifications.sms import LogBackend

PASSWORD = "hoa-sen-no-tren-ho-2024"
CODE_RE = re.compile(r"\b(\d{6})\b")


def page(response) -> str:
    return response.content.decode()


def code_in(text: str) -> str:
    found = CODE_RE.search(text)
    assert found, f"no 6-digit code in {text!r}"
    return found.group(1)


def last_email_code(to: str) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no e-mail to {to}"
    return code_in(messages[-1].body)


def sms_to(phone: str) -> list[str]:
    return [text for number, text in LogBackend.outbox if number == phone]


def last_sms_code(phone: str) -> str:
    texts = sms_to(phone)
    assert texts, f"no SMS to {phone}"
    return code_in(texts[-1])


def registration(identifier: str, **extra) -> dict:
    return {
        "kind": "citizen",
        "full_name": "Trần Văn An",
        "identifier": identifier,
        "citizen_id": "",
        "organisation_name": "",
        "tax_code": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


class Browser:
    """The test client, running the after-commit work (sending codes) as a real request does."""

    def __init__(self, client, capture):
        self.client = client
        self._capture = capture

    def get(self, url, *args, **kwargs):
        return self.client.get(url, *args, **kwargs)

    def post(self, url, data=None, **kwargs):
        with self._capture(execute=True):
            return self.client.post(url, data or {}, **kwargs)

    def register(self, identifier: str, **extra):
        return self.post(reverse("accounts:register"), registration(identifier, **extra))

    def verify(self, identifier: str, code: str):
        return self.post(reverse("accounts:verify"), {"identifier": identifier, "code": code})

    def log_in(self, identifier: str, password: str = PASSWORD):
        return self.post(
            reverse("accounts:login"), {"identifier": identifier, "password": password}
        )

    def logged_in_user_id(self):
        return self.client.session.get("_auth_user_id")
