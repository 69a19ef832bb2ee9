"""The municipality chooser of the organisation form: keyboard alone, axe-core clean, under the
Content Security Policy (our script runs, no console errors), and without JavaScript."""

import pytest
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible, assert_visible_focus
from e2e.helpers import field, label, sign_in, t
from e2e.test_keyboard import tab_to

LANGUAGE = "fi"


@pytest.fixture
def counties():
    from accounts.tests.factories import UserFactory
    from organisations.tests.factories import MunicipalityFactory, WelfareAreaFactory

    ostrobothnia = WelfareAreaFactory(code="PO", name="Pohjanmaan hyvinvointialue", short_name="Pohjanmaa")
    lapland = WelfareAreaFactory(code="LA", name="Lapin hyvinvointialue", short_name="Lappi")
    MunicipalityFactory(code="905", name="Vaasa", welfare_area=ostrobothnia)
    MunicipalityFactory(code="499", name="Mustasaari", welfare_area=ostrobothnia)
    MunicipalityFactory(code="698", name="Rovaniemi", welfare_area=lapland)
    MunicipalityFactory(code="320", name="Kemijärvi", welfare_area=lapland)
    person = UserFactory(email="rekisteroija@example.org", full_name="Reija Rekisteröijä")
    return ostrobothnia, lapland, person


def _console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_the_chooser_narrows_to_the_county_filters_by_name_and_works_by_keyboard(page, counties):
    ostrobothnia, lapland, person = counties
    errors = _console_errors(page)
    page.goto("/")
    sign_in(page, email=person.email)
    response = page.goto("/organisations/register/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    chooser = page.get_by_role("group", name=t(LANGUAGE, "Municipalities of operation"))
    name_filter = chooser.get_by_label(t(LANGUAGE, "Find a municipality by name"))
    expect(name_filter).to_be_visible()  # our script ran under the policy: it shows the filter
    assert_accessible(page, "register-organisation-chooser (fi)")

    # Choosing the county narrows the list to its municipalities.
    county = field(page, label(LANGUAGE, "wellbeing services county"))
    county.select_option(label=lapland.name)
    expect(chooser.get_by_role("checkbox", name="Rovaniemi", exact=True)).to_be_visible()
    expect(chooser.get_by_role("checkbox", name="Vaasa", exact=True)).to_be_hidden()
    expect(chooser.get_by_text(ostrobothnia.name)).to_be_hidden()

    # By keyboard from the county: on to the filter, type, on to the one municipality left, tick it
    # with the space bar.
    county.focus()
    tab_to(page, name_filter, "the municipality filter")
    assert_visible_focus(name_filter, "the municipality filter")
    page.keyboard.type("kemi")
    status = chooser.get_by_role("status")
    expect(status).to_have_text(t(LANGUAGE, "Municipalities shown: {count}").replace("{count}", "1"))
    expect(chooser.get_by_role("checkbox", name="Rovaniemi", exact=True)).to_be_hidden()
    kemijarvi = chooser.get_by_role("checkbox", name="Kemijärvi", exact=True)
    tab_to(page, kemijarvi, "Kemijärvi")
    page.keyboard.press("Space")
    expect(kemijarvi).to_be_checked()
    assert_accessible(page, "register-organisation-chooser-filtered (fi)")

    # Every county on request; the ticked one stays.
    page.keyboard.press("Shift+Tab")
    name_filter.fill("")
    show_all = chooser.get_by_label(t(LANGUAGE, "Show the municipalities of every county"))
    show_all.focus()
    page.keyboard.press("Space")
    expect(chooser.get_by_text(ostrobothnia.name)).to_be_visible()
    expect(kemijarvi).to_be_checked()

    # Sent: the organisation is registered with the municipality.
    field(page, label(LANGUAGE, "name")).fill("Kemijärven Tukiyhdistys ry")
    field(page, label(LANGUAGE, "kind")).select_option(label=t(LANGUAGE, "Registered association"))
    page.get_by_role("main").get_by_role("button", name=t(LANGUAGE, "Register organisation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kemijärven Tukiyhdistys ry")
    expect(page.get_by_role("main")).to_contain_text("Kemijärvi")
    assert not errors, f"console errors (a script refused by the policy shows here): {errors}"


def test_the_chooser_works_without_javascript(new_context, counties):
    ostrobothnia, lapland, person = counties
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")
    sign_in(page, email=person.email)
    page.goto("/organisations/register/")
    chooser = page.get_by_role("group", name=t(LANGUAGE, "Municipalities of operation"))
    expect(chooser.get_by_label(t(LANGUAGE, "Find a municipality by name"))).to_be_hidden()
    # Every county is a group to open; the keyboard opens it and ticks a municipality.
    summary = chooser.locator("summary", has_text=ostrobothnia.name)
    summary.focus()
    page.keyboard.press("Enter")
    vaasa = chooser.get_by_role("checkbox", name="Vaasa", exact=True)
    vaasa.focus()
    page.keyboard.press("Space")
    expect(vaasa).to_be_checked()
    field(page, label(LANGUAGE, "wellbeing services county")).select_option(label=ostrobothnia.name)
    page.get_by_role("main").get_by_role("button", name=t(LANGUAGE, "Register organisation")).click()
    # Refused (no name): the county chosen is open, the tick kept, the other county closed.
    expect(chooser.get_by_role("checkbox", name="Vaasa", exact=True)).to_be_checked()
    expect(chooser.get_by_role("checkbox", name="Rovaniemi", exact=True)).to_be_hidden()
