"""RSVPs: answers, capacity, the waiting list, open forums, and concurrent answers for the last seats."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    Invitation,
    InvitationSource,
    MeetingFormat,
    MeetingStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.services import meeting_update, rsvp_record, rsvp_record_for_user, seats_taken
from meetings.tests.factories import InvitationFactory, MeetingFactory, RsvpFactory
from tables.models import TableAccess
from tables.tests.factories import PartnershipTableFactory

pytestmark = pytest.mark.django_db

IN_PERSON = RsvpResponse.ATTENDING_IN_PERSON


@pytest.fixture
def full_meeting(meeting):
    """Capacity two; two invitations already hold the seats."""
    meeting.capacity = 2
    meeting.save()
    for _ in range(2):
        RsvpFactory(invitation=InvitationFactory(meeting=meeting), response=IN_PERSON)
    return meeting


def test_an_answer_is_recorded_and_can_be_changed(meeting):
    invitation = InvitationFactory(meeting=meeting)
    rsvp = rsvp_record(invitation=invitation, response=IN_PERSON, note="Pyörätuoli")
    assert rsvp.response == IN_PERSON
    assert rsvp.note == "Pyörätuoli"
    assert not rsvp.waitlisted

    rsvp = rsvp_record(invitation=invitation, response=RsvpResponse.MAYBE)
    assert Rsvp.objects.get().response == RsvpResponse.MAYBE
    assert rsvp.note == ""


def test_an_answer_must_fit_the_meetings_format(table):
    meeting = MeetingFactory(table=table, format=MeetingFormat.IN_PERSON)
    invitation = InvitationFactory(meeting=meeting)
    with pytest.raises(ValidationError) as error:
        rsvp_record(invitation=invitation, response=RsvpResponse.ATTENDING_ONLINE)
    assert error.value.message_dict == {"response": ["Choose one of the answers offered for this meeting."]}
    meeting.format, meeting.online_link = MeetingFormat.HYBRID, "https://meet.example.org/x"
    meeting.save()
    assert rsvp_record(invitation=invitation, response=RsvpResponse.ATTENDING_ONLINE).response == "online"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": MeetingStatus.CANCELLED}, "This meeting has been cancelled; registrations are closed."),
        ({"status": MeetingStatus.HELD}, "This meeting is over; registrations are closed."),
        ({"status": MeetingStatus.DRAFT}, "Registration for this meeting has not opened yet."),
        (
            {
                "starts_at": timezone.now() - datetime.timedelta(hours=3),
                "ends_at": timezone.now() - datetime.timedelta(hours=1),
            },
            "This meeting is over; registrations are closed.",
        ),
    ],
)
def test_no_answers_to_a_closed_meeting(change, message):
    meeting = MeetingFactory(**change)
    invitation = InvitationFactory(meeting=meeting)
    with pytest.raises(ValidationError) as error:
        rsvp_record(invitation=invitation, response=IN_PERSON)
    assert error.value.messages == [message]
    assert not Rsvp.objects.exists()


def test_after_the_deadline_one_can_still_decline(meeting):
    meeting.rsvp_deadline = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()
    invitation = InvitationFactory(meeting=meeting)
    with pytest.raises(ValidationError):
        rsvp_record(invitation=invitation, response=IN_PERSON)
    assert rsvp_record(invitation=invitation, response=RsvpResponse.NOT_ATTENDING).response == "no"


def test_past_capacity_people_wait_and_a_cancellation_promotes_the_first(
    full_meeting, django_capture_on_commit_callbacks
):
    first_waiting = InvitationFactory(meeting=full_meeting, user__language="en", user__email="first@example.org")
    second_waiting = InvitationFactory(meeting=full_meeting, user__email="second@example.org")
    assert rsvp_record(invitation=first_waiting, response=IN_PERSON).waitlisted
    assert rsvp_record(invitation=second_waiting, response=IN_PERSON).waitlisted
    # Answering "maybe" takes no seat, so it is never waitlisted.
    assert not rsvp_record(invitation=InvitationFactory(meeting=full_meeting), response=RsvpResponse.MAYBE).waitlisted
    assert seats_taken(full_meeting) == 2

    seated = Rsvp.objects.filter(meeting=full_meeting, waitlisted=False, response=IN_PERSON).first()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_record(invitation=seated.invitation, response=RsvpResponse.NOT_ATTENDING)

    assert not Rsvp.objects.get(invitation=first_waiting).waitlisted
    assert Rsvp.objects.get(invitation=second_waiting).waitlisted
    assert seats_taken(full_meeting) == 2
    [message] = mail.outbox
    assert message.to == ["first@example.org"]
    assert "You got a place" in message.subject


def test_a_person_keeps_their_seat_or_queue_place_when_changing_only_the_note(full_meeting):
    waiting = InvitationFactory(meeting=full_meeting)
    first = rsvp_record(invitation=waiting, response=IN_PERSON)
    again = rsvp_record(invitation=waiting, response=IN_PERSON, note="Gluteeniton")
    assert again.waitlisted and again.waitlisted_at == first.waitlisted_at


def test_leaving_the_waiting_list_promotes_nobody(full_meeting):
    waiting = InvitationFactory(meeting=full_meeting)
    rsvp_record(invitation=waiting, response=IN_PERSON)
    rsvp_record(invitation=waiting, response=RsvpResponse.NOT_ATTENDING)
    assert not Rsvp.objects.filter(waitlisted=True).exists()
    assert seats_taken(full_meeting) == 2
    assert mail.outbox == []


def test_raising_the_capacity_lets_people_off_the_waiting_list(
    full_meeting, coordinator, django_capture_on_commit_callbacks
):
    waiting = [InvitationFactory(meeting=full_meeting) for _ in range(3)]
    for invitation in waiting:
        rsvp_record(invitation=invitation, response=IN_PERSON)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=coordinator, meeting=full_meeting, data={"capacity": 4})
    assert [Rsvp.objects.get(invitation=i).waitlisted for i in waiting] == [False, False, True]
    assert len(mail.outbox) == 2


def test_online_answers_do_not_use_the_rooms_places(full_meeting):
    full_meeting.format, full_meeting.online_link = MeetingFormat.HYBRID, "https://meet.example.org/x"
    full_meeting.save()
    assert not rsvp_record(invitation=InvitationFactory(meeting=full_meeting), response="online").waitlisted


def test_an_open_forum_lets_anyone_signed_in_register(meeting, outsider, django_capture_on_commit_callbacks):
    meeting.table.access = TableAccess.OPEN_FORUM
    meeting.table.is_public = True
    meeting.table.save()

    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_record_for_user(user=outsider, meeting=meeting, response=IN_PERSON)

    invitation = Invitation.objects.get(meeting=meeting, user=outsider)
    assert invitation.source == InvitationSource.SELF
    assert rsvp.invitation == invitation
    # They get the invitation with its calendar file too, so the meeting lands in their calendar.
    assert [message.to for message in mail.outbox] == [[outsider.email]]


def test_a_note_with_control_characters_is_refused(meeting, representative):
    """PostgreSQL refuses a NUL: the service says so on the field instead of failing with a 500."""
    invitation = InvitationFactory(meeting=meeting, user=representative)
    for note in ("Pyörätuoli\x00", "Tulen\x1b[31m"):
        with pytest.raises(ValidationError) as error:
            rsvp_record(invitation=invitation, response=IN_PERSON, note=note)
        assert list(error.value.message_dict) == ["note"]
    assert not Rsvp.objects.filter(invitation=invitation).exists()
    assert rsvp_record(invitation=invitation, response=IN_PERSON, note="Pyörätuoli\nja avustaja").note


def test_a_hidden_open_forum_refuses_people_who_cannot_see_its_table(meeting, outsider, member):
    """Not public, open forum: open to the people who see the table, not to everyone signed in."""
    meeting.table.access = TableAccess.OPEN_FORUM
    meeting.table.save()
    with pytest.raises(PermissionDenied):
        rsvp_record_for_user(user=outsider, meeting=meeting, response=IN_PERSON)
    assert not Invitation.objects.filter(user=outsider).exists()
    # A member of a standing organisation sees the table and registers.
    assert rsvp_record_for_user(user=member, meeting=meeting, response=IN_PERSON).invitation.user == member


def test_a_members_only_meeting_refuses_people_not_invited(meeting, outsider):
    with pytest.raises(PermissionDenied):
        rsvp_record_for_user(user=outsider, meeting=meeting, response=IN_PERSON)
    assert not Invitation.objects.filter(user=outsider).exists()


def test_someone_invited_by_address_is_linked_to_their_account_when_they_answer(meeting):
    invitation = InvitationFactory(meeting=meeting, user=None, email="later@example.org")
    person = UserFactory(email="later@example.org")
    rsvp_record_for_user(user=person, meeting=meeting, response=IN_PERSON)
    invitation.refresh_from_db()
    assert invitation.user == person
    assert Invitation.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_for_the_last_seats_never_overfill_the_meeting():
    """Twelve people answer at the same moment for the last three seats: exactly three get them."""
    meeting = MeetingFactory(table=PartnershipTableFactory(), capacity=5)
    for _ in range(2):
        RsvpFactory(invitation=InvitationFactory(meeting=meeting), response=IN_PERSON)
    invitations = [InvitationFactory(meeting=meeting) for _ in range(12)]
    barrier = threading.Barrier(len(invitations))
    errors = []

    def answer(invitation):
        try:
            barrier.wait(timeout=10)
            rsvp_record(invitation=invitation, response=IN_PERSON)
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(invitation,)) for invitation in invitations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert seats_taken(meeting) == 5
    assert Rsvp.objects.filter(meeting=meeting, waitlisted=True).count() == 9
    # The queue is in the order the answers were recorded.
    queue = list(Rsvp.objects.filter(meeting=meeting, waitlisted=True).order_by("waitlisted_at", "pk"))
    assert len({rsvp.waitlisted_at for rsvp in queue}) == 9
