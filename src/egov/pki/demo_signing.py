"""The demo's signed document: a sample decision of the Department of Information and
Communications, signed by its director and sealed by the agency, for the public check page.

``load`` runs after the demo certificates (``egov.pki.demo.load``): it draws the demo signature
and seal images (real deployments upload the agency's own PNGs), renders the decision, has
``giamdoc.stttt`` sign it (PAdES B-LT, our TSA) and the agency seal it over her signature (B-LTA),
and leaves the files under ``MEDIA_ROOT/demo/``. Safe to repeat: an existing file is kept.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from egov.core.models import User

from . import pades, services
from .appearance import MM, SIGNATURE_HEIGHT, SIGNATURE_WIDTH, SignatureBlock
from .demo_images import demo_seal_png, demo_signature_png

SIGNER = "giamdoc.stttt"
FILE_NAME = "quyet-dinh-mau-da-ky-so.pdf"
# Where the template puts the signature block (mm from the page's top left corner).
BLOCK_LEFT_MM, BLOCK_TOP_MM, BLOCK_WIDTH_MM = 100, 175, 80
MARGIN_LEFT_MM, MARGIN_TOP_MM = 30, 20
TITLE_MM = 7  # the line "GIÁM ĐỐC" above the signature
SPACE_MM = 38  # room for the 36 mm seal between the title and the name
NAME_MM = 7  # the signer's printed name


def _block() -> SignatureBlock:
    """The signature image centred under the title, in the template's signature block."""
    image_mm = SIGNATURE_WIDTH / MM
    image_top_mm = TITLE_MM + 10  # the seal (36 mm) then sits between the title and the name
    name_bottom_mm = TITLE_MM + SPACE_MM + NAME_MM  # from the top of the block
    return SignatureBlock.from_top_left_mm(
        page=0,
        left_mm=MARGIN_LEFT_MM + BLOCK_LEFT_MM + (BLOCK_WIDTH_MM - image_mm) / 2,
        top_mm=MARGIN_TOP_MM + BLOCK_TOP_MM + image_top_mm,
        # the signing information goes under the printed name
        info_gap=(name_bottom_mm - image_top_mm - SIGNATURE_HEIGHT / MM + 1) * MM,
    )


def sample_decision(signer: User, agency) -> bytes:
    """The decision before signing (WeasyPrint and Tinos, like the official forms)."""
    from egov.dossiers.documents.forms import render_pdf

    today = timezone.localdate()
    return render_pdf(
        "pki/demo/decision.html",
        {
            "superior": "Ủy ban nhân dân tỉnh Đắk Nông",
            "agency": agency.name,
            "unit": "VP",
            "number_symbol": f"15/QĐ-{agency.short_name or 'STTTT'}",
            "place_date": (
                f"Đắk Nông, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
            ),
            "subject": "Về việc ban hành Quy chế sử dụng chữ ký số chuyên dùng (văn bản mẫu)",
            "paragraphs": [
                "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về "
                "công tác văn thư;",
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế sử dụng chữ ký số chuyên dùng "
                "trong hoạt động của cơ quan.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Văn bản này là văn bản mẫu "
                "của hệ thống trình diễn.",
            ],
            "title": "Giám đốc",
            "signer": signer.get_full_name(),
            "recipients_top_mm": BLOCK_TOP_MM,
            "block_top_mm": BLOCK_TOP_MM,
            "block_left_mm": BLOCK_LEFT_MM,
            "block_width_mm": BLOCK_WIDTH_MM,
            "space_mm": SPACE_MM,
        },
    )


def _signed_by_this_installation(pdf: bytes) -> bool:
    """Whether a sample left by an earlier load still validates: a database loaded again
    has a new CA, and a file signed by the old one would greet visitors as INDETERMINATE."""
    from .validation import validate_pdf

    try:
        return validate_pdf(pdf).indication == "TOTAL-PASSED"
    except Exception:  # noqa: BLE001 - an unreadable leftover is signed again, whatever broke it
        return False


def load(stdout=None) -> Path | None:
    """Sign and seal the sample decision once; return its path (None if the demo lacks the
    director or the certificates)."""
    out_dir = Path(settings.MEDIA_ROOT) / "demo"
    target = out_dir / FILE_NAME
    signer = User.objects.filter(username=SIGNER).first()
    if signer is None:
        return None
    if target.exists() and _signed_by_this_installation(target.read_bytes()):
        return target
    position = signer.positions.valid_on().select_related("agency").first()
    agency = position.agency.organisation()
    personal = services.active_certificate(user=signer)
    seal = services.active_certificate(agency=agency)
    if personal is None or seal is None:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    signature_png = demo_signature_png(signer.get_full_name())
    seal_png = demo_seal_png(agency.name, province="Tỉnh Đắk Nông")
    (out_dir / f"chu-ky-{SIGNER}.png").write_bytes(signature_png)
    (out_dir / f"con-dau-{agency.code}.png").write_bytes(seal_png)
    block = _block()
    signed = pades.sign_as_official(
        sample_decision(signer, agency),
        services.identity_for(personal),
        block,
        signature_image=signature_png,
        level=pades.Level.B_LT,
        reason="Ký ban hành",
        location="Đắk Nông",
    )
    sealed = pades.apply_agency_seal(
        signed, services.identity_for(seal), block, seal_image=seal_png, level=pades.Level.B_LTA
    )
    target.write_bytes(sealed)
    if stdout is not None:
        stdout.write(f"  signed sample decision: {target} (check it at /chu-ky-so/kiem-tra/)")
    return target
