"""Thin Celery tasks of meetings: take ids, call a service. E-mail leaves through the outbox
(outbox/tasks.py); these only find the reminders that are due."""

from celery import shared_task

from meetings.services import (
    action_item_due_soon_queue,
    action_item_reminders_queue_due,
    meeting_reminders_queue_due,
)

# --- Periodic (see kumppanuus/schedules.py) ---------------------------------------------


@shared_task
def queue_meeting_reminders_task() -> int:
    return len(meeting_reminders_queue_due())


@shared_task
def queue_action_item_reminders_task() -> int:
    return len(action_item_reminders_queue_due())


@shared_task
def queue_action_item_due_soon_task() -> int:
    return len(action_item_due_soon_queue())
