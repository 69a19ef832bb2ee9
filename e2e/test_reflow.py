"""Every page of the app reflows on a phone (WCAG 2.1 SC 1.4.10), found by crawling, not by a list.

The demo (``load_demo``) with meetings added: held ones with attendance, minutes, decisions and
action items, an upcoming one with invitations, RSVPs and proposed topics, a draft. The demo's
coordinator, member and admin each sign in and, on a phone-sized browser (320 CSS px), follow every
link the app's pages show them (not the Django admin, files or other sites), up to two pages of
each kind (URL pattern). Each page is checked for reflow at 320 px; the first of each kind also with
``assert_accessible`` (axe-core, title, landmarks). All failures are collected and reported
together, so one run lists every page that needs work.
"""

from collections import Counter
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from devdata.management.commands.load_demo import DEMO_PASSWORD
from e2e.accessibility import REFLOW_WIDTH, assert_accessible, assert_reflows
from e2e.helpers import sign_in

# Paths the crawl does not follow: the admin (checked by test_admin_accessibility.py), actions that
# are forms (sign out, language), files (CSV, calendars, the personal-data download), static files.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/accounts/logout/", "/me/data/download/")
SKIPPED_SUFFIXES = (".csv", ".ics", ".json", ".pdf")
# Thirty organisations' pages are one template thirty times, and a page with filters links to many
# variants of itself: a few of each kind of page (URL pattern and query parameters) are enough.
PAGES_PER_KIND = 2
# A bound, so that a link that generates links (a calendar month after month) cannot run forever.
MAX_PAGES = 250
PHONE = {"width": REFLOW_WIDTH, "height": 640}


def _followed(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    return not (parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(SKIPPED_SUFFIXES))


def _kind(url: str) -> str:
    """The kind of page: its URL pattern and the names of its query parameters."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    return f"{route}?{'&'.join(sorted(parse_qs(parts.query)))}"


def crawl(page, origin: str, who: str) -> tuple[list[str], list[str]]:
    """Visits every kind of page reachable by links from the home page and My page, a few of each.

    Returns the pages visited and the failures found on them.
    """
    queue, seen, kinds = ["/", "/me/"], set(), Counter()
    visited, failures = [], []
    while queue and len(visited) < MAX_PAGES:
        url = urljoin(origin, queue.pop(0))
        parts = urlsplit(url)
        if url in seen:
            continue
        seen.add(url)
        kind = _kind(url)
        kinds[kind] += 1
        if kinds[kind] > PAGES_PER_KIND:
            continue
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        name = f"{who} {parts.path}{'?' + parts.query if parts.query else ''}"
        visited.append(name)
        if response.status != 200:
            failures.append(f"{name}: answered {response.status}, linked from the app")
            continue
        try:
            # axe-core on the first page of each kind (its rules see the template, and take a second or
            # two a page); the others of the kind, with other data in the template, for reflow.
            if kinds[kind] == 1:
                assert_accessible(page, name)
            else:
                assert_reflows(page, name)
        except AssertionError as error:
            failures.append(str(error))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = href.split("#", 1)[0]
            if target and _followed(target, origin) and target not in seen:
                queue.append(target)
    return visited, failures


@pytest.mark.parametrize("who", ["coordinator", "member", "admin"])
def test_every_page_a_demo_person_reaches_reflows_at_320_px(new_context, live_server, demo, who):
    page = new_context().new_page()
    page.goto("/")
    sign_in(page, email=demo[who].email, password=DEMO_PASSWORD)  # from the header, shown in full at 1440 px
    page.wait_for_url("**/me/")
    page.set_viewport_size(PHONE)
    visited, failures = crawl(page, live_server.url, who)
    # If the crawl found few pages, it lost its way (a sign-in that failed, links not followed).
    assert len(visited) >= {"coordinator": 60, "member": 25, "admin": 25}[who], visited
    assert not failures, f"{len(failures)} of {len(visited)} pages fail:\n\n" + "\n\n".join(failures)

