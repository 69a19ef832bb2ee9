"""The calendar files, parsed back with icalendar: METHOD, UID, SEQUENCE, CANCEL, time zones across DST."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meetings.models import Invitation, MeetingFormat
from meetings.services import meeting_cancel, meeting_create, meeting_schedule, meeting_update
from meetings.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC


def _calendar_part(message):
    """The text/calendar MIME part of a sent message (as the mail program sees it)."""
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]


def _calendar(message) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(_calendar_part(message).get_payload(decode=True))


def _event(calendar: icalendar.Calendar) -> icalendar.Event:
    [event] = calendar.events
    return event


def _last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 31)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def schedule(table, standing, coordinator, django_capture_on_commit_callbacks):
    """Schedules a meeting at the given Helsinki wall-clock time and returns it with the sent messages."""

    def _schedule(start: datetime.datetime, **extra):
        meeting = meeting_create(
            actor=coordinator, table=table, title="Kevään kokous", starts_at=start,
            ends_at=start + datetime.timedelta(hours=2), format=extra.pop("format", MeetingFormat.IN_PERSON),
            address="Hovioikeudenpuistikko 1, Vaasa", **extra,
        )
        with django_capture_on_commit_callbacks(execute=True):
            meeting_schedule(actor=coordinator, meeting=meeting)
        meeting.refresh_from_db()
        return meeting

    return _schedule


def test_the_invitation_carries_a_meeting_request(schedule, representative, coordinator):
    meeting = schedule(datetime.datetime(2030, 5, 14, 13, 0, tzinfo=HELSINKI))
    [message] = mail.outbox

    part = _calendar_part(message)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "meeting.ics"
    # Sent from the no-reply address; replies go to the coordinator.
    assert message.from_email == "Kumppanuus <no-reply@kumppanuus.localhost>"
    assert message.reply_to == [coordinator.email]

    calendar = _calendar(message)
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    event = _event(calendar)
    assert str(event["UID"]) == f"{meeting.uid}@kumppanuus"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.start == datetime.datetime(2030, 5, 14, 13, 0, tzinfo=HELSINKI)
    assert event.end == datetime.datetime(2030, 5, 14, 15, 0, tzinfo=HELSINKI)
    assert str(event["LOCATION"]) == "Hovioikeudenpuistikko 1, Vaasa"
    assert str(event["ORGANIZER"]) == f"mailto:{coordinator.email}"
    assert event["ORGANIZER"].params["SENT-BY"] == "mailto:no-reply@kumppanuus.localhost"
    assert str(event["ATTENDEE"]) == f"mailto:{representative.email}"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_uid_stays_and_sequence_rises_through_an_update_and_a_cancellation(
    schedule, coordinator, django_capture_on_commit_callbacks
):
    meeting = schedule(datetime.datetime(2030, 5, 14, 13, 0, tzinfo=HELSINKI))
    first = _event(_calendar(mail.outbox[0]))

    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            actor=coordinator, meeting=meeting,
            data={"starts_at": datetime.datetime(2030, 5, 15, 9, 0, tzinfo=HELSINKI),
                  "ends_at": datetime.datetime(2030, 5, 15, 11, 0, tzinfo=HELSINKI)},
        )
    update = _calendar(mail.outbox[1])
    assert update["METHOD"] == "REQUEST"
    assert _event(update)["UID"] == first["UID"]
    assert _event(update)["SEQUENCE"] == 1
    assert _event(update).start == datetime.datetime(2030, 5, 15, 9, 0, tzinfo=HELSINKI)

    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=coordinator, meeting=meeting)
    assert _calendar_part(mail.outbox[2]).get_param("method") == "CANCEL"
    cancel = _calendar(mail.outbox[2])
    assert cancel["METHOD"] == "CANCEL"
    assert _event(cancel)["UID"] == first["UID"]
    assert _event(cancel)["SEQUENCE"] == 2
    assert str(_event(cancel)["STATUS"]) == "CANCELLED"
    assert Invitation.objects.get().sent_sequence == 2


@pytest.mark.parametrize(
    ("month", "days_after_change", "utc_offset_hours"),
    [
        (3, -1, 2),  # Saturday before summer time: EET
        (3, 0, 3),  # the Sunday of the change, 10:00 is already EEST
        (3, 1, 3),
        (10, -1, 3),  # Saturday before winter time: EEST
        (10, 0, 2),  # the Sunday of the change, 10:00 is already EET
        (10, 1, 2),
    ],
)
def test_dtstart_is_right_across_the_dst_changes(schedule, month, days_after_change, utc_offset_hours):
    year = 2031
    day = _last_sunday(year, month) + datetime.timedelta(days=days_after_change)
    start = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=HELSINKI)

    with time_machine.travel(datetime.datetime(2031, 1, 1, tzinfo=UTC), tick=False):
        schedule(start)

    calendar = _calendar(mail.outbox[0])
    event = _event(calendar)
    assert event["DTSTART"].to_ical() == start.strftime("%Y%m%dT100000").encode()
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.start.utcoffset() == datetime.timedelta(hours=utc_offset_hours)
    assert event.start.astimezone(UTC) == datetime.datetime.combine(
        day, datetime.time(10 - utc_offset_hours, 0), tzinfo=UTC
    )
    # The VTIMEZONE the file carries agrees: a reader without tz data gets the same instant.
    timezone = calendar.timezones[0]
    assert timezone.to_tz().utcoffset(start.replace(tzinfo=None)) == datetime.timedelta(hours=utc_offset_hours)


def test_an_online_meeting_puts_the_link_where_calendars_show_it(schedule):
    schedule(
        datetime.datetime(2030, 5, 14, 13, 0, tzinfo=HELSINKI), format=MeetingFormat.ONLINE,
        online_link="https://meet.example.org/room-42",
    )
    event = _event(_calendar(mail.outbox[0]))
    assert str(event["LOCATION"]) == "https://meet.example.org/room-42"
    assert "https://meet.example.org/room-42" in str(event["DESCRIPTION"])


def test_the_downloaded_file_hides_the_link_from_people_not_invited(client, meeting, outsider, representative):
    meeting.table.is_public = True
    meeting.table.save()
    meeting.format = MeetingFormat.HYBRID
    meeting.save()
    InvitationFactory(meeting=meeting, user=representative)
    url = reverse("meetings:ics", args=[meeting.pk])

    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert "secret-room" not in response.content.decode()

    client.force_login(representative)
    assert "secret-room" in client.get(url).content.decode().replace("\r\n ", "")


@pytest.mark.parametrize(
    "ends_at",
    [
        datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC),  # Helsinki time would be the year 10000
        datetime.datetime(9999, 6, 1, 12, tzinfo=datetime.UTC),
        datetime.datetime(1, 1, 1, 12, tzinfo=datetime.UTC),
    ],
)
def test_a_meeting_stored_in_a_far_year_still_has_a_calendar_file_and_its_invitation_goes_out(
    client, meeting, representative, coordinator, ends_at
):
    """A row written before the service bounded dates (issue 11, item 6): written in UTC, not a 500,
    and its invitations are sent instead of failing on every attempt."""
    from meetings.models import MeetingStatus, OutboxStatus
    from outbox.engine import deliver

    meeting.starts_at, meeting.ends_at = ends_at - datetime.timedelta(hours=2), ends_at
    meeting.status = MeetingStatus.SCHEDULED
    meeting.save()
    invitation = InvitationFactory(
        meeting=meeting, user=representative, delivery_status=OutboxStatus.QUEUED, sent_at=None, sent_sequence=None
    )

    client.force_login(coordinator)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    event = _event(icalendar.Calendar.from_ical(response.content))
    assert event.decoded("DTSTART") == meeting.starts_at

    assert deliver("meetings.invitation", [invitation.pk]).sent == 1
    assert _event(_calendar(mail.outbox[-1])).decoded("DTEND") == ends_at
