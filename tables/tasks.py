"""Thin Celery tasks of tables: take ids, call a service. E-mail leaves through the outbox (outbox/tasks.py)."""

from celery import shared_task

from tables.services import evaluation_reminders_send


@shared_task
def send_evaluation_reminders_task() -> dict:
    """Daily (kumppanuus/schedules.py): opens the year's evaluations and queues the notices due today.

    Safe to run twice or at once: every notice is one outbox row per (evaluation, person, kind).
    """
    return evaluation_reminders_send()
