"""Calendar feeds, parsed back with icalendar: the private feed has only the person's meetings,
the public feed never an online link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.ical import HELSINKI, event_uid
from meetings.models import Meeting, MeetingFormat, MeetingStatus
from meetings.tests.factories import in_days, invite

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://meet.example.org/very-secret-room"


def _meeting(table, *, days=7, status=MeetingStatus.SCHEDULED, format=MeetingFormat.HYBRID, **kwargs):
    starts = kwargs.pop("starts_at", in_days(days))
    return Meeting.objects.create(
        table=table,
        title=kwargs.pop("title", f"Kokous {days}"),
        status=status,
        format=format,
        address="Sairaalantie 3, Vaasa" if format != MeetingFormat.ONLINE else "",
        online_link=SECRET_LINK if format != MeetingFormat.IN_PERSON else "",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        **kwargs,
    )


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_private_feed_has_only_the_meetings_the_person_is_invited_to(
    client, public_table, private_records_table, member
):
    invited = _meeting(public_table, days=7, title="Kutsuttu")
    invited_by_address = _meeting(private_records_table, days=9, title="Osoitteella")
    cancelled = _meeting(public_table, days=11, status=MeetingStatus.CANCELLED, title="Peruttu")
    not_invited = _meeting(public_table, days=8, title="Ei kutsua")
    long_ago = _meeting(public_table, days=-400, status=MeetingStatus.HELD, title="Vanha")
    invite(invited, member)
    invite(invited_by_address, None, email=member.email.upper())  # sent to the address before the account was linked
    invite(cancelled, member)
    invite(long_ago, member)
    invite(not_invited, None, email="joku@example.org")

    response = client.get(reverse("meetings:feed_personal", args=[member.calendar_token]))
    events = _events(response)
    assert set(events) == {event_uid(invited), event_uid(invited_by_address), event_uid(cancelled)}
    event = events[event_uid(invited)]
    assert event["STATUS"] == "CONFIRMED"
    assert int(event["SEQUENCE"]) == invited.sequence
    assert event.decoded("DTSTART") == invited.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    # The person is invited, so the online link is there.
    assert SECRET_LINK in str(event["DESCRIPTION"])
    assert events[event_uid(cancelled)]["STATUS"] == "CANCELLED"
    # No shared cache may keep a private feed.
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_private_feed_needs_no_sign_in_and_unknown_tokens_are_not_found(client, member):
    assert client.get(reverse("meetings:feed_personal", args=[member.calendar_token])).status_code == 200
    assert client.get(reverse("meetings:feed_personal", args=["not-a-token"])).status_code == 404
    member.is_active = False
    member.save()
    assert client.get(reverse("meetings:feed_personal", args=[member.calendar_token])).status_code == 404


def test_feed_times_stay_on_the_helsinki_clock_across_dst(client, public_table, member):
    year = timezone.now().year + 1
    winter = _meeting(public_table, starts_at=datetime.datetime(year, 1, 15, 13, 0, tzinfo=HELSINKI), title="Talvi")
    summer = _meeting(public_table, starts_at=datetime.datetime(year, 7, 15, 13, 0, tzinfo=HELSINKI), title="Kesä")
    invite(winter, member)
    invite(summer, member)
    events = _events(client.get(reverse("meetings:feed_personal", args=[member.calendar_token])))
    for meeting, utc_hour in ((winter, 11), (summer, 10)):
        start = events[event_uid(meeting)].decoded("DTSTART")
        assert (start.hour, start.astimezone(datetime.UTC).hour) == (13, utc_hour)


def test_resetting_the_feed_address(client, member):
    url = reverse("meetings:feed_reset")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(member)
    old_token = member.calendar_token
    page = client.get(url)
    assert page.status_code == 200 and old_token in page.content.decode()

    # Without the confirmation nothing changes.
    assert client.post(url, {}).status_code == 400
    member.refresh_from_db()
    assert member.calendar_token == old_token

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.calendar_token != old_token
    assert client.get(reverse("meetings:feed_personal", args=[old_token])).status_code == 404
    assert client.get(reverse("meetings:feed_personal", args=[member.calendar_token])).status_code == 200
    assert client.get(url).context["feed_url"].endswith(f"/meetings/feed/{member.calendar_token}.ics")


def test_public_feed_of_a_public_table_has_no_online_link(client, public_table):
    hybrid = _meeting(public_table, days=3, title="Hybridi")
    online = _meeting(public_table, days=4, format=MeetingFormat.ONLINE, title="Etänä")
    cancelled = _meeting(public_table, days=5, status=MeetingStatus.CANCELLED, title="Peruttu")
    draft = _meeting(public_table, days=6, status=MeetingStatus.DRAFT, title="Luonnos")

    response = client.get(reverse("meetings:feed_table", args=[public_table.pk]))
    events = _events(response)
    assert set(events) == {event_uid(hybrid), event_uid(online), event_uid(cancelled)}
    assert event_uid(draft) not in events
    assert b"very-secret-room" not in response.content and b"meet.example.org" not in response.content
    assert str(events[event_uid(hybrid)]["LOCATION"]) == "Sairaalantie 3, Vaasa"
    assert str(events[event_uid(online)]["LOCATION"]) != ""
    assert events[event_uid(cancelled)]["STATUS"] == "CANCELLED"
    assert str(events[event_uid(hybrid)]["URL"]).endswith(reverse("meetings:detail", args=[hybrid.pk]))


def test_public_feed_of_a_table_that_is_not_public_is_not_found(client, private_records_table, coordinator):
    _meeting(private_records_table)
    assert client.get(reverse("meetings:feed_table", args=[private_records_table.pk])).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("meetings:feed_table", args=[private_records_table.pk])).status_code == 404
    assert client.get(reverse("meetings:feed_table", args=[999999])).status_code == 404


def test_empty_feeds_are_valid_calendars(client, public_table, member):
    for url in (
        reverse("meetings:feed_personal", args=[member.calendar_token]),
        reverse("meetings:feed_table", args=[public_table.pk]),
    ):
        calendar = Calendar.from_ical(client.get(url).content)
        assert calendar["METHOD"] == "PUBLISH" and calendar.walk("VEVENT") == []


@pytest.mark.parametrize("count", [5, 60])
def test_feed_query_counts_do_not_grow_with_meetings(
    client, public_table, member, django_assert_max_num_queries, count
):
    for day in range(count):
        invite(_meeting(public_table, days=day + 1), member)
    # Personal: the person by token; the meetings with their tables.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("meetings:feed_personal", args=[member.calendar_token]))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count
    # Public: the table; the meetings with their tables.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("meetings:feed_table", args=[public_table.pk]))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count


# A row stored before the service bounded dates (or written by hand): the feeds leave it out and
# still answer, with the other meetings (issue 11, item 6: year 9999 made every feed a 500).
FAR_DATES = [
    datetime.datetime(9999, 12, 31, 20, tzinfo=datetime.UTC),  # Helsinki time would be the year 10000
    datetime.datetime(9999, 6, 1, 12, tzinfo=datetime.UTC),  # the time zone's rules would reach 10001
    datetime.datetime(8000, 6, 1, 12, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("starts_at", FAR_DATES)
def test_a_meeting_in_a_far_year_does_not_break_the_feeds(client, public_table, member, starts_at):
    ordinary = _meeting(public_table, days=7, title="Tavallinen")
    far = Meeting.objects.create(
        table=public_table, title="Kaukana", status=MeetingStatus.SCHEDULED, format=MeetingFormat.IN_PERSON,
        address="Tie 1", starts_at=starts_at - datetime.timedelta(hours=3), ends_at=starts_at,
    )
    invite(ordinary, member)
    invite(far, member)

    for url in (
        reverse("meetings:feed_personal", args=[member.calendar_token]),
        reverse("meetings:feed_table", args=[public_table.pk]),
    ):
        assert set(_events(client.get(url))) == {event_uid(ordinary)}


def test_the_feeds_leave_out_a_stored_meeting_outside_the_calendar_years(public_table):
    from meetings.feeds import meetings_feed

    ancient = Meeting(
        table=public_table, title="Muinainen", status=MeetingStatus.HELD, format=MeetingFormat.IN_PERSON,
        starts_at=datetime.datetime(1, 1, 1, 12, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(1, 1, 1, 14, tzinfo=datetime.UTC),
    )
    calendar = Calendar.from_ical(meetings_feed([ancient], name="x", include_online_link=False))
    assert calendar.walk("VEVENT") == []
