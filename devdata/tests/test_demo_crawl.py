"""The demo is alive (issue 13): ``load_demo``, then each demo login follows the demo's own links and
every page it reaches answers 200, and the pages the README lists for it show what they are for.

The crawl uses Django's test client (no browser, so it is quick): it starts at the home page and My
page and follows, breadth first, every link of the site a page shows (GET only; not signing out, the
language switch or static files; the admin only as the admin). Files (calendars, CSV, the personal
data download) are fetched to check that they answer 200, not read. A few pages of each kind (URL
pattern, ``resolve(path).view_name``) are enough, so the crawl covers new pages without knowing them.

"Shows data" has one marker: every template's empty-state message (a list with nothing in it, "No
minutes have been published yet.") carries ``class="empty-state"``. The pages to check come from
README.md, the table "What each demo login sees" under the demo logins, so the README stays true:
each row names the logins, a path (``<id>`` for a number) and what the page shows. Each listed page
must be reached by the crawl, and may show no empty state except the few secondary sections allowed
in ``ALLOWED_EMPTY`` below, each with its reason.
"""

import io
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils import translation

from accounts.models import User
from devdata.management.commands.load_demo import DEMO_USERS

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"
README_HEADING = "What each demo login sees"

# Links the crawl does not follow: signing out and the language switch are forms, static files are not ours.
SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/admin/logout/")
ADMIN_PREFIX = "/admin/"
# Thirty organisations' pages are one template thirty times: a few of each kind are enough.
PAGES_PER_KIND = 2
ADMIN_PAGES_PER_KIND = 1
# A bound, so that a link that generates links (a calendar month after month) cannot run forever.
MAX_PAGES = 600

# Empty secondary sections allowed on a page the README lists: view name → (English message, reason).
# The message is matched in the page's language (Finnish, Swedish or English) by its beginning.
ALLOWED_EMPTY = {
    "meetings:detail": [
        ("No action items are open from earlier meetings.",
         "a held meeting's page lists the open items of the meetings before it; the first meeting has none"),
    ],
    "meetings:minutes": [
        ("No decisions were recorded.", "not every agenda item of a demo meeting ends in a decision"),
    ],
    "meetings:table_statistics": [
        ("No meetings were held this year.", "the year chooser reaches years before the demo's history"),
    ],
    "organisations:review_queue": [
        ("No organisations are waiting for approval.", "a representative reviews who joins, not registrations"),
        ("No requests for standing membership are waiting.",
         "a representative asks for standing membership; coordinators decide"),
    ],
    "meetings:table_actions": [
        ("No action items match the filters.", "the filters' links include combinations nobody has"),
    ],
}


@dataclass
class DemoPage:
    logins: set[str]
    path: str
    shows: str
    pattern: re.Pattern = field(repr=False)


def readme_pages() -> list[DemoPage]:
    """The rows of the README's table "What each demo login sees": | logins | `path` | what it shows |."""
    text = README.read_text(encoding="utf-8")
    start = text.index(README_HEADING)
    pages = []
    for line in text[start:].splitlines()[1:]:
        if pages and not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`"):
            continue
        logins, path, shows = cells
        path = path.strip("`")
        regex = "".join(
            "[0-9]+" if part.startswith("<") else re.escape(part) for part in re.split(r"(<[a-z_]+>)", path)
        )
        pages.append(DemoPage({login.strip() for login in logins.split(",")}, path, shows, re.compile(f"^{regex}$")))
    return pages


class _Page(HTMLParser):
    """The links of a page and the texts of its empty-state elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.empty_states: list[str] = []
        self._open: list[list] = []  # [tag, depth, text parts] of the empty states being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for state in self._open:
            if state[0] == tag:
                state[1] += 1
        if "empty-state" in (attributes.get("class") or "").split():
            self._open.append([tag, 1, []])

    def handle_endtag(self, tag):
        for state in list(self._open):
            if state[0] == tag:
                state[1] -= 1
                if state[1] == 0:
                    self._open.remove(state)
                    self.empty_states.append(" ".join("".join(state[2]).split()))

    def handle_data(self, data):
        for state in self._open:
            state[2].append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _allowed(view_name: str, text: str) -> bool:
    for message, _reason in ALLOWED_EMPTY.get(view_name, []):
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                if text.startswith(" ".join(translation.gettext(message).split())):
                    return True
    return False


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


@dataclass
class Visit:
    path: str  # with its query
    view_name: str
    status: int
    html: bool
    empty_states: list[str]


def crawl(client, *, admin: bool) -> tuple[list[Visit], list[str]]:
    """Follows the site's links from the home page and My page; returns the visits and the failures."""
    queue = deque([("/", "(start)"), ("/me/", "(start)")])
    seen, kinds = set(), Counter()
    visits, failures = [], []
    while queue and len(visits) < MAX_PAGES:
        url, linked_from = queue.popleft()
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen:
            continue
        seen.add(path)
        view_name = _view_name(parts.path)
        in_admin = parts.path.startswith(ADMIN_PREFIX)
        kinds[view_name] += 1
        if kinds[view_name] > (ADMIN_PAGES_PER_KIND if in_admin else PAGES_PER_KIND):
            continue
        response = client.get(path, follow=True)
        is_html = "text/html" in response.get("Content-Type", "")
        if response.status_code != 200:
            failures.append(f"{path} (linked from {linked_from}) answered {response.status_code}")
            visits.append(Visit(path, view_name, response.status_code, is_html, []))
            continue
        if not is_html:
            visits.append(Visit(path, view_name, 200, False, []))
            continue
        page = parse(response.content.decode())
        visits.append(Visit(path, view_name, 200, True, page.empty_states))
        here = response.redirect_chain[-1][0] if response.redirect_chain else path
        for href in page.links:
            target = urlsplit(urljoin(f"http://testserver{here}", href))
            if target.scheme not in ("http", "https") or target.netloc != "testserver":
                continue
            if target.path.startswith(SKIPPED_PREFIXES):
                continue
            if target.path.startswith(ADMIN_PREFIX) and not admin:
                continue
            queue.append((target.path + (f"?{target.query}" if target.query else ""), path))
    return visits, failures


def test_readme_lists_the_demo_pages_for_every_login():
    pages = readme_pages()
    assert len(pages) >= 10
    roles = {role for role, _email, _name, _language in DEMO_USERS}
    for page in pages:
        assert page.logins <= roles, f"README: unknown login in {page}"
        assert page.shows, f"README: say what {page.path} shows"
        resolve(re.sub(r"<[a-z_]+>", "1", page.path))  # a real URL of the app
    assert {login for page in pages for login in page.logins} == roles


def _check(client, role: str) -> list[str]:
    """The crawl as one login: the failures found."""
    visits, failures = crawl(client, admin=role == "admin")
    html_pages = [visit for visit in visits if visit.html]
    if len(html_pages) <= 10:
        failures.append(f"reached only {[v.path for v in html_pages]}")
    for page in readme_pages():
        if role not in page.logins:
            continue
        matching = [visit for visit in html_pages if page.pattern.match(urlsplit(visit.path).path)]
        if not matching:
            failures.append(f"README lists {page.path}, but no link of the demo leads there")
        for visit in matching:
            empty = [text for text in visit.empty_states if not _allowed(visit.view_name, text)]
            if empty:
                failures.append(f"{visit.path} ({page.shows}) is empty: {empty}")
    return [f"{role}: {failure}" for failure in failures]


def test_each_demo_login_finds_every_page_answering_and_showing_data(client):
    """One load of the demo (it takes a while), then the crawl as each login; all failures at once."""
    call_command("load_demo", stdout=io.StringIO())
    failures = []
    for role, email, _name, _language in DEMO_USERS:
        client.force_login(User.objects.get(email=email))
        failures.extend(_check(client, role))
        client.logout()
    assert not failures, "\n".join(failures)


def test_the_crawl_reads_links_and_empty_states():
    page = parse(
        '<main><a href="/tables/1/">Pöytä</a><p class="mb-0 empty-state">No <a href="/x/">minutes</a> '
        'have been <span>published</span> yet.</p><p>Not empty</p>'
        '<table><tr><td class="empty-state" colspan="5">No meeting planned.</td></tr></table></main>'
    )
    assert page.links == ["/tables/1/", "/x/"]
    assert page.empty_states == ["No minutes have been published yet.", "No meeting planned."]
    assert _allowed("meetings:minutes", "No decisions were recorded.")
    with translation.override("fi"):
        finnish = translation.gettext("No decisions were recorded.")
    assert _allowed("meetings:minutes", finnish)
    assert not _allowed("meetings:minutes", "No action items were agreed.")
    assert not _allowed("meetings:detail", "No decisions were recorded.")
    patterns = {page.path: page.pattern for page in readme_pages()}
    assert patterns["/tables/<id>/"].match("/tables/12/")
    assert not patterns["/tables/<id>/"].match("/tables/mine/")
