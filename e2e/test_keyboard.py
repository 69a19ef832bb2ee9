"""The pages work by keyboard alone: the skip link, and a form filled and sent without a mouse."""

from playwright.sync_api import expect

from e2e.accessibility import assert_accessible, assert_visible_focus
from e2e.helpers import PASSWORD, field, sign_in, t

# Enough for the header of any page; a form field further away than this is a bug in itself.
MAX_TABS = 25


def tab_to(page, target, name: str) -> list[str]:
    """Presses Tab until ``target`` has focus; returns what had focus on the way, for the error message."""
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return visited
        visited.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    raise AssertionError(f"{name} was not reached with {MAX_TABS} presses of Tab; focus went: {visited}")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t("fi", "Skip to main content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden until focused, then shown
    assert_visible_focus(skip, "the skip link")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues in the main content, past the whole navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), page.evaluate(
        "document.activeElement.outerHTML"
    )


def test_signing_in_with_the_keyboard_alone(page):
    from accounts.tests.factories import UserFactory

    person = UserFactory(email="nappaimisto@example.org", full_name="Noora Näppäimistö")
    page.goto("/accounts/login/")
    assert_accessible(page, "sign-in (fi)")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    email = field(page, t("fi", "Email"))
    password = field(page, t("fi", "Password"))
    submit = page.get_by_role("main").get_by_role("button", name=t("fi", "Sign In"), exact=True)

    tab_to(page, email, "the e-mail field")
    assert_visible_focus(email, "the e-mail field")
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    assert_visible_focus(password, "the password field")
    page.keyboard.type(PASSWORD)
    # On through the rest of the form (the password-reset link, "remember me") to the button.
    tab_to(page, submit, "the sign-in button")
    assert_visible_focus(submit, "the sign-in button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(t("fi", "My page"))
    expect(page.get_by_role("banner").get_by_role("link", name=person.full_name)).to_be_visible()


def test_answering_an_invitation_with_the_keyboard_alone(page, area, coordinator):
    from meetings.models import MeetingFormat, Rsvp
    from meetings.tests.factories import InvitationFactory, MeetingFactory
    from tables.tests.factories import PartnershipTableFactory

    table = PartnershipTableFactory(welfare_area=area, name="Psykososiaalinen kumppanuuspöytä")
    meeting = MeetingFactory(table=table, title="Syyskokous", format=MeetingFormat.HYBRID, created_by=coordinator)
    invitation = InvitationFactory(meeting=meeting, user__email="kutsuttu@example.org")

    page.goto("/")
    sign_in(page, email=invitation.user.email)
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Syyskokous")
    assert_accessible(page, "meeting (fi)")

    form = page.locator(f"form[action='/meetings/{meeting.pk}/rsvp/']")
    first_answer = form.get_by_role("radio").first
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    tab_to(page, first_answer, "the first answer of the registration form")
    assert_visible_focus(first_answer, "the first answer")
    page.keyboard.press("ArrowDown")  # arrows move between the answers of a group and choose
    chosen = form.get_by_role("radio").nth(1)
    expect(chosen).to_be_checked()
    chosen_label = chosen.evaluate("radio => radio.labels[0].textContent.trim()")
    page.keyboard.press("Tab")
    note = field(form, t("fi", "Note for the organisers"))
    expect(note).to_be_focused()
    page.keyboard.type("Tarvitsen induktiosilmukan.")
    submit = form.get_by_role("button", name=t("fi", "Save my answer"))
    tab_to(page, submit, "the button of the registration form")
    assert_visible_focus(submit, "the button of the registration form")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        t("fi", "Thank you, your answer was saved: %(answer)s.", answer=chosen_label)
    )
    assert_accessible(page, "meeting-answered (fi)")
    rsvp = Rsvp.objects.get(invitation=invitation)
    assert (rsvp.get_response_display(), rsvp.note) == (chosen_label, "Tarvitsen induktiosilmukan.")
