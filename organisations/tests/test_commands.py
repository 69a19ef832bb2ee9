"""import_areas and load_demo: real bundled data, run twice."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from kumppanuus.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS
from organisations.models import (
    AreaCoordinator,
    Eligibility,
    Membership,
    MembershipRole,
    Municipality,
    Organisation,
    WelfareArea,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (WelfareArea, Municipality, Organisation, Membership, User, EmailAddress, AreaCoordinator)
    }


def test_import_areas_loads_every_county_and_municipality_once():
    out = io.StringIO()
    call_command("import_areas", stdout=out)
    assert WelfareArea.objects.count() == 22  # 21 wellbeing services counties and Helsinki
    assert Municipality.objects.count() == 293
    assert "22" in out.getvalue()

    vaasa = Municipality.objects.select_related("welfare_area").get(code="905")
    assert (vaasa.name_fi, vaasa.name_sv) == ("Vaasa", "Vasa")
    assert vaasa.welfare_area.code == "PO"
    assert vaasa.welfare_area.name_sv == "Österbottens välfärdsområde"
    assert WelfareArea.objects.get(code="PO").municipalities.count() == 14

    call_command("import_areas", stdout=io.StringIO())
    assert WelfareArea.objects.count() == 22
    assert Municipality.objects.count() == 293


def test_import_areas_refuses_a_municipality_of_an_unknown_area_and_saves_nothing(tmp_path):
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "code,name_fi,name_sv,short_name_fi,short_name_sv,population_2020\n"
        "PO,Pohjanmaan hyvinvointialue,Österbottens välfärdsområde,Pohjanmaa,Österbotten,175000\n",
        encoding="utf-8",
    )
    municipalities = tmp_path / "municipalities.csv"
    municipalities.write_text(
        "code,name_fi,name_sv,welfare_area_code,population_2020\n905,Vaasa,Vasa,PO,67551\n"
        "999,Olematon,Obefintlig,XX,1\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="XX"):
        call_command("import_areas", areas=str(areas), municipalities=str(municipalities), stdout=io.StringIO())
    assert WelfareArea.objects.count() == 0
    assert Municipality.objects.count() == 0


def test_import_areas_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_areas", areas=str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_load_demo_is_idempotent_and_its_people_can_sign_in(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first

    organisations = Organisation.objects.filter(welfare_area__code="PO")
    assert organisations.count() == 30
    assert organisations.filter(eligibility=Eligibility.PENDING).count() >= 2
    rejected = organisations.get(eligibility=Eligibility.REJECTED)
    assert rejected.eligibility_reason
    assert rejected.eligibility_decided_by is not None
    # Every organisation operates somewhere real, and the approved ones are listed in the directory.
    assert not organisations.filter(municipalities__isnull=True).exists()
    assert (
        client.get(reverse("organisations:directory")).context["page"].paginator.count
        == organisations.filter(eligibility=Eligibility.APPROVED).count()
    )

    emails = {role: email for role, email, _name, _language in DEMO_USERS}
    coordinator = User.objects.get(email=emails["coordinator"])
    assert AreaCoordinator.objects.filter(user=coordinator, welfare_area__code="PO").exists()
    representative = User.objects.get(email=emails["representative"])
    assert representative.language == "sv"
    assert Membership.objects.get(user=representative).role == MembershipRole.REPRESENTATIVE
    assert User.objects.get(email=emails["admin"]).is_superuser

    for email in emails.values():
        assert EmailAddress.objects.get(email=email).verified
        assert email in out.getvalue()
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response.url == reverse("dashboard")
        client.post(reverse("account_logout"))
    assert DEMO_PASSWORD in out.getvalue()


def test_demo_coordinator_reviews_the_pending_organisations(client):
    call_command("load_demo", stdout=io.StringIO())
    coordinator = User.objects.get(email={r: e for r, e, _n, _l in DEMO_USERS}["coordinator"])
    client.force_login(coordinator)
    queue = client.get(reverse("organisations:review_queue")).context["organisations"]
    assert {o.name for o, _form in queue} == set(
        Organisation.objects.filter(eligibility=Eligibility.PENDING).values_list("name", flat=True)
    )
