"""RSVPs: answers, capacity and the waiting list.

Seats are counted while holding the meeting row's lock, so concurrent answers for the last
seats are serialised and never overfill the meeting.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import verified_addresses_query
from meetings.models import (
    Invitation,
    InvitationKind,
    InvitationSource,
    Meeting,
    MeetingStatus,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.services._common import check_texts, lock_meeting
from outbox.engine import queue_sends
from outbox.services import notification_queue

# The notification kind of a place given from the waiting list (built in meetings/emails.py).
WAITLIST_PROMOTION = "meetings.waitlist_promotion"

NOTE_MAX_LENGTH = 1000


def seats_taken(meeting: Meeting) -> int:
    return Rsvp.objects.filter(meeting=meeting, response=meeting.seat_response, waitlisted=False).count()


def rsvp_closed_reason(meeting: Meeting) -> str | None:
    """Why nobody can answer now, or None when answers are accepted."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("This meeting has been cancelled; registrations are closed.")
    if meeting.status == MeetingStatus.HELD or meeting.ends_at <= timezone.now():
        return _("This meeting is over; registrations are closed.")
    if meeting.status != MeetingStatus.SCHEDULED:
        return _("Registration for this meeting has not opened yet.")
    return None


def waitlist_promote(meeting: Meeting) -> list[Rsvp]:
    """Gives free places to the people waiting, first come first served, and tells each by e-mail.

    The caller holds the meeting row lock.
    """
    promoted = []
    waiting = Rsvp.objects.filter(meeting=meeting, waitlisted=True).order_by("waitlisted_at", "pk")
    if meeting.capacity is not None:
        free = meeting.capacity - seats_taken(meeting)
        if free <= 0:
            return promoted
        waiting = waiting[:free]
    for rsvp in waiting:
        rsvp.waitlisted = False
        rsvp.waitlisted_at = None
        rsvp.save(update_fields=["waitlisted", "waitlisted_at"])
        promoted.append(rsvp)
        notification_queue(kind=WAITLIST_PROMOTION, object_id=rsvp.pk, recipients=[rsvp.invitation])
    return promoted


def _record(meeting: Meeting, invitation: Invitation, *, response: str, note: str, user: User | None) -> Rsvp:
    reason = rsvp_closed_reason(meeting)
    if reason:
        raise ValidationError(reason)
    if response not in meeting.allowed_responses():
        raise ValidationError({"response": _("Choose one of the answers offered for this meeting.")})
    check_texts(lines={"note": note})
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep the note under %(count)d characters.") % {"count": NOTE_MAX_LENGTH}}
        )
    now = timezone.now()
    existing = Rsvp.objects.filter(invitation=invitation).first()
    if (
        meeting.rsvp_deadline
        and now > meeting.rsvp_deadline
        and response != RsvpResponse.NOT_ATTENDING
        and not (existing and existing.response == response)
    ):
        raise ValidationError(
            _("The registration deadline has passed. You can still tell that you will not attend.")
        )
    seat = meeting.seat_response
    held_seat = existing is not None and existing.response == seat and not existing.waitlisted
    rsvp = existing or Rsvp(meeting=meeting, invitation=invitation)
    if response != seat:
        rsvp.waitlisted, rsvp.waitlisted_at = False, None
    elif held_seat or (existing and existing.waitlisted and existing.response == seat):
        pass  # keeps their seat, or their place in the queue
    elif meeting.capacity is not None and seats_taken(meeting) >= meeting.capacity:
        rsvp.waitlisted, rsvp.waitlisted_at = True, now
    else:
        rsvp.waitlisted, rsvp.waitlisted_at = False, None
    rsvp.response = response
    rsvp.note = note
    rsvp.responded_at = now
    rsvp.save()
    if user is not None and invitation.user_id is None:
        # Someone invited by address answered while signed in: the invitation is theirs from now on.
        invitation.user = user
        invitation.save(update_fields=["user"])
    if held_seat and not (rsvp.response == seat and not rsvp.waitlisted):
        waitlist_promote(meeting)
    return rsvp


@transaction.atomic
def rsvp_record(*, invitation: Invitation, response: str, note: str = "", user: User | None = None) -> Rsvp:
    """Records an invitee's answer (from the one-click link or the browser).

    Past the capacity the person goes to the waiting list; giving up a seat hands it to the first
    person waiting, who is told by e-mail. Refused with a clear message when the meeting is
    cancelled or over, or the deadline has passed; nothing is changed then.
    """
    meeting = lock_meeting(invitation.meeting_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    return _record(meeting, invitation, response=response, note=note, user=user)


@transaction.atomic
def rsvp_record_for_user(*, user: User, meeting: Meeting, response: str, note: str = "") -> Rsvp:
    """A signed-in person answers in the browser. On an open forum, someone not invited registers
    themselves: they get an invitation of their own (and its calendar file by e-mail)."""
    meeting = lock_meeting(meeting.pk)
    if not user.has_perm("meetings.rsvp", meeting):
        raise PermissionDenied
    reason = rsvp_closed_reason(meeting)
    if reason:
        raise ValidationError(reason)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(meeting=meeting)
        .filter(Q(user=user) | Q(user__isnull=True, email__in=verified_addresses_query(user)))
        .order_by(F("user_id").asc(nulls_last=True))
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            meeting=meeting, user=user, email=user.email, name=user.full_name, language=user.language,
            source=InvitationSource.SELF, kind=InvitationKind.INVITE, delivery_status=OutboxStatus.QUEUED,
            queued_at=timezone.now(),
        )
        queue_sends(Invitation, [invitation.pk])
    return _record(meeting, invitation, response=response, note=note, user=user)
