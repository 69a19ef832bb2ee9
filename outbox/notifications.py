"""The outbox's own row type: one notification to one person, built by the builder of its kind."""

from django.core.mail import EmailMessage

from outbox.models import FINISHED, Notification
from outbox.registry import Retention, RowType, notification_builder, register


def _build(notification: Notification, cache: dict) -> EmailMessage | None:
    if notification.user is not None and not notification.user.is_active:
        return None  # the person left meanwhile
    return notification_builder(notification.kind)(notification, cache)


def _retention(cutoff, now) -> Retention:
    # A notification is only a delivery record: once finished and older than the retention period
    # it is deleted (a skipped or failed one was never sent: its creation time counts).
    return Retention(
        delete=Notification.objects.filter(delivery_status__in=FINISHED, created_at__lt=cutoff),
    )


def register_row_type() -> None:
    register(
        RowType(
            model=Notification, build=_build, load_with=lambda rows: rows.select_related("user"), retention=_retention
        )
    )
