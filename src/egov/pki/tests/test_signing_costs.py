"""What makes a signature cheap stays correct: signers, TSA certificate, validation inputs,
font and images are prepared once per process; the room for a signature is computed, not
found by a trial signature. (bench/pki.py measures; these tests only check behaviour.)"""

import asyncio
import io
import zlib

import pytest
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import RevokedError

from egov.core.models import Role
from egov.pki import appearance, authority, keys, pades, revocation, services, tsa
from egov.pki.appearance import SignatureBlock
from egov.pki.demo_images import demo_signature_png
from egov.pki.models import Certificate, HolderKind, RevocationReason
from egov.pki.testing import blank_pdf, issue_personal
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import OFFICIAL_NAME, two_page_pdf

pytestmark = pytest.mark.django_db
BLOCK = SignatureBlock.from_top_left_mm(page=-1, left_mm=120, top_mm=40)


@pytest.fixture
def leader(tree, make_official):
    return make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER)


def signatures(pdf: bytes):
    return [
        s for s in PdfFileReader(io.BytesIO(pdf)).embedded_signatures if s.sig_object_type == "/Sig"
    ]


def test_a_pkcs12_signer_is_made_once_holds_no_key_and_embeds_each_certificate_once(pki, leader):
    cert = issue_personal(leader)
    first = services.identity_for(cert)
    again = services.identity_for(Certificate.objects.get(pk=cert.pk))

    assert again.signer is first.signer
    assert isinstance(first.signer, SimpleSigner) and first.signer.signing_key is None
    assert "PRIVATE" not in repr(first.signer)
    assert [c.dump() for c in again.chain] == [pki.issuing.asn1.dump(), pki.root.asn1.dump()]

    signed = pades.sign_pdf(blank_pdf(), first, level="B-B")
    embedded = [c.chosen.dump() for c in signatures(signed)[0].signed_data["certificates"]]
    assert sorted(embedded) == sorted(
        [bytes(cert.der), pki.issuing.asn1.dump(), pki.root.asn1.dump()]
    )


def test_an_unusable_key_file_still_fails_before_signing(pki, leader, settings):
    cert = issue_personal(leader)
    keys._Pkcs12Store._cache.clear()  # a new process: nothing decrypted yet
    settings.EGOV_PKI_KEY_SECRET = "another-secret"
    with pytest.raises(keys.KeyStoreError, match="cannot be decrypted"):
        services.identity_for(cert)


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_the_room_reserved_fits_the_signature_without_a_trial_signature(
    pki, leader, level, monkeypatch
):
    cert = issue_personal(leader)
    identity = services.identity_for(cert)
    stamper = tsa.timestamper()
    reserved = pades.reserved_size(identity, level, stamper)
    used = []
    sign = keys.sign
    monkeypatch.setattr(keys, "sign", lambda ref, *a, **k: used.append(ref) or sign(ref, *a, **k))

    signed = pades.sign_as_official(
        two_page_pdf(),
        identity,
        BLOCK,
        signature_image=demo_signature_png(OFFICIAL_NAME),
        level=level,
        timestamper=stamper,
    )

    (signature,) = signatures(signed)
    room = len(bytes(signature.sig_object["/Contents"])) * 2
    cms = len(signature.signed_data.dump()) * 2
    assert room == reserved  # what was computed, not pyHanko's estimate
    assert cms <= room < cms + 6000  # fits, and wastes little (hex digits)
    # One signature by the holder's key (no trial one); our TSA signs one token.
    assert used.count(identity.signer.key) == 1
    if level == "B-T":
        assert used == [identity.signer.key, tsa.Authority.current().key]


def test_a_key_in_the_hsm_gets_the_room_it_needs(hsm, pki, leader):
    cert = issue_personal(leader, key_storage="pkcs11")
    identity = services.identity_for(cert)
    stamper = tsa.timestamper()

    signed = pades.sign_pdf(blank_pdf(), identity, level="B-T", timestamper=stamper)

    (signature,) = signatures(signed)
    room = len(bytes(signature.sig_object["/Contents"])) * 2
    assert room == pades.reserved_size(identity, "B-T", stamper)
    assert len(signature.signed_data.dump()) * 2 <= room


def test_a_timestamper_that_states_no_bound_leaves_the_room_to_pyhanko(spki):
    identity = spki.identity(spki.official)
    assert pades.reserved_size(identity, "B-T", spki.timestamper()) is None
    assert pades.reserved_size(identity, "B-B") is not None


def test_the_tsa_certificate_is_read_once_and_again_when_a_new_one_is_issued(pki):
    current = tsa.Authority.current()
    assert tsa.Authority.current() is current

    renewed = authority.issue_service_certificate(pki.issuing, HolderKind.TSA, "pkcs12")

    assert tsa.Authority.current().certificate.dump() == bytes(renewed.der)


def test_a_revocation_shows_at_once_in_the_next_validation_context(pki, leader):
    cert = issue_personal(leader)

    def check():
        validator = CertificateValidator(
            cert.asn1, validation_context=revocation.validation_context()
        )
        return asyncio.run(validator.async_validate_usage({"digital_signature"}))

    check()
    services.revoke_certificate(None, cert, RevocationReason.KEY_COMPROMISE)
    with pytest.raises(RevokedError):
        check()


def font_programs(pdf: bytes) -> list[bytes]:
    """The embedded font files of the signature appearances."""
    reader = PdfFileReader(io.BytesIO(pdf))
    found = []
    for signature in reader.embedded_signatures:
        widget = signature.sig_field
        normal = widget["/AP"]["/N"]
        stack = [normal]
        while stack:
            xobject = stack.pop()
            resources = xobject.get("/Resources", {})
            fonts = resources.get("/Font", {})
            for name in fonts:
                descriptor = fonts[name]["/DescendantFonts"][0]["/FontDescriptor"]
                found.append(descriptor["/FontFile2"].data)
            xobjects = resources.get("/XObject", {})
            stack.extend(xobjects[name] for name in xobjects)
    return found


def test_vietnamese_text_uses_the_shared_subset_and_other_text_a_subset_of_its_own(spki):
    identity = spki.identity(spki.seal)
    shared = zlib.decompress(appearance._face().font_file(set())[1])
    vietnamese = pades.sign_appendix(
        two_page_pdf(), identity, number_symbol="15/QĐ-STTTT", box=(60, 60, 260, 110), level="B-B"
    )
    (program,) = font_programs(vietnamese)
    assert program == shared
    polish = pades.sign_appendix(
        two_page_pdf(), identity, number_symbol="Łódź 7/ŻŚ", box=(60, 60, 260, 110), level="B-B"
    )
    (program,) = font_programs(polish)
    font = TTFont(io.BytesIO(program))
    glyph = font.getBestCmap()[ord("Ł")]
    assert font["glyf"][glyph].numberOfContours > 0  # the glyph is really there


def test_an_image_is_prepared_once_per_content():
    png = demo_signature_png(OFFICIAL_NAME)
    image = appearance.load_image(png, kind="signature")

    assert appearance.load_image(bytes(png), kind="signature") is image
    assert appearance.load_image(png, kind="seal") is not image


def test_with_another_pyhanko_the_plain_glyph_accumulator_still_signs(spki, monkeypatch):
    monkeypatch.setattr(appearance, "SHARED_FONT_ENGINE", False)
    signed = pades.sign_appendix(
        two_page_pdf(),
        spki.identity(spki.seal),
        number_symbol="15/QĐ-STTTT",
        box=(60, 60, 260, 110),
        level="B-B",
    )
    (program,) = font_programs(signed)
    shared = zlib.decompress(appearance._face().font_file(set())[1])
    assert program != shared and TTFont(io.BytesIO(program))["glyf"]  # pyHanko's own subset
