"""Writes of the outbox: queueing a notification to the people an event concerns."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kumppanuus.addresses import normalise_email
from outbox.engine import queue_sends
from outbox.models import HELD, Notification, OutboxStatus
from outbox.preferences import DIGEST_RHYTHMS, Rhythm, rhythm_for
from outbox.registry import notification_builder


def notification_queue(*, kind: str, object_id: int, recipients: Iterable) -> list[Notification]:
    """Queues one notification per recipient (a person, or a row with ``email`` and ``user``, such as
    an invitation of someone who may have no account), sent once the caller's transaction commits.

    One row per address, so a mail server refusing one person holds back nobody else and a retry
    never mails anyone twice. People without an address are left out.

    Each person's choice for the kind (outbox/preferences.py) decides: at once, a row queued as
    above; off, no row; a daily or weekly digest, a row held for it (never sent by itself; the next
    digest run of that rhythm lists it, outbox/digests.py).
    """
    notification_builder(kind)  # an unknown kind fails here, in the service, not later in a worker
    now = timezone.now()
    rows, seen = [], set()
    for recipient in recipients:
        email = normalise_email(getattr(recipient, "email", "") or "")
        if not email or email in seen:
            continue
        seen.add(email)
        user = recipient if isinstance(recipient, get_user_model()) else getattr(recipient, "user", None)
        rhythm = rhythm_for(user, kind)
        if rhythm == Rhythm.OFF:
            continue
        held = rhythm in DIGEST_RHYTHMS
        rows.append(
            Notification(
                kind=kind, object_id=object_id, user=user, email=email,
                delivery_status=HELD if held else OutboxStatus.QUEUED, queued_at=None if held else now,
                rhythm=rhythm if held else "",
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        queue_sends(Notification, [row.pk for row in created if row.delivery_status == OutboxStatus.QUEUED])
    return created
