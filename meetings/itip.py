"""Reading iTIP replies (RFC 5546 METHOD:REPLY) out of raw e-mail, as calendar programs send them.

Pure parsing, no database: the service (meetings/services/itip.py) decides what a reply means.
Tolerant of the shapes the clients send: Outlook omits the ORGANIZER in some replies (the address
the message was sent to then names the invitation), Gmail adds its own X- properties and an
``application/ics`` copy, Apple Calendar sends only the ATTENDEE that changed, and some clients send
every ATTENDEE with only one of them changed.
"""

from __future__ import annotations

import datetime
import email
import email.policy
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses

from icalendar import Calendar

# Headers that may carry the address a message was delivered to (the envelope recipient); the
# first with a sub-address of the reply mailbox wins, the ORGANIZER before all of them.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
CALENDAR_TYPES = ("text/calendar", "application/ics")


class MalformedReply(Exception):
    """The message holds no readable METHOD:REPLY calendar with one event."""


@dataclass(frozen=True)
class ReplyAttendee:
    address: str  # lower case, without mailto:
    partstat: str  # upper case: ACCEPTED, TENTATIVE, DECLINED, ...


@dataclass(frozen=True)
class CalendarReply:
    uid: str
    organizer: str  # lower case, without mailto:; "" when the client left it out (Outlook)
    attendees: list[ReplyAttendee]
    recipients: list[str] = field(default_factory=list)  # the message's To/Delivered-To/… addresses
    dtstamp: datetime.datetime | None = None
    message_id: str = ""

    def attendee(self, addresses: set[str]) -> ReplyAttendee | None:
        """The ATTENDEE with one of the (lower-case) addresses, if the reply has one."""
        return next((a for a in self.attendees if a.address in addresses), None)


def bare_address(value) -> str:
    return str(value or "").strip().removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()


def _reply_calendars(message: Message) -> list[Calendar]:
    found = []
    for part in message.walk():
        if part.get_content_type() not in CALENDAR_TYPES:
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        try:
            calendar = Calendar.from_ical(payload)
        except (ValueError, IndexError, KeyError):
            continue
        method = str(calendar.get("METHOD") or part.get_param("method") or "").upper()
        if method == "REPLY":
            found.append(calendar)
    return found


def parse_reply(raw: bytes) -> CalendarReply:
    """The reply in a raw RFC 5322 message; MalformedReply when there is none to read."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as error:  # noqa: BLE001 - anything the parser chokes on is a malformed message
        raise MalformedReply("unreadable message") from error
    calendars = _reply_calendars(message)
    if not calendars:
        raise MalformedReply("no text/calendar METHOD:REPLY part")
    events = calendars[0].walk("VEVENT")
    if len(events) != 1:
        raise MalformedReply(f"{len(events)} events in the reply")
    [event] = events
    uid = str(event.get("UID") or "").strip()
    if not uid:
        raise MalformedReply("no UID")
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees] if attendees is not None else []
    parsed = [
        ReplyAttendee(bare_address(a), str(getattr(a, "params", {}).get("PARTSTAT", "NEEDS-ACTION")).upper())
        for a in attendees
    ]
    if not parsed:
        raise MalformedReply("no ATTENDEE")
    stamp = event.get("DTSTAMP")
    dtstamp = stamp.dt if stamp is not None and isinstance(getattr(stamp, "dt", None), datetime.datetime) else None
    if dtstamp is not None and dtstamp.tzinfo is None:
        dtstamp = dtstamp.replace(tzinfo=datetime.UTC)  # a floating DTSTAMP breaks RFC 5545; read it as UTC
    recipients = [
        bare_address(address)
        for header in RECIPIENT_HEADERS
        for _name, address in getaddresses([str(value) for value in message.get_all(header, [])])
        if address
    ]
    return CalendarReply(
        uid=uid,
        organizer=bare_address(event.get("ORGANIZER")),
        attendees=parsed,
        recipients=recipients,
        dtstamp=dtstamp,
        message_id=str(message.get("Message-ID") or "").strip(),
    )
