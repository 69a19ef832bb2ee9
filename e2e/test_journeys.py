"""Journeys 1 and 6 of issue 5: an NGO member signs up and registers an organisation, a coordinator approves it.

One test per journey, clicking and typing as a person does; the ORM only arranges the county, its
municipalities and themes, and the coordinator. Every page on the way is checked with axe-core.
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from e2e.helpers import PASSWORD, described, field, label, links_in, mail_to, sign_in, t
from e2e.screenshots import save_screenshot


@dataclass
class Region:
    area: object
    municipality: object
    theme: object
    coordinator: object


@pytest.fixture
def region():
    from organisations.tests.factories import (
        AreaCoordinatorFactory,
        MunicipalityFactory,
        ThemeFactory,
        WelfareAreaFactory,
    )

    area = WelfareAreaFactory(
        code="PO", name="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde",
        short_name="Pohjanmaa", short_name_sv="Österbotten",
    )
    municipality = MunicipalityFactory(code="905", name="Vaasa", name_sv="Vasa", welfare_area=area)
    MunicipalityFactory(code="499", name="Mustasaari", name_sv="Korsholm", welfare_area=area)
    theme = ThemeFactory(slug="mental-health", name="Mielenterveys", name_sv="Psykisk hälsa", name_en="Mental health")
    ThemeFactory(slug="older-people", name="Ikäihmiset", name_sv="Äldre", name_en="Older people")
    coordinator = AreaCoordinatorFactory(
        welfare_area=area, user__email="koordinaattori@example.org", user__full_name="Kaisa Koordinaattori",
    ).user
    return Region(area=area, municipality=municipality, theme=theme, coordinator=coordinator)


def test_journey_1_member_registers_an_organisation_and_a_coordinator_approves_it(
    page, new_context, region, live_server
):
    _member_registers_and_coordinator_approves(
        page, new_context, region, live_server,
        language="fi", email="maija.meikalainen@example.org", full_name="Maija Meikäläinen",
        organisation="Vaasan Mielenterveysseura ry", business_id="0112038-9", screenshots=True,
    )


def test_journey_6_the_same_in_swedish_with_the_language_switch(page, new_context, region, live_server):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    banner = page.get_by_role("banner")
    banner.get_by_label(t("fi", "Language")).select_option(label="Svenska")
    banner.get_by_role("button", name=t("fi", "Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    _member_registers_and_coordinator_approves(
        page, new_context, region, live_server,
        language="sv", email="stina.svensson@example.org", full_name="Stina Svensson",
        organisation="Föreningen för psykisk hälsa i Vasa rf", business_id="0737546-2",
    )


def _check(page, name: str, language: str, *, screenshot: bool = False) -> None:
    assert_accessible(page, f"{name} ({language})")
    if screenshot:
        save_screenshot(page, name)


def _member_registers_and_coordinator_approves(
    page, new_context, region, live_server, *, language, email, full_name, organisation, business_id,
    screenshots=False,
):
    main = page.get_by_role("main")
    heading = page.get_by_role("heading", level=1)

    # --- The member signs up from the home page. -----------------------------------------
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    _check(page, "home", language)
    main.get_by_role("link", name=t(language, "Sign up"), exact=True).click()
    expect(heading).to_have_text(t(language, "Sign Up"))
    _check(page, "sign-up", language, screenshot=screenshots)
    if language == "sv":
        expect(field(page, "Lösenord")).to_be_visible()  # allauth's own Swedish, whatever our catalogue says
    field(page, t(language, "Email")).fill(email)
    field(page, t(language, "Full name")).fill(full_name)
    expect(field(page, t(language, "Preferred language"))).to_have_value(language)
    field(page, t(language, "Password")).fill("tuulinen-syyspäivä-42")
    # A typing slip: the error is shown at the field it concerns, and tied to it.
    field(page, t(language, "Password (again)")).fill("tuulinen-syyspäivä-24")
    main.get_by_role("button", name=t(language, "Sign Up"), exact=True).click()
    again = field(page, t(language, "Password (again)"))
    expect(again).to_have_attribute("aria-invalid", "true")
    expect(again).to_have_accessible_description(described(t(language, "You must type the same password each time.")))
    _check(page, "sign-up-error", language)
    field(page, t(language, "Password")).fill("tuulinen-syyspäivä-42")
    again.fill("tuulinen-syyspäivä-42")
    main.get_by_role("button", name=t(language, "Sign Up"), exact=True).click()
    expect(heading).to_have_text(t(language, "Verify Your Email Address"))
    _check(page, "verification-sent", language)

    # --- The verification link from the e-mail, which is in the member's language. ---------
    (verification,) = mail_to(email)
    assert t(language, "Please Confirm Your Email Address") in verification.subject
    (link,) = links_in(verification.body, live_server.url)
    page.goto(link)
    expect(heading).to_have_text(t(language, "Confirm Email Address"))
    _check(page, "confirm-email", language)
    main.get_by_role("button", name=t(language, "Confirm"), exact=True).click()

    # Signed in at once, on their own page.
    expect(heading).to_have_text(t(language, "My page"))
    expect(page.get_by_role("banner").get_by_role("button", name=t(language, "Sign out"))).to_be_visible()
    _check(page, "my-page", language, screenshot=screenshots)

    # --- They register their organisation. --------------------------------------------------
    main.get_by_role("link", name=t(language, "Register a new organisation")).click()
    expect(heading).to_have_text(t(language, "Register an organisation"))
    _check(page, "register-organisation", language, screenshot=screenshots)
    field(page, label(language, "name")).fill(organisation)
    field(page, label(language, "kind")).select_option(label=t(language, "Registered association"))
    business_id_field = field(page, label(language, "business ID (Y-tunnus)"))
    # First with the check digit mistyped: refused, with the message tied to the field.
    business_id_field.fill(business_id[:-1] + str((int(business_id[-1]) + 1) % 10))
    county = getattr(region.area, f"name_{language}")
    field(page, label(language, "wellbeing services county")).select_option(label=county)
    field(page, label(language, "description")).fill("Vertaistukea ja virkistystä mielenterveyskuntoutujille.")
    page.get_by_label(getattr(region.theme, f"name_{language}"), exact=True).check()
    municipality = getattr(region.municipality, f"name_{language}")
    page.get_by_role("group", name=t(language, "Municipalities of operation")).get_by_role(
        "checkbox", name=municipality, exact=True
    ).check()
    submit = main.get_by_role("button", name=t(language, "Register organisation"))
    submit.click()
    expect(business_id_field).to_have_attribute("aria-invalid", "true")
    expect(business_id_field).to_have_accessible_description(
        described(t(language, "The check digit of this business ID is wrong. Please check the number."))
    )
    _check(page, "register-organisation-error", language)
    business_id_field.fill(business_id)
    submit.click()

    # It waits for approval.
    waiting = t(
        language,
        "This organisation is waiting for approval by a coordinator. It is not shown in the public directory yet.",
    )
    expect(heading).to_have_text(organisation)
    registered = t(
        language, "%(name)s was registered. A coordinator will review it; you will get an e-mail.", name=organisation
    )
    expect(page.get_by_role("status").filter(has_text=registered)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=waiting)).to_be_visible()
    expect(main).to_contain_text(municipality)
    _check(page, "organisation-pending", language, screenshot=screenshots)

    # --- The coordinator, in a browser of their own, approves it from the review queue. ----
    queue = new_context().new_page()
    queue.goto("/")
    sign_in(queue, email=region.coordinator.email, password=PASSWORD, language="fi")
    expect(queue.get_by_role("heading", level=1)).to_have_text(t("fi", "My page"))
    queue.get_by_role("banner").get_by_role("link", name=t("fi", "Review queue")).click()
    expect(queue.get_by_role("heading", level=1)).to_have_text(t("fi", "Review queue"))
    _check(queue, "review-queue", "fi", screenshot=screenshots)
    card = queue.get_by_role("article", name=organisation)
    expect(card).to_contain_text(business_id)
    card.get_by_label(t("fi", "Approve"), exact=True).check()
    card.get_by_role("button", name=t("fi", "Save decision")).click()
    expect(queue.get_by_role("status")).to_contain_text(t("fi", "%(name)s was approved.", name=organisation))
    expect(queue.get_by_text(t("fi", "No organisations are waiting for approval."))).to_be_visible()
    _check(queue, "review-queue-decided", "fi")

    # --- The member is told by e-mail, in their language, and follows its link. -------------
    (decision,) = [message for message in mail_to(email) if message is not verification]
    assert t(language, "%(name)s was approved", name=organisation) in decision.subject
    (organisation_link,) = [link for link in links_in(decision.body, live_server.url) if "/organisations/" in link]
    page.goto(organisation_link)
    expect(heading).to_have_text(organisation)
    expect(page.get_by_role("status").filter(has_text=waiting)).to_have_count(0)
    _check(page, "organisation-approved", language)
