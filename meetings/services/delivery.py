"""The outbox: sending invitations and reminders at most once each, whatever the broker and workers do.

Each outbox row (Invitation, MeetingReminder, ActionItemReminder) goes queued → sending → sent,
or back to queued with the error after a failed attempt, or failed after the last one.

* **Claim.** A batch locks its rows with ``SELECT … FOR UPDATE SKIP LOCKED``, keeps those still
  ``queued``, marks them ``sending`` and commits *before* talking to SMTP. A retried or duplicated
  task finds them no longer queued and skips them, so nobody is mailed twice.
* **Send.** One SMTP connection per batch. Before a message, if the batch's claim is older than
  a quarter of OUTBOX_STUCK_AFTER_SECONDS (at most RENEW_CLAIMS_EVERY seconds), the claim of every
  row still to send is renewed in one statement (``sending_at`` = now, only where the row is still
  ``sending``); a row the sweeper or an update re-queued meanwhile is left to whoever holds it now.
  So a slow but healthy batch never looks stuck to the sweeper, and a batch that stalled for longer
  than the threshold finds out before its next message. After each message the row is marked
  ``sent`` at once (again only if it is still ``sending``), so a crash loses at most the message in
  hand: one UPDATE per message (bench/fanout.py; renewing per message doubled that).
* **Fail.** A refused recipient (5xx) fails at once; anything else puts the row back to ``queued``
  with ``last_error`` and the task retries it with backoff, until ``MAX_ATTEMPTS``.
* **Sweep.** Rows left ``queued`` (the broker was down when the request committed) or stuck in
  ``sending`` (a worker died mid-batch) are queued again by a periodic sweeper, after
  settings.OUTBOX_REQUEUE_AFTER_SECONDS and OUTBOX_STUCK_AFTER_SECONDS. A worker that dies
  between the SMTP server accepting a message and the row being marked is the one case that can
  send twice (docs/faults.md); losing the message instead would be worse for an invitation.
"""

import datetime
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from meetings.models import (
    ActionItemReminder,
    ActionItemStatus,
    Invitation,
    InvitationKind,
    MeetingReminder,
    MeetingReminderKind,
    MeetingStatus,
    OutboxStatus,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 5
SMTP_TIMEOUT = 30  # seconds; a hung mail server must not hold a batch for ever
RENEW_CLAIMS_EVERY = 30  # seconds at most between renewals of a batch's claim (see _renew_interval)


@dataclass
class DeliveryResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry_ids: list[int] = field(default_factory=list)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def _queue_on_commit(task, ids: list[int]) -> None:
    """Queues send tasks once the rows are committed. ``robust``: a broker that is down must not
    fail the request that wrote the rows; they stay queued and the sweeper sends them."""
    for chunk in _chunks(sorted(ids)):
        transaction.on_commit(lambda chunk=chunk: task.delay(chunk), robust=True)


def queue_invitation_sends(ids: list[int]) -> None:
    from meetings.tasks import send_invitations_task

    _queue_on_commit(send_invitations_task, ids)


def queue_meeting_reminder_sends(ids: list[int]) -> None:
    from meetings.tasks import send_meeting_reminders_task

    _queue_on_commit(send_meeting_reminders_task, ids)


def queue_action_item_reminder_sends(ids: list[int]) -> None:
    from meetings.tasks import send_action_item_reminders_task

    _queue_on_commit(send_action_item_reminders_task, ids)


# --- The generic outbox steps ----------------------------------------------------


def _claim(model: type[models.Model], ids: list[int]) -> list[int]:
    """Marks the still-queued rows among ``ids`` as sending and commits; returns their ids."""
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, delivery_status=OutboxStatus.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if claimed:
            model.objects.filter(pk__in=claimed).update(
                delivery_status=OutboxStatus.SENDING, sending_at=now, attempts=F("attempts") + 1
            )
    return claimed


def _renew_interval() -> float:
    """How old a batch's claim may get before it is renewed: well inside the sweeper's threshold."""
    return min(RENEW_CLAIMS_EVERY, settings.OUTBOX_STUCK_AFTER_SECONDS / 4)


def _renew_claims(model, pks: list[int]) -> set[int]:
    """Restarts the ``sending`` clock of the rows still ours among ``pks`` and returns them; the
    others were re-queued meanwhile (by the sweeper, after a stall longer than
    OUTBOX_STUCK_AFTER_SECONDS, or by an update that queued a new message)."""
    with transaction.atomic():
        ours = list(
            model.objects.select_for_update()
            .filter(pk__in=pks, delivery_status=OutboxStatus.SENDING)
            .values_list("pk", flat=True)
        )
        model.objects.filter(pk__in=ours).update(sending_at=timezone.now())
    return set(ours)


def _mark(model, pk: int, status: str, **fields) -> bool:
    """Moves a row out of ``sending``; does nothing if it was re-queued meanwhile."""
    return bool(
        model.objects.filter(pk=pk, delivery_status=OutboxStatus.SENDING).update(delivery_status=status, **fields)
    )


def _message_id(model, key: str) -> str:
    """The same for every send of one message. A copy sent twice (a worker killed after the server
    took the message and before the row was marked sent, docs/faults.md) carries the Message-ID of
    the first, so mail systems that suppress duplicates deliver it once."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "kumppanuus.localhost"
    return f"<kumppanuus.{model._meta.model_name}.{key}@{domain}>"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _fail(model, row, error: BaseException, *, permanent: bool, result: DeliveryResult) -> None:
    if permanent or row.attempts >= MAX_ATTEMPTS:
        _mark(model, row.pk, OutboxStatus.FAILED, last_error=_describe(error), sending_at=None)
        result.failed += 1
        logger.warning("Giving up on %s %s: %s", model.__name__, row.pk, error)
    else:
        _mark(
            model, row.pk, OutboxStatus.QUEUED, last_error=_describe(error), sending_at=None, queued_at=timezone.now()
        )
        result.retry_ids.append(row.pk)


def _is_permanent(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _message in error.recipients.values())


def _deliver(
    model: type[models.Model],
    ids: list[int],
    *,
    load: Callable[[list[int]], list],
    build: Callable,
    sent_fields: Callable = lambda row: {},
    message_key: Callable = lambda row: str(row.pk),
) -> DeliveryResult:
    """Claims, renders and sends one batch over one SMTP connection. ``build`` returns the message,
    or None when the row is no longer needed (it is then marked skipped); ``message_key`` names the
    message for its Message-ID."""
    result = DeliveryResult()
    claimed = _claim(model, ids)
    if not claimed:
        return result
    pending = load(claimed)
    renewed_at = time.monotonic()  # _claim has just set sending_at
    connection = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT)
    try:
        connection.open()
        while pending:
            row = pending[0]
            try:
                message = build(row)
            except Exception as error:  # a rendering bug affects this row only
                logger.exception("Could not build %s %s", model.__name__, row.pk)
                pending.pop(0)
                _fail(model, row, error, permanent=False, result=result)
                continue
            if message is None:
                pending.pop(0)
                _mark(model, row.pk, OutboxStatus.SKIPPED, sending_at=None)
                result.skipped += 1
                continue
            message.extra_headers.setdefault("Message-ID", _message_id(model, message_key(row)))
            if time.monotonic() - renewed_at >= _renew_interval():
                ours = _renew_claims(model, [pending_row.pk for pending_row in pending])
                renewed_at = time.monotonic()
                # Rows no longer ours are left to whoever queued them again.
                pending = [pending_row for pending_row in pending if pending_row.pk in ours]
                if not pending or pending[0] is not row:
                    continue
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                pending.pop(0)
                _fail(model, row, error, permanent=_is_permanent(error), result=result)
                continue
            pending.pop(0)
            _mark(model, row.pk, OutboxStatus.SENT, sent_at=timezone.now(), last_error="", **sent_fields(row))
            result.sent += 1
    except (OSError, smtplib.SMTPException) as error:
        # The server is unreachable or dropped us: this row and the rest of the batch wait for a retry.
        logger.warning("Sending %s failed: %s", model.__name__, error)
        for row in pending:
            _fail(model, row, error, permanent=False, result=result)
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return result


# --- Invitations ---------------------------------------------------------------------


def invitation_send_batch(*, invitation_ids: list[int]) -> DeliveryResult:
    """Sends the queued invitations among the ids: at most once each, even if the task is retried
    or run twice. Each message is rendered from the meeting as it is now."""
    from meetings.emails import MeetingMailData, invitation_message

    shared: dict[int, MeetingMailData] = {}

    def load(ids):
        return list(Invitation.objects.filter(pk__in=ids).select_related("meeting__table").order_by("pk"))

    def build(invitation):
        meeting = invitation.meeting
        if meeting.status == MeetingStatus.DRAFT or invitation.is_anonymised:
            return None
        if meeting.status == MeetingStatus.CANCELLED and invitation.kind != InvitationKind.CANCEL:
            return None  # overtaken by the cancellation, which is queued separately
        if meeting.pk not in shared:
            shared[meeting.pk] = MeetingMailData(meeting)
        return invitation_message(invitation, shared[meeting.pk])

    def sent_fields(invitation):
        return {"sent_sequence": invitation.meeting.sequence, "sent_kind": invitation.kind}

    def message_key(invitation):
        # A new message (an update, a cancellation) is a new SEQUENCE or kind, so a new Message-ID.
        return f"{invitation.pk}.{invitation.kind}.{invitation.meeting.sequence}"

    return _deliver(
        Invitation, invitation_ids, load=load, build=build, sent_fields=sent_fields, message_key=message_key
    )


# --- Reminders -------------------------------------------------------------------------


def meeting_reminder_still_due(reminder: MeetingReminder) -> bool:
    """A reminder computed before the meeting moved, was cancelled, or the person answered, is dropped."""
    meeting, invitation = reminder.meeting, reminder.invitation
    if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at != reminder.for_starts_at:
        return False
    if meeting.starts_at <= timezone.now():
        return False
    if invitation.user is not None and not invitation.user.notify_meeting_reminders:
        return False
    rsvp = getattr(invitation, "rsvp", None)
    if reminder.kind == MeetingReminderKind.ATTENDING:
        return rsvp is not None and rsvp.is_attending
    return rsvp is None and meeting.rsvp_deadline is not None and meeting.rsvp_deadline > timezone.now()


def meeting_reminder_send_batch(*, reminder_ids: list[int]) -> DeliveryResult:
    from meetings.emails import MeetingMailData, meeting_reminder_message

    shared: dict = {}

    def load(ids):
        return list(
            MeetingReminder.objects.filter(pk__in=ids)
            .select_related("meeting__table", "invitation__user", "invitation__rsvp")
            .order_by("pk")
        )

    def build(reminder):
        if not meeting_reminder_still_due(reminder):
            return None
        if reminder.meeting_id not in shared:
            shared[reminder.meeting_id] = MeetingMailData(reminder.meeting)
        return meeting_reminder_message(reminder, shared[reminder.meeting_id])

    return _deliver(MeetingReminder, reminder_ids, load=load, build=build)


def action_item_reminder_send_batch(*, reminder_ids: list[int]) -> DeliveryResult:
    from meetings.emails import action_item_reminder_message

    def load(ids):
        return list(
            ActionItemReminder.objects.filter(pk__in=ids)
            .select_related("action_item__meeting__table", "user")
            .order_by("pk")
        )

    def build(reminder):
        item = reminder.action_item
        if (
            item.status != ActionItemStatus.OPEN
            or item.due_on is None
            or item.due_on >= timezone.localdate()
            or not reminder.user.is_active
            or not reminder.user.notify_action_items
        ):
            return None
        return action_item_reminder_message(reminder)

    return _deliver(ActionItemReminder, reminder_ids, load=load, build=build)


# --- The sweeper -----------------------------------------------------------------------


def outbox_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queues again what the broker never delivered and what a dead worker left half-done."""
    now = now or timezone.now()
    requeue_after = datetime.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    stuck_after = datetime.timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    swept = {}
    for model, queue, extra in (
        (Invitation, queue_invitation_sends, ~Q(meeting__status=MeetingStatus.DRAFT)),
        (MeetingReminder, queue_meeting_reminder_sends, Q()),
        (ActionItemReminder, queue_action_item_reminder_sends, Q()),
    ):
        with transaction.atomic():
            stale = model.objects.filter(extra).filter(
                Q(delivery_status=OutboxStatus.QUEUED)
                & (Q(queued_at__lt=now - requeue_after) | Q(queued_at__isnull=True))
                | Q(delivery_status=OutboxStatus.SENDING, sending_at__lt=now - stuck_after)
            )
            ids = list(stale.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
            if ids:
                # A fresh queued_at keeps the next sweep from queueing them again while they wait.
                model.objects.filter(pk__in=ids, delivery_status=OutboxStatus.SENDING).update(
                    last_error=gettext("Sending was interrupted; trying again.")
                )
                model.objects.filter(pk__in=ids).update(
                    delivery_status=OutboxStatus.QUEUED, queued_at=now, sending_at=None
                )
                queue(ids)
        swept[model.__name__] = len(ids)
    return swept
