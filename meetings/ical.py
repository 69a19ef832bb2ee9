"""iCalendar files for meetings, built with the ``icalendar`` library.

One UID for the whole life of a meeting and the meeting's SEQUENCE let calendar programs update
or remove the event they already hold. Times are written in Europe/Helsinki with its VTIMEZONE,
so the event stays at the same wall-clock time whatever the DST rules of the reader.
"""

import datetime
from email.mime.text import MIMEText
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from icalendar import Calendar, Event, vCalAddress

from meetings.models import Meeting, MeetingStatus

HELSINKI = ZoneInfo("Europe/Helsinki")
PRODID = "-//Kumppanuus//Kumppanuus meetings//FI"

# The years a calendar carries in Helsinki time with its VTIMEZONE, which reaches a year before and
# two after a meeting: Python's dates end with the year 9999, so a meeting near either end broke
# every calendar it was in. The service plans meetings only well inside; a row outside (written
# before it checked, or by hand) is written in UTC without a VTIMEZONE, and the feeds leave it out.
FIRST_YEAR = 1900
LAST_YEAR = 9000

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def in_calendar_range(meeting: Meeting) -> bool:
    """Whether the meeting's times can be written in Helsinki time with the time zone's rules."""
    return all(FIRST_YEAR <= moment.year <= LAST_YEAR for moment in (meeting.starts_at, meeting.ends_at))


def local_time(moment: datetime.datetime) -> datetime.datetime:
    """The moment in Helsinki time, for showing. One that Python cannot move there (the last hours of
    the year 9999) is its UTC clock time without a zone, which templates show as it is."""
    try:
        return moment.astimezone(HELSINKI)
    except OverflowError:
        return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def add_timezone(calendar: Calendar, years: set[int]) -> None:
    """The Helsinki VTIMEZONE with its rules for the given years, a year before and two after."""
    if years:
        calendar.add_missing_timezones(
            first_date=datetime.date(min(years) - 1, 1, 1), last_date=datetime.date(max(years) + 2, 1, 1)
        )


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@kumppanuus"


def _address(email: str, name: str = "", **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = value
    return address


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str,
    description: str,
    url: str,
    location: str,
    organizer=None,
    attendee=None,
) -> bytes:
    """One VEVENT for the meeting in a VCALENDAR with the given METHOD and the Helsinki VTIMEZONE.

    ``organizer`` is the contact person (a User) or None for the no-reply address; ``attendee``
    is the Invitation the file is sent with, if any. The caller decides what ``location`` and
    ``description`` may reveal (the online link is only for invitees).
    """
    no_reply_name, no_reply = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if organizer is not None and organizer.email:
        # Replies and questions go to the coordinator; the no-reply address sent it for them.
        organizer_address = _address(organizer.email, str(organizer), sent_by=f"mailto:{no_reply}")
    else:
        organizer_address = _address(no_reply, no_reply_name or "Kumppanuus")
    cancelled = method == CANCEL or meeting.status == MeetingStatus.CANCELLED
    local = in_calendar_range(meeting)
    event = Event.new(
        uid=event_uid(meeting),
        sequence=meeting.sequence,
        summary=meeting.title,
        start=meeting.starts_at.astimezone(HELSINKI if local else datetime.UTC),
        end=meeting.ends_at.astimezone(HELSINKI if local else datetime.UTC),
        description=description,
        location=location or None,
        url=url,
        organizer=organizer_address,
        last_modified=meeting.updated_at,
        created=meeting.created_at,
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar = Calendar.new(prodid=PRODID, method=method)
    del calendar["UID"]  # the VCALENDAR needs none; a random one would differ on every send
    calendar.add_component(event)
    if local:
        add_timezone(calendar, {meeting.starts_at.astimezone(HELSINKI).year})
    ics = calendar.to_ical()
    return with_attendee(ics, attendee) if attendee is not None else ics


_END_OF_EVENT = b"END:VEVENT\r\n"


def with_attendee(ics: bytes, attendee) -> bytes:
    """The calendar with the invitee's ATTENDEE line added to its event.

    Everything else in an invitation's calendar is the same for all invitees with the same
    language, so it is built once per batch and only this line per message (building the whole
    calendar was a third of the time of each invitation, bench/fanout.py).
    """
    # RSVP=FALSE: answers come through the links in the e-mail, not as iTIP replies.
    holder = Event()
    holder.add(
        "attendee",
        _address(attendee.email, attendee.name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE"),
    )
    # The holder is BEGIN:VEVENT, the (folded) ATTENDEE line(s), END:VEVENT.
    line = holder.to_ical().split(b"\r\n", 1)[1].rsplit(_END_OF_EVENT, 1)[0]
    head, end, tail = ics.rpartition(_END_OF_EVENT)
    return head + line + end + tail


def attach_calendar(message: EmailMultiAlternatives, ics: bytes, *, method: str, filename: str = "meeting.ics") -> None:
    """Attaches the file as ``text/calendar; method=...; charset=utf-8`` so mail programs offer it as a meeting."""
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    message.attach(part)
