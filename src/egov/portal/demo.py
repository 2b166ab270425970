"""Demo of the portal: message templates, e-forms, and a citizen who applied online.

``congdan.demo`` (password as every demo log-in) has a verified profile, a draft with its
e-form half filled in, and online dossiers at each moment an applicant meets: waiting for the
desk, asked for a supplement, asked to pay, result ready (signed PDF), returned to be rated,
rated. They are made through the portal's and the officers' services, like real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from egov.catalog.models import Procedure
from egov.core.audit import record_event
from egov.core.models import Agency, User
from egov.dossiers import services as dossier_services
from egov.dossiers.demo import _moment, _people, advance
from egov.dossiers.evaluation import CRITERIA
from egov.dossiers.services import acting_at

from . import services
from .accounts import get_profile
from .models import Application

CITIZEN = "congdan.demo"
CITIZEN_ID = "067085000001"
# (procedure, desk, goal, working days ago). 2.001098 runs at the provincial centre and the
# construction permit at the Cư Jút district desk, whose officials the demo has; the commune
# procedures show their e-forms up to submission.
ONLINE_PLANS = [
    ("1.001193", "000.01.31.H16", "draft", 0),
    ("1.000894", "000.01.31.H16", "submitted", 0),
    ("2.001098", "000.00.21.H16", "supplement_requested", 1),
    ("1.013225", "004.00.33.H16", "awaiting_payment", 3),
    ("2.001098", "000.00.21.H16", "result_ready", 5),
    ("2.001098", "000.00.21.H16", "returned", 7),
    ("2.001098", "000.00.21.H16", "evaluated", 9),
]


def scan(name: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF standing for a scanned paper."""
    text = name.encode("ascii", "replace")[:60]
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile(f"{name}.pdf", body, content_type="application/pdf")


def _signed_result() -> SimpleUploadedFile | None:
    """The signed sample decision of the signatures demo, as the electronic result."""
    from egov.pki.demo_signing import FILE_NAME

    path = Path(settings.MEDIA_ROOT) / "demo" / FILE_NAME
    if not path.exists():
        return None
    return SimpleUploadedFile(
        "giay-phep-thiet-lap-trang-thong-tin.pdf", path.read_bytes(), "application/pdf"
    )


def _citizen() -> User:
    citizen = User.objects.get(username=CITIZEN)
    profile = get_profile(citizen)
    if not profile.verified_at:
        profile.citizen_id, profile.address = CITIZEN_ID, "Phường Nghĩa Đức, Gia Nghĩa, Đắk Nông"
        profile.verified_at, profile.email_verified = timezone.now(), True
        profile.save()
        citizen.phone = citizen.phone or "0912000001"
        citizen.save(update_fields=["phone"])
        record_event("account.verify", citizen, changes={"demo": True})
    return citizen


def _apply(citizen: User, code: str, desk_code: str, goal: str, days_ago: int, people) -> None:
    version = Procedure.objects.get(code=code).current
    desk = Agency.objects.get(code=desk_code)
    start = _moment(days_ago)
    with acting_at(start):
        application = services.start_application(citizen, version, desk)
        if application.form is not None:
            from egov.portal.eforms.demo import demo_definition

            _schema, _ui, sample = demo_definition(code)
            services.save_answers(citizen, application, sample)
        uploads = [(r, scan(r.name)) for r in version.documents.filter(mandatory=True)]
        services.attach_documents(citizen, application, uploads)
        if goal == "draft":
            return
        dossier = services.submit_application(citizen, application)
    if goal == "submitted":
        return
    officer = people["tiepnhan.hcc" if desk_code == "000.00.21.H16" else "tiepnhan.cujut"]
    if goal == "supplement_requested":
        with acting_at(start + timezone.timedelta(hours=2)):
            dossier_services.request_supplement(
                officer,
                dossier,
                [{"name": "Bản sao chứng thực Quyết định thành lập", "kind": "certified_copy"}],
                "Bản sao nộp kèm chưa được chứng thực",
            )
        return
    result = _signed_result() if goal != "awaiting_payment" else None
    target = "returned" if goal == "evaluated" else goal
    dossier = advance(dossier, target, people, officer, start, result_file=result)
    if goal == "evaluated":
        with acting_at(start + timezone.timedelta(hours=16)):
            services.evaluate(
                citizen,
                dossier,
                "very_satisfied",
                "Cán bộ hướng dẫn tận tình, nhận kết quả trực tuyến rất tiện.",
                {key: 2 for key, _question in CRITERIA},
            )


@dataclass
class PortalDemo:
    created: int = 0
    logins: list[dict] = field(default_factory=list)


def load(stdout=None) -> PortalDemo:
    """Templates, e-forms and the online citizen's dossiers, once; the citizen's log-in is
    printed with the officials' by ``load_demo``."""
    from egov.notifications.defaults import load_default_templates
    from egov.portal.eforms.demo import load_demo_forms

    load_default_templates()
    forms = load_demo_forms()
    citizen = User.objects.filter(username=CITIZEN).first()
    result = PortalDemo()
    if citizen is not None:
        result.logins.append(
            {
                "username": CITIZEN,
                "name": citizen.full_name,
                "roles": "citizen (portal: /dich-vu-cong/)",
                "otp_secret": "",
            }
        )
    if citizen is None or Application.objects.filter(applicant=citizen).exists():
        if stdout is not None:
            stdout.write("  portal demo already loaded: nothing to change")
        return result
    with transaction.atomic():
        citizen = _citizen()
        people = _people()
        for code, desk, goal, days_ago in ONLINE_PLANS:
            _apply(citizen, code, desk, goal, days_ago, people)
    if stdout is not None:
        stdout.write(f"  portal: {forms} e-forms, {len(ONLINE_PLANS)} online applications")
    result.created = len(ONLINE_PLANS)
    return result
