"""Thin Celery tasks of the project level (see kumppanuus/schedules.py for when they run)."""

from celery import shared_task


@shared_task
def purge_outbox_task() -> dict:
    """Purges outbox rows past the retention period (settings.OUTBOX_RETENTION_DAYS); idempotent."""
    from kumppanuus.retention import outbox_purge

    return outbox_purge()
