"""The admin pages of organisations render, and an eligibility change there is audited."""

import pytest
from django.urls import reverse

from organisations.models import (
    AreaCoordinator,
    Eligibility,
    Membership,
    Municipality,
    Organisation,
    Theme,
    WelfareArea,
)
from organisations.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

MODELS = [WelfareArea, AreaCoordinator, Municipality, Theme, Organisation, Membership]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_render(client, admin_user, organisation, member, coordinator, model):
    MunicipalityFactory(welfare_area=organisation.welfare_area)
    client.force_login(admin_user)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "a"})
    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
    obj = model.objects.first()
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    if hasattr(obj, "history"):
        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
        assert client.get(history).status_code == 200


def test_eligibility_changed_in_the_admin_records_who_and_when(client, admin_user, organisation):
    client.force_login(admin_user)
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"themes", "municipalities"}
    }
    data.update(
        {
            "eligibility": Eligibility.REJECTED,
            "eligibility_reason": "Ei sote-alaa.",
            "welfare_area": organisation.welfare_area_id,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.REJECTED
    assert organisation.eligibility_decided_by == admin_user
    assert organisation.history.first().history_user == admin_user
