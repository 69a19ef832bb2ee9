"""Participation statistics per table and year, on the page and as CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.ical import HELSINKI
from meetings.models import Attendance, Meeting, MeetingStatus
from meetings.services.stats import table_statistics, table_statistics_years
from meetings.tests.factories import AttendanceFactory
from organisations.tests.factories import MunicipalityFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.now().year - 1


def _meeting(table, when: datetime.datetime, status=MeetingStatus.HELD, title="Kokous"):
    return Meeting.objects.create(
        table=table,
        title=title,
        status=status,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
    )


def _at(month: int, day: int, hour: int = 13, minute: int = 0, year: int = LAST_YEAR) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def places(area):
    vaasa = MunicipalityFactory(code="905", name="Vaasa", name_fi="Vaasa", welfare_area=area)
    mustasaari = MunicipalityFactory(code="499", name="Mustasaari", name_fi="Mustasaari", welfare_area=area)
    mental = ThemeFactory(slug="mielenterveys", name="Mielenterveys", name_fi="Mielenterveys")
    older = ThemeFactory(slug="ikaantyneet", name="Ikääntyneet", name_fi="Ikääntyneet")
    return vaasa, mustasaari, mental, older


def test_statistics_count_meetings_people_organisations_municipalities_and_themes(public_table, area, places):
    vaasa, mustasaari, mental, older = places
    in_vaasa = OrganisationFactory(welfare_area=area, municipalities=[vaasa], themes=[mental])
    in_both = OrganisationFactory(welfare_area=area, municipalities=[vaasa, mustasaari], themes=[mental, older])
    nowhere = OrganisationFactory(welfare_area=area)
    anna, bertta, cecilia = UserFactory(), UserFactory(), UserFactory()

    spring = _meeting(public_table, _at(3, 10), title="Kevät")
    # Held but not closed yet: it counts (it took place).
    autumn = _meeting(public_table, _at(10, 5), status=MeetingStatus.SCHEDULED, title="Syksy")
    # A new year's night meeting belongs to the Helsinki year it started in.
    new_year = _meeting(public_table, _at(1, 1, 0, 30), title="Uusi vuosi")
    cancelled = _meeting(public_table, _at(5, 5), status=MeetingStatus.CANCELLED)
    year_before = _meeting(public_table, _at(12, 31, 23, 30, year=LAST_YEAR - 1))

    AttendanceFactory(meeting=spring, user=anna, organisation=in_vaasa)
    AttendanceFactory(meeting=spring, user=bertta, organisation=in_both, online=True)
    AttendanceFactory(meeting=spring, user=cecilia, organisation=None)
    AttendanceFactory(meeting=spring, user=UserFactory(), organisation=nowhere, attended=False)
    AttendanceFactory(meeting=autumn, user=anna, organisation=in_vaasa)
    AttendanceFactory(meeting=autumn, user=None, organisation=in_both)  # a deleted account
    AttendanceFactory(meeting=autumn, user=None, organisation=in_both)  # and another
    AttendanceFactory(meeting=new_year, user=bertta, organisation=nowhere)
    AttendanceFactory(meeting=cancelled, user=UserFactory(), organisation=in_vaasa)
    AttendanceFactory(meeting=year_before, user=UserFactory(), organisation=in_vaasa)

    stats = table_statistics(table=public_table, year=LAST_YEAR)
    assert stats.meetings_held == 3
    assert [(row.meeting.title, row.attendees, row.online) for row in stats.meetings] == [
        ("Uusi vuosi", 1, 0),
        ("Kevät", 3, 1),
        ("Syksy", 3, 0),
    ]
    assert stats.totals.attendances == 7
    # anna, bertta, cecilia and two deleted accounts.
    assert stats.totals.persons == 5
    assert stats.totals.organisations == 3
    assert stats.online_attendances == 1

    by_municipality = {row.name: row.counts for row in stats.by_municipality}
    assert by_municipality["Vaasa"].attendances == 5  # anna ×2, bertta, two anonymous
    assert by_municipality["Vaasa"].persons == 4 and by_municipality["Vaasa"].organisations == 2
    assert by_municipality["Mustasaari"].attendances == 3 and by_municipality["Mustasaari"].persons == 3
    assert [row.name for row in stats.by_municipality] == ["Vaasa", "Mustasaari"]
    assert stats.municipality_unknown.attendances == 2  # cecilia (no organisation) and bertta for "nowhere"
    by_theme = {row.name: row.counts for row in stats.by_theme}
    assert by_theme["Mielenterveys"].attendances == 5 and by_theme["Ikääntyneet"].attendances == 3
    assert stats.theme_unknown.persons == 2

    assert table_statistics(table=public_table, year=LAST_YEAR - 1).totals.attendances == 1
    assert {LAST_YEAR, LAST_YEAR - 1, LAST_YEAR + 1} <= set(table_statistics_years(public_table))


def test_deleting_an_account_keeps_the_counts(public_table):
    person = UserFactory()
    meeting = _meeting(public_table, _at(4, 4))
    AttendanceFactory(meeting=meeting, user=person)
    before = table_statistics(table=public_table, year=LAST_YEAR).totals
    person.delete()
    assert Attendance.objects.get().user is None
    assert table_statistics(table=public_table, year=LAST_YEAR).totals == before


def test_statistics_page_and_csv(client, public_table, coordinator, area, places):
    vaasa, _mustasaari, mental, _older = places
    organisation = OrganisationFactory(
        name='=HYPERLINK("http://evil")', welfare_area=area, municipalities=[vaasa], themes=[mental]
    )
    meeting = _meeting(public_table, _at(6, 1), title="Kesäkokous")
    AttendanceFactory(meeting=meeting, organisation=organisation)
    AttendanceFactory(meeting=meeting, organisation=organisation, online=True)

    client.force_login(coordinator)
    url = reverse("meetings:table_statistics", args=[public_table.pk])
    page = client.get(url, {"year": LAST_YEAR})
    assert page.status_code == 200
    assert page.context["stats"].totals.attendances == 2
    html = page.content.decode()
    assert "<caption" in html and "Kesäkokous" in html and "Vaasa" in html

    response = client.get(reverse("meetings:table_statistics_csv", args=[public_table.pk]), {"year": LAST_YEAR})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][2:] == ["2", "2", "1"]
    assert any(row[1] == "Vaasa" and row[2] == "2" for row in rows)
    assert any(row[1] == "Mielenterveys" for row in rows)
    # A name that looks like a formula is written as text.
    assert not any(cell.startswith("=") for row in rows for cell in row)


@pytest.mark.parametrize("year", ["abc", "1999", "", "20255555555555555555"])
def test_statistics_with_a_bad_year_are_not_an_error(client, public_table, coordinator, year):
    client.force_login(coordinator)
    response = client.get(reverse("meetings:table_statistics", args=[public_table.pk]), {"year": year})
    assert response.status_code == 400
    assert response.context["stats"].year == timezone.now().year
    assert (
        client.get(reverse("meetings:table_statistics_csv", args=[public_table.pk]), {"year": year}).status_code == 200
    )


def test_statistics_permissions(
    client, public_table, private_records_table, coordinator, other_coordinator, member, outsider, admin_user
):
    url = reverse("meetings:table_statistics", args=[public_table.pk])
    csv_url = reverse("meetings:table_statistics_csv", args=[public_table.pk])
    private_url = reverse("meetings:table_statistics", args=[private_records_table.pk])
    assert client.get(url).status_code == 302
    assert client.get(csv_url).status_code == 302
    for person, public_status, private_status in (
        (member, 403, 404),
        (outsider, 403, 404),
        (other_coordinator, 403, 404),
        (coordinator, 200, 200),
        (admin_user, 200, 200),
    ):
        client.force_login(person)
        assert client.get(url).status_code == public_status
        assert client.get(csv_url).status_code == public_status
        assert client.get(private_url).status_code == private_status


@pytest.mark.parametrize("count", [5, 60])
def test_statistics_query_count_does_not_grow(
    client, public_table, coordinator, area, places, django_assert_max_num_queries, count
):
    vaasa, mustasaari, mental, older = places
    meetings = [_meeting(public_table, _at(month, 10)) for month in range(1, 6)]
    for index in range(count):
        organisation = OrganisationFactory(
            welfare_area=area,
            municipalities=[vaasa, mustasaari][: 1 + index % 2],
            themes=[mental, older][: 1 + index % 2],
        )
        AttendanceFactory(
            meeting=meetings[index % 5], organisation=organisation, user=UserFactory() if index % 3 else None
        )
    client.force_login(coordinator)
    # Session and user; the table; coordinated areas (permission, also answers the navigation);
    # years; meetings; totals; municipalities grouped and named; themes grouped and named; the
    # navigation's count of what waits.
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:table_statistics", args=[public_table.pk]), {"year": LAST_YEAR})
    assert page.context["stats"].totals.attendances == count
    with django_assert_max_num_queries(11):
        assert (
            client.get(
                reverse("meetings:table_statistics_csv", args=[public_table.pk]), {"year": LAST_YEAR}
            ).status_code
            == 200
        )
