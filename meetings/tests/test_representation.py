"""An organisation's representation on its tables, and the county's overview of the standing
organisations that miss meetings (meetings/selectors/representation.py, meetings/views/representation.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.ical import HELSINKI
from meetings.models import Meeting, MeetingStatus
from meetings.selectors.representation import (
    organisation_representation,
    representation_overview,
    representation_window,
)
from meetings.tests.factories import AttendanceFactory
from organisations.models import MembershipRole
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.models import StandingMemberStatus
from tables.tests.factories import PartnershipTableFactory, StandingMemberFactory

pytestmark = pytest.mark.django_db

# A fixed "now" (Helsinki noon, 15 June 2026): the window opens at midnight of 15 June 2025.
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=HELSINKI)
WINDOW_START = datetime.datetime(2025, 6, 15, 0, 0, tzinfo=HELSINKI)


def _meeting(table, when, status=MeetingStatus.HELD) -> Meeting:
    return Meeting.objects.create(
        table=table, title="Kokous", status=status, starts_at=when, ends_at=when + datetime.timedelta(hours=2)
    )


def _attend(meeting, organisation, user=None, attended=True):
    return AttendanceFactory(meeting=meeting, organisation=organisation, user=user or UserFactory(), attended=attended)


@pytest.fixture
def sitting(area, organisation, representative, member):
    """The organisation on a table of the county, ``representative`` named, ``member`` the substitute."""
    table = PartnershipTableFactory(sector__welfare_area=area, name="Psykososiaalinen pöytä")
    return StandingMemberFactory(
        table=table, organisation=organisation, representative=representative, substitute=member
    )


def _row(organisation, now=NOW):
    rows = organisation_representation(organisation=organisation, now=now).rows
    assert len(rows) == 1
    return rows[0]


# --- The counts ----------------------------------------------------------------------------------


def test_the_window_is_the_twelve_months_before_now_on_the_helsinki_clock():
    assert representation_window(NOW) == (WINDOW_START, NOW)
    # 29 February: the window opens on 28 February of the year before.
    leap = datetime.datetime(2028, 2, 29, 9, 0, tzinfo=HELSINKI)
    assert representation_window(leap)[0] == datetime.datetime(2027, 2, 28, tzinfo=HELSINKI)


def test_held_and_represented_count_the_tables_meetings_in_the_window(sitting, organisation, representative, member):
    table = sitting.table
    by_representative = _meeting(table, datetime.datetime(2026, 1, 10, 13, 0, tzinfo=HELSINKI))
    _attend(by_representative, organisation, representative)
    # The substitute's attendance counts as the organisation's.
    by_substitute = _meeting(table, datetime.datetime(2026, 3, 10, 13, 0, tzinfo=HELSINKI))
    _attend(by_substitute, organisation, member)
    # Two of its people at one meeting: represented once.
    both = _meeting(table, datetime.datetime(2026, 4, 10, 13, 0, tzinfo=HELSINKI))
    _attend(both, organisation, representative)
    _attend(both, organisation, member)
    # Another organisation's attendance does not count for it; nor does an absence recorded.
    others = _meeting(table, datetime.datetime(2026, 5, 10, 13, 0, tzinfo=HELSINKI), status=MeetingStatus.SCHEDULED)
    _attend(others, OrganisationFactory(welfare_area=organisation.welfare_area))
    _attend(others, organisation, member, attended=False)
    # Cancelled meetings and drafts were not held; a meeting still to come is not held yet.
    cancelled = _meeting(table, datetime.datetime(2026, 2, 10, 13, 0, tzinfo=HELSINKI), MeetingStatus.CANCELLED)
    _attend(cancelled, organisation, representative)
    _meeting(table, datetime.datetime(2026, 2, 11, 13, 0, tzinfo=HELSINKI), MeetingStatus.DRAFT)
    _meeting(table, NOW + datetime.timedelta(days=3), MeetingStatus.SCHEDULED)
    # Another table's meeting, where the organisation was too, is not this table's.
    elsewhere = _meeting(PartnershipTableFactory(sector=table.sector), datetime.datetime(2026, 1, 5, tzinfo=HELSINKI))
    _attend(elsewhere, organisation, representative)

    row = _row(organisation)
    assert row.standing == sitting
    assert row.standing.representative == representative and row.standing.substitute == member
    assert (row.held, row.represented, row.missed, row.percent) == (4, 3, 1, 75)


def test_the_window_edges(sitting, organisation, representative):
    table = sitting.table
    _attend(_meeting(table, WINDOW_START - datetime.timedelta(minutes=1)), organisation, representative)
    _attend(_meeting(table, WINDOW_START), organisation, representative)
    _meeting(table, NOW - datetime.timedelta(minutes=1))
    _attend(_meeting(table, NOW + datetime.timedelta(minutes=1), MeetingStatus.SCHEDULED), organisation)
    row = _row(organisation)
    assert (row.held, row.represented) == (2, 1)


def test_only_active_standing_memberships_are_listed(area, organisation, sitting):
    for status in (StandingMemberStatus.REQUESTED, StandingMemberStatus.DECLINED, StandingMemberStatus.ENDED):
        StandingMemberFactory(table=PartnershipTableFactory(sector=sitting.table.sector), organisation=organisation,
                              status=status)
    rows = organisation_representation(organisation=organisation, now=NOW).rows
    assert [row.standing for row in rows] == [sitting]
    assert (rows[0].held, rows[0].percent) == (0, None)


def test_an_organisation_on_no_table_has_no_rows(other_organisation):
    representation = organisation_representation(organisation=other_organisation, now=NOW)
    assert representation.rows == [] and representation.percent is None


# --- The overview --------------------------------------------------------------------------------


def _standing_with(area, held: int, represented: int, name: str):
    standing = StandingMemberFactory(
        table=PartnershipTableFactory(sector__welfare_area=area), organisation__name=name
    )
    for index in range(held):
        meeting = _meeting(standing.table, NOW - datetime.timedelta(days=10 + index))
        if index < represented:
            _attend(meeting, standing.organisation)
    return standing


def test_the_overview_lists_her_countys_organisations_most_missed_first(area, other_area, coordinator):
    never = _standing_with(area, 2, 0, "Ei koskaan ry")
    half = _standing_with(area, 4, 2, "Puolet ry")
    once_of_four = _standing_with(area, 4, 3, "Kerran ry")
    once_of_two = _standing_with(area, 2, 1, "Toinen ry")
    always = _standing_with(area, 3, 3, "Aina ry")
    _standing_with(area, 0, 0, "Ei kokouksia ry")
    _standing_with(other_area, 3, 0, "Lapin ry")  # another county's

    page = representation_overview(user=coordinator, now=NOW).page
    rows = list(page)
    # By the share missed, then the number missed; the names break ties.
    assert [row.organisation.name for row in rows] == ["Ei koskaan ry", "Puolet ry", "Toinen ry", "Kerran ry"]
    assert [(row.held, row.represented, row.missed) for row in rows] == [(2, 0, 2), (4, 2, 2), (2, 1, 1), (4, 3, 1)]
    assert [row.missed_most for row in rows] == [True, False, False, False]
    assert {never.pk, half.pk, once_of_two.pk, once_of_four.pk} == {row.pk for row in rows}

    everyone = list(representation_overview(user=coordinator, now=NOW, show_all=True).page)
    assert [row.organisation.name for row in everyone][-1] == always.organisation.name
    assert len(everyone) == 5  # not the table without meetings, nor the other county's


def test_the_overview_is_paginated(area, coordinator, settings):
    settings.LIST_PAGE_SIZE = 2
    for index in range(3):
        _standing_with(area, 1, 0, f"Yhdistys {index} ry")
    first = representation_overview(user=coordinator, now=NOW).page
    assert first.paginator.count == 3 and len(first) == 2
    assert len(representation_overview(user=coordinator, now=NOW, page_number=2).page) == 1


# --- The pages -----------------------------------------------------------------------------------


def test_the_representative_sees_the_tables_representatives_and_attendance(
    client, sitting, organisation, representative, member
):
    meeting = _meeting(sitting.table, timezone.now() - datetime.timedelta(days=20))
    _attend(meeting, organisation, member)
    _meeting(sitting.table, timezone.now() - datetime.timedelta(days=40))
    client.force_login(representative)
    page = client.get(reverse("meetings:representation", args=[organisation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Psykososiaalinen pöytä" in html
    assert str(representative) in html and str(member) in html
    assert "50 %" in html
    # Linked from the organisation page and the workspace.
    url = reverse("meetings:representation", args=[organisation.pk])
    assert url in client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert url in client.get(reverse("dashboard")).content.decode()


def test_an_organisation_on_no_table_says_so_in_words(client, organisation, representative):
    client.force_login(representative)
    page = client.get(reverse("meetings:representation", args=[organisation.pk]))
    assert page.status_code == 200
    assert not page.context["representation"].rows
    assert "<table" not in page.content.decode().split("<main", 1)[-1]


def test_another_organisations_member_may_not_see_it(client, organisation, outsider, sitting):
    client.force_login(outsider)
    assert client.get(reverse("meetings:representation", args=[organisation.pk])).status_code == 403


def test_the_coordinator_finds_the_overview_from_her_workspace(client, area, coordinator):
    _standing_with(area, 2, 0, "Ei koskaan ry")
    client.force_login(coordinator)
    url = reverse("meetings:representation_overview")
    assert url in client.get(reverse("dashboard")).content.decode()
    html = client.get(url).content.decode()
    assert "Ei koskaan ry" in html


# --- Query bounds at two sizes -------------------------------------------------------------------


def _a_county(area, organisation, size: int):
    """``size`` tables the organisation sits on, each with ``size`` held meetings and attendance at
    every other one, beside another organisation on each table."""
    now = timezone.now()
    for index in range(size):
        table = PartnershipTableFactory(sector__welfare_area=area)
        StandingMemberFactory(table=table, organisation=organisation, representative=UserFactory())
        other = StandingMemberFactory(table=table)
        for day in range(size):
            meeting = _meeting(table, now - datetime.timedelta(days=day + 1, hours=index))
            if day % 2:
                _attend(meeting, organisation)
            _attend(meeting, other.organisation)


@pytest.mark.parametrize("size", [3, 30])
def test_the_representation_page_asks_the_same_number_of_queries_at_any_size(
    client, area, organisation, representative, django_assert_max_num_queries, size
):
    _a_county(area, organisation, size)
    client.force_login(representative)
    # Session, user; the organisation, its themes, its municipalities; the rules (memberships,
    # coordinated areas); the standing memberships with their counts; the navigation of base.html.
    with django_assert_max_num_queries(11):
        page = client.get(reverse("meetings:representation", args=[organisation.pk]))
    assert page.status_code == 200
    rows = page.context["representation"].rows
    assert len(rows) == size
    assert all(row.held == size and row.represented == size // 2 for row in rows)


@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_asks_the_same_number_of_queries_at_any_size(
    client, area, organisation, coordinator, django_assert_max_num_queries, size
):
    _a_county(area, organisation, size)
    client.force_login(coordinator)
    # Session, user; coordinated areas; the count and the page; the navigation of base.html.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("meetings:representation_overview") + "?show=all")
    assert page.status_code == 200
    assert page.context["overview"].page.paginator.count == 2 * size


def test_an_ordinary_member_may_see_it_too(client, organisation, member, sitting):
    MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER)
    client.force_login(member)
    assert client.get(reverse("meetings:representation", args=[organisation.pk])).status_code == 200
