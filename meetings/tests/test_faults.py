"""Faults, with real services: the broker dies, a worker is killed, the mail server refuses, people
answer all at once, and periodic runs overlap. What each proves is written in docs/faults.md.

The tests start their own processes: a ``redis-server`` on a spare port (so killing it harms no
one else), ``celery -A kumppanuus worker`` processes on it and on the test database, and an SMTP
sink (aiosmtpd) that counts the messages each address receives. Every process is stopped in a
``finally``. The sweeper runs in this process, with short staleness thresholds set the way an
operator would (OUTBOX_REQUEUE_AFTER_SECONDS, OUTBOX_STUCK_AFTER_SECONDS), standing in for beat.
"""

import ast
import datetime
import json
import re
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from kumppanuus.celery import app
from kumppanuus.testing.faults import (
    CeleryWorker,
    RedisServer,
    SmtpServer,
    SmtpSink,
    database_url,
    publishing_to,
    start_rsvp_client,
    wait_for,
)
from meetings.models import (
    Invitation,
    InvitationKind,
    MeetingFormat,
    MeetingReminder,
    MeetingReminderKind,
    MeetingStatus,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.services import meeting_cancel, meeting_reminders_queue_due, meeting_schedule, meeting_update
from meetings.tests.factories import (
    InvitationFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)
from meetings.tokens import rsvp_token
from organisations.services import ELIGIBILITY_DECISION
from organisations.tests.factories import OrganisationFactory
from outbox.engine import outbox_sweep
from outbox.models import Notification
from outbox.services import notification_queue
from tables.tests.factories import PartnershipTableFactory

FANOUT = 1000
# The sweeper's thresholds in these tests: short, so that a test need not wait ten minutes, and
# still far longer than one message takes to send (STYLE.md §5: it must never race a healthy send).
REQUEUE_AFTER = 2
STUCK_AFTER = 4


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def sink():
    return SmtpSink()


@pytest.fixture
def smtp(sink, settings):
    """The sink listening on a spare port; this process's own mail (the sweeper's runs) goes there too."""
    server = SmtpServer(sink).start()
    _use_smtp(settings, server.port)
    try:
        yield server
    finally:
        server.stop()


def _use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


@pytest.fixture
def sweeper_thresholds(settings):
    settings.OUTBOX_REQUEUE_AFTER_SECONDS = REQUEUE_AFTER
    settings.OUTBOX_STUCK_AFTER_SECONDS = STUCK_AFTER


@pytest.fixture
def workers(tmp_path, redis_server):
    """Starts worker processes on the test's Redis and the test database; stops them all at the end."""
    started: list[CeleryWorker] = []

    def start(name: str, *, smtp_port: int, concurrency: int = 2, **env) -> CeleryWorker:
        worker = CeleryWorker(
            name=name, database_url=database_url(connection.settings_dict), redis_url=redis_server.url,
            smtp_port=smtp_port, log_dir=tmp_path, concurrency=concurrency, env={k: str(v) for k, v in env.items()},
        )
        started.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


@pytest.fixture
def publish(redis_server):
    """This process publishes (meeting_schedule's on_commit, the sweeper) to the test's Redis."""
    with publishing_to(app, redis_server.url):
        yield


# --- Helpers --------------------------------------------------------------------------------


def _draft(*, invitees: int, prefix: str = "invitee", **meeting):
    """A draft meeting of a table with a coordinator, and ``invitees`` people to invite by address."""
    table = PartnershipTableFactory()
    coordinator = UserFactory(email=f"coordinator-{table.pk}@example.org")
    table.coordinators.add(coordinator)
    draft = MeetingFactory(
        table=table, status=MeetingStatus.DRAFT, format=MeetingFormat.IN_PERSON,
        starts_at=in_days(9), ends_at=in_days(9, 15), **meeting,
    )
    people = [("", f"{prefix}{index:04d}@example.org") for index in range(invitees)]
    return draft, coordinator, people


class InvitationFanout:
    """A meeting scheduled for ``count`` people invited by address: invitations in the outbox."""

    kind = "Invitation"

    def __init__(self, count: int, prefix: str = "invitee"):
        self.draft, self.coordinator, self.people = _draft(invitees=count, prefix=prefix)
        self.addresses = [address for _name, address in self.people]

    def start(self) -> None:
        meeting_schedule(actor=self.coordinator, meeting=self.draft, extra_people=self.people)

    def rows(self):
        return Invitation.objects.filter(meeting=self.draft)


class NotificationFanout:
    """An organisation's eligibility decision told to ``count`` people: notification rows in the outbox."""

    kind = "Notification"

    def __init__(self, count: int, prefix: str = "person"):
        self.organisation = OrganisationFactory()
        self.addresses = [f"{prefix}{index:04d}@example.org" for index in range(count)]
        self.people = User.objects.bulk_create([User(email=address) for address in self.addresses])

    def start(self) -> None:
        from django.db import transaction

        with transaction.atomic():  # queued on commit, as by organisation_decide_eligibility
            notification_queue(kind=ELIGIBILITY_DECISION, object_id=self.organisation.pk, recipients=self.people)

    def rows(self):
        return Notification.objects.filter(kind=ELIGIBILITY_DECISION, object_id=self.organisation.pk)


FANOUTS = {"invitations": InvitationFanout, "notifications": NotificationFanout}


@pytest.fixture(params=sorted(FANOUTS))
def fanout_kind(request):
    """The fault tests run for the meetings' invitations and for the outbox's own notification rows."""
    return FANOUTS[request.param]


def _sent(fanout) -> int:
    return fanout.rows().filter(delivery_status=OutboxStatus.SENT).count()


def _status_counts(fanout) -> Counter:
    return Counter(fanout.rows().values_list("delivery_status", flat=True))


def _wait_quiet(sink: SmtpSink, *, quiet: float = 2.0, timeout: float = 60) -> None:
    """Until the sink has received nothing new for ``quiet`` seconds."""
    last, since = sink.total, time.monotonic()

    def settled():
        nonlocal last, since
        if sink.total != last:
            last, since = sink.total, time.monotonic()
        return time.monotonic() - since >= quiet

    wait_for(settled, timeout=timeout, what="the SMTP sink to fall quiet")


def _sweep_until_all_sent(fanouts, *, timeout: float = 120, interval: float = 1.0) -> int:
    """Runs the sweeper as beat would (every ``interval`` seconds here) until every row of
    ``fanouts`` is sent; returns how many of their rows it queued again in all."""
    expected = sum(fanout.rows().count() for fanout in fanouts)
    kinds = {fanout.kind for fanout in fanouts}
    swept = 0

    def done():
        nonlocal swept
        if sum(_sent(fanout) for fanout in fanouts) == expected:
            return True
        result = outbox_sweep()
        swept += sum(result[kind] for kind in kinds)
        time.sleep(interval)
        return False

    wait_for(done, timeout=timeout, what="the sweeper and the worker to send every message", interval=0)
    return swept


def _wait_all_held(sink: SmtpSink, *, steady: float = 2.0) -> None:
    """Until at least one conversation is held and nothing has changed for ``steady`` seconds: every
    pool process still sending then waits on RCPT (none is between the server taking a message
    and marking it sent, which takes milliseconds); the others are idle."""
    last, since = (sink.held, sink.total), time.monotonic()

    def steady_state():
        nonlocal last, since
        now = (sink.held, sink.total)
        if now != last:
            last, since = now, time.monotonic()
        return sink.held >= 1 and time.monotonic() - since >= steady

    wait_for(steady_state, timeout=60, what="the pool processes to wait on the SMTP server")


def _redelivered(worker_log: str) -> list[str]:
    """Ids of the tasks the worker received more than once."""
    received = Counter(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] received", worker_log))
    return [task_id for task_id, times in received.items() if times > 1]


def _exactly_once(sink: SmtpSink, addresses) -> None:
    counts = sink.counts()
    missing = sorted(a for a in addresses if counts[a] == 0)
    twice = sorted(a for a, n in counts.items() if n > 1)
    assert not missing, f"{len(missing)} never received their message, e.g. {missing[:5]}"
    assert not twice, f"{len(twice)} received more than one message, e.g. {twice[:5]}"
    assert set(counts) == set(addresses)


# --- 1. The broker dies in the middle of a fan-out -----------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_redis_killed_mid_fanout_every_recipient_gets_exactly_one_message_after_the_restart(
    redis_server, smtp, sink, workers, publish, sweeper_thresholds, fanout_kind
):
    fanout = fanout_kind(FANOUT)
    worker = workers("redis", smtp_port=smtp.port)
    worker.wait_ready()

    fanout.start()
    wait_for(lambda: sink.total >= 200, timeout=60, what="the fan-out to get going")
    redis_server.kill()  # SIGKILL, no persistence: every task still waiting in Redis is lost
    assert sink.total < FANOUT, "the fan-out was over before Redis went down; nothing was tested"

    # While the broker is down another fan-out is started: the request succeeds and its rows wait
    # in the outbox. A sweep meanwhile cannot hand them over and leaves their clocks alone.
    second = fanout_kind(10, prefix="second")
    second.start()
    assert _status_counts(second) == {OutboxStatus.QUEUED: 10}
    time.sleep(REQUEUE_AFTER + 0.5)
    assert outbox_sweep()[second.kind] >= 10
    # The broker refused the sweep's tasks: the rows keep a stale clock, so the next sweep after
    # the broker is back takes them at once instead of making them wait anew.
    stale = timezone.now() - datetime.timedelta(seconds=REQUEUE_AFTER)
    assert all(when <= stale for when in second.rows().values_list("queued_at", flat=True))

    redis_server.start()  # the same port, empty
    # The worker finishes what it had in hand and reconnects; the rest of the fan-out is gone with Redis.
    _wait_quiet(sink, quiet=3)
    lost = fanout.rows().filter(delivery_status=OutboxStatus.QUEUED).count()
    assert lost > 10, "no message of the first fan-out was lost with Redis; the sweeper was not tested"

    swept = _sweep_until_all_sent([fanout, second])
    assert swept >= lost

    # One more sweep and a pause: nothing left to send, nothing arrives twice late.
    assert outbox_sweep()[fanout.kind] == 0
    _wait_quiet(sink, quiet=2)
    _exactly_once(sink, fanout.addresses + second.addresses)
    assert _status_counts(fanout) == {OutboxStatus.SENT: FANOUT}
    assert _status_counts(second) == {OutboxStatus.SENT: 10}


# --- 2. A worker is killed with SIGKILL in the middle of a fan-out --------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_fanout_nobody_is_missed_and_nobody_receives_twice(
    redis_server, smtp, sink, workers, publish, sweeper_thresholds, fanout_kind
):
    fanout = fanout_kind(FANOUT)
    first = workers("first", smtp_port=smtp.port, concurrency=2)
    first.wait_ready()
    fanout.start()

    # a) One pool process dies while it sends. The sink holds every RCPT from the 300th message
    # on, so at the kill both pool processes wait for the server's answer: each has marked its
    # previous message sent, and the message in hand has not been handed over (docs/faults.md: the
    # one moment this avoids). The main process sees the loss and, with acks_late and
    # reject_on_worker_lost, puts the task back at the end of the queue.
    sink.hold_after(300)
    wait_for(lambda: sink.held == 2, timeout=60, what="both pool processes to wait on the SMTP server")
    first.kill_child(first.children()[0])
    wait_for(lambda: "SIGKILL" in first.log(), timeout=15, what="the worker to notice its lost process")
    sink.release()

    # b) The whole worker, main process and pool, is killed at once, as when its host dies. Its
    # unacknowledged tasks stay invisible in Redis for the visibility timeout (an hour).
    sink.hold_after(600)
    _wait_all_held(sink)
    first.kill()
    sink.release()
    delivered_before = sink.total
    stuck = fanout.rows().filter(delivery_status=OutboxStatus.SENDING).count()
    assert stuck > 0, "no row was left in 'sending'; the kills did not hit a batch in progress"
    assert delivered_before < FANOUT

    second = workers("second", smtp_port=smtp.port, concurrency=2)
    second.wait_ready()
    swept = _sweep_until_all_sent([fanout])
    assert swept >= stuck

    assert outbox_sweep()[fanout.kind] == 0
    _wait_quiet(sink, quiet=2)
    _exactly_once(sink, fanout.addresses)
    assert _status_counts(fanout) == {OutboxStatus.SENT: FANOUT}
    # The task the pool process was running when it died was delivered again (to either worker).
    assert _redelivered(first.log() + second.log()), "reject_on_worker_lost did not queue the lost task again"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_remaining_window_a_kill_after_the_server_took_a_message_resends_it_with_the_same_message_id(
    redis_server, smtp, sink, workers, publish, sweeper_thresholds
):
    """The one moment the outbox cannot cover, shown as it is: the server has taken the 20th message
    and the worker is killed before it hears so and marks the row. That one person gets the message
    again after the sweep, under the same Message-ID (and the same calendar UID and SEQUENCE), so a
    mailbox that suppresses duplicates shows it once and a calendar updates the one event. Nobody
    else is affected."""
    fanout = InvitationFanout(60)
    first = workers("window", smtp_port=smtp.port, concurrency=1)
    first.wait_ready()
    sink.hold_after(20, stage="DATA")
    fanout.start()
    wait_for(lambda: sink.held == 1, timeout=60, what="the worker to wait for the answer to its 20th message")
    first.kill()
    sink.release()

    second = workers("after-window", smtp_port=smtp.port, concurrency=1)
    second.wait_ready()
    _sweep_until_all_sent([fanout], timeout=60)
    _wait_quiet(sink, quiet=1.5)

    counts = sink.counts()
    twice = [address for address, n in counts.items() if n == 2]
    assert len(twice) == 1 and set(counts.values()) == {1, 2} and len(counts) == 60, counts
    first_copy, second_copy = sink.message_ids[twice[0]]
    assert first_copy == second_copy and first_copy.startswith("<kumppanuus.invitation.")
    # Every other message has a Message-ID of its own.
    ids = [message_id for address, found in sink.message_ids.items() for message_id in found]
    assert len(set(ids)) == 60


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_server_and_an_eager_sweeper_never_send_twice(
    redis_server, smtp, sink, workers, publish, sweeper_thresholds, fanout_kind
):
    """A batch that takes far longer than the 'stuck in sending' threshold (a slow mail server)
    must not be taken from a healthy worker by the sweeper running all the while: the batch renews
    its claim well within the threshold (outbox.engine._renew_interval). The worker reads the same
    thresholds as the sweeper, as beat and the workers of one installation do."""
    sink.data_delay = 0.1  # 50 messages of a batch take 5 s, more than STUCK_AFTER
    fanout = fanout_kind(100)
    worker = workers(
        "slow", smtp_port=smtp.port, concurrency=1,
        OUTBOX_STUCK_AFTER_SECONDS=STUCK_AFTER, OUTBOX_REQUEUE_AFTER_SECONDS=REQUEUE_AFTER,
    )
    worker.wait_ready()

    started = time.monotonic()
    fanout.start()
    _sweep_until_all_sent([fanout], timeout=90, interval=0.5)
    took = time.monotonic() - started

    _wait_quiet(sink, quiet=1.5)
    _exactly_once(sink, fanout.addresses)
    assert took > 2 * STUCK_AFTER, "the sending was quicker than the threshold; the race was not exercised"


# --- 3. The mail server is down, then refuses for a while ----------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_mail_server_down_then_refusing_messages_are_retried_with_backoff_and_the_coordinator_sees_why(
    redis_server, sink, workers, publish, client, settings
):
    smtp = SmtpServer(sink)  # not started yet: the port refuses connections
    sink.refuse_first = 2  # once it is up, each address is answered 451 twice before it is taken
    draft, coordinator, people = _draft(invitees=8)
    worker = workers(
        "retry", smtp_port=smtp.port, OUTBOX_RETRY_FIRST_WAIT_SECONDS=2, OUTBOX_RETRY_LONGEST_WAIT_SECONDS=16
    )
    worker.wait_ready()
    client.force_login(coordinator)
    page = reverse("meetings:detail", args=[draft.pk])
    try:
        meeting_schedule(actor=coordinator, meeting=draft, extra_people=people)

        # The server is down: the first attempt fails and the coordinator sees it on the meeting page.
        wait_for(
            lambda: Invitation.objects.filter(meeting=draft, last_error__contains="Connection refused").count() == 8,
            timeout=30, what="the first attempt to fail",
        )
        html = client.get(page).content.decode()
        assert "ConnectionRefusedError" in html and "Connection refused" in html
        assert "1 attempt" in html or "2 attempts" in html

        # The server comes back but refuses for a while (451): still queued, the new reason shown.
        smtp.start()
        wait_for(
            lambda: Invitation.objects.filter(meeting=draft, last_error__contains="451").count() == 8,
            timeout=30, what="the refusals to be recorded",
        )
        html = client.get(page).content.decode()
        assert "Too busy, try again later" in html and "451" in html
        assert sink.total == 0

        sent = Invitation.objects.filter(meeting=draft, delivery_status=OutboxStatus.SENT)
        wait_for(lambda: sent.count() == 8, timeout=60, what="the messages to arrive once the server takes them")
        _wait_quiet(sink, quiet=1.5)
        _exactly_once(sink, [address for _name, address in people])

        # Each address was tried at the sink three times, the waits between growing (backoff).
        for _name, address in people:
            first, second, third = sink.attempts[address]
            assert second - first >= 1.9 and third - second > (second - first) * 1.5, sink.attempts[address]
        invitations = list(Invitation.objects.filter(meeting=draft))
        assert all(i.attempts >= 4 and i.last_error == "" for i in invitations)
        html = client.get(page).content.decode()
        assert "Sent 8, waiting 0, failed 0." in html and "Too busy" not in html
    finally:
        smtp.stop()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_mail_server_down_then_refusing_notifications_are_retried_with_backoff_each_row_on_its_own(
    redis_server, sink, workers, publish
):
    """The same for notification rows: a server that is down, then answers 451 twice per address,
    costs each person a delay, never a second copy, and each row keeps its own attempts and error."""
    smtp = SmtpServer(sink)  # not started yet: the port refuses connections
    sink.refuse_first = 2
    fanout = NotificationFanout(8)
    worker = workers(
        "retry-notifications", smtp_port=smtp.port,
        OUTBOX_RETRY_FIRST_WAIT_SECONDS=2, OUTBOX_RETRY_LONGEST_WAIT_SECONDS=16,
    )
    worker.wait_ready()
    try:
        fanout.start()
        wait_for(
            lambda: fanout.rows().filter(last_error__contains="Connection refused").count() == 8,
            timeout=30, what="the first attempt to fail",
        )
        smtp.start()
        wait_for(lambda: _sent(fanout) == 8, timeout=90, what="the notifications to arrive once the server takes them")
        _wait_quiet(sink, quiet=1.5)
        _exactly_once(sink, fanout.addresses)
        for address in fanout.addresses:
            first, second, third = sink.attempts[address]
            assert second - first >= 1.9 and third - second > (second - first) * 1.5, sink.attempts[address]
        assert all(row.attempts >= 4 and row.last_error == "" for row in fanout.rows())
    finally:
        smtp.stop()


# --- 4. Fifty people answer at once for ten seats -------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_rsvps_from_separate_processes_fill_ten_seats_and_waitlist_forty(live_server):
    meeting = MeetingFactory(
        format=MeetingFormat.IN_PERSON, capacity=10, starts_at=in_days(9), ends_at=in_days(9, 15),
    )
    invitations = [
        InvitationFactory(meeting=meeting, user=None, email=f"answer{index:02d}@example.org") for index in range(50)
    ]
    answer = RsvpResponse.ATTENDING_IN_PERSON
    urls = [
        live_server.url + reverse("meetings:rsvp_link", args=[rsvp_token(i, answer=answer)])
        for i in invitations
    ]
    clients = [start_rsvp_client(url, answer) for url in urls]
    try:
        for process in clients:
            line = process.stdout.readline()
            assert line.strip() == "ready", process.stderr.read()
        for process in clients:  # all 50 are ready: let them post together
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in clients:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for process in clients:
            if process.poll() is None:
                process.kill()
                process.wait()

    assert [r["status"] for r in results] == [200] * 50
    assert sum(r["saved"] and not r["waitlisted"] for r in results) == 10
    assert sum(r["waitlisted"] for r in results) == 40
    rsvps = Rsvp.objects.filter(meeting=meeting)
    assert rsvps.filter(response=answer, waitlisted=False).count() == 10
    assert rsvps.filter(response=answer, waitlisted=True).count() == 40


# --- 5. Periodic runs that overlap, and one recipient who cannot be reached -----------------


def _at_once(function, runs: int = 2) -> list:
    """Runs ``function`` in ``runs`` threads released together; each thread has its own database
    connection. Returns what each returned, or the exception it raised."""
    barrier = threading.Barrier(runs)
    results: list = [None] * runs

    def run(index):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # reported by the assertions of the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_and_two_sweepers_at_once_send_each_reminder_once_despite_a_refused_address(
    smtp, sink, sweeper_thresholds
):
    """Celery runs eagerly here: each run sends in its own thread, through the outbox claim."""
    table = PartnershipTableFactory(meeting_reminder_days=2)
    meeting = MeetingFactory(table=table, starts_at=in_days(1), ends_at=in_days(1, 15))
    # The refused address comes first in every batch.
    refused = InvitationFactory(meeting=meeting, user__email="gone@example.org")
    sink.refuse_permanently.add("gone@example.org")
    attending = [refused] + [
        InvitationFactory(meeting=meeting, user__email=f"attending{index:02d}@example.org") for index in range(30)
    ]
    for invitation in attending:
        RsvpFactory(invitation=invitation, response=RsvpResponse.ATTENDING_IN_PERSON)
    expected = [i.email for i in attending[1:]]

    results = _at_once(meeting_reminders_queue_due)

    assert not [r for r in results if isinstance(r, Exception)], results
    _exactly_once(sink, expected)
    reminders = MeetingReminder.objects.filter(meeting=meeting, kind=MeetingReminderKind.ATTENDING)
    assert reminders.count() == 31
    assert Counter(reminders.values_list("delivery_status", flat=True)) == {
        OutboxStatus.SENT: 30, OutboxStatus.FAILED: 1,
    }
    assert "550" in reminders.get(invitation=refused).last_error

    # The broker lost some: two sweepers find the same stale rows at the same moment.
    lost = list(reminders.filter(delivery_status=OutboxStatus.SENT).order_by("pk")[:10])
    MeetingReminder.objects.filter(pk__in=[r.pk for r in lost]).update(
        delivery_status=OutboxStatus.QUEUED, queued_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    before = sink.counts()
    results = _at_once(outbox_sweep)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["MeetingReminder"] for r in results) == 10  # each stale row taken by one sweeper
    after = sink.counts()
    assert after - before == Counter({r.invitation.email: 1 for r in lost})

    # Another reminder run and another sweep: nothing new, nobody mailed again, the refused one not retried.
    meeting_reminders_queue_due()
    outbox_sweep()
    assert sink.counts() == after
    assert len(sink.attempts["gone@example.org"]) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_evaluation_reminder_runs_at_once_send_each_notice_once_and_a_refused_address_holds_back_no_one(
    smtp, sink
):
    from tables.models import EvaluationReminder, EvaluationStatus, EvaluationTemplate
    from tables.services import evaluation_reminders_send
    from tables.tests.factories import AnnualEvaluationFactory

    template = EvaluationTemplate.objects.filter(is_default=True).first() or EvaluationTemplate.objects.create(
        name="Vuosiarviointi", is_default=True
    )
    # The refused person is created first, so they come first in the (pk-ordered) recipients.
    refused = UserFactory(email="gone@example.org")
    sink.refuse_permanently.add("gone@example.org")
    owner = UserFactory(email="owner@example.org")
    table = PartnershipTableFactory(owner=owner)
    coordinators = [UserFactory(email=f"coordinator{index:02d}@example.org") for index in range(20)]
    table.coordinators.add(refused, *coordinators)
    evaluation = AnnualEvaluationFactory(
        table=table, template=template, status=EvaluationStatus.OPEN,
        opens_on=timezone.localdate() - datetime.timedelta(days=1),
        due_on=timezone.localdate() + datetime.timedelta(days=29),
    )
    expected = ["owner@example.org"] + [user.email for user in coordinators]

    results = _at_once(evaluation_reminders_send)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["queued"] for r in results) == 22  # each notice queued by one of the runs
    _exactly_once(sink, expected)
    recorded = EvaluationReminder.objects.filter(evaluation=evaluation)
    sent = recorded.filter(delivery_status=OutboxStatus.SENT)
    assert sorted(sent.values_list("user__email", flat=True)) == sorted(expected)
    # The refused notice failed at once (550) and is not tried again.
    refused_notice = recorded.get(user=refused)
    assert refused_notice.delivery_status == OutboxStatus.FAILED and "550" in refused_notice.last_error

    # The next day's run sends nobody anything twice.
    evaluation_reminders_send()
    _exactly_once(sink, expected)


# --- 5b. The meeting moves and is cancelled while its invitations are being sent -------------

MOVING_INVITEES = 301


def _sweeping_until(condition, *, what: str, timeout: float = 120, interval: float = 0.5) -> None:
    """Runs the sweeper every ``interval`` seconds, as beat would, until ``condition`` holds."""

    def swept_and_checked():
        if condition():
            return True
        outbox_sweep()
        time.sleep(interval)
        return False

    wait_for(swept_and_checked, timeout=timeout, what=what, interval=0)


def _version(message_id: str) -> tuple[str, int]:
    """(kind, SEQUENCE) of an invitation from its Message-ID, <kumppanuus.invitation.PK.KIND.SEQ@domain>."""
    _prefix, _model, _pk, kind, sequence = message_id.strip("<>").split("@")[0].split(".")
    return kind, int(sequence)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_moved_and_cancelled_mid_fanout_with_a_stall_everyones_last_message_is_the_current_one(
    redis_server, smtp, sink, workers, publish, sweeper_thresholds
):
    """The invariant of the outbox (issue 10): after it settles, every invitee's last delivered
    message carries the meeting's current SEQUENCE (here its CANCEL), and nobody gets one version
    twice. Four processes send to a slow mail server (150 ms a message) while the sweeper runs
    all the time; the meeting is moved in the middle of the first fan-out, every conversation then
    stalls for twice the "stuck" threshold (the sweeper takes the stalled batches' rows and queues
    them again), and the meeting is cancelled in the middle of what follows."""
    sink.data_delay = 0.15
    fanout = InvitationFanout(MOVING_INVITEES)
    worker = workers(
        "moving", smtp_port=smtp.port, concurrency=4,
        OUTBOX_STUCK_AFTER_SECONDS=STUCK_AFTER, OUTBOX_REQUEUE_AFTER_SECONDS=REQUEUE_AFTER,
    )
    worker.wait_ready()
    meeting, coordinator = fanout.draft, fanout.coordinator

    fanout.start()
    _sweeping_until(lambda: sink.total >= 40, what="the first fan-out to get going")
    meeting_update(actor=coordinator, meeting=meeting, data={"address": "Uusi osoite 1, Vaasa"})
    _sweeping_until(lambda: sink.total >= 160, what="the update to be under way")

    # A stall longer than the threshold: the server holds every conversation at RCPT.
    sink.hold_after(sink.total)
    _sweeping_until(lambda: sink.held >= 1, what="the conversations to be held")
    stalled_at = time.monotonic()
    _sweeping_until(lambda: time.monotonic() - stalled_at > 2 * STUCK_AFTER, what="the stall", timeout=30)
    assert sink.held >= 1
    taken = Invitation.objects.filter(meeting=meeting, delivery_status=OutboxStatus.QUEUED).count()
    sink.release()
    assert taken > 0, "the sweeper took no row from the stalled batches; the stall was not exercised"

    _sweeping_until(lambda: sink.total >= 260, what="the sending to resume")
    meeting.refresh_from_db()
    meeting_cancel(actor=coordinator, meeting=meeting, reason="Peruttu")
    meeting.refresh_from_db()

    _sweeping_until(
        lambda: Invitation.objects.filter(meeting=meeting).exclude(delivery_status=OutboxStatus.SENT).count() == 0,
        what="every cancellation to be sent",
    )
    _wait_quiet(sink, quiet=2)

    current = (InvitationKind.CANCEL.value, meeting.sequence)
    stale, twice = [], []
    for address in fanout.addresses:
        versions = [_version(message_id) for message_id in sink.message_ids[address]]
        if not versions or versions[-1] != current:
            stale.append((address, versions))
        if len(set(versions)) != len(versions):
            twice.append((address, versions))
    assert not stale, f"{len(stale)} people's last message is not the cancellation {current}: {stale[:3]}"
    assert not twice, f"{len(twice)} people got one version twice: {twice[:3]}"
    rows = Invitation.objects.filter(meeting=meeting)
    assert set(rows.values_list("sent_kind", "sent_sequence")) == {current}


# --- 6. Configuration: no task waits longer than Redis keeps it invisible ------------------

OUR_APPS = ("accounts", "organisations", "tables", "meetings", "kumppanuus", "outbox", "privacy", "devdata")


def _longest_automatic_wait(task) -> float:
    """The longest countdown Celery itself gives a retry of ``task`` (autoretry_for / self.retry())."""
    backoff = getattr(task, "retry_backoff", False)
    if backoff:
        factor = 1 if backoff is True else backoff
        maximum = getattr(task, "retry_backoff_max", 600)
        retries = task.max_retries if task.max_retries is not None else 64
        return min(maximum, factor * 2**retries)
    return task.default_retry_delay


def _countdowns_in_our_code() -> list[tuple[str, int, ast.expr]]:
    """Every ``countdown=`` and ``eta=`` passed anywhere in the apps' code (tests and migrations aside)."""
    root = Path(django_settings.BASE_DIR)
    found = []
    for app_name in OUR_APPS:
        for path in (root / app_name).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        if keyword.arg in ("countdown", "eta"):
                            found.append((f"{path.relative_to(root)}:{node.lineno}", keyword.arg, keyword.value))
    return found


def test_every_retry_wait_and_eta_is_shorter_than_the_redis_visibility_timeout():
    from outbox.tasks import retry_countdown

    timeout = django_settings.CELERY_VISIBILITY_TIMEOUT
    # Set for the broker and the result backend alike, and the app really uses them.
    assert django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == timeout
    assert django_settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["visibility_timeout"] == timeout
    assert app.conf.broker_transport_options["visibility_timeout"] == timeout
    assert app.conf.result_backend_transport_options["visibility_timeout"] == timeout
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1

    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in OUR_APPS}
    assert "outbox.tasks.send_outbox_task" in ours and "tables.tasks.send_evaluation_reminders_task" in ours
    too_long = {name: _longest_automatic_wait(task) for name, task in ours.items()}
    too_long = {name: wait for name, wait in too_long.items() if wait >= timeout}
    assert not too_long, f"retry waits not below the visibility timeout ({timeout} s): {too_long}"

    # The outbox tasks retry with their own countdown: it grows and stays below the timeout for good.
    waits = [retry_countdown(retries) for retries in range(64)]
    assert waits == sorted(waits) and waits[0] < waits[-1] < timeout
    # The sweeper does not undo the backoff: a row waiting for its retry is not swept before its time.
    assert django_settings.OUTBOX_REQUEUE_AFTER_SECONDS >= waits[-1]

    # Every countdown/ETA our code passes is retry_countdown(...) or a constant below the timeout.
    for where, keyword, value in _countdowns_in_our_code():
        if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "retry_countdown":
            continue
        assert keyword == "countdown" and isinstance(value, ast.Constant) and value.value < timeout, (
            f"{where}: {keyword}={ast.unparse(value)} is not known to stay below the visibility timeout"
        )


@pytest.mark.django_db
def test_every_periodic_task_is_registered_with_the_celery_app():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from kumppanuus.schedules import PERIODIC_TASKS

    app.loader.import_default_modules()
    assert PERIODIC_TASKS
    assert not [spec.task for spec in PERIODIC_TASKS if spec.task not in app.tasks]
    # What beat actually reads (the rows the command writes) names registered tasks too.
    call_command("setup_periodic_tasks", verbosity=0)
    names = set(PeriodicTask.objects.exclude(name="celery.backend_cleanup").values_list("task", flat=True))
    assert names == {spec.task for spec in PERIODIC_TASKS}
