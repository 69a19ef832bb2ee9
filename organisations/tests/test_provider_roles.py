"""Coordinator roles from the county's identity provider (issue 14, part 2): the mapping of
OIDC_PROVIDERS applied by area_coordinators_sync_from_provider at every sign-in."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from accounts.tests.factories import UserFactory
from kumppanuus import oidc
from kumppanuus.testing.oidc import configure
from organisations.models import AreaCoordinator
from organisations.services import area_coordinators_sync_from_provider
from organisations.tests.factories import AreaCoordinatorFactory, WelfareAreaFactory

pytestmark = pytest.mark.django_db

PROVIDER = {"id": "pirha", "name": "Pirha", "server_url": "https://login.example/tenant/v2.0",
            "client_id": "c", "secret": "s", "claim": "groups",
            "coordinators": {"g-pir": ["PIR"], "g-both": ["PIR", "KH"]}}


@pytest.fixture
def areas(settings):
    configure(settings, [PROVIDER])
    return WelfareAreaFactory(code="PIR"), WelfareAreaFactory(code="KH"), WelfareAreaFactory(code="VA")


def _codes(user):
    return sorted(AreaCoordinator.objects.filter(user=user).values_list("welfare_area__code", "granted_by_provider"))


def test_groups_add_and_remove_only_the_provider_s_roles(areas):
    pir, kh, va = areas
    user = UserFactory()
    AreaCoordinatorFactory(user=user, welfare_area=va)  # named by an administrator
    added, removed = area_coordinators_sync_from_provider(
        user=user, provider_id="pirha", claims={"id_token": {"groups": ["g-both", "unknown"]}},
    )
    assert (added, removed) == ({"PIR", "KH"}, set())
    assert _codes(user) == [("KH", "pirha"), ("PIR", "pirha"), ("VA", "")]
    # The userinfo answer counts too; leaving g-both takes KH away, never the hand-made VA.
    added, removed = area_coordinators_sync_from_provider(
        user=user, provider_id="pirha", claims={"userinfo": {"groups": ["g-pir"]}},
    )
    assert (added, removed) == (set(), {"KH"})
    area_coordinators_sync_from_provider(user=user, provider_id="pirha", claims={"id_token": {"groups": []}})
    assert _codes(user) == [("VA", "")]


def test_a_hand_made_role_in_a_mapped_county_stays_hand_made(areas):
    pir, _, _ = areas
    role = AreaCoordinatorFactory(welfare_area=pir)
    area_coordinators_sync_from_provider(user=role.user, provider_id="pirha", claims={"groups": ["g-pir"]})
    area_coordinators_sync_from_provider(user=role.user, provider_id="pirha", claims={"groups": []})
    assert _codes(role.user) == [("PIR", "")]


def test_an_unmapped_provider_changes_nothing(areas):
    user = UserFactory()
    assert area_coordinators_sync_from_provider(user=user, provider_id="other", claims={"groups": ["g-pir"]}) == (
        set(), set())
    assert _codes(user) == []


def test_every_change_is_in_the_history_with_its_author_and_reason(areas):
    user = UserFactory()
    area_coordinators_sync_from_provider(user=user, provider_id="pirha", claims={"groups": "g-pir"})
    area_coordinators_sync_from_provider(user=user, provider_id="pirha", claims={"groups": []})
    history = list(AreaCoordinator.history.filter(user=user).order_by("history_id"))
    assert [entry.history_type for entry in history] == ["+", "-"]
    assert all(entry.history_user == user for entry in history)
    assert history[0].history_change_reason == "identity provider pirha: groups"
    assert history[1].history_change_reason == "identity provider pirha: no longer in groups"


def test_the_setting_is_checked():
    assert oidc.parse_providers("") == []
    assert oidc.parse_providers(json.dumps([PROVIDER]))[0]["id"] == "pirha"
    for bad in ("{", "{}", json.dumps([{"id": "x"}]), json.dumps([PROVIDER, PROVIDER]),
                json.dumps([{**PROVIDER, "coordinators": {"g": "PIR"}}]), json.dumps([{**PROVIDER, "typo": 1}])):
        with pytest.raises(ImproperlyConfigured):
            oidc.parse_providers(bad)
    apps = oidc.socialaccount_providers([PROVIDER])["openid_connect"]["APPS"]
    assert apps[0]["provider_id"] == "pirha" and apps[0]["settings"] == {"server_url": PROVIDER["server_url"]}
    assert oidc.origins([PROVIDER]) == ["https://login.example"]


def test_no_provider_no_button(settings):
    configure(settings, [])
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/oidc/" not in page


def test_the_button_with_a_provider(settings):
    configure(settings, [PROVIDER])
    page = Client().get("/accounts/login/").content.decode()
    assert 'action="/accounts/oidc/pirha/login/?process=login"' in page


def test_a_callback_with_a_forged_state_is_refused_and_makes_nobody(settings):
    from accounts.models import User

    configure(settings, [PROVIDER])
    count = User.objects.count()
    response = Client().get("/accounts/oidc/pirha/login/callback/", {"code": "x", "state": "forged"})
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in response.templates]
    assert User.objects.count() == count


def test_linking_a_county_account_applies_its_groups(areas):
    """allauth's signal when a signed-in person links her county account (the connect flow)."""
    from allauth.socialaccount.models import SocialAccount, SocialLogin
    from allauth.socialaccount.signals import social_account_added

    user = UserFactory()
    account = SocialAccount.objects.create(
        user=user, provider="pirha", uid="anna", extra_data={"id_token": {"groups": ["g-pir"]}},
    )
    social_account_added.send(sender=SocialLogin, request=None, sociallogin=SocialLogin(user=user, account=account))
    assert _codes(user) == [("PIR", "pirha")]
