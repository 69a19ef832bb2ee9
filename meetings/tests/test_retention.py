"""Outbox retention: finished reminders and delivery errors go after OUTBOX_RETENTION_DAYS; RSVPs stay."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from kumppanuus.celery import app
from kumppanuus.schedules import PERIODIC_TASKS
from meetings.models import (
    ActionItemReminder,
    Attendance,
    Invitation,
    MeetingReminder,
    MeetingReminderKind,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.services.reminders import week_start
from meetings.tests.factories import ActionItemFactory, AttendanceFactory, MeetingFactory, in_days, invite
from outbox.retention import outbox_purge
from outbox.tasks import purge_outbox_task
from tables.models import EvaluationReminder, EvaluationReminderKind, EvaluationStatus
from tables.tests.factories import AnnualEvaluationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - days * DAY


def _meeting(days_ago: int):
    starts = in_days(-days_ago)
    return MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))


def _reminder(meeting, *, status=OutboxStatus.SENT, sent_days_ago: int | None = 200, created_days_ago: int = 200):
    invitation = invite(meeting, response=RsvpResponse.ATTENDING_IN_PERSON)
    reminder = MeetingReminder.objects.create(
        meeting=meeting,
        invitation=invitation,
        kind=MeetingReminderKind.ATTENDING,
        for_starts_at=meeting.starts_at,
        delivery_status=status,
        sent_at=_ago(sent_days_ago) if sent_days_ago is not None else None,
    )
    MeetingReminder.objects.filter(pk=reminder.pk).update(created_at=_ago(created_days_ago))
    return reminder


def test_old_sent_meeting_reminders_go_and_recent_or_unsent_ones_stay(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    old_meeting = _meeting(days_ago=198)
    old = _reminder(old_meeting)
    skipped = _reminder(old_meeting, status=OutboxStatus.SKIPPED, sent_days_ago=None)
    recent = _reminder(_meeting(days_ago=20), sent_days_ago=22, created_days_ago=22)
    queued = _reminder(old_meeting, status=OutboxStatus.QUEUED, sent_days_ago=None)
    # Sent long ago for a meeting that has not started yet (it was moved): still the key that
    # stops the reminder from being sent again, so it stays.
    moved = _reminder(MeetingFactory(starts_at=in_days(5)))

    result = outbox_purge()

    assert result["MeetingReminder"] == 2
    remaining = set(MeetingReminder.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, queued.pk, moved.pk}
    assert old.pk not in remaining and skipped.pk not in remaining
    # The invitations and RSVPs the reminders were about stay.
    assert Invitation.objects.filter(pk=old.invitation_id).exists()
    assert Rsvp.objects.filter(invitation_id=old.invitation_id).exists()


def test_the_retention_period_comes_from_the_setting(settings):
    reminder = _reminder(_meeting(days_ago=60), sent_days_ago=62, created_days_ago=62)
    settings.OUTBOX_RETENTION_DAYS = 180
    assert outbox_purge()["MeetingReminder"] == 0
    settings.OUTBOX_RETENTION_DAYS = 30
    assert outbox_purge()["MeetingReminder"] == 1
    assert not MeetingReminder.objects.filter(pk=reminder.pk).exists()


def test_old_action_item_reminders_go_but_this_weeks_stays(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    item = ActionItemFactory()
    old = ActionItemReminder.objects.create(
        action_item=item,
        user=item.owner_user,
        week=week_start(timezone.localdate() - 200 * DAY),
        delivery_status=OutboxStatus.SENT,
        sent_at=_ago(200),
    )
    failed = ActionItemReminder.objects.create(
        action_item=item,
        user=item.owner_user,
        week=week_start(timezone.localdate() - 210 * DAY),
        delivery_status=OutboxStatus.FAILED,
        last_error="550 no such user",
    )
    ActionItemReminder.objects.filter(pk=failed.pk).update(created_at=_ago(210))
    this_week = ActionItemReminder.objects.create(
        action_item=item,
        user=item.owner_user,
        week=week_start(timezone.localdate()),
        delivery_status=OutboxStatus.SENT,
        sent_at=timezone.now(),
    )

    assert outbox_purge()["ActionItemReminder"] == 2
    assert list(ActionItemReminder.objects.values_list("pk", flat=True)) == [this_week.pk]
    assert not ActionItemReminder.objects.filter(pk__in=[old.pk, failed.pk]).exists()


def test_old_evaluation_reminders_go_once_the_evaluation_is_over(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    today = timezone.localdate()
    closed = AnnualEvaluationFactory(
        year=today.year - 1,
        opens_on=today - 230 * DAY,
        due_on=today - 200 * DAY,
        status=EvaluationStatus.CLOSED,
    )
    # Still open, with its due date ahead (a coordinator gave a long answering time).
    long_open = AnnualEvaluationFactory(opens_on=today - 200 * DAY, due_on=today + 10 * DAY)
    person = UserFactory()
    sent = {"delivery_status": OutboxStatus.SENT, "sent_at": timezone.now()}
    gone = EvaluationReminder.objects.create(evaluation=closed, user=person, kind=EvaluationReminderKind.OPENED, **sent)
    kept = EvaluationReminder.objects.create(
        evaluation=long_open, user=person, kind=EvaluationReminderKind.OPENED, **sent
    )
    recent = EvaluationReminder.objects.create(
        evaluation=closed, user=person, kind=EvaluationReminderKind.OVERDUE, **sent
    )
    EvaluationReminder.objects.filter(pk__in=[gone.pk, kept.pk]).update(sent_at=_ago(199))

    assert outbox_purge()["EvaluationReminder"] == 1
    assert set(EvaluationReminder.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}


def test_invitations_stay_with_their_rsvps_and_attendance_and_lose_only_old_delivery_errors(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    old_meeting = _meeting(days_ago=200)
    old = invite(old_meeting, response=RsvpResponse.ATTENDING_ONLINE)
    AttendanceFactory(meeting=old_meeting, user=old.user, invitation=old)
    Invitation.objects.filter(pk=old.pk).update(last_error=f"452 mailbox {old.email} full")
    failed = invite(old_meeting, None, email="typo@exampel.org", delivery_status=OutboxStatus.FAILED, sent_at=None)
    Invitation.objects.filter(pk=failed.pk).update(last_error="550 5.1.1 <typo@exampel.org>: no such user")
    recent_meeting = _meeting(days_ago=10)
    recent = invite(recent_meeting, None, email="late@exampel.org", delivery_status=OutboxStatus.FAILED)
    Invitation.objects.filter(pk=recent.pk).update(last_error="550 no such user")
    # Still being retried: the error is what the coordinator is looking at.
    queued = invite(old_meeting, None, email="queued@example.org", delivery_status=OutboxStatus.QUEUED)
    Invitation.objects.filter(pk=queued.pk).update(last_error="421 try again later")
    rsvps, attendances = Rsvp.objects.count(), Attendance.objects.count()

    assert outbox_purge()["Invitation"] == 2

    errors = dict(Invitation.objects.values_list("pk", "last_error"))
    assert errors[old.pk] == "" and errors[failed.pk] == ""
    assert errors[recent.pk] == "550 no such user"
    assert errors[queued.pk] == "421 try again later"
    old.refresh_from_db()
    assert old.delivery_status == OutboxStatus.SENT and old.sent_at is not None and old.email
    assert (Rsvp.objects.count(), Attendance.objects.count()) == (rsvps, attendances)


def test_purging_twice_finds_nothing_the_second_time(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    _reminder(_meeting(days_ago=198))
    assert outbox_purge()["MeetingReminder"] == 1
    assert set(outbox_purge().values()) == {0}


def test_purging_in_batches_removes_everything_due(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    meeting = _meeting(days_ago=198)
    for _ in range(5):
        _reminder(meeting)
    assert outbox_purge(batch_size=2)["MeetingReminder"] == 5
    assert not MeetingReminder.objects.exists()


def test_the_task_runs_the_purge_and_is_scheduled_nightly(settings):
    settings.OUTBOX_RETENTION_DAYS = 180
    _reminder(_meeting(days_ago=198))
    assert purge_outbox_task.delay().get()["MeetingReminder"] == 1
    assert "outbox.tasks.purge_outbox_task" in app.tasks
    [spec] = [spec for spec in PERIODIC_TASKS if spec.task == "outbox.tasks.purge_outbox_task"]
    assert spec.hour == "1" and spec.day_of_week == "*"
