"""Deleting the account of a table's owner hands the table to a coordinator of its county (issue 11,
item 10): an owner named without their consent could not delete their account."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from organisations.tests.factories import AreaCoordinatorFactory, WelfareAreaFactory
from privacy.services import account_delete, account_delete_check
from tables.models import PartnershipTable, RoleAssignment, RoleSlug
from tables.tests.factories import PartnershipTableFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_deleting_an_owner_hands_the_table_to_a_coordinator_of_its_county(client, area, coordinator):
    owner = UserFactory(email="omistaja@example.org")
    colleague = AreaCoordinatorFactory(welfare_area=area).user
    table = PartnershipTableFactory(sector=SectorFactory(welfare_area=area), owner=owner, coordinators=[colleague])
    assert account_delete_check(owner).allowed

    client.force_login(owner)
    assert "You own the operating model" not in client.get(reverse("account_delete")).content.decode()
    assert client.post(reverse("account_delete"), {"confirmation": PASSWORD}).status_code == 302

    assert not User.objects.filter(pk=owner.pk).exists()
    table.refresh_from_db()
    assert table.owner == colleague  # the county's coordinator named on the table comes first
    assert RoleAssignment.objects.filter(
        table=table, role__slug=RoleSlug.OWNER, user=colleague, valid_to__isnull=True
    ).exists()


def test_an_owner_whose_county_has_no_other_coordinator_stays_until_someone_takes_over(area):
    lonely = WelfareAreaFactory(code="XX", name="Yksinäinen alue")
    owner = AreaCoordinatorFactory(welfare_area=lonely).user  # the county's only coordinator
    table = PartnershipTableFactory(sector=SectorFactory(welfare_area=lonely), owner=owner)
    check = account_delete_check(owner)
    assert not check.allowed and table.name in check.blockers[0]
    with pytest.raises(ValidationError):
        account_delete(user=owner)
    assert PartnershipTable.objects.get(pk=table.pk).owner == owner
