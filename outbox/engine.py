"""The one way an e-mail leaves Kumppanuus: claim, build, send, mark; retry, fail, sweep.

Every outbox row (outbox.models.OutboxRow) goes queued → sending → sent, or back to queued with
the error after a failed attempt, or failed after the last one, or skipped when the message was
no longer needed when its turn came.

* **Claim.** A batch locks its rows with ``SELECT … FOR UPDATE SKIP LOCKED``, keeps those still
  ``queued``, marks them ``sending`` with a fresh ``claim_token`` and commits *before* talking to
  SMTP. A retried or duplicated task finds them no longer queued and skips them.
* **Send, one message at a time under the row's lock.** For each row the batch locks it again
  (``FOR UPDATE``, only if it still carries the batch's token), loads it with what the message is
  about, builds the message from that *current* state, sends it and marks the row ``sent`` in the
  same transaction. So a service that queues a row again (a meeting moved or cancelled) waits at
  most for the one message in hand, and then the row is queued afresh and its next sender builds
  the new version: the last message a person gets is the current one. A row whose token changed
  (an update, or the sweeper after a stall) is left to whoever holds it now, so it is not sent
  twice.
* **Renew.** Before a message, if the batch's claim is older than a quarter of
  OUTBOX_STUCK_AFTER_SECONDS (at most RENEW_CLAIMS_EVERY seconds), the ``sending_at`` of every row
  still to send that still carries the token is renewed in one statement, so a slow but healthy
  batch never looks stuck to the sweeper.
* **Fail.** A refused recipient (5xx) fails at once; anything else puts the row back to
  ``queued`` with ``last_error`` and the task retries it with backoff, until ``MAX_ATTEMPTS``.
* **Sweep.** Rows left ``queued`` (the broker was down when the request committed) or stuck in
  ``sending`` (a worker died mid-batch) are queued again by a periodic sweeper, after
  OUTBOX_REQUEUE_AFTER_SECONDS and OUTBOX_STUCK_AFTER_SECONDS. A worker that dies after the SMTP
  server was given the end of a message's DATA and before the row's transaction committed is the
  one case that can send twice (docs/faults.md); losing the message instead would be worse.
"""

import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from kumppanuus.celery import app
from outbox.models import OutboxStatus
from outbox.registry import RowType, row_type, row_types

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 5
SMTP_TIMEOUT = 30  # seconds; a hung mail server must not hold a batch (or a row lock) for ever
RENEW_CLAIMS_EVERY = 30  # seconds at most between renewals of a batch's claim (see _renew_interval)
# The task is named, not imported: tasks import services, never the other way round (docs/architecture.md).
SEND_TASK = "outbox.tasks.send_outbox_task"


@dataclass
class DeliveryResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry_ids: list[int] = field(default_factory=list)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def queue_sends(model: type[models.Model], ids: Iterable[int]) -> None:
    """Queues send tasks for the rows once they are committed. ``robust``: a broker that is down
    must not fail the request that wrote the rows; they stay queued and the sweeper sends them."""
    label = model._meta.label_lower
    for chunk in _chunks(sorted(ids)):
        transaction.on_commit(
            lambda chunk=chunk: app.signature(SEND_TASK, args=[label, chunk]).delay(), robust=True
        )


# --- The steps of a batch ---------------------------------------------------------------


def _claim(model: type[models.Model], ids: list[int], token: str, *, due: Q | None = None) -> list[int]:
    """Marks the still-queued rows among ``ids`` (that are ``due``, for a kind whose rows wait) as
    sending by this batch and commits; returns their ids. A row not due yet stays queued."""
    with transaction.atomic():
        claimed = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, delivery_status=OutboxStatus.QUEUED)
            .filter(due or Q())
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if claimed:
            model.objects.filter(pk__in=claimed).update(
                delivery_status=OutboxStatus.SENDING, sending_at=timezone.now(), attempts=F("attempts") + 1,
                claim_token=token,
            )
    return claimed


def _renew_interval() -> float:
    """How old a batch's claim may get before it is renewed: well inside the sweeper's threshold."""
    return min(RENEW_CLAIMS_EVERY, settings.OUTBOX_STUCK_AFTER_SECONDS / 4)


def _renew_claims(model: type[models.Model], pks: list[int], token: str) -> set[int]:
    """Restarts the ``sending`` clock of the rows among ``pks`` that still carry the batch's token
    and returns those still ours. Rows locked by someone else right now (a service queueing them
    again) are skipped, never waited for: waiting while holding other rows' locks could deadlock."""
    with transaction.atomic():
        free = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(pk__in=pks, claim_token=token)
            .values_list("pk", flat=True)
        )
        model.objects.filter(pk__in=free).update(sending_at=timezone.now())
    return set(model.objects.filter(pk__in=pks, claim_token=token).values_list("pk", flat=True))


def _mark(model: type[models.Model], pk: int, token: str, status: str, **values) -> bool:
    """Moves a row of this batch out of ``sending``; does nothing if it was queued again meanwhile.

    Written as one prepared statement per model and set of fields rather than through the ORM: it
    runs once per message, and building the query was a large part of its cost (docs/performance.md).
    """
    values = {"delivery_status": status, "claim_token": "", "sending_at": None, **values}
    sql, fields = _mark_statement(model, tuple(values))
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk, token])
        return cursor.rowcount == 1


_mark_statements: dict[tuple, tuple[str, list]] = {}


def _mark_statement(model: type[models.Model], names: tuple[str, ...]) -> tuple[str, list]:
    key = (model, names)
    if key not in _mark_statements:
        quote = connection.ops.quote_name
        fields = [model._meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s AND {quote('claim_token')} = %s"
        )
        _mark_statements[key] = (sql, fields)
    return _mark_statements[key]


def message_id(kind: RowType, key: str) -> str:
    """The same for every send of one message. A copy sent twice (a worker killed after the server
    took the message and before the row was marked sent, docs/faults.md) carries the Message-ID of
    the first, so mail systems that suppress duplicates deliver it once."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "kumppanuus.localhost"
    return f"<kumppanuus.{kind.model._meta.model_name}.{key}@{domain}>"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _fail(kind: RowType, pk: int, attempts: int, token: str, error: BaseException, *, permanent: bool,
          result: DeliveryResult) -> None:
    if permanent or attempts >= MAX_ATTEMPTS:
        if _mark(kind.model, pk, token, OutboxStatus.FAILED, last_error=_describe(error)):
            result.failed += 1
            logger.warning("Giving up on %s %s: %s", kind.label, pk, error)
    elif _mark(kind.model, pk, token, OutboxStatus.QUEUED, last_error=_describe(error), queued_at=timezone.now()):
        result.retry_ids.append(pk)


def _is_permanent(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _message in error.recipients.values())


class _Failed(Exception):
    """Leaves the row's transaction (rolling back anything the build wrote) with the reason."""

    def __init__(self, error: BaseException, attempts: int, *, permanent: bool):
        self.error, self.attempts, self.permanent = error, attempts, permanent


def _lock(kind: RowType, pk: int, token: str) -> tuple | None:
    """Locks the row for this transaction if it still carries the batch's token, returning its
    ``version_fields`` (or None when it is no longer ours); one prepared statement, as it runs once
    per message."""
    model = kind.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in kind.version_fields) or "1"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite runs one writer anyway
    sql = (
        f"SELECT {columns} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} = %s AND {quote('claim_token')} = %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, token])
        found = cursor.fetchone()
    if found is None:
        return None
    # Raw values: where one compares unequal to the loaded field only by type (a date on SQLite),
    # the row is simply read again.
    return tuple(found) if kind.version_fields else ()


def _current(kind: RowType, pk: int, token: str, loaded: dict):
    """The row to build from, locked, or None if it is no longer this batch's.

    A kind whose message depends on the row's ``version_fields`` and on changes that queue the row
    again (an invitation: every change of the meeting that is sent queues every invitation again,
    clearing the token, in the transaction that changes it) is built from the batch's load while
    the token is ours and those fields are unchanged. Any other kind, or a row whose version fields
    changed (a revoked link, a deleted account), is read again under the lock."""
    if not kind.reload_each:
        version = _lock(kind, pk, token)
        if version is None:
            return None
        row = loaded.get(pk)
        if row is not None and version == tuple(getattr(row, name) for name in kind.version_fields):
            return row
    rows = kind.load_with(kind.model.objects.select_for_update(of=("self",))).filter(pk=pk, claim_token=token)
    return next(iter(rows), None)


def _send_one(kind: RowType, pk: int, token: str, mail, cache: dict, loaded: dict,
              result: DeliveryResult) -> None:
    """Locks the row, builds its message from the current state, sends it and marks it, in one transaction.

    Holding the row's lock while the message is with the mail server is what orders the messages
    of one row: whoever queues the row again waits for this one to be sent and marked.
    """
    model = kind.model
    try:
        with transaction.atomic():
            row = _current(kind, pk, token, loaded)
            if row is None:
                return  # queued again meanwhile: whoever holds it now sends its current version
            try:
                message = kind.build(row, cache)
            except Exception as error:  # a rendering bug affects this row only
                logger.exception("Could not build %s %s", kind.label, pk)
                raise _Failed(error, row.attempts, permanent=False) from error
            if message is None:
                _mark(model, pk, token, OutboxStatus.SKIPPED)
                result.skipped += 1
                return
            message.extra_headers.setdefault("Message-ID", message_id(kind, kind.message_key(row)))
            try:
                mail.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                raise _Failed(error, row.attempts, permanent=_is_permanent(error)) from error
            _mark(model, pk, token, OutboxStatus.SENT, sent_at=timezone.now(), last_error="", **kind.sent_fields(row))
            result.sent += 1
    except _Failed as failure:
        _fail(kind, pk, failure.attempts, token, failure.error, permanent=failure.permanent, result=result)


def deliver(label: str, ids: list[int]) -> DeliveryResult:
    """Sends the queued rows of one kind among ``ids`` over one SMTP connection: at most once each,
    even if the task is retried or run twice, each built from what it is about as it is now."""
    kind = row_type(label)
    model = kind.model
    result = DeliveryResult()
    token = uuid.uuid4().hex
    pending = _claim(model, ids, token, due=kind.due(timezone.now()) if kind.due else None)
    if not pending:
        return result
    loaded = {} if kind.reload_each else {row.pk: row for row in kind.load_with(model.objects.filter(pk__in=pending))}
    renewed_at = time.monotonic()  # _claim has just set sending_at
    cache: dict = {}
    mail = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT)
    try:
        mail.open()
        while pending:
            if time.monotonic() - renewed_at >= _renew_interval():
                ours = _renew_claims(model, pending, token)
                renewed_at = time.monotonic()
                pending = [pk for pk in pending if pk in ours]  # the others are someone else's now
                continue
            _send_one(kind, pending[0], token, mail, cache, loaded, result)
            pending.pop(0)
    except (OSError, smtplib.SMTPException) as error:
        # The server is unreachable or dropped us: this row and the rest of the batch wait for a retry.
        logger.warning("Sending %s failed: %s", kind.label, error)
        attempts = dict(model.objects.filter(pk__in=pending).values_list("pk", "attempts"))
        for pk in pending:  # one statement a row: no multi-row lock to deadlock with a service
            _fail(kind, pk, attempts.get(pk, MAX_ATTEMPTS), token, error, permanent=False, result=result)
    finally:
        try:
            mail.close()
        except (OSError, smtplib.SMTPException):
            pass
    return result


# --- The sweeper ----------------------------------------------------------------------------


def outbox_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queues again what the broker never delivered and what a dead or stalled worker left half-done.

    The rows are stamped ``queued_at = now`` under their locks, so a second sweeper running at the
    same moment leaves them alone; the tasks are published once that commits. If the broker refuses
    them, the rows' clocks are set back to stale, so the next sweep after the broker is back takes
    them at once instead of a whole OUTBOX_REQUEUE_AFTER_SECONDS later.
    """
    now = now or timezone.now()
    requeue_after = datetime.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    stuck_after = datetime.timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    swept = {}
    for kind in row_types():
        model = kind.model
        with transaction.atomic():
            stale = model.objects.filter(kind.sweep_filter).filter(
                Q(delivery_status=OutboxStatus.QUEUED)
                & (Q(queued_at__lt=now - requeue_after) | Q(queued_at__isnull=True))
                & (kind.due(now) if kind.due else Q())
                | Q(delivery_status=OutboxStatus.SENDING, sending_at__lt=now - stuck_after)
            )
            ids = list(stale.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
            if ids:
                model.objects.filter(pk__in=ids, delivery_status=OutboxStatus.SENDING).update(
                    last_error=gettext("Sending was interrupted; trying again.")
                )
                model.objects.filter(pk__in=ids).update(
                    delivery_status=OutboxStatus.QUEUED, claim_token="", sending_at=None, queued_at=now
                )
                transaction.on_commit(
                    lambda model=model, ids=ids: _hand_over(model, ids, stamped=now, stale=now - requeue_after)
                )
        swept[model.__name__] = len(ids)
    return swept


def outbox_release_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hands over the rows that waited (a kind with ``due``) and are due now: rows still queued that
    no task was ever queued for (``queued_at`` empty). Run every minute, so a message that waits
    for a window goes out within a minute of it closing; the sweeper does the same every few minutes,
    so a missed run delays and never loses one. Two runs at once stamp each row under its lock, and
    the claim sends it once whatever happens."""
    now = now or timezone.now()
    released = {}
    for kind in row_types():
        if kind.due is None:
            continue
        model = kind.model
        with transaction.atomic():
            due = model.objects.filter(kind.sweep_filter).filter(
                kind.due(now), delivery_status=OutboxStatus.QUEUED, queued_at__isnull=True
            )
            ids = list(due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
            if ids:
                model.objects.filter(pk__in=ids).update(queued_at=now)
                # Stale again if the broker refuses them: the sweeper then takes them at its next run.
                transaction.on_commit(
                    lambda model=model, ids=ids: _hand_over(model, ids, stamped=now, stale=None)
                )
        released[model.__name__] = len(ids)
    return released


def _hand_over(model: type[models.Model], ids: list[int], *, stamped: datetime.datetime,
               stale: datetime.datetime | None) -> None:
    """Publishes the send tasks of swept rows; rows whose task the broker refused get their stale
    clock back (only if nobody touched them since)."""
    label = model._meta.label_lower
    chunks = list(_chunks(sorted(ids)))
    for position, chunk in enumerate(chunks):
        try:
            app.signature(SEND_TASK, args=[label, chunk]).delay()
        except Exception as error:  # the broker is down
            logger.warning("Could not queue swept %s rows: %s", label, error)
            refused = [pk for rest in chunks[position:] for pk in rest]
            model.objects.filter(pk__in=refused, delivery_status=OutboxStatus.QUEUED, queued_at=stamped).update(
                queued_at=stale
            )
            return
