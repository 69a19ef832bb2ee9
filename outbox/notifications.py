"""The outbox's own row type: one notification to one person, built by the builder of its kind.

Every notification goes through ``_build`` here, whoever registered its kind: a kind the person
turned off after it was queued is skipped, the message's "Notification settings" link points at the
choice that controls the kind, and a kind the person may turn off carries ``List-Unsubscribe``
(outbox/preferences.py). Digests (outbox/digests.py) build their items through ``build_notification``.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.translation import gettext, override

from kumppanuus.mail import settings_link
from outbox.models import FINISHED, Notification
from outbox.preferences import Rhythm, add_list_unsubscribe, rhythm_for, settings_url
from outbox.registry import Retention, RowType, notification_builder, register


def build_notification(notification: Notification, cache: dict) -> EmailMessage | None:
    """The kind's message for the notification, its settings link pointing at the kind's choice."""
    token = settings_link.set(settings_url(notification.kind))
    try:
        return notification_builder(notification.kind)(notification, cache)
    finally:
        settings_link.reset(token)


def _ensure_settings_link(message: EmailMessage, notification: Notification) -> None:
    """A builder whose templates forgot the settings link gets it appended: every notification ends with it."""
    url = settings_url(notification.kind)
    if url in message.body:
        return
    language = getattr(notification.user, "language", None)
    with override(language or settings.LANGUAGE_CODE):
        line = f"{gettext('Notification settings')}: {url}"
    message.body = f"{message.body.rstrip()}\n\n--\n{line}\n"
    if isinstance(message, EmailMultiAlternatives):
        message.alternatives = [
            alternative._replace(content=alternative.content.replace(
                "</body>", f'<p><small><a href="{url}">{line}</a></small></p></body>'
            )) if alternative.mimetype == "text/html" and url not in alternative.content else alternative
            for alternative in message.alternatives
        ]


def _build(notification: Notification, cache: dict) -> EmailMessage | None:
    user = notification.user
    if user is not None and not user.is_active:
        return None  # the person left meanwhile
    if rhythm_for(user, notification.kind) == Rhythm.OFF:
        return None  # turned off after it was queued
    message = build_notification(notification, cache)
    if message is not None:
        _ensure_settings_link(message, notification)
        add_list_unsubscribe(message, user, notification.kind)
    return message


def _retention(cutoff, now) -> Retention:
    # A notification is only a delivery record: once finished and older than the retention period
    # it is deleted (a skipped or failed one was never sent: its creation time counts). A held one
    # is not finished: it waits for its digest, which finishes it.
    return Retention(
        delete=Notification.objects.filter(delivery_status__in=FINISHED, created_at__lt=cutoff),
    )


def register_row_type() -> None:
    from outbox.digests import register_digest_row_type

    register(
        RowType(
            model=Notification, build=_build, load_with=lambda rows: rows.select_related("user"), retention=_retention
        )
    )
    register_digest_row_type()
