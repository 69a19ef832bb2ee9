"""How long the e-mail outbox keeps personal data (GDPR: storage limitation).

``settings.OUTBOX_RETENTION_DAYS`` (default 180) after sending, ``outbox_purge`` removes what the
outbox no longer needs. It runs nightly (kumppanuus/schedules.py). Each row type says what that
means for it (``RowType.retention``), and why, where it is registered:

* **Reminders and notifications** are only delivery records: who was told of what, and when. A
  finished row is deleted once it is older than the retention period *and* can never be due again,
  because reminder rows are also what stops a reminder from being sent twice (meetings/emails.py,
  tables/emails.py, outbox/notifications.py). Rows still queued or sending are never touched.
* **Invitations are not deleted.** An invitation row is also the meeting's register of invitees
  (RSVPs, attendance and the counts hang on it). The message itself is not stored (it is rendered
  when sent), so the only delivery detail it keeps is the mail server's last error, which may quote
  the address or the server's words about the recipient: for meetings that ended more than the
  retention period ago that error is cleared.

Deletes go in batches, each in its own short transaction, so the first run on a large database
does not hold locks on the outbox tables while the senders work.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from outbox.models import FINISHED
from outbox.registry import row_types

PURGE_BATCH = 5000


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)


def finished_before(cutoff: datetime.datetime) -> Q:
    """Finished rows sent before ``cutoff``; a skipped or failed row was never sent: its creation time counts."""
    return Q(delivery_status__in=FINISHED) & (Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, created_at__lt=cutoff))


def _delete_in_batches(queryset: models.QuerySet, batch_size: int) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return deleted
            deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]


def _update_in_batches(queryset: models.QuerySet, batch_size: int, **values) -> int:
    updated = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return updated
            updated += queryset.model.objects.filter(pk__in=ids).update(**values)


def outbox_purge(*, now: datetime.datetime | None = None, batch_size: int = PURGE_BATCH) -> dict[str, int]:
    """Applies every row type's retention rule. Never touches a row still queued or sending. Safe to
    run twice or concurrently: a second run finds nothing to do. Returns how many rows of each kind
    it purged (deleted or cleared)."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    purged = {}
    for kind in row_types():
        if kind.retention is None:
            continue
        rule = kind.retention(cutoff, now)
        count = 0
        if rule.delete is not None:
            count += _delete_in_batches(rule.delete.filter(delivery_status__in=FINISHED), batch_size)
        if rule.clear is not None:
            count += _update_in_batches(rule.clear.filter(delivery_status__in=FINISHED), batch_size,
                                        **rule.clear_values)
        purged[kind.model.__name__] = count
    return purged
