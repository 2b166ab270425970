"""Signing and validation work from a thread that already runs an asyncio event loop (an async
view, or a test session driving a browser): pyHanko's blocking API cannot start its own loop
there, so our modules run it beside the loop."""

import asyncio

from egov.pki import pades
from egov.pki.appearance import SignatureBlock
from egov.pki.demo_images import demo_signature_png
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import OFFICIAL_NAME, two_page_pdf
from egov.pki.validation import validate_pdf
from egov.pki.xmldsig import sign_xml, verify_xml

PACKAGE = (
    '<?xml version="1.0" encoding="UTF-8"?><goi><noi-dung>Giấy mời họp</noi-dung></goi>'.encode()
)


def in_a_running_loop(function, *args, **kwargs):
    """Call ``function`` from inside a running event loop (the one this thread already runs, as
    after a browser test in the same session, or a new one)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:

        async def call():
            return function(*args, **kwargs)

        return asyncio.run(call())
    return function(*args, **kwargs)


def test_an_xml_package_is_signed_and_verified_inside_a_running_loop(spki):
    signed = in_a_running_loop(sign_xml, PACKAGE, spki.identity(spki.seal))
    report = in_a_running_loop(verify_xml, signed, validation_context=spki.validation_context)
    assert report.indication == "TOTAL-PASSED", report.reasons


def test_a_pdf_is_signed_and_validated_inside_a_running_loop(spki):
    block = SignatureBlock.from_top_left_mm(page=-1, left_mm=120, top_mm=40)
    signed = in_a_running_loop(
        pades.sign_as_official,
        two_page_pdf(),
        spki.identity(spki.official),
        block,
        signature_image=demo_signature_png(OFFICIAL_NAME),
        timestamper=spki.timestamper(),
    )
    report = in_a_running_loop(validate_pdf, signed, validation_context=spki.validation_context)
    assert report.indication == "TOTAL-PASSED", report
