"""The portal's whole journey in a real browser: a citizen registers, finds a procedure typing
without accents and applies online with an attachment; the desk asks for a supplement, she
sends it; the agency asks for the fee, she pays in the sandbox gateway; the director approves
with the signed result and the desk returns it online; she downloads it and rates the service.
"""

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from egov.core.tests.helpers import enrol_totp
from egov.dossiers import services as dossiers
from egov.dossiers.models import Dossier, Evaluation
from egov.dossiers.tests.conftest import desk, procedures, stp_staff  # noqa: F401 (fixtures)
from egov.dossiers.workflow import State
from egov.e2e.test_one_stop_journeys import log_in, take_action
from egov.payments.tests.conftest import gateway, sandbox  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "hoa-sen-no-tren-ho-2024"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def vi(msgid: str) -> str:
    """The Vietnamese text people see for ``msgid`` (labels are found by what they read)."""
    with translation.override("vi"):
        return translation.gettext(msgid)


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def log_out(page):
    page.get_by_role("button", name=vi("Log out")).click()


def test_a_citizen_goes_from_registration_to_rating(
    page,
    gateway,  # noqa: F811
    desk,  # noqa: F811
    stp_staff,  # noqa: F811
    procedures,  # noqa: F811
):
    version = procedures["1.000001"]
    version.receiving_places.set([desk["center"]])

    # 1. She registers with her e-mail address and confirms the code she receives.
    page.goto("/tai-khoan/dang-ky/")
    page.get_by_label(vi("Full name")).fill("Nguyễn Thị Hoa")
    page.get_by_label(vi("E-mail or mobile phone number")).fill("hoa@example.vn")
    page.get_by_label(vi("Citizen ID number (12 digits)")).fill("067190000456")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=vi("Register")).last.click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/xac-minh/"))
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label(vi("6-digit code")).fill(code)
    page.get_by_role("button", name=vi("Verify")).click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=vi("Log in")).last.click()

    # 2. She finds the procedure without accents and applies with her scans.
    page.goto("/dich-vu-cong/thu-tuc/?q=ly+lich+tu+phap")
    page.get_by_role("link", name="Cấp phiếu lý lịch tư pháp").click()
    page.get_by_test_id("apply").click()
    page.get_by_role("button", name=vi("Continue")).click()
    for requirement in version.documents.all():
        page.locator(f"#file-{requirement.pk}").set_input_files(pdf(f"scan-{requirement.pk}.pdf"))
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("state")).to_contain_text(
        vi("Submitted online, awaiting completeness check")
    )
    dossier = Dossier.objects.get(applicant_user__email="hoa@example.vn")
    log_out(page)

    # 3. The desk checks it and asks, in one request, for what is missing.
    log_in(page, "tiepnhan")
    page.goto(f"/dossiers/{dossier.code}/")
    box = page.get_by_test_id("action-request_supplement")
    box.locator("summary").click()
    box.get_by_label(vi("Documents the applicant must add (one per line)")).fill(
        "Bản sao sổ hộ khẩu"
    )
    box.get_by_label(vi("Reason")).fill("Thiếu giấy tờ chứng minh nơi cư trú")
    box.get_by_role("button").click()
    expect(page.get_by_role("status").first).to_be_visible()
    log_out(page)

    # 4. She sends the supplement from her dossier page.
    page.goto(f"/tai-khoan/dang-nhap/?next=/dich-vu-cong/ho-so/{dossier.code}/")
    page.get_by_label(vi("E-mail or mobile phone number")).fill("hoa@example.vn")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=vi("Log in")).last.click()
    expect(page.get_by_test_id("supplement-items")).to_contain_text("Bản sao sổ hộ khẩu")
    page.get_by_label(vi("Files")).set_input_files(pdf("ho-khau.pdf"))
    page.get_by_test_id("send-supplement").click()
    expect(page.get_by_test_id("state")).to_contain_text(
        vi("Submitted online, awaiting completeness check")
    )
    log_out(page)

    # 5. The desk receives it; the department processes it and asks for the fee.
    log_in(page, "tiepnhan")
    page.goto(f"/dossiers/{dossier.code}/")
    take_action(page, "receive")
    expect(page.get_by_test_id("action-handover")).to_be_visible()
    take_action(page, "handover")
    log_out(page)
    dossier.refresh_from_db()
    dossier = dossiers.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    dossier = dossiers.request_fee(stp_staff["specialist"], dossier, 50_000)

    # 6. She pays in the sandbox gateway; the gateway's IPN confirms the payment.
    page.goto(f"/tai-khoan/dang-nhap/?next=/dich-vu-cong/ho-so/{dossier.code}/")
    page.get_by_label(vi("E-mail or mobile phone number")).fill("hoa@example.vn")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=vi("Log in")).last.click()
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("amount")).to_contain_text("50.000")
    page.get_by_role("button", name=vi("Pay online")).click()
    page.get_by_role("button", name="Thanh toán thành công").click()
    page.wait_for_url(re.compile(r"/thanh-toan/ket-qua/"))
    expect(page.locator("main")).to_contain_text("50.000")

    def paid():
        dossier.refresh_from_db()
        return dossier.state == State.PROCESSING

    for _ in range(50):
        if paid():
            break
        page.wait_for_timeout(200)
    assert paid(), "the IPN did not confirm the payment"
    log_out(page)

    # 7. The director approves with the signed result; the desk returns it online.
    dossier = dossiers.forward(stp_staff["specialist"], dossier)
    dossier = dossiers.forward(stp_staff["head"], dossier)
    log_in(page, "giamdoc.stp", device=enrol_totp(stp_staff["director"]))
    page.goto(f"/dossiers/{dossier.code}/")
    box = page.get_by_test_id("action-approve")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label(vi("Electronic result (signed PDF, optional)")).set_input_files(
        pdf("phieu-ly-lich-tu-phap.pdf")
    )
    box.locator("button[type=submit]").click()
    expect(page.get_by_role("status").first).to_be_visible()
    log_out(page)
    log_in(page, "tiepnhan")
    page.goto(f"/dossiers/{dossier.code}/")
    take_action(page, "return_result", **{vi("How the result is returned"): "online"})
    log_out(page)

    # 8. She downloads the result and rates the service.
    page.goto(f"/tai-khoan/dang-nhap/?next=/dich-vu-cong/ho-so/{dossier.code}/")
    page.get_by_label(vi("E-mail or mobile phone number")).fill("hoa@example.vn")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=vi("Log in")).last.click()
    with page.expect_download() as download:
        page.get_by_test_id("result").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.get_by_label(vi("Very satisfied")).check()
    page.get_by_text(vi("Rate each criterion (optional)")).click()
    page.locator("#score-attitude-2").check()
    page.get_by_test_id("rate").click()
    expect(page.get_by_test_id("evaluation")).to_contain_text(vi("Very satisfied"))
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert evaluation.scores == {"attitude": 2} and evaluation.channel == "online"
    dossier.refresh_from_db()
    assert dossier.state == State.EVALUATED
