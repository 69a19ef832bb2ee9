"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live_server.

``live_server`` makes every test here transactional on the real PostgreSQL, so on_commit callbacks
run as in production; Celery is eager (root conftest) and e-mail goes to Django's locmem backend,
whose ``mail.outbox`` the tests read because the live server runs in this process.
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from e2e.browser import ARGS, require_chromium

# A step that has not happened in this long has failed; Playwright's default 30 s only slows a failing run.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package", autouse=True)
def _orm_calls_beside_playwright():
    """Lets the tests use the ORM while Playwright runs.

    Playwright's sync API keeps an asyncio event loop running in the test thread (inside a
    greenlet), so Django takes every ORM call from the test for a call from async code and refuses
    it (SynchronousOnlyOperation). The test and the loop never run at the same time, so the guard
    protects nothing here. Set for the browser tests only (the browser below starts after this and
    stops before it), so no other test, nor a subprocess one starts, inherits it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_orm_calls_beside_playwright):
    chromium = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--headless", *ARGS])
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Opens a browser of its own for each person in a test (cookies and sessions apart)."""
    contexts = []

    def make(**options):
        context = browser.new_context(
            base_url=live_server.url,
            # A person in Finland: the browser asks for Finnish, the default language, first.
            locale=options.pop("locale", "fi-FI"),
            timezone_id="Europe/Helsinki",
            viewport={"width": 1440, "height": 900},  # a common desktop; the navigation fits on one row
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def demo(live_server):
    """The demo with meetings (e2e/demo.py); the demo's people by role."""
    from e2e.demo import populate

    return populate()


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(settings, live_server):
    """Our e-mails build absolute links from SITE_URL (allauth's from the request): both reach the live server."""
    settings.SITE_URL = live_server.url


def pytest_terminal_summary(terminalreporter):
    from e2e.accessibility import FINDINGS

    if not FINDINGS:
        return
    terminalreporter.section("axe-core: findings below serious (documented in docs/accessibility.md)")
    for finding in FINDINGS:
        terminalreporter.write_line(finding)
