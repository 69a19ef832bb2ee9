"""Thin Celery tasks: take ids, call a service. The sending state lives in the outbox rows.

A retried or duplicated send task is harmless: the service only sends rows it can move from
``queued`` to ``sending`` under a row lock. Retry waits stay far below the broker's visibility
timeout (settings.CELERY_VISIBILITY_TIMEOUT), or Redis would hand the waiting task to a second
worker as well.
"""

from celery import shared_task
from django.conf import settings

# Seconds, doubled on each retry (settings.OUTBOX_RETRY_FIRST_WAIT_SECONDS, _LONGEST_WAIT_SECONDS).
RETRY_FIRST_WAIT = settings.OUTBOX_RETRY_FIRST_WAIT_SECONDS
RETRY_LONGEST_WAIT = settings.OUTBOX_RETRY_LONGEST_WAIT_SECONDS


def retry_countdown(retries: int) -> int:
    ceiling = min(settings.OUTBOX_RETRY_LONGEST_WAIT_SECONDS, settings.CELERY_VISIBILITY_TIMEOUT // 4)
    return min(settings.OUTBOX_RETRY_FIRST_WAIT_SECONDS * 2**retries, ceiling)


def _retry_unsent(task, result):
    # The rows count their own attempts (delivery.MAX_ATTEMPTS); the task only keeps them moving.
    if result.retry_ids:
        raise task.retry(args=[result.retry_ids], countdown=retry_countdown(task.request.retries))
    return {"sent": result.sent, "skipped": result.skipped, "failed": result.failed}


@shared_task(bind=True, max_retries=None)
def send_invitations_task(self, invitation_ids: list[int]):
    from meetings.services import invitation_send_batch

    return _retry_unsent(self, invitation_send_batch(invitation_ids=invitation_ids))


@shared_task(bind=True, max_retries=None)
def send_meeting_reminders_task(self, reminder_ids: list[int]):
    from meetings.services import meeting_reminder_send_batch

    return _retry_unsent(self, meeting_reminder_send_batch(reminder_ids=reminder_ids))


@shared_task(bind=True, max_retries=None)
def send_action_item_reminders_task(self, reminder_ids: list[int]):
    from meetings.services import action_item_reminder_send_batch

    return _retry_unsent(self, action_item_reminder_send_batch(reminder_ids=reminder_ids))


@shared_task(
    autoretry_for=(OSError,), retry_backoff=RETRY_FIRST_WAIT, retry_backoff_max=RETRY_LONGEST_WAIT, max_retries=5
)
def send_waitlist_promotion_task(rsvp_id: int) -> int:
    """Tells a person they got a place from the waiting list (a plain notification, like organisations')."""
    from django.core.mail import get_connection

    from meetings.emails import MeetingMailData, waitlist_promotion_message
    from meetings.models import MeetingStatus, Rsvp

    rsvp = Rsvp.objects.select_related("invitation", "meeting__table").filter(pk=rsvp_id).first()
    if (
        rsvp is None
        or rsvp.waitlisted
        or rsvp.meeting.status != MeetingStatus.SCHEDULED
        or rsvp.invitation.is_anonymised  # the person has deleted their account
    ):
        return 0
    message = waitlist_promotion_message(rsvp, MeetingMailData(rsvp.meeting))
    with get_connection() as connection:
        return connection.send_messages([message])


# --- Periodic (see kumppanuus/schedules.py) ---------------------------------------------


@shared_task
def sweep_outbox_task() -> dict:
    from meetings.services import outbox_sweep

    return outbox_sweep()


@shared_task
def queue_meeting_reminders_task() -> int:
    from meetings.services import meeting_reminders_queue_due

    return len(meeting_reminders_queue_due())


@shared_task
def queue_action_item_reminders_task() -> int:
    from meetings.services import action_item_reminders_queue_due

    return len(action_item_reminders_queue_due())
