"""Fixtures for the electronic office: two departments with their people, the province's PKI,
certificates for the signers and seals, and a helper that takes a draft to release through
the services."""

import datetime as dt

import pytest

from egov.core import services as core
from egov.core.models import AgencyKind, Level, Role
from egov.core.tests.helpers import current_code, enrol_totp
from egov.office import services
from egov.office.models import DocumentType
from egov.pki.testing import blank_pdf, issue_personal, issue_seal, setup_test_pki


@pytest.fixture(autouse=True)
def _document_types(db):
    """The Decree 30 document types come from a data migration, which a test run in a real
    transaction (live server, threads) empties with the rest of the tables: load them again."""
    from importlib import import_module

    from django.apps import apps

    import_module("egov.office.migrations.0002_document_types").load(apps, None)


@pytest.fixture(autouse=True)
def _pki_in_temporary_directory(settings, tmp_path):
    settings.EGOV_PKI_KEY_DIR = str(tmp_path / "pki-keys")
    settings.EGOV_PKI_KEY_SECRET = "test-secret-for-pkcs12-passphrases"
    settings.EGOV_PUBLIC_URL = "http://testserver"
    settings.EGOV_PKI_CA_KEY_SIZE = 2048


@pytest.fixture
def pki(db):
    return setup_test_pki()


def otp(user) -> str:
    """A fresh authenticator and its current code (each signing uses a code once)."""
    return current_code(enrol_totp(user))


def pdf(name="du-thao.pdf") -> services.Upload:
    return services.Upload(name, blank_pdf())


def doc_type(code):
    return DocumentType.objects.get(code=code)


@pytest.fixture
def people(tree, make_official):
    """Sở TTTT (Văn phòng, Phòng CNTT) and Sở Tư pháp (Văn phòng) with their officials."""
    stp_office = core.create_agency(
        None,
        code="001.00.06.H16",
        name="Văn phòng Sở Tư pháp",
        short_name="VP",
        kind=AgencyKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=tree["stp"],
    )
    stttt, stp = tree["stttt"], tree["stp"]
    return {
        "stttt": stttt,
        "stp": stp,
        "vp": tree["office"],
        "it": tree["it"],
        "stp_vp": stp_office,
        "specialist": make_official("chuyenvien.stttt", stttt, Role.SPECIALIST, tree["it"]),
        "head": make_official("truongphong.stttt", stttt, Role.UNIT_LEADER, tree["it"]),
        "deputy": make_official("phogiamdoc.stttt", stttt, Role.AGENCY_LEADER),
        "director": make_official("giamdoc.stttt", stttt, Role.AGENCY_LEADER),
        "clerk": make_official("vanthu.stttt", stttt, Role.CLERK, tree["office"]),
        "stp_clerk": make_official("vanthu.stp", stp, Role.CLERK, stp_office),
        "stp_director": make_official("giamdoc.stp", stp, Role.AGENCY_LEADER),
        "stp_specialist": make_official("chuyenvien.stp", stp, Role.SPECIALIST, stp_office),
        "stp_specialist2": make_official("chuyenvien2.stp", stp, Role.SPECIALIST, stp_office),
    }


@pytest.fixture
def chain(people):
    """Unit leader → deputy director (a named person)."""
    return services.configure_chain(
        None,
        people["stttt"],
        "Trình ký thông thường",
        [
            {"label": "Trưởng phòng", "role": Role.UNIT_LEADER},
            {"label": "Phó Giám đốc", "user": people["deputy"]},
        ],
    )


@pytest.fixture
def certificates(pki, people):
    return {
        "director": issue_personal(people["director"]),
        "seal": issue_seal(people["stttt"]),
    }


def draft(
    people, *, code="quyet-dinh", recipients=None, subject="Về việc ban hành Quy chế", secrecy=""
):
    return services.create_draft(
        people["specialist"],
        people["stttt"],
        doc_type=doc_type(code),
        subject=subject,
        main=pdf(),
        drafting_unit=people["it"],
        recipients=recipients if recipients is not None else [people["stp"]],
        signer=people["director"],
        signer_position="Giám đốc",
        secrecy=secrecy,
    )


def approved(people, **kwargs):
    """A draft through the chain (or straight to the signer when there is none)."""
    document = services.submit(people["specialist"], draft(people, **kwargs))
    while document.state == "in_review":
        reviewer = people["head"] if document.step == 1 else people["deputy"]
        document = services.approve(reviewer, document)
    return document


def signed(people, **kwargs):
    document = approved(people, **kwargs)
    return services.sign(people["director"], document, otp(people["director"]))


def sealed(people, at=None, **kwargs):
    """Signed, then numbered (dated ``at``) and sealed by the clerk."""
    return services.seal(people["clerk"], signed(people, **kwargs), otp(people["clerk"]), at=at)


def released(people, at=None, **kwargs):
    return services.release(people["clerk"], sealed(people, at=at, **kwargs), at=at)


MONDAY = dt.datetime(2025, 3, 10, 9, 30)


def login(client, user):
    """Log in with a verified second factor (leaders must have one for every page)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
