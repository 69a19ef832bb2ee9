"""The pages anyone can open, checked with axe-core in each language, and the accessibility statement."""

import pytest
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from e2e.helpers import t
from e2e.screenshots import save_screenshot


@pytest.fixture
def directory_data():
    from organisations.models import Eligibility
    from organisations.tests.factories import (
        MunicipalityFactory,
        OrganisationFactory,
        ThemeFactory,
        WelfareAreaFactory,
    )

    area = WelfareAreaFactory(
        code="PO", name="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde",
        short_name="Pohjanmaa", short_name_sv="Österbotten",
    )
    vaasa = MunicipalityFactory(code="905", name="Vaasa", name_sv="Vasa", welfare_area=area)
    themes = [
        ThemeFactory(slug="mental-health", name="Mielenterveys", name_sv="Psykisk hälsa"),
        ThemeFactory(slug="older-people", name="Ikäihmiset", name_sv="Äldre"),
    ]
    organisations = [
        OrganisationFactory(
            name=name, welfare_area=area, themes=themes[index % 2 :], municipalities=[vaasa],
            description="Vertaistukea, virkistystä ja vapaaehtoistoimintaa Vaasan seudulla.",
            website="https://example.org/", email="info@example.org", phone="040 123 4567",
        )
        for index, name in enumerate(
            ["Vaasan Mielenterveysseura ry", "Pohjanmaan Omaiset ry", "Vasa Svenska Pensionärer rf"]
        )
    ]
    OrganisationFactory(name="Odottava yhdistys ry", welfare_area=area, eligibility=Eligibility.PENDING)
    return organisations


# The browser's own language (Accept-Language) chooses the page language until the person picks one.
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_public_pages_pass_axe_in_every_language(new_context, directory_data, language):
    page = new_context(locale={"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[language]).new_page()
    screenshots = language == "fi"
    pages = [
        ("home", "/"),
        ("organisation-directory", "/organisations/"),
        ("organisation", f"/organisations/{directory_data[0].pk}/"),
        ("accessibility-statement", "/accessibility/"),
        ("privacy-notice", "/privacy/"),
        ("sign-in", "/accounts/login/"),
        ("password-reset", "/accounts/password/reset/"),
    ]
    for name, path in pages:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{name} ({language})")
        if screenshots and name in {"home", "organisation-directory", "organisation", "accessibility-statement"}:
            save_screenshot(page, name)
    # An address that leads nowhere: our own page, in the person's language, not the server's bare one.
    response = page.goto("/organisations/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Page not found"))
    assert_accessible(page, f"page-not-found ({language})")
    # A search with filters, and its empty result.
    page.goto("/organisations/?q=ei-osumia")
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("0")
    assert_accessible(page, f"organisation-directory-empty ({language})")


def test_the_accessibility_statement_is_linked_from_the_footer_and_says_what_the_law_asks(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name=t("fi", "Accessibility statement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("fi", "Accessibility statement"))
    main = page.get_by_role("main")
    # Laki digitaalisten palvelujen tarjoamisesta 306/2019, 16 §: conformance, gaps, feedback,
    # the supervisory authority and the date.
    for heading in [
        "Conformance status",
        "Content that is not accessible",
        "Feedback",
        "Supervisory authority",
        "Preparation of this statement",
    ]:
        expect(main.get_by_role("heading", name=t("fi", heading))).to_be_visible()
    expect(main.get_by_role("link", name="www.saavutettavuusvaatimukset.fi")).to_be_visible()
    expect(main.locator("time[datetime]").first).to_be_visible()


def test_the_server_error_page_stands_alone_and_passes_axe(page):
    """500.html is rendered without the base template or a request context, when something is broken."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("sv"):
        html = server_error(RequestFactory().get("/")).content.decode()
    page.goto("/")  # the stylesheets resolve against the live server
    page.set_content(html)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("sv", "Server error"))
    assert_accessible(page, "server-error (sv)")
