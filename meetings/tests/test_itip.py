"""Answers from calendar programs (iTIP REPLY, RFC 5546): the invitation's .ics asks for them when a
reply mailbox is configured, and a reply from Outlook, Gmail, Thunderbird or Apple Calendar is
recorded through the web's RSVP service, or refused with a reason and no change."""

import datetime
import logging

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from meetings.itip import MalformedReply, parse_reply
from meetings.models import CalendarReply, CalendarReplyOutcome, MeetingFormat, MeetingStatus, Rsvp, RsvpResponse
from meetings.services import meeting_cancel, meeting_schedule, meeting_update, rsvp_record
from meetings.services.itip import calendar_reply_process
from meetings.tests.factories import InvitationFactory, MeetingFactory, RsvpFactory
from meetings.tests.itip_messages import CLIENTS, reply_message
from meetings.tokens import (
    InvalidReplyToken,
    reply_address,
    reply_token,
    reply_token_of_address,
    reply_token_read,
)

pytestmark = pytest.mark.django_db

MAILBOX = "kokoukset@county.fi"


@pytest.fixture
def mailbox(settings):
    settings.CALENDAR_REPLY_ADDRESS = MAILBOX
    return MAILBOX


@pytest.fixture
def invitation(meeting, mailbox, representative):
    return InvitationFactory(meeting=meeting, user=representative, email=representative.email)


def _event(message) -> icalendar.Event:
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).events
    return event


# --- The token and the sub-address ----------------------------------------------------------


def test_the_token_names_the_invitation_and_cannot_be_forged(mailbox):
    token = reply_token(42)
    assert reply_token_read(token) == 42
    assert reply_token_read(token.upper()) == 42  # a mail server may change the case
    assert token == token.lower() and len(f"kokoukset+{token}") <= 64
    forged = f"i43-{token.split('-', 1)[1]}"
    for bad in (forged, token[:-1] + ("a" if token[-1] != "a" else "b"), "i42", "", "garbage-token"):
        with pytest.raises(InvalidReplyToken):
            reply_token_read(bad)
    address = reply_address(42)
    assert address == f"kokoukset+{token}@county.fi"
    assert reply_token_of_address(f"MAILTO:{address.upper()}") == token
    assert reply_token_of_address("kokoukset@county.fi") is None
    assert reply_token_of_address(f"other+{token}@county.fi") is None
    assert reply_token_of_address(f"kokoukset+{token}@elsewhere.fi") is None


def test_a_token_signed_with_a_retired_key_still_reads(mailbox, settings):
    token = reply_token(7)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert reply_token_read(token) == 7
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(InvalidReplyToken):
        reply_token_read(token)


# --- The invitation's .ics ------------------------------------------------------------------


def test_without_a_reply_mailbox_nothing_changes(
    meeting, representative, coordinator, django_capture_on_commit_callbacks
):
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(actor=coordinator, meeting=meeting)
    event = _event(mail.outbox[0])
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert str(event["ORGANIZER"]) == f"mailto:{coordinator.email}"


def test_with_a_reply_mailbox_the_invitation_asks_for_an_answer_at_its_own_sub_address(
    meeting, representative, coordinator, mailbox, django_capture_on_commit_callbacks
):
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(actor=coordinator, meeting=meeting)
    [message] = mail.outbox
    event = _event(message)
    invitation = meeting.invitations.get()
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert str(event["ATTENDEE"]) == f"mailto:{representative.email}"
    assert str(event["ORGANIZER"]) == f"mailto:{reply_address(invitation.pk)}"
    assert event["ORGANIZER"].params["CN"] == str(coordinator)
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_payload(decode=True).count(b"\r\nORGANIZER") == 1  # the coordinator's is replaced
    # The coordinator stays the contact: replies to the e-mail go to them.
    assert message.reply_to == [coordinator.email]

    # The same ORGANIZER for the person in the update and the cancellation.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=coordinator, meeting=meeting, data={"title": "Siirretty kokous"})
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=coordinator, meeting=meeting)
    update, cancel = _event(mail.outbox[1]), _event(mail.outbox[2])
    assert str(update["ORGANIZER"]) == str(cancel["ORGANIZER"]) == str(event["ORGANIZER"])
    assert update["UID"] == cancel["UID"] == event["UID"]


def test_two_invitees_get_different_organizer_addresses(meeting, mailbox):
    first, second = InvitationFactory(meeting=meeting), InvitationFactory(meeting=meeting)
    assert reply_address(first.pk) != reply_address(second.pk)


# --- Parsing the clients' replies -------------------------------------------------------------


@pytest.mark.parametrize("program", CLIENTS)
def test_each_clients_reply_is_read(program, invitation):
    reply = parse_reply(reply_message(program, invitation, partstat="TENTATIVE"))
    assert reply.uid == f"{invitation.meeting.uid}@kumppanuus"
    assert reply.attendee({invitation.email.lower()}).partstat == "TENTATIVE"
    assert reply.dtstamp is not None
    if program == "outlook":
        assert reply.organizer == ""  # Outlook leaves it out; the To address names the invitation
    else:
        assert reply.organizer == reply_address(invitation.pk).lower()
    assert reply_address(invitation.pk).lower() in reply.recipients


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"From: a@example.org\r\nSubject: hello\r\n\r\nJust text.\r\n",
        b"Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
        b"Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n",
        b"Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n",
        b"Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
        b"UID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
)
def test_a_message_without_a_readable_reply_is_malformed(raw):
    with pytest.raises(MalformedReply):
        parse_reply(raw)


# --- Recording ------------------------------------------------------------------------------


@pytest.mark.parametrize("program", CLIENTS)
@pytest.mark.parametrize(
    ("partstat", "response"),
    [
        ("ACCEPTED", RsvpResponse.ATTENDING_IN_PERSON),
        ("TENTATIVE", RsvpResponse.MAYBE),
        ("DECLINED", RsvpResponse.NOT_ATTENDING),
    ],
)
def test_each_clients_answer_is_recorded(program, partstat, response, invitation):
    outcome = calendar_reply_process(reply_message(program, invitation, partstat=partstat))
    assert outcome.recorded, outcome.reason
    rsvp = Rsvp.objects.get(invitation=invitation)
    assert rsvp.response == response
    row = CalendarReply.objects.get()
    assert (row.outcome, row.invitation, row.response) == (CalendarReplyOutcome.RECORDED, invitation, response)


def test_the_attendee_address_matches_whatever_its_case(invitation):
    raw = reply_message("outlook", invitation, attendee=invitation.email.upper())
    assert calendar_reply_process(raw).recorded


def test_accepting_a_hybrid_meeting_keeps_the_way_chosen_last(invitation):
    assert invitation.meeting.format == MeetingFormat.HYBRID
    rsvp_record(invitation=invitation, response=RsvpResponse.ATTENDING_ONLINE, note="Kuulolaite")
    rsvp_record(invitation=invitation, response=RsvpResponse.ATTENDING_ONLINE, note="Kuulolaite")
    assert calendar_reply_process(reply_message("gmail", invitation)).recorded
    rsvp = Rsvp.objects.get(invitation=invitation)
    assert (rsvp.response, rsvp.note) == (RsvpResponse.ATTENDING_ONLINE, "Kuulolaite")


def test_accepting_an_online_meeting_is_attending_online(mailbox, representative):
    meeting = MeetingFactory(format=MeetingFormat.ONLINE, online_link="https://meet.example.org/x")
    invitation = InvitationFactory(meeting=meeting, user=representative, email=representative.email)
    assert calendar_reply_process(reply_message("thunderbird", invitation)).recorded
    assert Rsvp.objects.get(invitation=invitation).response == RsvpResponse.ATTENDING_ONLINE


def test_accepting_a_full_meeting_puts_the_person_on_the_waiting_list(invitation):
    meeting = invitation.meeting
    meeting.capacity = 1
    meeting.save()
    RsvpFactory(invitation=InvitationFactory(meeting=meeting), response=RsvpResponse.ATTENDING_IN_PERSON)
    assert calendar_reply_process(reply_message("outlook", invitation)).recorded
    rsvp = Rsvp.objects.get(invitation=invitation)
    assert rsvp.response == RsvpResponse.ATTENDING_IN_PERSON and rsvp.waitlisted


def test_declining_hands_the_seat_to_the_first_waiting(invitation, django_capture_on_commit_callbacks):
    meeting = invitation.meeting
    meeting.capacity = 1
    meeting.save()
    rsvp_record(invitation=invitation, response=RsvpResponse.ATTENDING_IN_PERSON)
    waiting = InvitationFactory(meeting=meeting)
    rsvp_record(invitation=waiting, response=RsvpResponse.ATTENDING_IN_PERSON)
    assert Rsvp.objects.get(invitation=waiting).waitlisted
    assert calendar_reply_process(reply_message("apple", invitation, partstat="DECLINED")).recorded
    assert not Rsvp.objects.get(invitation=waiting).waitlisted


def test_the_same_message_twice_is_recorded_once(invitation):
    raw = reply_message("gmail", invitation, message_id="same@gmail.example")
    assert calendar_reply_process(raw).recorded
    rsvp_record(invitation=invitation, response=RsvpResponse.NOT_ATTENDING)  # changed on the web since
    again = calendar_reply_process(raw)
    assert again.duplicate and not again.recorded
    assert Rsvp.objects.get(invitation=invitation).response == RsvpResponse.NOT_ATTENDING
    assert CalendarReply.objects.count() == 1


def test_a_reply_written_before_the_answer_on_record_changes_nothing(invitation):
    rsvp_record(invitation=invitation, response=RsvpResponse.NOT_ATTENDING)
    earlier = timezone.now() - datetime.timedelta(hours=1)
    outcome = calendar_reply_process(reply_message("thunderbird", invitation, dtstamp=earlier))
    assert (outcome.recorded, outcome.reason) == (False, "stale")
    assert Rsvp.objects.get(invitation=invitation).response == RsvpResponse.NOT_ATTENDING


def test_a_later_reply_replaces_an_answer_given_on_the_web(invitation):
    rsvp_record(invitation=invitation, response=RsvpResponse.NOT_ATTENDING)
    later = timezone.now() + datetime.timedelta(seconds=5)
    assert calendar_reply_process(reply_message("thunderbird", invitation, dtstamp=later)).recorded
    assert Rsvp.objects.get(invitation=invitation).response == RsvpResponse.ATTENDING_IN_PERSON


# --- Refusals: each changes nothing and says why --------------------------------------------------


def _refused(raw, reason, caplog, invitation=None):
    with caplog.at_level(logging.WARNING, logger="meetings.services.itip"):
        outcome = calendar_reply_process(raw)
    assert (outcome.recorded, outcome.reason) == (False, reason)
    assert not Rsvp.objects.exists()
    row = CalendarReply.objects.get()
    assert (row.outcome, row.reason) == (CalendarReplyOutcome.REJECTED, reason)
    assert reason in caplog.text
    return outcome


def test_refused_without_a_token(invitation, caplog):
    _refused(reply_message("outlook", invitation, to="kokoukset@county.fi"), "no-token", caplog)


def test_refused_with_a_forged_token(invitation, caplog):
    token = reply_token(invitation.pk)
    forged = f"kokoukset+i{invitation.pk}-{'a' * (len(token.split('-', 1)[1]))}@county.fi"
    _refused(reply_message("gmail", invitation, to=forged), "bad-signature", caplog)


def test_refused_for_an_invitation_that_no_longer_exists(invitation, caplog):
    raw = reply_message("thunderbird", invitation)
    invitation.delete()
    _refused(raw, "unknown-invitation", caplog)


def test_refused_for_another_event(invitation, caplog):
    _refused(reply_message("apple", invitation, uid="someone-elses@example.org"), "wrong-event", caplog)


def test_refused_from_another_attendee(invitation, caplog):
    _refused(reply_message("outlook", invitation, attendee="mallory@example.org"), "wrong-attendee", caplog)


def test_refused_for_a_cancelled_meeting(invitation, caplog):
    invitation.meeting.status = MeetingStatus.CANCELLED
    invitation.meeting.save()
    _refused(reply_message("gmail", invitation), "cancelled", caplog)


def test_refused_for_a_past_meeting(invitation, caplog):
    meeting = invitation.meeting
    meeting.starts_at = timezone.now() - datetime.timedelta(days=2)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    meeting.save()
    _refused(reply_message("thunderbird", invitation), "past", caplog)


def test_refused_for_an_answer_that_is_none_of_the_three(invitation, caplog):
    _refused(reply_message("apple", invitation, partstat="DELEGATED"), "unknown-answer", caplog)


def test_refused_past_the_deadline_as_the_web_refuses(invitation, caplog):
    invitation.meeting.rsvp_deadline = timezone.now() - datetime.timedelta(hours=1)
    invitation.meeting.save()
    _refused(reply_message("outlook", invitation), "refused", caplog)


def test_refused_when_malformed(mailbox, caplog):
    _refused(b"From: a@example.org\r\nMessage-ID: <x@y>\r\n\r\nNo calendar here.\r\n", "malformed", caplog)


def test_the_system_check_wants_both_settings_or_neither(settings):
    from kumppanuus.checks import calendar_reply_mailbox

    settings.CALENDAR_REPLY_ADDRESS, settings.CALENDAR_REPLY_IMAP_URL = "", ""
    assert calendar_reply_mailbox(None) == []
    settings.CALENDAR_REPLY_ADDRESS = MAILBOX
    assert [p.id for p in calendar_reply_mailbox(None)] == ["kumppanuus.W010"]
    settings.CALENDAR_REPLY_IMAP_URL = "imaps://kokoukset:x@imap.county.fi/INBOX"
    assert calendar_reply_mailbox(None) == []
    settings.CALENDAR_REPLY_ADDRESS = "kokoukset+x@county.fi"
    assert [p.id for p in calendar_reply_mailbox(None)] == ["kumppanuus.E010"]
    settings.CALENDAR_REPLY_ADDRESS = ""
    assert [p.id for p in calendar_reply_mailbox(None)] == ["kumppanuus.W011"]
