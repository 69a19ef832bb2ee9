"""Answers from calendar programs: an iTIP REPLY read from the reply mailbox becomes an RSVP.

The reply is tied to its invitation by the signed sub-address it was sent to (the ORGANIZER the
invitation named, or, when the client left that out as Outlook sometimes does, the address the
message was delivered to; meetings/tokens.py), never by its From line. It is recorded through the
same service as the web's answers (``rsvp_record``), so the capacity, the waiting list and the
deadline work exactly as there. Anything that cannot be tied to a live invitation is refused with
a reason and changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.ical import event_uid
from meetings.itip import CalendarReply as ParsedReply
from meetings.itip import MalformedReply, parse_reply
from meetings.models import (
    ATTENDING_RESPONSES,
    CalendarReply,
    CalendarReplyOutcome,
    Invitation,
    MeetingFormat,
    MeetingStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.services.rsvp import rsvp_record
from meetings.tokens import InvalidReplyToken, reply_token_of_address, reply_token_read

logger = logging.getLogger(__name__)

# Why a message was not recorded (CalendarReply.reason, and the log line).
MALFORMED = "malformed"
NO_TOKEN = "no-token"
BAD_SIGNATURE = "bad-signature"
UNKNOWN_INVITATION = "unknown-invitation"
WRONG_EVENT = "wrong-event"
WRONG_ATTENDEE = "wrong-attendee"
CANCELLED = "cancelled"
PAST = "past"
NOT_OPEN = "not-open"
UNKNOWN_ANSWER = "unknown-answer"
REFUSED = "refused"  # the RSVP service said no (the deadline has passed)
STALE = "stale"  # older than the answer on record (changed on the web since)
DUPLICATE = "duplicate"  # this message was processed before


@dataclass(frozen=True)
class ReplyOutcome:
    recorded: bool
    reason: str = ""  # empty when recorded
    rsvp: Rsvp | None = None
    invitation_id: int | None = None
    earlier: str = ""  # a duplicate's first outcome (CalendarReplyOutcome)

    @property
    def duplicate(self) -> bool:
        return self.reason == DUPLICATE

    @property
    def accepted(self) -> bool:
        """Recorded now or before: the message belongs with the processed ones."""
        return self.recorded or self.earlier == CalendarReplyOutcome.RECORDED


class _Rejected(Exception):
    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason, self.invitation = reason, invitation


def message_key(raw: bytes, message_id: str = "") -> str:
    """The Message-ID (what a second delivery of the same message keeps), else a hash of the bytes."""
    if message_id and len(message_id) <= 200:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()


def _invitation_id(reply: ParsedReply) -> int:
    """The invitation the reply's sub-address names: the ORGANIZER's, else the first recipient's
    (Outlook leaves the ORGANIZER out of some replies) whose signature holds."""
    tokens = [reply_token_of_address(address) for address in [reply.organizer, *reply.recipients] if address]
    tokens = [token for token in tokens if token]
    if not tokens:
        raise _Rejected(NO_TOKEN)
    for token in tokens:
        try:
            return reply_token_read(token)
        except InvalidReplyToken:
            continue
    raise _Rejected(BAD_SIGNATURE)


def _answer(partstat: str, invitation: Invitation, existing: Rsvp | None) -> str:
    if partstat == "TENTATIVE":
        return RsvpResponse.MAYBE
    if partstat == "DECLINED":
        return RsvpResponse.NOT_ATTENDING
    if partstat != "ACCEPTED":
        raise _Rejected(UNKNOWN_ANSWER, invitation)
    meeting = invitation.meeting
    if meeting.format == MeetingFormat.HYBRID:
        # In the way the person last chose, else in person.
        if existing is not None and existing.response in ATTENDING_RESPONSES:
            return existing.response
        return RsvpResponse.ATTENDING_IN_PERSON
    return meeting.seat_response


def _apply(reply: ParsedReply) -> tuple[Invitation, Rsvp]:
    invitation_id = _invitation_id(reply)
    invitation = Invitation.objects.select_related("meeting", "user").filter(pk=invitation_id).first()
    if invitation is None:
        raise _Rejected(UNKNOWN_INVITATION)
    meeting = invitation.meeting
    if reply.uid != event_uid(meeting):
        raise _Rejected(WRONG_EVENT, invitation)
    addresses = {invitation.email.lower()}
    if invitation.user is not None and invitation.user.email:
        addresses.add(invitation.user.email.lower())
    attendee = reply.attendee(addresses)
    if attendee is None:
        raise _Rejected(WRONG_ATTENDEE, invitation)
    if meeting.status == MeetingStatus.CANCELLED:
        raise _Rejected(CANCELLED, invitation)
    if meeting.status == MeetingStatus.HELD or meeting.ends_at <= timezone.now():
        raise _Rejected(PAST, invitation)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise _Rejected(NOT_OPEN, invitation)
    existing = Rsvp.objects.filter(invitation=invitation).first()
    response = _answer(attendee.partstat, invitation, existing)
    answered_at = existing.responded_at.replace(microsecond=0) if existing is not None else None
    if answered_at is not None and reply.dtstamp is not None and reply.dtstamp < answered_at:
        # Answered again (on the web, or by a later reply) after the client wrote this one: the latest stays.
        raise _Rejected(STALE, invitation)
    try:
        rsvp = rsvp_record(invitation=invitation, response=response, note=existing.note if existing else "")
    except ValidationError:
        raise _Rejected(REFUSED, invitation) from None
    return invitation, rsvp


def calendar_reply_process(raw: bytes) -> ReplyOutcome:
    """Records the answer in one raw message from the reply mailbox, once.

    Returns what happened; a message seen before (by its Message-ID) changes nothing again. The
    record of the message commits together with the answer, so a worker that dies half-way leaves
    the message to be processed again, and two workers on the same message record it once.
    """
    try:
        reply = parse_reply(raw)
    except MalformedReply as error:
        reply, detail = None, str(error)
    key = message_key(raw, reply.message_id if reply is not None else "")
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = CalendarReply.objects.create(message_key=key, outcome=CalendarReplyOutcome.REJECTED)
        except IntegrityError:
            earlier = CalendarReply.objects.filter(message_key=key).values_list("outcome", flat=True).first()
            logger.info("calendar reply %s: processed before (%s)", key, earlier)
            return ReplyOutcome(recorded=False, reason=DUPLICATE, earlier=earlier or "")
        try:
            if reply is None:
                logger.warning("calendar reply %s: %s (%s)", key, MALFORMED, detail)
                raise _Rejected(MALFORMED)
            with transaction.atomic():  # a refusal rolls back whatever the answer had written
                invitation, rsvp = _apply(reply)
        except _Rejected as rejected:
            row.reason = rejected.reason
            row.invitation = rejected.invitation
            row.save(update_fields=["reason", "invitation"])
            logger.warning("calendar reply %s: rejected, %s", key, rejected.reason)
            invitation_id = rejected.invitation.pk if rejected.invitation else None
            return ReplyOutcome(recorded=False, reason=rejected.reason, invitation_id=invitation_id)
        row.outcome, row.invitation, row.response = CalendarReplyOutcome.RECORDED, invitation, rsvp.response
        row.save(update_fields=["outcome", "invitation", "response"])
        logger.info("calendar reply %s: invitation %s answered %s", key, invitation.pk, rsvp.response)
        return ReplyOutcome(recorded=True, rsvp=rsvp, invitation_id=invitation.pk)
