"""Digests: held notifications, one e-mail per person and period, never twice, skipped when empty;
beat's digest entries at 07:00 Helsinki time in winter and in summer."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils.translation import gettext, override
from django_celery_beat.models import PeriodicTask

from outbox.digests import digest_period, digests_queue
from outbox.engine import deliver, outbox_sweep
from outbox.models import HELD, Digest, Notification, OutboxStatus
from outbox.preferences import Rhythm, settings_url
from outbox.registry import register_notification
from outbox.retention import outbox_purge
from outbox.services import notification_queue

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
KIND = "outbox.tests.digest_news"
ALWAYS = "outbox.tests.digest_always"


def _news(notification, cache):
    if notification.object_id == 0:
        return None  # what it was about is gone
    number = notification.object_id
    return EmailMessage(subject=f"{settings.EMAIL_SUBJECT_PREFIX}News number {number}",
                        body=f"Read it: {settings.SITE_URL}/news/{number}/\n", to=[notification.email])


def _plain(notification, cache):
    return EmailMessage(subject=f"Always #{notification.object_id}", body="Hi.", to=[notification.email])


register_notification(KIND, _news, label="Test news")
register_notification(ALWAYS, _plain, label="Test always", always=True)


@pytest.fixture
def person():
    return get_user_model().objects.create_user(
        email="digest@example.org", full_name="Dora Digest", language="sv",
        notification_rhythms={KIND: Rhythm.DAILY},
    )


def _queue(person, object_id, capture, kind=KIND):
    with capture(execute=True):
        return notification_queue(kind=kind, object_id=object_id, recipients=[person])


def _digest(capture, rhythm=Rhythm.DAILY, now=None):
    with capture(execute=True):
        return digests_queue(rhythm, now=now)


def test_a_held_notification_waits_for_the_digest_and_is_never_swept(person, django_capture_on_commit_callbacks):
    (row,) = _queue(person, 7, django_capture_on_commit_callbacks)
    assert (row.delivery_status, row.rhythm, row.queued_at) == (HELD, Rhythm.DAILY, None)
    assert mail.outbox == []
    assert outbox_sweep(now=row.created_at + datetime.timedelta(days=3))["Notification"] == 0
    assert deliver("outbox.notification", [row.pk]).sent == 0  # a stray send task does not send it either
    assert mail.outbox == []


def test_one_digest_lists_everything_since_the_last_and_a_second_run_sends_nothing(
    person, django_capture_on_commit_callbacks
):
    for number in (1, 2, 0):  # the third one's subject vanished: it is left out
        _queue(person, number, django_capture_on_commit_callbacks)
    assert _digest(django_capture_on_commit_callbacks) == 1
    (message,) = mail.outbox
    assert message.to == ["digest@example.org"]
    with override("sv"):
        assert message.subject == settings.EMAIL_SUBJECT_PREFIX + gettext("Your daily digest")
    assert "News number 1" in message.body and "News number 2" in message.body
    assert "/news/1/" in message.body and "/news/2/" in message.body
    assert settings_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    statuses = dict(Notification.objects.values_list("object_id", "delivery_status"))
    assert statuses == {1: OutboxStatus.SENT, 2: OutboxStatus.SENT, 0: OutboxStatus.SKIPPED}
    assert Digest.objects.get().delivery_status == OutboxStatus.SENT

    assert _digest(django_capture_on_commit_callbacks) == 0  # beat twice the same day
    # What comes after today's digest waits for tomorrow's.
    _queue(person, 3, django_capture_on_commit_callbacks)
    assert _digest(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert _digest(django_capture_on_commit_callbacks, now=tomorrow) == 1
    assert len(mail.outbox) == 2 and "News number 3" in mail.outbox[1].body


def test_an_empty_digest_is_not_sent(person, django_capture_on_commit_callbacks):
    assert _digest(django_capture_on_commit_callbacks) == 0  # nothing held: no digest at all
    _queue(person, 0, django_capture_on_commit_callbacks)  # held, but vanished by the morning
    _digest(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Digest.objects.get().delivery_status == OutboxStatus.SKIPPED
    assert Notification.objects.get().delivery_status == OutboxStatus.SKIPPED


def test_a_kind_turned_off_after_it_was_held_is_left_out(person, django_capture_on_commit_callbacks):
    _queue(person, 5, django_capture_on_commit_callbacks)
    person.notification_rhythms = {KIND: Rhythm.OFF}
    person.save()
    _digest(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_weekly_digests_are_one_per_iso_week(person, django_capture_on_commit_callbacks):
    person.notification_rhythms = {KIND: Rhythm.WEEKLY}
    person.save()
    _queue(person, 4, django_capture_on_commit_callbacks)
    monday = datetime.datetime(2027, 1, 11, 5, 0, tzinfo=datetime.UTC)  # 07:00 in Helsinki
    assert digest_period(Rhythm.WEEKLY, monday + datetime.timedelta(days=3)) == datetime.date(2027, 1, 11)
    assert _digest(django_capture_on_commit_callbacks, Rhythm.DAILY, now=monday) == 0  # not in the daily one
    assert _digest(django_capture_on_commit_callbacks, Rhythm.WEEKLY, now=monday) == 1
    _queue(person, 6, django_capture_on_commit_callbacks)
    assert _digest(django_capture_on_commit_callbacks, Rhythm.WEEKLY, now=monday + datetime.timedelta(days=2)) == 0
    assert len(mail.outbox) == 1


def test_always_kinds_ignore_the_choice(person, django_capture_on_commit_callbacks):
    person.notification_rhythms = {ALWAYS: Rhythm.OFF}
    person.save()
    (row,) = _queue(person, 9, django_capture_on_commit_callbacks, kind=ALWAYS)
    row.refresh_from_db()
    assert row.delivery_status == OutboxStatus.SENT and len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_sent_digests_and_their_items_are_purged_like_notifications(person, django_capture_on_commit_callbacks):
    _queue(person, 1, django_capture_on_commit_callbacks)
    _digest(django_capture_on_commit_callbacks)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=400)
    with time_machine.travel(later, tick=False):
        purged = outbox_purge()
    assert purged["Digest"] == 1 and purged["Notification"] == 1
    assert not Digest.objects.exists() and not Notification.objects.exists()


def test_a_held_notification_is_not_purged(person, django_capture_on_commit_callbacks):
    _queue(person, 1, django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=400), tick=False):
        outbox_purge()
    assert Notification.objects.get().delivery_status == HELD


@pytest.mark.parametrize(
    ("task", "last_run", "next_run"),
    [
        # Winter (UTC+2) and summer (UTC+3), and across both DST switches.
        ("outbox.tasks.send_daily_digests_task", "2027-01-14 07:00", "2027-01-15 07:00"),
        ("outbox.tasks.send_daily_digests_task", "2027-07-14 07:00", "2027-07-15 07:00"),
        ("outbox.tasks.send_daily_digests_task", "2027-03-27 07:00", "2027-03-28 07:00"),
        ("outbox.tasks.send_daily_digests_task", "2027-10-30 07:00", "2027-10-31 07:00"),
        ("outbox.tasks.send_weekly_digests_task", "2027-01-11 07:00", "2027-01-18 07:00"),
        ("outbox.tasks.send_weekly_digests_task", "2027-07-12 07:00", "2027-07-19 07:00"),
        ("outbox.tasks.send_weekly_digests_task", "2027-03-22 07:00", "2027-03-29 07:00"),
        ("outbox.tasks.send_weekly_digests_task", "2027-10-25 07:00", "2027-11-01 07:00"),
    ],
)
def test_beat_sends_digests_at_seven_helsinki_time_in_winter_and_summer(task, last_run, next_run):
    call_command("setup_periodic_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    periodic = PeriodicTask.objects.get(task=task)
    last = datetime.datetime.fromisoformat(last_run).replace(tzinfo=HELSINKI)
    with time_machine.travel(last + datetime.timedelta(minutes=1), tick=False):
        remaining = periodic.crontab.schedule.remaining_estimate(last)
        upcoming = (datetime.datetime.now(datetime.UTC) + remaining).astimezone(HELSINKI)
    assert upcoming.replace(tzinfo=None) == datetime.datetime.fromisoformat(next_run)
    # 07:00 in Helsinki is 05:00 UTC in winter and 04:00 UTC in summer.
    assert upcoming.astimezone(datetime.UTC).hour == (4 if upcoming.dst() else 5)
