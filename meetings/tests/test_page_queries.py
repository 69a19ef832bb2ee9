"""Query bounds: each records page asks the database the same number of times for 5 or 60 rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import ActionItemStatus, Meeting, MeetingStatus, RsvpResponse
from meetings.selectors import table_minutes_context
from meetings.selectors.dashboard import DASHBOARD_UPCOMING
from meetings.tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    PublishedMinutesFactory,
    held_meeting,
    in_days,
    invite,
)
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.tests.factories import StandingMemberFactory

pytestmark = pytest.mark.django_db

SIZES = [5, 60]


def _invitees(meeting, count, area):
    """People with accounts and organisations, and every fourth a guest without an account."""
    responses = [RsvpResponse.ATTENDING_IN_PERSON, RsvpResponse.ATTENDING_ONLINE, RsvpResponse.NOT_ATTENDING, None]
    for index in range(count):
        organisation = OrganisationFactory(welfare_area=area)
        response = responses[index % 4]
        if index % 4:
            user = MembershipFactory(organisation=organisation).user
            invite(meeting, user, organisation=organisation if index % 2 else None, response=response)
        else:
            invite(meeting, None, email=f"guest{index}@example.org", response=response)


@pytest.mark.parametrize("count", SIZES)
def test_attendance_page(client, past_meeting, secretary, area, django_assert_max_num_queries, count):
    _invitees(past_meeting, count, area)
    client.force_login(secretary)
    url = reverse("meetings:attendance", args=[past_meeting.pk])
    # Session, user; the meeting (with table, secretary, minutes); permission (coordinated areas,
    # table coordinators); invitations with people and RSVPs; attendance so far; memberships;
    # organisations offered; the navigation of base.html (memberships, user and group permissions).
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert len(page.context["formset"].forms) == count
    data = {key: value for key, value in _formset_post(page.context["formset"]).items()}
    # Saving: the page's reads without the navigation (9); savepoint, lock, table coordinators,
    # invitations, organisations check, delete, insert, release; the session (savepoint, update, release).
    with django_assert_max_num_queries(20):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert past_meeting.attendances.count() == count


def _formset_post(formset) -> dict:
    data = {}
    for field in formset.management_form:
        data[field.html_name] = field.value()
    for form in formset.forms:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(value)
    return data


@pytest.mark.parametrize("count", SIZES)
def test_minutes_pages(client, past_meeting, secretary, member, area, django_assert_max_num_queries, count):
    minutes = PublishedMinutesFactory(meeting=past_meeting)
    for _ in range(count):
        DecisionFactory(minutes=minutes)
        ActionItemFactory(
            meeting=past_meeting,
            owner_user=UserFactory(),
            owner_organisation=OrganisationFactory(welfare_area=area),
            due_on=None,
        )
    client.force_login(secretary)
    # Session, user; the meeting; permission (2); decisions; action items; agenda; people offered;
    # organisations offered; the open items of earlier meetings (none here); the navigation (3).
    with django_assert_max_num_queries(14):
        page = client.get(reverse("meetings:minutes_edit", args=[past_meeting.pk]))
    assert page.status_code == 200
    assert len(page.context["action_item_formset"].forms) == count + 2
    # Session, user; the meeting; permission (invitation, coordinated areas, table coordinators,
    # memberships, standing members); decisions; action items with owners; organisations present; count;
    # what the meeting decided about open items of earlier meetings.
    with django_assert_max_num_queries(15):
        page = client.get(reverse("meetings:minutes", args=[past_meeting.pk]))
    assert len(page.context["action_items"]) == count
    client.logout()
    with django_assert_max_num_queries(15):
        assert client.get(reverse("meetings:minutes", args=[past_meeting.pk])).status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_my_meetings_page(
    client, public_table, past_meeting, member, organisation, django_assert_max_num_queries, count
):
    for day in range(count):
        upcoming = Meeting.objects.create(
            table=public_table,
            title=f"Tuleva {day}",
            status=MeetingStatus.SCHEDULED,
            starts_at=in_days(day + 1),
            ends_at=in_days(day + 1) + datetime.timedelta(hours=1),
        )
        invite(upcoming, member, response=RsvpResponse.MAYBE if day % 2 else None)
        past = held_meeting(public_table, days_ago=day + 2, status=MeetingStatus.HELD)
        invite(past, member)
        if day % 2:
            PublishedMinutesFactory(meeting=past)
        ActionItemFactory(
            meeting=past, owner_user=member if day % 2 else None, owner_organisation=None if day % 2 else organisation
        )
        ActionItemFactory(meeting=past, owner_user=member, status=ActionItemStatus.DONE)
    client.force_login(member)
    # Session, user; upcoming invitations with RSVPs; past invitations with minutes; memberships;
    # action items; the navigation (user and group permissions; memberships are cached).
    with django_assert_max_num_queries(9):
        page = client.get(reverse("meetings:mine"))
    assert len(page.context["my_action_items"]) == count
    assert len(page.context["upcoming_invitations"]) == min(count, DASHBOARD_UPCOMING)


@pytest.mark.parametrize("count", SIZES)
def test_table_page_context_and_minutes_list(
    client, public_table, coordinator, django_assert_max_num_queries, django_assert_num_queries, count
):
    for day in range(count):
        Meeting.objects.create(
            table=public_table,
            title=f"Tuleva {day}",
            status=MeetingStatus.SCHEDULED,
            starts_at=in_days(day + 1),
            ends_at=in_days(day + 1) + datetime.timedelta(hours=1),
        )
        PublishedMinutesFactory(meeting=held_meeting(public_table, days_ago=day + 2, status=MeetingStatus.HELD))
    # Coordinated areas (permission); upcoming meetings; published minutes.
    with django_assert_max_num_queries(4):
        context = table_minutes_context(public_table, coordinator)
    assert len(context["published_minutes"]) == min(count, 10)
    # The table; one page of minutes and the count.
    with django_assert_max_num_queries(3):
        page = client.get(reverse("meetings:table_minutes", args=[public_table.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_closing_page(client, past_meeting, coordinator, area, public_table, django_assert_max_num_queries, count):
    # The chair rotation reads the standing members and when each last chaired.
    for index in range(count):
        standing = StandingMemberFactory(table=public_table, organisation=OrganisationFactory(welfare_area=area))
        held_meeting(public_table, days_ago=index + 10, status=MeetingStatus.HELD, chair=standing.organisation)
    client.force_login(coordinator)
    url = reverse("meetings:close", args=[past_meeting.pk])
    # Session, user; the meeting; coordinated areas; the navigation's count of what waits (one query).
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    data = {"next_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), "next_time": "13:00"}
    # The page's reads (4); savepoint, lock, update; the chair rotation (standing members, last
    # chairs); full_clean of the draft (five existence checks, two constraints in savepoints);
    # insert, release; the session (savepoint, update, release).
    with django_assert_max_num_queries(25):
        assert client.post(url, data).status_code == 302


@pytest.mark.parametrize("count", SIZES)
def test_feed_reset_and_action_item_status(client, past_meeting, member, django_assert_max_num_queries, count):
    items = [ActionItemFactory(meeting=past_meeting, owner_user=member) for _ in range(count)]
    client.force_login(member)
    # Session, user; the navigation (coordinated areas, memberships, user and group permissions).
    with django_assert_max_num_queries(6):
        assert client.get(reverse("meetings:feed_reset")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.post(reverse("meetings:feed_reset"), {"confirm": "on"}).status_code == 302
    # Session, user; the item with its meeting and table; memberships; savepoint, lock, update,
    # release; the session (savepoint, update, release).
    with django_assert_max_num_queries(12):
        response = client.post(reverse("meetings:action_item_status", args=[items[-1].pk]), {"status": "done"})
    assert response.status_code == 302
