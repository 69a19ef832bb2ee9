"""What the apps tell the outbox: their kinds of row, and how each message is built.

Each app registers in its ``AppConfig.ready()`` (through its ``emails.py``), so the outbox never
imports an app and every process (web, worker, beat, shell) knows every kind.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class RowType:
    """One kind of outbox row.

    ``build(row, cache)`` returns the message, or None when it is no longer needed (the row is then
    marked skipped); it is called with the row just locked and loaded through ``load_with`` (which
    adds the joins the build needs), so it sees the current state of what the message is about.
    ``cache`` lives for one batch: put what every message of the batch shares there. With
    ``reload_each`` the row is read again under its lock before each message; without it, it is
    built from the batch's load unless one of its ``version_fields`` changed, which is only right
    for a kind whose every other relevant change queues the row again (outbox/engine.py, _current).
    ``message_key`` names one message for its Message-ID (a new version of the message needs a new
    key); ``sent_fields`` are written with ``sent``.
    ``sweep_filter`` keeps rows out of the sweep (an invitation of a draft meeting). ``retention``
    says what the nightly purge does (outbox/retention.py).
    ``due(now)``, for a kind whose rows wait before they may be sent (an "agenda updated" message
    collects the changes of a few minutes), is the Q of the rows that may be sent at ``now``: no
    batch claims a row before it is due, and such rows are written with no ``queued_at``, so the
    sweeper (and outbox_release_due, every minute) hands each over once it is due.
    """

    model: type[models.Model]
    build: Callable[[models.Model, dict], EmailMessage | None]
    load_with: Callable[[models.QuerySet], models.QuerySet] = lambda rows: rows
    reload_each: bool = True
    version_fields: tuple[str, ...] = ()
    message_key: Callable[[models.Model], str] = lambda row: str(row.pk)
    sent_fields: Callable[[models.Model], dict] = lambda row: {}
    sweep_filter: Q = field(default_factory=Q)
    retention: Callable[[datetime.datetime, datetime.datetime], Retention] | None = None
    due: Callable[[datetime.datetime], Q] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass(frozen=True)
class Retention:
    """What the nightly purge does with a row type's finished rows older than the retention period:
    deletes ``delete``, and sets ``clear_values`` on ``clear`` (rows that must stay as records)."""

    delete: models.QuerySet | None = None
    clear: models.QuerySet | None = None
    clear_values: dict = field(default_factory=dict)


_row_types: dict[str, RowType] = {}


def register(row_type: RowType) -> None:
    _row_types[row_type.label] = row_type


def row_type(label: str) -> RowType:
    try:
        return _row_types[label]
    except KeyError:
        raise LookupError(f"No outbox row type {label!r} is registered; registered: {sorted(_row_types)}") from None


def row_types() -> list[RowType]:
    return [_row_types[label] for label in sorted(_row_types)]


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification. ``label`` is what a person's notification settings call it;
    ``always`` kinds are sent at once whatever the person chose (they cannot be delayed or turned off)."""

    name: str
    build: Callable
    label: str = ""
    always: bool = False


_notification_kinds: dict[str, NotificationKind] = {}


def register_notification(kind: str, build: Callable, *, label: str = "", always: bool = False) -> None:
    """``build(notification, cache)`` returns the message about ``notification.object_id`` for its
    recipient, or None when it is no longer needed (the request was withdrawn meanwhile)."""
    _notification_kinds[kind] = NotificationKind(name=kind, build=build, label=label, always=always)


def notification_kind(kind: str) -> NotificationKind:
    try:
        return _notification_kinds[kind]
    except KeyError:
        raise LookupError(f"No notification kind {kind!r} is registered") from None


def notification_builder(kind: str) -> Callable:
    return notification_kind(kind).build


def notification_kinds() -> list[str]:
    return sorted(_notification_kinds)
