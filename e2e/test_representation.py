"""An organisation's representation (issue 13): its representative signs in, opens the representation
view from her workspace and reads the tables the organisation sits on, who represents it there and
how often it was represented; from the organisation page too. Her county's coordinator finds the
organisation among those that miss meetings and follows the link to the same view. The ORM only
arranges the starting data. Every page on the way is checked with axe-core.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from e2e.helpers import sign_in, t

FI = "fi"


@pytest.fixture
def county():
    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from meetings.models import Meeting, MeetingStatus
    from meetings.tests.factories import AttendanceFactory
    from organisations.models import MembershipRole
    from organisations.tests.factories import (
        AreaCoordinatorFactory,
        MembershipFactory,
        OrganisationFactory,
        WelfareAreaFactory,
    )
    from tables.tests.factories import PartnershipTableFactory, SectorFactory, StandingMemberFactory

    area = WelfareAreaFactory(code="PO", name="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde")
    coordinator = AreaCoordinatorFactory(
        welfare_area=area, user__email="koordinaattori@example.org", user__full_name="Kaisa Koordinaattori",
    ).user
    organisation = OrganisationFactory(welfare_area=area, name="Vaasan Mielenterveysyhdistys ry")
    representative = MembershipFactory(
        organisation=organisation, role=MembershipRole.REPRESENTATIVE,
        user__email="edustaja@example.org", user__full_name="Erik Edustaja",
    ).user
    substitute = MembershipFactory(organisation=organisation, user__full_name="Jenni Jäsen").user
    sector = SectorFactory(welfare_area=area, name="Psykososiaalinen toimiala")
    table = PartnershipTableFactory(sector=sector, name="Psykososiaalinen kumppanuuspöytä")
    StandingMemberFactory(table=table, organisation=organisation, representative=representative, substitute=substitute)
    other_table = PartnershipTableFactory(sector=sector, name="Asumisen kumppanuuspöytä")
    StandingMemberFactory(table=other_table, organisation=organisation, representative=representative)
    now = timezone.now()
    # Four meetings held on the first table: the representative at one, the substitute at another.
    for days, person in ((100, representative), (70, substitute), (40, None), (10, None)):
        starts = now - datetime.timedelta(days=days)
        meeting = Meeting.objects.create(
            table=table, title=f"Kokous {days}", status=MeetingStatus.HELD, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
        if person:
            AttendanceFactory(meeting=meeting, user=person, organisation=organisation)
        else:
            AttendanceFactory(meeting=meeting, user=UserFactory(), organisation=OrganisationFactory(welfare_area=area))
    return {"coordinator": coordinator, "organisation": organisation, "representative": representative}


def test_a_representative_opens_her_organisations_representation(page, county):
    organisation = county["organisation"]
    page.goto("/")
    sign_in(page, email=county["representative"].email, language=FI)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "My page"))
    organisations = page.get_by_role("main").get_by_role("region", name=t(FI, "My organisations"))
    organisations.get_by_role("link", name=re.compile(re.escape(t(FI, "Tables and attendance")))).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(FI, "Representation: %(name)s", name=organisation.name)
    )
    main = page.get_by_role("main")
    table = main.get_by_role("table", name=t(
        FI, "The organisation's partnership tables, its representative and substitute on each, and its "
        "attendance in the last twelve months",
    ))
    rows = table.get_by_role("row")
    expect(rows).to_have_count(3)  # the header and two tables
    first = rows.filter(has_text="Psykososiaalinen kumppanuuspöytä")
    # Representative, substitute, held, represented, missed, rate.
    expect(first.get_by_role("cell")).to_have_text(["Erik Edustaja", "Jenni Jäsen", "4", "2", "2", "50 %"])
    second = rows.filter(has_text="Asumisen kumppanuuspöytä")
    expect(second.get_by_role("cell")).to_have_text(
        ["Erik Edustaja", t(FI, "not named"), "0", "0", "0", t(FI, "no meetings held")]
    )
    assert_accessible(page, "representation (fi)")

    # The organisation page leads to it too.
    page.get_by_role("navigation", name=t(FI, "Breadcrumb")).get_by_role("link", name=organisation.name).click()
    page.get_by_role("main").get_by_role("link", name=t(FI, "Tables and attendance")).click()
    expect(rows.filter(has_text="Psykososiaalinen kumppanuuspöytä")).to_contain_text("50 %")


def test_a_coordinator_finds_the_organisations_that_miss_meetings(page, county):
    organisation = county["organisation"]
    page.goto("/")
    sign_in(page, email=county["coordinator"].email, language=FI)
    page.get_by_role("main").get_by_role("link", name=t(FI, "Standing organisations that miss meetings")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(FI, "Attendance of standing organisations"))
    overview = page.get_by_role("main").get_by_role("table")
    row = overview.get_by_role("row").filter(has_text=organisation.name)
    expect(row.get_by_role("cell")).to_have_text(["Psykososiaalinen kumppanuuspöytä", "Erik Edustaja", "4", "2", "2",
                                                  "50 %"])
    assert_accessible(page, "representation overview (fi)")
    row.get_by_role("link", name=organisation.name).click()
    expect(page.get_by_role("main").get_by_role("table").get_by_role("row")).to_have_count(3)
    assert_accessible(page, "representation, as the coordinator (fi)")
