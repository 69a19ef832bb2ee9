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

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


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
    event = Event.new(
        uid=event_uid(meeting),
        sequence=meeting.sequence,
        summary=meeting.title,
        start=meeting.starts_at.astimezone(HELSINKI),
        end=meeting.ends_at.astimezone(HELSINKI),
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
    start_year = meeting.starts_at.astimezone(HELSINKI).year
    calendar.add_missing_timezones(
        first_date=datetime.date(start_year - 1, 1, 1), last_date=datetime.date(start_year + 2, 1, 1)
    )
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
