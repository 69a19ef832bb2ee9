"""The reply mailbox against a real IMAP server (Dovecot, started by the test on a local port):
a reply delivered to the mailbox is recorded within one poll and moved aside; a duplicate is
recorded once, a refusal moved to the rejected folder; a server that is down or a connection
dropped mid-poll loses nothing, and the next poll finishes the work."""

import logging
import threading

import pytest
from django.db import connection

from kumppanuus.testing.imap import CuttingProxy, DovecotServer
from meetings.models import CalendarReply, CalendarReplyOutcome, Rsvp, RsvpResponse
from meetings.services import rsvp_record
from meetings.services.reply_mailbox import mailbox_config, reply_mailbox_poll
from meetings.tasks import poll_reply_mailbox_task
from meetings.tests.factories import InvitationFactory
from meetings.tests.itip_messages import reply_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def dovecot():
    server = DovecotServer().start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def invitation(meeting, settings, representative, dovecot):
    settings.CALENDAR_REPLY_ADDRESS = "kokoukset@county.fi"
    settings.CALENDAR_REPLY_IMAP_URL = dovecot.url
    return InvitationFactory(meeting=meeting, user=representative, email=representative.email)


def _answer(invitation):
    return Rsvp.objects.filter(invitation=invitation).values_list("response", flat=True).first()


def test_the_url_names_server_folder_and_folders_aside():
    config = mailbox_config("imaps://kokoukset%40county.fi:p%C3%A4ss%2F@outlook.office365.com/Saapuneet?rejected=Hyl")
    assert (config.secure, config.host, config.port) == (True, "outlook.office365.com", 993)
    assert (config.user, config.password, config.folder) == ("kokoukset@county.fi", "päss/", "Saapuneet")
    assert (config.processed, config.rejected) == ("Processed", "Hyl")


def test_unconfigured_the_poll_does_nothing(settings):
    settings.CALENDAR_REPLY_IMAP_URL = ""
    assert poll_reply_mailbox_task() == {
        "seen": 0, "recorded": 0, "rejected": 0, "duplicates": 0, "moved": 0, "error": "", "busy": False,
    }


def test_a_reply_is_recorded_within_one_poll_and_moved(invitation, dovecot):
    dovecot.deliver(reply_message("outlook", invitation, partstat="ACCEPTED"))
    dovecot.deliver(reply_message("gmail", InvitationFactory(meeting=invitation.meeting), partstat="DECLINED"))

    result = poll_reply_mailbox_task()

    assert result == {
        "seen": 2, "recorded": 2, "rejected": 0, "duplicates": 0, "moved": 2, "error": "", "busy": False,
    }
    assert _answer(invitation) == RsvpResponse.ATTENDING_IN_PERSON
    assert dovecot.messages("INBOX") == []
    assert len(dovecot.messages("Processed")) == 2
    assert reply_mailbox_poll().seen == 0  # nothing left to do


def test_the_same_message_delivered_twice_is_recorded_once(invitation, dovecot):
    raw = reply_message("thunderbird", invitation, message_id="twice@thunderbird.example")
    dovecot.deliver(raw)
    assert reply_mailbox_poll().recorded == 1
    rsvp_record(invitation=invitation, response=RsvpResponse.MAYBE)  # changed on the web since
    dovecot.deliver(raw)  # delivered again (a retrying mail server)

    result = reply_mailbox_poll()

    assert (result.recorded, result.duplicates, result.moved) == (0, 1, 1)
    assert _answer(invitation) == RsvpResponse.MAYBE
    assert CalendarReply.objects.count() == 1
    assert len(dovecot.messages("Processed")) == 2 and dovecot.messages("INBOX") == []


def test_a_refused_message_is_moved_aside_with_its_reason_and_changes_nothing(invitation, dovecot, caplog):
    dovecot.deliver(reply_message("apple", invitation, attendee="mallory@example.org"))
    dovecot.deliver(b"From: spam@example.org\r\nSubject: Hello\r\n\r\nNot a calendar reply.\r\n")

    with caplog.at_level(logging.WARNING):
        result = reply_mailbox_poll()

    assert (result.recorded, result.rejected, result.moved) == (0, 2, 2)
    assert sorted(result.reasons) == ["malformed", "wrong-attendee"]
    assert "wrong-attendee" in caplog.text and "malformed" in caplog.text
    assert not Rsvp.objects.exists()
    assert dovecot.messages("INBOX") == [] and len(dovecot.messages("Rejected")) == 2
    assert set(CalendarReply.objects.values_list("outcome", flat=True)) == {CalendarReplyOutcome.REJECTED}


def test_a_server_that_is_down_is_logged_and_the_next_poll_works(invitation, dovecot, caplog):
    dovecot.deliver(reply_message("gmail", invitation))
    dovecot.stop()

    with caplog.at_level(logging.WARNING):
        result = poll_reply_mailbox_task()

    assert result["error"] and result["seen"] == 0
    assert "reply mailbox" in caplog.text
    assert _answer(invitation) is None

    dovecot.start()  # the same port, the same mail
    assert poll_reply_mailbox_task()["recorded"] == 1
    assert _answer(invitation) == RsvpResponse.ATTENDING_IN_PERSON
    assert dovecot.messages("INBOX") == []


@pytest.mark.parametrize(
    ("cut_on", "recorded_before_the_cut"),
    [
        (b"UID FETCH", 0),  # dropped while fetching: nothing recorded yet
        (b"UID MOVE", 1),  # dropped after the answer was stored, before the message was moved
    ],
)
def test_a_connection_dropped_mid_poll_loses_nothing_and_applies_nothing_twice(
    invitation, dovecot, settings, cut_on, recorded_before_the_cut
):
    dovecot.deliver(reply_message("outlook", invitation, partstat="TENTATIVE"))
    proxy = CuttingProxy(dovecot.port, cut_on=cut_on)
    try:
        result = reply_mailbox_poll(dovecot.url.replace(f":{dovecot.port}/", f":{proxy.port}/"))
    finally:
        proxy.close()
    assert proxy.cut.is_set()
    assert result.error and result.moved == 0
    assert result.recorded == recorded_before_the_cut
    assert len(dovecot.messages("INBOX")) == 1  # still there: never deleted before its answer is stored

    again = reply_mailbox_poll()

    assert again.moved == 1 and not again.error
    assert (again.recorded, again.duplicates) == (1 - recorded_before_the_cut, recorded_before_the_cut)
    assert _answer(invitation) == RsvpResponse.MAYBE
    assert CalendarReply.objects.filter(outcome=CalendarReplyOutcome.RECORDED).count() == 1
    assert dovecot.messages("INBOX") == [] and len(dovecot.messages("Processed")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_polling_at_once_record_each_message_once(invitation, dovecot):
    for other in [invitation, *(InvitationFactory(meeting=invitation.meeting) for _ in range(4))]:
        dovecot.deliver(reply_message("gmail", other))
    results = []

    def poll():
        try:
            results.append(reply_mailbox_poll())
        finally:
            connection.close()

    workers = [threading.Thread(target=poll) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sum(result.recorded for result in results) == 5
    assert CalendarReply.objects.filter(outcome=CalendarReplyOutcome.RECORDED).count() == 5
    assert Rsvp.objects.count() == 5
    assert dovecot.messages("INBOX") == [] and len(dovecot.messages("Processed")) == 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_message_record_it_once(invitation):
    """Without the poll's lock (another cache, an expired lock): the unique message record, written
    in the answer's transaction, makes the second wait for the first and then find it done."""
    raw = reply_message("apple", invitation, partstat="DECLINED", message_id="both@apple.example")
    outcomes, start = [], threading.Barrier(2)

    def process():
        from meetings.services.itip import calendar_reply_process

        try:
            start.wait(timeout=10)
            outcomes.append(calendar_reply_process(raw))
        finally:
            connection.close()

    workers = [threading.Thread(target=process) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted((o.recorded, o.duplicate) for o in outcomes) == [(False, True), (True, False)]
    assert CalendarReply.objects.count() == 1
    assert _answer(invitation) == RsvpResponse.NOT_ATTENDING


def test_over_tls_the_certificate_is_checked(invitation, settings, caplog):
    server = DovecotServer(tls=True).start()
    try:
        server.deliver(reply_message("thunderbird", invitation))
        with caplog.at_level(logging.WARNING):
            refused = reply_mailbox_poll(server.tls_url)  # self-signed: not trusted by the system's CAs
        assert "CERTIFICATE_VERIFY_FAILED" in refused.error and refused.seen == 0
        assert _answer(invitation) is None

        trusted = reply_mailbox_poll(f"{server.tls_url}?cafile={server.cafile}")

        assert (trusted.recorded, trusted.moved, trusted.error) == (1, 1, "")
        assert _answer(invitation) == RsvpResponse.ATTENDING_IN_PERSON
    finally:
        server.remove()
