"""Digests: one e-mail per person and period listing the notifications held for it.

A notification a person chose to get in a daily or weekly digest is written ``held``
(outbox/services.py). Beat runs ``digests_queue`` at 07:00 Helsinki time every day and every
Monday (kumppanuus/schedules.py): for each person with held notifications of that rhythm not yet
in a digest, it creates the period's Digest row (unique per person, rhythm and period: a second
run, or two at once, find it and add nothing) and hands the held rows to it in the same
transaction. The engine then sends the Digest like any other row; its build lists each item (the
subject its kind's builder writes, in the person's language, and the item's link) and marks the
items sent in the transaction that sends the digest, so a digest and its items are sent at most
once. An item whose subject is gone (its builder returns None) or whose kind the person has turned
off is left out (skipped); a digest left empty is skipped, not sent.
"""

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kumppanuus.mail import render_mail, settings_link
from outbox.engine import queue_sends
from outbox.models import HELD, Digest, Notification, OutboxStatus
from outbox.notifications import build_notification
from outbox.preferences import DIGEST_KIND_PREFIX, Rhythm, add_list_unsubscribe, rhythm_for, settings_url
from outbox.registry import Retention, RowType, notification_kind, register
from outbox.retention import finished_before

_URL = re.compile(r"https?://[^\s<>\"']+")


def digest_period(rhythm: str, now: datetime.datetime) -> datetime.date:
    """The period a run at ``now`` belongs to: the Helsinki date, or the Monday of its ISO week."""
    today = timezone.localdate(now)
    return today if rhythm == Rhythm.DAILY else today - datetime.timedelta(days=today.weekday())


def digests_queue(rhythm: str, *, now: datetime.datetime | None = None) -> int:
    """Creates this period's digest of ``rhythm`` for everyone with held notifications not yet in
    one, and queues them to be sent once committed. Returns how many digests it created."""
    if rhythm not in (Rhythm.DAILY, Rhythm.WEEKLY):
        raise ValueError(f"Not a digest rhythm: {rhythm!r}")
    now = now or timezone.now()
    period = digest_period(rhythm, now)
    waiting = Notification.objects.filter(
        delivery_status=HELD, rhythm=rhythm, digest__isnull=True, user__isnull=False,
    )
    created_ids = []
    for user_id in sorted(set(waiting.values_list("user_id", flat=True))):
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(
                user_id=user_id, rhythm=rhythm, period=period,
                defaults={"delivery_status": OutboxStatus.QUEUED, "queued_at": now},
            )
            if not created:
                continue  # this period's digest exists: what came since waits for the next one
            # Under READ COMMITTED a row another run attached meanwhile fails the re-checked
            # condition, so each held row joins exactly one digest.
            waiting.filter(user_id=user_id).update(digest=digest)
            queue_sends(Digest, [digest.pk])
            created_ids.append(digest.pk)
    return len(created_ids)


def _link(message) -> str:
    """The item's link: the first of our own links in its text that is not a settings link."""
    ours = settings.SITE_URL
    for url in _URL.findall(message.body):
        if url.startswith(ours) and not url.startswith(f"{ours}/me/"):  # /me/: settings, unsubscribe
            return url.rstrip(".,)")
    return ""


def _build_digest(digest: Digest, cache: dict):
    user = digest.user
    if not user.is_active:
        return None
    items = list(digest.items.filter(delivery_status=HELD).order_by("created_at", "pk"))
    entries, told, left_out, seen = [], [], [], set()
    for item in items:
        item.user = user
        try:
            kind = notification_kind(item.kind)
        except LookupError:
            left_out.append(item.pk)  # a kind no longer sent at all
            continue
        if rhythm_for(user, item.kind) == Rhythm.OFF:
            left_out.append(item.pk)
            continue
        if (item.kind, item.object_id) in seen:
            told.append(item.pk)  # the same event twice (an agenda changed again): listed once
            continue
        message = build_notification(item, cache)
        if message is None:
            left_out.append(item.pk)  # what it was about is gone or decided meanwhile
            continue
        seen.add((item.kind, item.object_id))
        told.append(item.pk)
        entries.append({
            "label": kind.label or item.kind,
            "subject": message.subject.removeprefix(settings.EMAIL_SUBJECT_PREFIX),
            "link": _link(message),
        })
    Notification.objects.filter(pk__in=left_out).update(delivery_status=OutboxStatus.SKIPPED)
    if not entries:
        return None
    # In the transaction that sends the digest: rolled back with it if sending fails.
    Notification.objects.filter(pk__in=told).update(delivery_status=OutboxStatus.SENT, sent_at=timezone.now())
    token = settings_link.set(settings_url())
    try:
        message = render_mail(
            template="outbox/email/digest", recipient=user,
            context={"entries": entries, "rhythm": digest.rhythm, "period": digest.period},
        )
    finally:
        settings_link.reset(token)
    add_list_unsubscribe(message, user, DIGEST_KIND_PREFIX + digest.rhythm)
    return message


def _retention(cutoff, now) -> Retention:
    # A digest is a delivery record like the notifications it listed: deleted once finished and
    # older than the retention period. Its period is past by then, so it can never be due again.
    return Retention(delete=Digest.objects.filter(finished_before(cutoff)))


def register_digest_row_type() -> None:
    register(
        RowType(
            model=Digest, build=_build_digest, load_with=lambda rows: rows.select_related("user"),
            retention=_retention,
        )
    )
