"""The reply fixtures (meetings/tests/itip/*.eml), filled in for one invitation.

Written from RFC 5546 and the clients' documented shapes: Outlook (no ORGANIZER, X-MICROSOFT-CDO-*
properties, MAILTO: in capitals, quoted-printable), Gmail (its own X- properties and parameters, a
second ``application/ics`` copy, Delivered-To), Thunderbird (the VTIMEZONE, a folded ATTENDEE),
Apple Calendar (only the changed ATTENDEE, EMAIL= parameters, quoted-printable with soft breaks).
"""

import datetime
import uuid
from pathlib import Path

from meetings.ical import event_uid
from meetings.tokens import reply_address

FIXTURES = Path(__file__).resolve().parent / "itip"
CLIENTS = ("outlook", "gmail", "thunderbird", "apple")


def reply_message(
    client: str,
    invitation,
    *,
    partstat: str = "ACCEPTED",
    attendee: str | None = None,
    to: str | None = None,
    uid: str | None = None,
    dtstamp: datetime.datetime | None = None,
    message_id: str | None = None,
) -> bytes:
    """The client's REPLY to ``invitation`` as raw bytes, as it arrives in the reply mailbox."""
    text = (FIXTURES / f"{client}.eml").read_text(encoding="utf-8")
    stamp = (dtstamp or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    values = {
        "REPLY_ADDRESS": to if to is not None else reply_address(invitation.pk),
        "ATTENDEE": attendee if attendee is not None else invitation.email,
        "FROM": attendee if attendee is not None else invitation.email,
        "UID": uid if uid is not None else event_uid(invitation.meeting),
        "PARTSTAT": partstat,
        "DTSTAMP": stamp.strftime("%Y%m%dT%H%M%SZ"),
        "SEQUENCE": str(invitation.meeting.sequence),
        "MESSAGE_ID": message_id or f"{uuid.uuid4()}@{client}.example",
    }
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text.replace("\n", "\r\n").encode("utf-8")
