"""Through a real Celery worker on the real Redis broker and a real SMTP server (aiosmtpd).

The worker runs in a thread of this process (celery.contrib.testing), reading tasks from the
Redis database in REDIS_URL. The tests use committed rows (transactional_db) so the worker's
own database connection sees them.
"""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections
from django.utils import timezone

from accounts.tests.factories import UserFactory
from kumppanuus.celery import app
from meetings.models import Invitation, MeetingFormat, MeetingStatus, OutboxStatus
from meetings.services import meeting_schedule
from meetings.tests.factories import MeetingFactory, in_days
from outbox.tasks import send_outbox_task, sweep_outbox_task
from tables.tests.factories import PartnershipTableFactory, StandingMemberFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INVITEES = 12


@app.task(name="meetings.tests.close_worker_db_connections")
def close_worker_db_connections():
    """Run in the worker thread before it stops, so the test database can be dropped at the end."""
    connections.close_all()


@pytest.fixture
def worker(smtp_server):
    """A real worker on the real broker, with eager mode off for this test."""
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier, interrupted run
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
        yield worker
        close_worker_db_connections.delay().get(timeout=30)
    app.conf.task_always_eager = True


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.1)


def _draft_with_invitees():
    table = PartnershipTableFactory()
    for index in range(INVITEES):
        StandingMemberFactory(table=table, representative=UserFactory(email=f"rep{index:02d}@example.org"))
    coordinator = UserFactory(email="coordinator@example.org")
    table.coordinators.add(coordinator)
    meeting = MeetingFactory(
        table=table, status=MeetingStatus.DRAFT, format=MeetingFormat.HYBRID,
        online_link="https://meet.example.org/room", starts_at=in_days(9), ends_at=in_days(9, 15),
    )
    return meeting, coordinator


def test_scheduling_delivers_exactly_one_message_per_invitee_and_a_rerun_sends_nothing(worker, smtp_server):
    meeting, coordinator = _draft_with_invitees()

    meeting_schedule(actor=coordinator, meeting=meeting)

    _wait_for(lambda: Invitation.objects.filter(meeting=meeting, delivery_status=OutboxStatus.SENT).count() == INVITEES)
    expected = [f"rep{index:02d}@example.org" for index in range(INVITEES)]
    assert smtp_server.recipients == expected
    # Each message is a meeting request over SMTP, with its calendar part.
    for envelope in smtp_server.envelopes:
        assert b"text/calendar" in envelope.content and b'method="REQUEST"' in envelope.content

    # The same task again, twice (a retry and a duplicate): nothing more goes out.
    ids = list(Invitation.objects.filter(meeting=meeting).values_list("pk", flat=True))
    first = send_outbox_task.delay("meetings.invitation", ids)
    second = send_outbox_task.delay("meetings.invitation", ids)
    assert first.get(timeout=30)["sent"] == 0
    assert second.get(timeout=30)["sent"] == 0
    assert smtp_server.recipients == expected


@pytest.fixture
def broker_unreachable():
    """Points the app's publishing at a port where no Redis listens, as when the broker is down."""
    broker_url = app.conf.broker_url
    retry_policy = app.conf.task_publish_retry_policy

    def reset_pools():
        # kombu keeps one pool per broker URL; dropping the app's references makes it look up the
        # pool of the URL now configured. The pools themselves stay usable for the worker.
        app._pool = None
        app.amqp._producer_pool = None

    def down():
        reset_pools()
        app.conf.broker_url = "redis://127.0.0.1:1/0"
        app.conf.task_publish_retry_policy = {"max_retries": 0}

    def up():
        reset_pools()
        app.conf.broker_url = broker_url
        app.conf.task_publish_retry_policy = retry_policy

    yield down, up
    up()


def test_the_sweeper_delivers_what_was_queued_while_the_broker_was_unreachable(worker, smtp_server, broker_unreachable):
    down, up = broker_unreachable
    meeting, coordinator = _draft_with_invitees()

    down()
    # The request still succeeds: the rows are committed, only the hand-off to the broker failed.
    meeting_schedule(actor=coordinator, meeting=meeting)
    up()

    assert Invitation.objects.filter(meeting=meeting, delivery_status=OutboxStatus.QUEUED).count() == INVITEES
    time.sleep(1)
    assert smtp_server.envelopes == []

    # Time passes; the periodic sweeper (here sent through the real worker) finds the stale rows.
    Invitation.objects.filter(meeting=meeting).update(queued_at=timezone.now() - datetime.timedelta(minutes=11))
    assert sweep_outbox_task.delay().get(timeout=30)["Invitation"] == INVITEES

    _wait_for(lambda: Invitation.objects.filter(meeting=meeting, delivery_status=OutboxStatus.SENT).count() == INVITEES)
    assert smtp_server.recipients == [f"rep{index:02d}@example.org" for index in range(INVITEES)]
    # A second sweep finds nothing to do.
    assert sweep_outbox_task.delay().get(timeout=30)["Invitation"] == 0
