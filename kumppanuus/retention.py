"""How long the e-mail outbox keeps personal data (GDPR: storage limitation).

``settings.OUTBOX_RETENTION_DAYS`` (default 180) after sending, ``outbox_purge`` removes what the
outbox no longer needs. It runs nightly (kumppanuus/schedules.py). What it does with each kind of
outbox row, and why:

* **Meeting reminders, action item reminders and evaluation reminders** are only delivery
  records: who was reminded of what, and when. A delivered (or skipped, or finally failed) row is
  deleted once it is older than the retention period *and* can never be due again, because these
  rows are also what stops a reminder from being sent twice: for a meeting reminder, the meeting
  has started; for an action item reminder, its week is over; for an evaluation reminder, the
  evaluation is closed or its due date is past the retention period too. Rows still queued or
  sending are never touched.
* **Invitations are not deleted.** An invitation row is also the meeting's register of invitees:
  the RSVP hangs on it (``Rsvp.invitation``), attendance is recorded against it and the
  registration counts are counted from it. The message itself is not stored (it is rendered from
  the meeting when sent), so the only delivery detail the row keeps is the mail server's last
  error, which may quote the address or the server's words about the recipient. For meetings that
  ended more than the retention period ago that error is cleared; the delivery state and time
  stay, as the record that the person was told of the meeting. The invitee's name and address
  stay with the meeting's records until the person deletes their account (then the row is
  anonymised: kumppanuus/personal_data/).

Deletes go in batches, each in its own short transaction, so the first run on a large database
does not hold locks on the outbox tables while the senders work.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from meetings.models import ActionItemReminder, Invitation, MeetingReminder, OutboxStatus
from meetings.services.reminders import week_start
from tables.models import EvaluationReminder, EvaluationStatus

PURGE_BATCH = 5000
# Rows in these states are finished: nothing will send them again.
DONE = (OutboxStatus.SENT, OutboxStatus.SKIPPED, OutboxStatus.FAILED)


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)


def _finished_before(cutoff: datetime.datetime) -> Q:
    # A skipped or failed row was never sent: its creation time counts instead.
    return Q(delivery_status__in=DONE) & (Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, created_at__lt=cutoff))


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
    """Deletes the finished reminders older than the retention period that can never be due again,
    and clears the delivery errors of invitations to meetings that ended before it. Never touches a
    row still queued or sending, an RSVP or an attendance row. Safe to run twice or concurrently:
    a second run finds nothing to do. Returns how many rows of each kind it purged."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    return {
        "MeetingReminder": _delete_in_batches(
            MeetingReminder.objects.filter(_finished_before(cutoff), meeting__starts_at__lt=now),
            batch_size,
        ),
        "ActionItemReminder": _delete_in_batches(
            ActionItemReminder.objects.filter(_finished_before(cutoff), week__lt=week_start(timezone.localdate(now))),
            batch_size,
        ),
        "EvaluationReminder": _delete_in_batches(
            EvaluationReminder.objects.filter(sent_at__lt=cutoff).filter(
                Q(evaluation__status=EvaluationStatus.CLOSED) | Q(evaluation__due_on__lt=timezone.localdate(cutoff))
            ),
            batch_size,
        ),
        "Invitation": _update_in_batches(
            Invitation.objects.filter(delivery_status__in=DONE, meeting__ends_at__lt=cutoff).exclude(last_error=""),
            batch_size,
            last_error="",
        ),
    }
