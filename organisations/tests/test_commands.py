"""import_areas: the real bundled data, run twice (load_demo's tests are in devdata/tests)."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from organisations.models import (
    AreaCoordinator,
    Membership,
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
