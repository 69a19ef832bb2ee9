"""Examples of the meetings' notification kinds (outbox/tests/notification_examples.py)."""

from accounts.tests.factories import UserFactory
from meetings.models import InvitationRequest, InvitationRequestStatus
from meetings.services.agenda import AGENDA_UPDATE
from meetings.services.meetings import INVITATION_REQUEST, INVITATION_REQUEST_DECLINED
from meetings.services.rsvp import WAITLIST_PROMOTION
from meetings.tests.factories import InvitationFactory, MeetingFactory, RsvpFactory
from outbox.tests.notification_examples import example


def _people():
    return [UserFactory(), UserFactory()]


@example(WAITLIST_PROMOTION)
def waitlist_promotion():
    # The message is the invitee's own (to their invitation's address, in its language): the
    # invitation is the recipient.
    rsvp = RsvpFactory()
    return rsvp.pk, [rsvp.invitation]


@example(INVITATION_REQUEST)
def invitation_request():
    request = InvitationRequest.objects.create(
        meeting=MeetingFactory(), user=UserFactory(), status=InvitationRequestStatus.REQUESTED,
    )
    return request.pk, _people()


@example(INVITATION_REQUEST_DECLINED)
def invitation_request_declined():
    request = InvitationRequest.objects.create(
        meeting=MeetingFactory(), user=UserFactory(), status=InvitationRequestStatus.DECLINED,
    )
    return request.pk, [request.user]


@example(AGENDA_UPDATE)
def agenda_update():
    meeting = MeetingFactory()
    people = _people()
    for person in people:
        InvitationFactory(meeting=meeting, user=person)
    return meeting.pk, people
