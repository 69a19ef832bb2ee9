"""The coordinator's workspace (issue 12) and the navigation that counts what waits for her.

A coordinator signs in, lands on her workspace, clears three things that wait (a registration, a
standing-member request, an agenda proposal) from the links there and sees the counts fall; the same
workspace in Swedish after the language switch; and the navigation on one row at 1280 px, and as a
menu opened with the keyboard at 375 px. The ORM only arranges the starting data. Every page on the
way is checked with axe-core.
"""

import re
from dataclasses import dataclass

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from e2e.helpers import PASSWORD, field, sign_in, t

FI = "fi"
SV = "sv"


@dataclass
class County:
    coordinator: object
    table: object
    meeting: object
    registration: object  # an organisation waiting for approval
    request: object  # a standing-member request
    proposal: object  # an agenda proposal


@pytest.fixture
def county():
    from accounts.tests.factories import UserFactory
    from meetings.models import AgendaItemStatus, RsvpResponse
    from meetings.tests.factories import AgendaItemFactory, MeetingFactory, in_days, invite
    from organisations.models import Eligibility
    from organisations.tests.factories import AreaCoordinatorFactory, OrganisationFactory, WelfareAreaFactory
    from tables.models import StandingMemberStatus
    from tables.tests.factories import PartnershipTableFactory, SectorFactory, StandingMemberFactory

    area = WelfareAreaFactory(
        code="PO", name="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde",
        short_name="Pohjanmaa", short_name_sv="Österbotten",
    )
    coordinator = AreaCoordinatorFactory(
        welfare_area=area, user__email="koordinaattori@example.org", user__full_name="Kaisa Koordinaattori",
    ).user
    sector = SectorFactory(welfare_area=area, name="Psykososiaalinen toimiala", name_sv="Psykosociala sektorn")
    table = PartnershipTableFactory(
        sector=sector, name="Psykososiaalinen kumppanuuspöytä", name_sv="Psykosociala partnerskapsbordet",
        owner=coordinator,
    )
    StandingMemberFactory(table=table, organisation=OrganisationFactory(welfare_area=area, name="Vaasan Seniorit ry"))
    meeting = MeetingFactory(table=table, title="Syyskokous", starts_at=in_days(10), created_by=coordinator)
    for response in (RsvpResponse.ATTENDING_IN_PERSON, RsvpResponse.MAYBE, None):
        invite(meeting, UserFactory(), response=response)
    proposer = UserFactory(full_name="Pekka Puhuja")
    return County(
        coordinator=coordinator,
        table=table,
        meeting=meeting,
        registration=OrganisationFactory(
            welfare_area=area, name="Mustasaaren Vertaistuki ry", eligibility=Eligibility.PENDING
        ),
        request=StandingMemberFactory(
            table=table,
            organisation=OrganisationFactory(welfare_area=area, name="Pohjanmaan Omaiset ry"),
            status=StandingMemberStatus.REQUESTED,
        ),
        proposal=AgendaItemFactory(
            meeting=meeting, title="Yhteinen tapahtumakalenteri", status=AgendaItemStatus.PROPOSED,
            proposed_by=proposer,
        ),
    )


def _workspace_link(page):
    return page.get_by_role("banner").get_by_role("link", name=re.compile(rf"^{re.escape(t(FI, 'My page'))}"))


def _expect_waiting(page, count: int, language: str = FI) -> None:
    """The navigation says in words how many things wait (the number beside it is hidden from screen readers)."""
    link = page.get_by_role("banner").get_by_role(
        "link", name=re.compile(rf"^{re.escape(t(language, 'My page'))}")
    )
    if count:
        with translation.override(language):
            words = translation.ngettext(
                "(%(counter)s thing waiting for you)", "(%(counter)s things waiting for you)", count
            ) % {"counter": count}
        expect(link).to_have_accessible_name(f"{t(language, 'My page')} {words}")
        expect(link.locator(".badge")).to_have_text(str(count))
    else:
        expect(link).to_have_accessible_name(t(language, "My page"))


def _kind(page, label: str):
    """One kind of thing in the list of what waits, found by its heading."""
    waiting = page.get_by_role("main").get_by_role("region", name=t(FI, "Waiting for you"))
    return waiting.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile(re.escape(label))))


def test_a_coordinator_clears_what_waits_for_her_from_her_workspace(page, county):
    page.goto("/")
    sign_in(page, email=county.coordinator.email, language=FI)
    # She lands on her workspace.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "My page"))
    main = page.get_by_role("main")
    _expect_waiting(page, 3)
    for label in (
        "Organisation registrations to review", "Requests for standing membership", "Agenda proposals to decide"
    ):
        expect(_kind(page, t(FI, label))).to_contain_text("1")
    tables = main.get_by_role("region", name=t(FI, "My tables"))
    row = tables.get_by_role("row").filter(has_text=county.table.name)
    expect(row).to_contain_text(county.meeting.title)
    # Yes, no, maybe, no answer.
    expect(row.get_by_role("cell")).to_have_text([re.compile(county.meeting.title), "1", "0", "1", "1"])
    assert_accessible(page, "workspace (fi)")

    # 1. The registration: to the review queue, approved there.
    _kind(page, t(FI, "Organisation registrations to review")).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "Review queue"))
    assert_accessible(page, "review queue from the workspace (fi)")
    card = page.get_by_role("article", name=county.registration.name)
    card.get_by_label(t(FI, "Approve"), exact=True).check()
    card.get_by_role("button", name=t(FI, "Save decision")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t(FI, "%(name)s was approved.", name=county.registration.name)
    )
    _expect_waiting(page, 2)
    _workspace_link(page).click()
    expect(_kind(page, t(FI, "Organisation registrations to review"))).to_have_count(0)
    _expect_waiting(page, 2)

    # 2. The standing-member request: in the review queue too, approved there.
    _kind(page, t(FI, "Requests for standing membership")).get_by_role("link").click()
    standing = page.get_by_role("region", name=t(FI, "Requests for standing membership"))
    article = standing.get_by_role("article", name=re.compile(re.escape(county.request.organisation.name)))
    article.get_by_label(t(FI, "Approve"), exact=True).check()
    article.get_by_role("button", name=t(FI, "Save decision")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t(FI, "%(name)s is now a standing member.", name=county.request.organisation.name)
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "Review queue"))
    expect(standing).to_contain_text(t(FI, "No requests for standing membership are waiting."))
    assert_accessible(page, "review queue, standing member approved (fi)")
    _workspace_link(page).click()
    _expect_waiting(page, 1)

    # 3. The agenda proposal: to the meeting's agenda, accepted there.
    proposals = _kind(page, t(FI, "Agenda proposals to decide"))
    proposals.get_by_role("link", name=re.compile(re.escape(county.meeting.title))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(county.meeting.title)
    decision = page.get_by_role("group", name=re.compile(re.escape(county.proposal.title)))
    decision.get_by_label(t(FI, "Accept"), exact=True).check()
    page.get_by_role("main").get_by_role("button", name=t(FI, "Save decision")).click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text(county.proposal.title)
    assert_accessible(page, "meeting, proposal accepted (fi)")

    # Nothing waits any more.
    _workspace_link(page).click()
    _expect_waiting(page, 0)
    waiting = page.get_by_role("main").get_by_role("region", name=t(FI, "Waiting for you"))
    expect(waiting).to_contain_text(t(FI, "Nothing is waiting for you. Well done!"))
    assert_accessible(page, "workspace, nothing waits (fi)")


def test_the_workspace_in_swedish(page, county):
    page.goto("/")
    sign_in(page, email=county.coordinator.email, language=FI)
    banner = page.get_by_role("banner")
    banner.get_by_label(t(FI, "Language")).select_option(label="Svenska")
    banner.get_by_role("button", name=t(FI, "Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", SV)
    banner.get_by_role("link", name=re.compile(rf"^{re.escape(t(SV, 'My page'))}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(SV, "My page"))
    _expect_waiting(page, 3, SV)
    waiting = page.get_by_role("main").get_by_role("region", name=t(SV, "Waiting for you"))
    expect(waiting).to_contain_text(t(SV, "Requests for standing membership"))
    tables = page.get_by_role("main").get_by_role("region", name=t(SV, "My tables"))
    expect(tables).to_contain_text("Psykosociala partnerskapsbordet")
    assert_accessible(page, "workspace (sv)")


# --- The navigation ----------------------------------------------------------------------------

ONE_ROW = """
() => {
  const nav = document.querySelector('header nav');
  const items = [nav.querySelector('.navbar-brand'),
                 ...nav.querySelectorAll('#main-nav .nav-item, #main-nav form.d-flex')];
  const boxes = items.map(item => {
    const box = item.getBoundingClientRect();
    return {text: item.textContent.trim().replace(/\\s+/g, ' '), top: box.top, bottom: box.bottom,
            left: box.left, right: box.right, width: box.width};
  });
  return {boxes, navHeight: nav.getBoundingClientRect().height, scrollWidth: document.documentElement.scrollWidth};
}
"""


@pytest.mark.parametrize("language", [FI, SV])
def test_the_navigation_fits_on_one_row_at_1280_px(new_context, county, language):
    from organisations.tests.factories import MembershipFactory

    # The longest navigation: a coordinator with a long name who is also an admin and a member.
    county.coordinator.full_name = "Kaisa-Maria Koordinaattori-Virtanen"
    county.coordinator.is_staff = county.coordinator.is_superuser = True
    county.coordinator.language = language
    county.coordinator.save()
    MembershipFactory(user=county.coordinator, organisation=county.request.organisation)
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    sign_in(page, email=county.coordinator.email, language=FI)
    # Her own language from her profile.
    expect(page.locator("html")).to_have_attribute("lang", language)
    _expect_waiting(page, 3, language)
    expect(page.get_by_role("banner").get_by_role("link", name=t(language, "Administration"))).to_be_visible()
    layout = page.evaluate(ONE_ROW)
    boxes = layout["boxes"]
    assert len(boxes) >= 9, boxes
    # One row: every item overlaps every other vertically, and none is cut off at the right.
    assert max(box["top"] for box in boxes) < min(box["bottom"] for box in boxes), boxes
    assert all(box["right"] <= 1280 for box in boxes), boxes
    assert layout["scrollWidth"] <= 1280, layout
    assert layout["navHeight"] < 80, layout
    assert_accessible(page, f"navigation at 1280 px ({language})")


def test_on_a_phone_the_menu_opens_with_the_keyboard(new_context, county):
    page = new_context().new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    banner = page.get_by_role("banner")
    menu = banner.locator("#main-nav")
    toggle = banner.get_by_role("button", name=t(FI, "Show or hide the menu"))
    expect(toggle).to_be_visible()
    expect(menu).to_be_hidden()
    sign_in_link = banner.get_by_role("link", name=t(FI, "Sign in"), exact=True)
    expect(sign_in_link).to_be_hidden()

    # Tab from the top of the page: the skip link, the brand, then the menu button.
    for _ in range(3):
        page.keyboard.press("Tab")
        if toggle.evaluate("element => element === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    # The next Tab goes into the menu, to its first link.
    page.keyboard.press("Tab")
    expect(banner.get_by_role("link", name=t(FI, "Organisations"), exact=True)).to_be_focused()
    expect(sign_in_link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "navigation open at 375 px (fi)")
    # The same button closes it.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    # Signed in, the menu holds her workspace with its count.
    page.goto("/accounts/login/")
    field(page, t(FI, "Email")).fill(county.coordinator.email)
    field(page, t(FI, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(FI, "Sign In"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "My page"))
    toggle.click()
    _expect_waiting(page, 3)
    assert_accessible(page, "workspace at 375 px (fi)")
