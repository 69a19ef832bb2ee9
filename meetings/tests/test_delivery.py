"""Invitations through the outbox: at most once per row, retries with backoff, failures shown, the sweeper."""

import dataclasses
import datetime
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import get_connection
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Invitation, InvitationKind, MeetingStatus, OutboxStatus
from meetings.services import meeting_schedule, meeting_update
from meetings.tests.factories import InvitationFactory, MeetingFactory
from outbox import engine, registry
from outbox.engine import deliver, outbox_sweep
from outbox.tasks import retry_countdown

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(meeting):
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    return meeting


def _schedule(draft, coordinator, capture, **kwargs):
    with capture(execute=True):
        meeting_schedule(actor=coordinator, meeting=draft, **kwargs)
    return list(Invitation.objects.filter(meeting=draft).order_by("pk"))


def test_running_a_batch_again_sends_nothing_more(draft, coordinator, django_capture_on_commit_callbacks):
    invitations = _schedule(
        draft, coordinator, django_capture_on_commit_callbacks, extra_people=[("", "g@example.org")]
    )
    assert len(mail.outbox) == 2

    result = deliver("meetings.invitation", [invitation.pk for invitation in invitations])

    assert (result.sent, result.retry_ids) == (0, [])
    assert len(mail.outbox) == 2


def test_a_row_another_worker_is_sending_is_left_alone(meeting):
    invitation = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.SENDING, sending_at=timezone.now())
    assert deliver("meetings.invitation", [invitation.pk]).sent == 0
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.delivery_status == OutboxStatus.SENDING


def test_a_row_requeued_while_in_flight_keeps_its_new_message(meeting, coordinator):
    """An update queued while the first invitation is being sent is not lost when that send finishes."""
    invitation = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.QUEUED, sent_sequence=None)
    assert engine._claim(Invitation, [invitation.pk], "batch-1") == [invitation.pk]
    meeting_update(actor=coordinator, meeting=meeting, data={"address": "Uusi osoite 1"})

    assert engine._mark(Invitation, invitation.pk, "batch-1", OutboxStatus.SENT) is False
    invitation.refresh_from_db()
    assert invitation.delivery_status == OutboxStatus.QUEUED
    assert invitation.kind == InvitationKind.INVITE
    assert invitation.claim_token == ""


def test_a_row_claimed_again_by_another_batch_is_not_marked_by_the_first(meeting):
    """A claim has an owner: the first batch's renewals and marks do not touch a row another batch
    holds now (the sweeper queued it again after a stall and a second task claimed it)."""
    invitation = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.QUEUED)
    engine._claim(Invitation, [invitation.pk], "first")
    Invitation.objects.filter(pk=invitation.pk).update(delivery_status=OutboxStatus.QUEUED, claim_token="")
    engine._claim(Invitation, [invitation.pk], "second")

    assert engine._renew_claims(Invitation, [invitation.pk], "first") == set()
    assert engine._mark(Invitation, invitation.pk, "first", OutboxStatus.SENT) is False
    assert engine._renew_claims(Invitation, [invitation.pk], "second") == {invitation.pk}
    assert engine._mark(Invitation, invitation.pk, "second", OutboxStatus.SENT) is True


def test_a_meeting_moved_after_the_claim_is_sent_only_in_its_new_version(meeting, coordinator):
    """A batch that claimed and loaded the invitations before the meeting moved does not send the old
    version: the move queued every invitation again (clearing the batch's token), so the batch leaves
    them, and the next send builds the moved meeting (its new SEQUENCE)."""
    first, second = _queued(meeting, 2)
    token = "batch"
    engine._claim(Invitation, [first.pk, second.pk], token)
    kind = registry.row_type("meetings.invitation")
    loaded = {row.pk: row for row in kind.load_with(Invitation.objects.filter(pk__in=[first.pk, second.pk]))}
    moved = meeting_update(actor=coordinator, meeting=meeting, data={"address": "Uusi osoite 2"})

    result = engine.DeliveryResult()
    with get_connection() as connection:
        engine._send_one(kind, first.pk, token, connection, {}, loaded, result)
    assert (result.sent, mail.outbox) == (0, [])

    assert deliver("meetings.invitation", [first.pk, second.pk]).sent == 2
    first.refresh_from_db()
    assert first.sent_sequence == moved.sequence
    calendar = next(part for part in mail.outbox[0].message().walk() if part.get_content_type() == "text/calendar")
    assert f"SEQUENCE:{moved.sequence}" in calendar.get_payload(decode=True).decode()

def _queued(meeting, count):
    return [
        InvitationFactory(
            meeting=meeting, user=None, email=f"p{index}@example.org", delivery_status=OutboxStatus.QUEUED
        )
        for index in range(count)
    ]


def test_a_batch_stalled_longer_than_the_sweeper_waits_leaves_the_rows_taken_from_it(meeting, settings, monkeypatch):
    """Claims are renewed for the whole batch, not per message; a batch that stalled (here: each
    message takes longer than the renewal interval) renews before its next message, finds the rows
    the sweeper queued again meanwhile and leaves them to the sweeper's task."""
    settings.OUTBOX_STUCK_AFTER_SECONDS = 1  # renew when the claim is older than 0.25 s
    first, second, third = _queued(meeting, 3)
    taken = []

    invitations = registry.row_type("meetings.invitation")

    def build_slowly(invitation, cache):
        time.sleep(0.3)  # a stall: the claim is now older than the renewal interval
        if invitation.pk == first.pk:
            # Meanwhile the sweeper re-queued the third row (as if its claim had gone stale).
            Invitation.objects.filter(pk=third.pk).update(
                delivery_status=OutboxStatus.QUEUED, sending_at=None, claim_token=""
            )
            taken.append(third.pk)
        return invitations.build(invitation, cache)

    monkeypatch.setitem(
        registry._row_types, "meetings.invitation", dataclasses.replace(invitations, build=build_slowly)
    )
    before = timezone.now()
    result = deliver("meetings.invitation", [first.pk, second.pk, third.pk])

    assert taken == [third.pk]
    assert result.sent == 2
    assert sorted(message.to[0] for message in mail.outbox) == [first.email, second.email]
    third.refresh_from_db()
    assert third.delivery_status == OutboxStatus.QUEUED  # the sweeper's task sends it, once
    second.refresh_from_db()
    assert second.delivery_status == OutboxStatus.SENT and second.sent_at > before


@pytest.mark.parametrize("size", [10, 20])
def test_a_quick_batch_renews_no_claims_and_takes_two_statements_per_message(meeting, settings, size):
    settings.OUTBOX_STUCK_AFTER_SECONDS = 900
    ids = [invitation.pk for invitation in _queued(meeting, size)]
    with CaptureQueriesContext(connection) as queries:
        assert deliver("meetings.invitation", ids).sent == size
    # Savepoints stand for the BEGIN/COMMIT of each row's transaction outside a test; not statements.
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # Claim (a locking SELECT and an UPDATE), the meeting's agenda, open action items and contact once,
    # then per message the row locked and read with its meeting (the current version) and its UPDATE to sent.
    assert len(statements) <= 7 + 2 * size
    assert len(mail.outbox) == size


@pytest.fixture
def eager_retries():
    """Eager Celery runs a task's retries at once when it does not propagate the Retry to the caller."""
    from kumppanuus.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_an_unreachable_mail_server_is_retried_then_the_error_is_shown(
    draft, coordinator, client, smtp_down, eager_retries, django_capture_on_commit_callbacks
):
    # Eager mode runs every retry at once; in production each waits retry_countdown() seconds.
    [invitation] = _schedule(draft, coordinator, django_capture_on_commit_callbacks)

    invitation.refresh_from_db()
    assert invitation.delivery_status == OutboxStatus.FAILED
    assert invitation.attempts == engine.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in invitation.last_error
    assert invitation.sent_at is None

    client.force_login(coordinator)
    page = client.get(reverse("meetings:detail", args=[draft.pk])).content.decode()
    assert "ConnectionRefusedError" in page
    assert "Failed" in page


def test_a_temporary_failure_goes_back_to_the_queue_with_its_error(meeting, smtp_down):
    invitation = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.QUEUED)

    result = deliver("meetings.invitation", [invitation.pk])

    assert result.retry_ids == [invitation.pk]
    invitation.refresh_from_db()
    assert invitation.delivery_status == OutboxStatus.QUEUED
    assert invitation.attempts == 1
    assert "ConnectionRefusedError" in invitation.last_error


def test_the_periodic_tasks_of_meetings_are_scheduled_and_registered():
    from kumppanuus.celery import app
    from kumppanuus.schedules import PERIODIC_TASKS

    app.loader.import_default_modules()  # as a worker does at start
    scheduled = {spec.task for spec in PERIODIC_TASKS if spec.task.startswith("meetings.")}
    assert scheduled == {
        "meetings.tasks.queue_meeting_reminders_task",
        "meetings.tasks.queue_action_item_reminders_task",
        "meetings.tasks.queue_action_item_due_soon_task",
    }
    assert scheduled <= set(app.tasks)


def test_retry_waits_grow_but_stay_below_the_visibility_timeout():
    waits = [retry_countdown(retries) for retries in range(12)]
    assert waits[:3] == [30, 60, 120]
    assert waits == sorted(waits)
    assert max(waits) < settings.CELERY_VISIBILITY_TIMEOUT


def test_a_refused_address_fails_at_once_and_the_rest_are_delivered(
    draft, coordinator, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse.add("bad@example.org")
    _schedule(
        draft, coordinator, django_capture_on_commit_callbacks,
        extra_people=[("", "bad@example.org"), ("", "good@example.org")],
    )

    assert smtp_server.recipients == ["good@example.org", "representative@example.org"]
    bad = Invitation.objects.get(email="bad@example.org")
    assert bad.delivery_status == OutboxStatus.FAILED
    assert bad.attempts == 1  # a permanent refusal is not retried
    assert "550" in bad.last_error
    assert Invitation.objects.filter(delivery_status=OutboxStatus.SENT).count() == 2


def test_the_sweeper_sends_what_was_left_queued_or_stuck(meeting, django_capture_on_commit_callbacks):
    now = timezone.now()
    long_ago = now - datetime.timedelta(minutes=30)
    never_picked_up = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.QUEUED, queued_at=long_ago)
    worker_died = InvitationFactory(
        meeting=meeting, delivery_status=OutboxStatus.SENDING, queued_at=long_ago, sending_at=long_ago, attempts=1
    )
    just_queued = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.QUEUED, queued_at=now)
    in_flight = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.SENDING, sending_at=now)
    draft_row = InvitationFactory(
        meeting=MeetingFactory(status=MeetingStatus.DRAFT), delivery_status=OutboxStatus.QUEUED, queued_at=long_ago
    )

    with django_capture_on_commit_callbacks(execute=True):
        swept = outbox_sweep(now=now)

    assert swept["Invitation"] == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [never_picked_up.email, worker_died.email]
    )
    statuses = dict(Invitation.objects.values_list("pk", "delivery_status"))
    assert statuses[never_picked_up.pk] == statuses[worker_died.pk] == OutboxStatus.SENT
    assert statuses[just_queued.pk] == OutboxStatus.QUEUED
    assert statuses[in_flight.pk] == OutboxStatus.SENDING
    assert statuses[draft_row.pk] == OutboxStatus.QUEUED


def test_a_link_revoked_while_its_batch_is_sending_goes_out_with_the_new_link(meeting, coordinator):
    """The batch built an invitation from its load only while the row's own version is unchanged: a
    link revoked after the load is read again, so the message carries the new link, never the old."""
    from meetings.services import invitation_revoke_links

    [invitation] = _queued(meeting, 1)
    token = "batch"
    engine._claim(Invitation, [invitation.pk], token)
    kind = registry.row_type("meetings.invitation")
    loaded = {row.pk: row for row in kind.load_with(Invitation.objects.filter(pk=invitation.pk))}
    old_key = invitation.link_key
    invitation_revoke_links(actor=coordinator, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.link_key != old_key

    result = engine.DeliveryResult()
    with get_connection() as connection:
        engine._send_one(kind, invitation.pk, token, connection, {}, loaded, result)
    assert result.sent == 1
    from meetings.tokens import rsvp_token

    assert rsvp_token(invitation, answer="no") in mail.outbox[0].body
