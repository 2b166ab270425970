"""Demo of the electronic office: an approval chain at the Department of Information and
Communications, outgoing documents in every state (draft → recalled), and at the Cư Jút
district People's Committee incoming documents in every state (arrived, registered, assigned,
processing, completed, returned; paper and electronic) — all made through the services. The
director's signature image and the department's seal image are uploaded first (the
signatures show them); a secret (mật) plan is released to Cư Jút, and an update of a document
Cư Jút is handling reaches its incoming document as version 2.

Signing needs the signer's authenticator code: the demo gives each signing a throw-away
authenticator (removed afterwards) rather than replaying the demo account's own codes, which
a one-time code forbids. Safe to repeat: nothing is created when the demo chain exists.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.models import Agency, Role, User

from . import services
from .models import ApprovalChain, DocumentType, IncomingDocument, Revision, Secrecy

SENDER, RECEIVER = "000.00.11.H16", "000.00.33.H16"  # Sở TTTT, UBND huyện Cư Jút
CHAIN_NAME = "Quy trình trình ký văn bản (trình diễn)"
EXTERNAL = ("000.00.00.G14", "Bộ Nội vụ")


def _code(user) -> tuple[str, TOTPDevice]:
    device = TOTPDevice.objects.create(user=user, name="demo signing", confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}", device


def _with_code(user, action):
    code, device = _code(user)
    try:
        return action(code)
    finally:
        device.delete()


def _body(agency, doc_type, subject) -> services.Upload:
    from egov.dossiers.documents.forms import render_pdf

    hint = (
        f"{doc_type.abbreviation}-{agency.short_name}"
        if doc_type.abbreviation
        else agency.short_name
    )
    content = render_pdf(
        "office/demo_body.html",
        {
            "agency": agency.name,
            "type_name": doc_type.name,
            "subject": subject,
            "symbol_hint": hint,
        },
    )
    return services.Upload("du-thao.pdf", content)


def incoming_of(outgoing, agency) -> IncomingDocument:
    return IncomingDocument.objects.get(outgoing=outgoing, agency=agency)


def load(stdout=None) -> dict:
    """Create the demo registers and documents once; return what was created."""
    from egov.pki import services as pki

    sender = Agency.objects.filter(code=SENDER).first()
    receiver = Agency.objects.filter(code=RECEIVER).first()
    names = [
        "chuyenvien.stttt",
        "truongphong.stttt",
        "giamdoc.stttt",
        "vanthu.stttt",
        "lanhdao.cujut",
        "vanthu.cujut",
        "chuyenvien.cujut",
    ]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if sender is None or receiver is None or len(people) < len(names):
        return {"created": 0}
    if ApprovalChain.objects.filter(agency=sender, name=CHAIN_NAME).exists():
        if stdout is not None:
            stdout.write("  demo office documents already loaded: nothing to change")
        return {"created": 0}
    if (
        pki.active_certificate(user=people["giamdoc.stttt"]) is None
        or pki.active_certificate(agency=sender) is None
    ):
        if stdout is not None:
            stdout.write("  demo office skipped: load the demo certificates first")
        return {"created": 0}

    drafter, head = people["chuyenvien.stttt"], people["truongphong.stttt"]
    director, clerk = people["giamdoc.stttt"], people["vanthu.stttt"]
    leader_r, clerk_r, specialist_r = (
        people["lanhdao.cujut"],
        people["vanthu.cujut"],
        people["chuyenvien.cujut"],
    )
    unit = drafter.positions.valid_on().exclude(unit=None).first().unit
    chain = services.configure_chain(
        None,
        sender,
        CHAIN_NAME,
        [
            {"label": "Trưởng phòng", "role": Role.UNIT_LEADER},
            {"label": "Giám đốc Sở", "role": Role.AGENCY_LEADER},
        ],
    )
    types = {t.code: t for t in DocumentType.objects.all()}
    created = []

    # The director's signature image and the department's seal, uploaded as officials do
    # (look-alikes drawn for the demo), used by every signature below.
    from django.conf import settings

    from egov.pki.demo_images import demo_seal_png, demo_signature_png

    services.upload_signature_image(
        director,
        director,
        services.Upload("chu-ky.png", demo_signature_png(director.get_full_name()), "image/png"),
    )
    province = f"Tỉnh {getattr(settings, 'EGOV_PROVINCE_NAME', '')}".strip()
    services.upload_seal_image(
        clerk,
        sender,
        services.Upload("con-dau.png", demo_seal_png(sender.name, province=province), "image/png"),
    )

    def draft(type_code, subject, recipients=None, **extra):
        doc_type = types[type_code]
        document = services.create_draft(
            drafter,
            sender,
            doc_type=doc_type,
            subject=subject,
            main=_body(sender, doc_type, subject),
            drafting_unit=unit,
            recipients=recipients if recipients is not None else [receiver],
            signer=director,
            signer_position="Giám đốc",
            chain=chain,
            **extra,
        )
        created.append(document)
        return document

    def to_state(document, state):
        steps = ["submit", "approve1", "approve2", "sign", "seal", "release"]
        goal = {"in_review": 1, "approved": 3, "signed": 4, "sealed": 5, "released": 6}[state]
        for step in steps[:goal]:
            if step == "submit":
                document = services.submit(drafter, document)
            elif step == "approve1":
                document = services.approve(head, document, "Đồng ý trình Giám đốc.")
            elif step == "approve2":
                document = services.approve(director, document, "Đồng ý.")
            elif step == "sign":
                document = _with_code(director, lambda c, d=document: services.sign(director, d, c))
            elif step == "seal":
                document = _with_code(clerk, lambda c, d=document: services.seal(clerk, d, c))
            else:
                document = services.release(clerk, document)
        return document

    draft("cong-van", "Về việc góp ý dự thảo Kế hoạch chuyển đổi số năm 2026")
    to_state(draft("ke-hoach", "Kế hoạch bảo đảm an toàn thông tin mạng năm 2026"), "in_review")
    returned = to_state(
        draft("bao-cao", "Báo cáo kết quả triển khai Văn phòng điện tử"), "in_review"
    )
    services.return_draft(head, returned, "Bổ sung số liệu văn bản điện tử quý IV.")
    to_state(draft("to-trinh", "Tờ trình phê duyệt danh mục dịch vụ công trực tuyến"), "approved")
    to_state(draft("thong-bao", "Thông báo lịch bảo trì hệ thống thư điện tử công vụ"), "signed")
    to_state(draft("giay-moi", "Giấy mời dự Hội nghị tổng kết chuyển đổi số"), "sealed")
    sent = [
        to_state(draft("cong-van", f"Về việc {subject}"), "released")
        for subject in (
            "cung cấp số liệu ứng dụng công nghệ thông tin",
            "đôn đốc triển khai chữ ký số chuyên dùng",
            "hướng dẫn sử dụng hệ thống quản lý văn bản",
            "rà soát danh sách hộp thư điện tử công vụ",
            "kiểm tra an toàn thông tin tại cấp xã",
            "báo cáo tình hình gửi nhận văn bản điện tử",
        )
    ]
    recalled = to_state(
        draft("quyet-dinh", "Quyết định thành lập Tổ công tác chuyển đổi số (thu hồi)"),
        "released",
    )
    services.recall(clerk, recalled, "Ban hành sai thẩm quyền; sẽ ban hành văn bản thay thế.")

    incoming = {d.outgoing_id: d for d in IncomingDocument.objects.filter(agency=receiver)}
    docs = [incoming[o.pk] for o in sent]
    # docs[0] stays "arrived, to register"
    for document in docs[1:5]:
        services.register(clerk_r, document)
    today = timezone.localdate()
    for document, due in ((docs[2], 1), (docs[3], 7), (docs[4], 3)):
        services.assign(
            leader_r,
            document,
            assignee=specialist_r,
            due_date=today + dt.timedelta(days=due),
            instructions="Giao Phòng chuyên môn tham mưu, báo cáo trước thời hạn.",
        )
    services.add_note(specialist_r, docs[3], "Đã tổng hợp số liệu, đang dự thảo văn bản trả lời.")
    services.add_note(specialist_r, docs[4], "Đã kiểm tra, hoàn thành.")
    services.complete(specialist_r, docs[4], "Đã trả lời bằng văn bản.")
    services.return_to_sender(clerk_r, docs[5], "Văn bản gửi nhầm cơ quan, đề nghị gửi UBND tỉnh.")
    scan = _body(sender, types["cong-van"], "Về việc tham gia Hội thi tin học trẻ")
    paper = services.receive_paper(
        clerk_r,
        receiver,
        sender_name="Huyện đoàn Cư Jút",
        number_symbol="12/HĐ-CJ",
        type_name="Công văn",
        subject="Về việc tham gia Hội thi tin học trẻ",
        scan=services.Upload("ban-quet.pdf", scan.content),
    )
    services.assign(
        leader_r,
        paper,
        assignee=specialist_r,
        due_date=today + dt.timedelta(days=10),
        instructions="Phối hợp thực hiện.",
    )
    # A secret document (mật): open at Cư Jút only to its clerk, leader and whoever is given it.
    secret = to_state(
        draft(
            "ke-hoach",
            "Kế hoạch bảo vệ bí mật nhà nước năm 2026",
            secrecy=Secrecy.CONFIDENTIAL,
        ),
        "released",
    )
    services.register(clerk_r, incoming_of(secret, receiver))
    # An update of a document Cư Jút is handling: its incoming document takes version 2, the
    # specialist handling it is told, the sender sees 15.
    to_state(
        draft(
            "cong-van",
            "Về việc hướng dẫn sử dụng hệ thống quản lý văn bản (bổ sung phụ lục)",
            revises=sent[2],
            revision=Revision.UPDATE,
        ),
        "released",
    )
    if stdout is not None:
        stdout.write(
            f"  created {len(created)} outgoing and {len(docs) + 2} incoming demo documents"
        )
    return {"created": len(created)}
