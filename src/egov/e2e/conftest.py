"""Real-browser journeys: Playwright driving the machine's Chromium against a live server.

The browser is Debian's Chromium (``/usr/bin/chromium``; CI installs it). Without it the
journeys are skipped locally, but CI sets ``EGOV_REQUIRE_BROWSER=1`` so a missing browser fails
the run instead of hiding the tests.
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    return (
        os.environ.get("EGOV_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("EGOV_REQUIRE_BROWSER"):
            pytest.fail(
                "Chromium is required for the end-to-end journeys (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed: end-to-end journeys skipped")
    # Playwright's sync API runs an event loop in this thread; the tests also use the ORM
    # to arrange data, which Django otherwise refuses inside a running loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _phone_page(browser, live_server, width: int, height: int):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def phone(browser, live_server):
    """A citizen's or officer's phone: small screen, touch."""
    context, page = _phone_page(browser, live_server, 390, 844)
    yield page
    context.close()


@pytest.fixture
def small_phone(browser, live_server):
    """The narrowest phone the portal promises to work on (360 px)."""
    context, page = _phone_page(browser, live_server, 360, 740)
    yield page
    context.close()
