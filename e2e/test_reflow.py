"""Every page of the app reflows on a phone (WCAG 2.1 SC 1.4.10), found by crawling, not by a list.

The demo (``load_demo``) with meetings added: held ones with attendance, minutes, decisions and
action items, an upcoming one with invitations, RSVPs and proposed topics, a draft. The demo's
coordinator, member and admin each sign in on a phone-sized browser (320 CSS px) and follow every
link the app's pages show them (not the Django admin, files or other sites), checking each page
with ``assert_accessible``, which includes the 320 px reflow check. All failures are collected and
reported together, so one run lists every page that needs work.
"""

import datetime
import importlib
import io
from collections import Counter
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils import timezone

from e2e.accessibility import REFLOW_WIDTH, assert_accessible
from e2e.helpers import field, t

# Paths the crawl does not follow: the admin (checked by test_admin_accessibility.py), actions that
# are forms (sign out, language), files (CSV, calendars, the personal-data download), static files.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/accounts/logout/", "/me/data/download/")
SKIPPED_SUFFIXES = (".csv", ".ics", ".json", ".pdf")
# Thirty organisations' pages are one template thirty times, and a page with filters links to many
# variants of itself: a few of each kind of page (URL pattern and query parameters) are enough.
PAGES_PER_KIND = 3
# A bound, so that a link that generates links (a calendar month after month) cannot run forever.
MAX_PAGES = 250
PHONE = {"width": REFLOW_WIDTH, "height": 640}


@pytest.fixture
def demo(live_server):
    """load_demo's people, organisations and tables, and meetings at each stage of their life."""
    from django.apps import apps

    from accounts.models import User
    from devdata.management.commands.load_demo import DEMO_USERS

    # The browser tests flush the database after each test, also the rows migrations seeded.
    importlib.import_module("tables.migrations.0002_default_roles_and_templates").seed(apps, None)
    importlib.import_module("organisations.migrations.0002_default_themes").add_themes(apps, None)
    call_command("load_demo", stdout=io.StringIO())
    users = {role: User.objects.get(email=email) for role, email, _name, _language in DEMO_USERS}
    _meetings(users)
    return users


def _meetings(users):
    from meetings.models import ActionItemStatus, AgendaItemStatus, MeetingFormat, MeetingStatus, RsvpResponse
    from meetings.tests.factories import (
        ActionItemFactory,
        AgendaItemFactory,
        AttendanceFactory,
        DecisionFactory,
        MeetingFactory,
        PublishedMinutesFactory,
        held_meeting,
        in_days,
        invite,
    )
    from tables.models import PartnershipTable, StandingMemberStatus

    coordinator, member, representative = users["coordinator"], users["member"], users["representative"]
    for table in PartnershipTable.objects.order_by("pk"):
        organisations = [
            s.organisation for s in table.standing_members.filter(status=StandingMemberStatus.ACTIVE)
        ]
        home = organisations[0] if organisations else None
        # Held: everyone came, the minutes are out with decisions and action items.
        held = held_meeting(
            table, days_ago=30, title=f"{table.name}: syyskokous", chair=home, created_by=coordinator,
            status=MeetingStatus.HELD,
        )
        for person in (coordinator, member, representative):
            invite(held, person, organisation=home, response=RsvpResponse.ATTENDING_IN_PERSON)
            AttendanceFactory(meeting=held, user=person, organisation=home, online=person == member)
        # A guest without an account, with the long address people really have.
        invite(held, None, email="toiminnanjohtaja.etunimi.sukunimi@mielenterveysyhdistys-esimerkki.fi",
               response=RsvpResponse.ATTENDING_ONLINE)
        topic = AgendaItemFactory(
            meeting=held, title="Järjestöavustusten hakuaikataulu ja kumppanuussopimusten uudistaminen",
            description="Taustamateriaali: https://www.pohjanmaanhyvinvointi.fi/jarjestoyhteistyo/"
                        "kumppanuuspoydat/taustamateriaali-2026-kevat.pdf",
        )
        minutes = PublishedMinutesFactory(
            meeting=held, published_by=coordinator,
            body_markdown="## Keskustelu\n\nPäihdekuntoutujienvertaistukitoimintakokonaisuus esiteltiin. "
                          "Lisätietoja: https://www.pohjanmaanhyvinvointi.fi/jarjestoyhteistyo/"
                          "kumppanuuspoydat/poytakirjat/2026/syyskokous-liite-1.pdf",
        )
        DecisionFactory(minutes=minutes, agenda_item=topic, text="Hakuaikataulu hyväksyttiin esitetyssä muodossa.")
        ActionItemFactory(meeting=held, owner_user=member, created_by=coordinator,
                          what="Kootaan järjestöjen palaute hakuaikataulusta ennen seuraavaa kokousta.")
        ActionItemFactory(meeting=held, owner_organisation=home, owner_user=None, created_by=coordinator,
                          status=ActionItemStatus.DONE, completed_at=timezone.now(),
                          due_on=timezone.localdate() - datetime.timedelta(days=10))
        # Held a week ago, its attendance not yet recorded and its minutes not yet written.
        last = held_meeting(table, days_ago=7, title=f"{table.name}: työpaja", created_by=coordinator)
        for person in (coordinator, member, representative):
            invite(last, person, organisation=home, response=RsvpResponse.ATTENDING_ONLINE)
        # Coming up: invitations sent, some answers, a topic proposed and one accepted.
        upcoming = MeetingFactory(
            table=table, title=f"{table.name}: kevätkokous", starts_at=in_days(21),
            ends_at=in_days(21) + datetime.timedelta(hours=2), format=MeetingFormat.HYBRID,
            online_link="https://teams.microsoft.com/l/meetup-join/19%3ameeting_kumppanuuspoyta-kevat-2026",
            chair=home, created_by=coordinator,
        )
        invite(upcoming, coordinator, response=RsvpResponse.ATTENDING_IN_PERSON)
        invite(upcoming, member, organisation=home, response=RsvpResponse.MAYBE)
        invite(upcoming, representative, organisation=home)
        AgendaItemFactory(meeting=upcoming, title="Edellisen kokouksen toimenpiteet", presenter_user=coordinator)
        AgendaItemFactory(meeting=upcoming, title="Vertaistukiryhmien kevään 2026 kokoontumistilat",
                          status=AgendaItemStatus.PROPOSED, proposed_by=member)
        # Not yet scheduled.
        MeetingFactory(table=table, title=f"{table.name}: luonnos", starts_at=in_days(60),
                       ends_at=in_days(60) + datetime.timedelta(hours=2), status=MeetingStatus.DRAFT,
                       created_by=coordinator)


def _sign_in(page, email: str, language: str) -> None:
    from devdata.management.commands.load_demo import DEMO_PASSWORD

    page.goto("/accounts/login/")
    main = page.get_by_role("main")
    field(main, t(language, "Email")).fill(email)
    field(main, t(language, "Password")).fill(DEMO_PASSWORD)
    main.get_by_role("button", name=t(language, "Sign In"), exact=True).click()
    page.wait_for_url("**/me/")


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
        kinds[_kind(url)] += 1
        if kinds[_kind(url)] > PAGES_PER_KIND:
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
            assert_accessible(page, name)
        except AssertionError as error:
            failures.append(str(error))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = href.split("#", 1)[0]
            if target and _followed(target, origin) and target not in seen:
                queue.append(target)
    return visited, failures


@pytest.mark.parametrize("who", ["coordinator", "member", "admin"])
def test_every_page_a_demo_person_reaches_reflows_at_320_px(new_context, live_server, demo, who):
    user = demo[who]
    page = _phone(new_context)
    _sign_in(page, user.email, "fi")
    visited, failures = crawl(page, live_server.url, who)
    # If the crawl found few pages, it lost its way (a sign-in that failed, links not followed).
    assert len(visited) >= {"coordinator": 60, "member": 25, "admin": 25}[who], visited
    assert not failures, f"{len(failures)} of {len(visited)} pages fail:\n\n" + "\n\n".join(failures)


def _phone(new_context):
    context = new_context()
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return page
