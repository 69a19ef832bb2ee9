"""County staff sign in with their work account (issue 14, part 2), against a real OpenID Connect
provider (e2e/oidc/provider.mjs, started here on a free port): the groups in her account make her
coordinator of the mapped county; out of the group, the next sign-in takes the role away; a
tampered answer (state), an expired ID token or a token from another issuer is refused and makes nobody; an existing
account with the same address is not taken over. The sign-in pages are checked with axe-core.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from e2e.helpers import mail_to, t
from kumppanuus.testing.oidc import configure, running_provider

FI = "fi"
GROUP = "kumppanuus-koordinaattorit-pirkanmaa"
ANNA = {"email": "anna.koordinaattori@pirha.example", "email_verified": True, "name": "Anna Koordinaattori"}


@pytest.fixture
def county_provider(live_server, settings, tmp_path):
    with running_provider(
        redirect_uri=f"{live_server.url}/accounts/oidc/pirha/login/callback/", directory=tmp_path,
    ) as provider:
        configure(settings, [provider.config("pirha", {GROUP: ["PIR"]})])
        yield provider


@pytest.fixture
def area():
    from organisations.tests.factories import WelfareAreaFactory

    return WelfareAreaFactory(code="PIR", name="Pirkanmaan hyvinvointialue", short_name="Pirkanmaa")


def _sign_in_with_county_account(page, login: str) -> None:
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Sign in"), exact=True).click()
    button = page.get_by_role("button", name=t(FI, "Sign in with your county account"))
    expect(button).to_be_visible()
    button.click()
    # The provider's own (development) pages: the login, then the consent.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]")
    if "/interaction/" in page.url:
        consent.click()


def test_groups_give_and_take_the_coordinator_role(new_context, county_provider, area):
    from accounts.models import User
    from organisations.models import AreaCoordinator

    county_provider.set_accounts({"anna": {**ANNA, "groups": [GROUP]}})
    page = new_context().new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name=t(FI, "Sign in with your county account"))).to_be_visible()
    assert_accessible(page, "sign-in with the county account")

    _sign_in_with_county_account(page, "anna")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "My page"))
    expect(page.get_by_role("main").get_by_role("region", name=t(FI, "My tables"))).to_be_visible()
    anna = User.objects.get(email=ANNA["email"])
    assert anna.full_name == "Anna Koordinaattori"
    assert anna.emailaddress_set.get().verified
    role = AreaCoordinator.objects.get(user=anna)
    assert (role.welfare_area, role.granted_by_provider) == (area, "pirha")

    # She leaves the county's group; her next sign-in takes the role away.
    county_provider.set_accounts({"anna": {**ANNA, "groups": ["someone-else"]}})
    later = new_context().new_page()
    _sign_in_with_county_account(later, "anna")
    expect(later.get_by_role("heading", level=1)).to_have_text(t(FI, "My page"))
    expect(later.get_by_role("main").get_by_role("region", name=t(FI, "My tables"))).to_have_count(0)
    assert not AreaCoordinator.objects.filter(user=anna).exists()
    assert list(role.history.values_list("history_type", flat=True).order_by("history_id")) == ["+", "-"]


def test_a_tampered_answer_is_refused_and_makes_nobody(new_context, county_provider, area):
    from accounts.models import User

    county_provider.set_accounts({"anna": {**ANNA, "groups": [GROUP]}})
    page = new_context().new_page()

    def tamper(route):
        # We send the person to the provider with one state; it answers with another.
        response = route.fetch(max_redirects=0)
        headers = dict(response.headers)
        headers["location"] = re.sub(r"state=[^&]+", "state=forged", headers["location"])
        route.fulfill(response=response, headers=headers)

    page.route(re.compile(r".*/accounts/oidc/pirha/login/\?.*"), tamper)
    _sign_in_with_county_account(page, "anna")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "Sign-in with your county account failed"))
    assert not User.objects.filter(email=ANNA["email"]).exists()


@pytest.mark.parametrize("lifetime", [60, 3600])
def test_an_expired_id_token_is_refused(new_context, live_server, settings, tmp_path, area, lifetime):
    """The provider's clock is ten minutes behind: ID tokens that live one minute have expired when
    they arrive and are refused; the same tokens living an hour (the control) are accepted."""
    from accounts.models import User

    with running_provider(
        redirect_uri=f"{live_server.url}/accounts/oidc/pirha/login/callback/", directory=tmp_path,
        environment={"CLOCK_SKEW_SECONDS": "-600", "ID_TOKEN_TTL": str(lifetime)},
    ) as provider:
        configure(settings, [provider.config("pirha", {GROUP: ["PIR"]})])
        provider.set_accounts({"anna": {**ANNA, "groups": [GROUP]}})
        page = new_context().new_page()
        _sign_in_with_county_account(page, "anna")
        if lifetime < 600:
            expect(page.get_by_role("heading", level=1)).to_have_text(
                t(FI, "Sign-in with your county account failed"))
            assert_accessible(page, "county sign-in failed")
            assert not User.objects.filter(email=ANNA["email"]).exists()
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "My page"))
            assert User.objects.filter(email=ANNA["email"]).exists()


def test_a_token_from_another_issuer_is_refused(new_context, county_provider, area, settings):
    from accounts.models import User

    county_provider.set_accounts({"anna": {**ANNA, "groups": [GROUP]}})
    # The discovery document names another issuer than the one that signs the ID token.
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    apps[0]["settings"]["openid_configuration_overrides"] = {"issuer": "http://127.0.0.1:1/elsewhere"}
    page = new_context().new_page()
    _sign_in_with_county_account(page, "anna")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "Sign-in with your county account failed"))
    assert not User.objects.filter(email=ANNA["email"]).exists()


def test_an_existing_account_with_the_address_is_not_taken_over(new_context, county_provider, area):
    """Someone already has an account with the address the provider sends: the provider neither signs
    into it nor links to it (allauth's rules, settings.py). As for a sign-up with a taken address,
    the page says a message was sent, and the address's owner is told an account exists: she links
    the county account herself, signed in."""
    from allauth.socialaccount.models import SocialAccount

    from accounts.models import User
    from accounts.tests.factories import UserFactory
    from organisations.models import AreaCoordinator

    owner = UserFactory(email=ANNA["email"])
    county_provider.set_accounts({"anna": {**ANNA, "groups": [GROUP]}})
    page = new_context().new_page()
    _sign_in_with_county_account(page, "anna")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "Verify Your Email Address"))
    assert_accessible(page, "county sign-in: an address that has an account")
    assert not SocialAccount.objects.exists()
    assert list(User.objects.filter(email=ANNA["email"])) == [owner]
    assert not AreaCoordinator.objects.exists()
    assert len(mail_to(ANNA["email"])) == 1
    # Nobody is signed in.
    expect(page.get_by_role("banner").get_by_role("link", name=t(FI, "Sign in"), exact=True)).to_be_visible()
