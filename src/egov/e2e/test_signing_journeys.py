"""Digital signatures in a real browser: a demo leader signs a sample decision on the page
"Ký số văn bản", downloads it, and anyone checks it on the public page "Kiểm tra chữ ký số"."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADER = "giamdoc.stttt"  # Hoàng Đức Thắng, director of the Department of Information and Comm.


@pytest.fixture
def demo_leader(settings, tmp_path):
    """The demo province's officials (fixed authenticator keys, the demo password), the
    province's CA and the director's personal certificate: what `make run` sets up, without
    the catalogue and dossiers the journey does not need."""
    from egov.core.demo import loader
    from egov.core.models import User
    from egov.pki.testing import issue_personal, setup_test_pki

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EGOV_PKI_KEY_DIR = str(tmp_path / "pki-keys")
    settings.EGOV_PKI_KEY_SECRET = "e2e-secret-for-pkcs12-passphrases"
    settings.EGOV_PKI_CA_KEY_SIZE = 2048  # fast CA set-up; the size is tested elsewhere
    loader.load()
    setup_test_pki()
    leader = User.objects.get(username=LEADER)
    issue_personal(leader)
    return leader


def authenticator_code(username: str, *, next_step: bool = False) -> str:
    """What her phone shows now (or in the next 30 seconds: the code she used to log in cannot
    be used again, and the next one is accepted a step early, as for any slow clock)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    drift = device.drift + (1 if next_step else 0)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:06d}"


def test_a_leader_signs_a_decision_and_anyone_checks_it_on_the_public_page(page, demo_leader):
    from egov.core.demo.loader import DEMO_PASSWORD
    from egov.pki.demo_signing import sample_decision

    decision = sample_decision(demo_leader, demo_leader.positions.get().agency)

    # 1. The director logs in with her password and her authenticator.
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(LEADER)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/2fa/verify/"))
    page.get_by_label("Mã 6 chữ số").fill(authenticator_code(LEADER))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/$"))

    # 2. Chứng thư số → Ký số văn bản: the decision, her certificate, her code.
    page.get_by_role("link", name="Chứng thư số").first.click()
    page.get_by_role("link", name="Ký số văn bản").click()
    expect(page.get_by_role("heading", name="Ký số văn bản")).to_be_visible()
    page.get_by_label("Văn bản PDF cần ký").set_input_files(
        files=[{"name": "quyet-dinh-mau.pdf", "mimeType": "application/pdf", "buffer": decision}]
    )
    expect(page.get_by_label("Ký bằng")).to_contain_text("Hoàng Đức Thắng")
    page.get_by_label("Lý do ký").fill("Ký ban hành")
    page.get_by_label("Mã xác thực").fill(authenticator_code(LEADER, next_step=True))
    page.get_by_role("button", name="Ký số", exact=True).click()

    # 3. Signed: the audit reference, and the file to download.
    expect(page.get_by_role("heading", name="Đã ký số văn bản")).to_be_visible()
    expect(page.get_by_test_id("audit-reference")).to_contain_text("Sự kiện nhật ký số")
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename == "quyet-dinh-mau-da-ky.pdf"
    with open(download.path(), "rb") as file:
        signed = file.read()
    assert signed.startswith(decision[:8]) and len(signed) > len(decision)

    # 4. Logged out, anyone checks the file on the public page.
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/login/"))
    page.get_by_role("link", name="Kiểm tra chữ ký số").click()
    page.get_by_label("Văn bản PDF đã ký số").set_input_files(
        files=[
            {"name": download.suggested_filename, "mimeType": "application/pdf", "buffer": signed}
        ]
    )
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.get_by_test_id("report-summary")).to_be_visible()
    signature = page.get_by_test_id("signature")
    expect(signature).to_have_count(1)
    expect(signature.get_by_test_id("indication")).to_contain_text("Chữ ký hợp lệ")
    expect(signature.get_by_role("heading")).to_contain_text("Hoàng Đức Thắng")
