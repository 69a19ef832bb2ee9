"""Thin Celery tasks of the outbox: take ids, call the engine. The sending state lives in the rows.

A retried or duplicated send task is harmless: the engine only sends rows it can move from
``queued`` to ``sending`` under a row lock. Retry waits stay far below the broker's visibility
timeout (settings.CELERY_VISIBILITY_TIMEOUT), or Redis would hand the waiting task to a second
worker as well.
"""

from celery import shared_task
from django.conf import settings

from outbox import digests, engine, retention
from outbox.preferences import Rhythm


def retry_countdown(retries: int) -> int:
    """Seconds before a retry: OUTBOX_RETRY_FIRST_WAIT_SECONDS doubled each time, up to the longest wait
    and always under a quarter of the visibility timeout."""
    ceiling = min(settings.OUTBOX_RETRY_LONGEST_WAIT_SECONDS, settings.CELERY_VISIBILITY_TIMEOUT // 4)
    return min(settings.OUTBOX_RETRY_FIRST_WAIT_SECONDS * 2**retries, ceiling)


@shared_task(bind=True, max_retries=None, name=engine.SEND_TASK)
def send_outbox_task(self, label: str, ids: list[int]):
    """Sends one batch of one kind of row. The rows count their own attempts (engine.MAX_ATTEMPTS);
    the task only keeps them moving."""
    result = engine.deliver(label, ids)
    if result.retry_ids:
        raise self.retry(args=[label, result.retry_ids], countdown=retry_countdown(self.request.retries))
    return {"sent": result.sent, "skipped": result.skipped, "failed": result.failed}


# --- Periodic (see kumppanuus/schedules.py) ---------------------------------------------


@shared_task
def sweep_outbox_task() -> dict:
    return engine.outbox_sweep()


@shared_task
def release_due_outbox_task() -> dict:
    """Hands over the messages that waited for their time (an "agenda updated" message) once due."""
    return engine.outbox_release_due()


@shared_task
def purge_outbox_task() -> dict:
    """Purges outbox rows past the retention period (settings.OUTBOX_RETENTION_DAYS); idempotent."""
    return retention.outbox_purge()


@shared_task
def send_daily_digests_task() -> int:
    """Creates and sends today's daily digests (outbox/digests.py); a second run sends nothing more."""
    return digests.digests_queue(Rhythm.DAILY)


@shared_task
def send_weekly_digests_task() -> int:
    """Creates and sends this week's weekly digests; a second run in the same week sends nothing more."""
    return digests.digests_queue(Rhythm.WEEKLY)
