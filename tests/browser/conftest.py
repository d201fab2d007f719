"""Playwright driving Debian's Chromium against the live server, plus an axe-core scan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    """A 320 px wide viewport (WCAG 1.4.10 reflow)."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


# axe collects full details for violations only (`resultTypes`): the same violations are
# found, in about half the time, and only they cross back from the browser.
AXE_RUN = """async (tags) => (await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
})).violations"""


def settled(page) -> None:
    """Wait for a navigation a click may have started to finish (evaluating mid-navigation
    meets an empty document, or loses what was injected)."""
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement && document.readyState === 'complete'")


def axe_violations(page) -> list[dict]:
    settled(page)
    page.evaluate(AXE_JS)
    return page.evaluate(AXE_RUN, AXE_TAGS)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    ]
    assert violations == [], f"axe violations on {page.url}:\n" + "\n".join(summary)


def assert_fits_320(page) -> None:
    """No horizontal scrolling at 320 px (the page reflows)."""
    settled(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px wide"


def login(page, email: str, password: str = "test-password-2026") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
