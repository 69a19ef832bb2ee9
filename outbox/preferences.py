"""When a person hears of each kind of notification: at once, in a daily or weekly digest, or not at all.

A person's choices live in ``User.notification_rhythms`` (accounts/models.py), a JSON object
``{kind: rhythm}``; a kind that is not named there is sent at once. ``always`` kinds (decisions about
the person's own request) are sent at once whatever it says. "Agenda updated" messages are their own
row type (meetings.AgendaUpdate) and are chosen under ``AGENDA_UPDATE``, a kind meetings registers.

The unsubscribe token (List-Unsubscribe, RFC 8058) names the person and the kind, signed with the
SECRET_KEY: whoever holds the e-mail may turn that one kind off for that one person, nothing else.
"""

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kumppanuus.mail import absolute_url
from outbox.registry import notification_kind, notification_kinds


class Rhythm(models.TextChoices):
    NOW = "now", _("At once")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    OFF = "off", _("Off")


DIGEST_RHYTHMS = (Rhythm.DAILY, Rhythm.WEEKLY)
# The kind an unsubscribe token of a digest names: it turns off every kind the person gets in it.
DIGEST_KIND_PREFIX = "digest."
UNSUBSCRIBE_SALT = "outbox.unsubscribe"


def may_choose(kind: str) -> bool:
    """Whether the person may delay or turn off this kind (a registered kind that is not ``always``)."""
    try:
        return not notification_kind(kind).always
    except LookupError:
        return False


def rhythm_for(user, kind: str) -> str:
    """The rhythm ``user`` chose for ``kind``: at once for ``always`` kinds, people without an
    account and anything not chosen (or no longer a valid choice)."""
    if user is None or not may_choose(kind):
        return Rhythm.NOW
    chosen = (getattr(user, "notification_rhythms", None) or {}).get(kind, Rhythm.NOW)
    return chosen if chosen in Rhythm.values else Rhythm.NOW


def choosable_kinds() -> list[str]:
    return [kind for kind in notification_kinds() if may_choose(kind)]


def settings_url(kind: str | None = None) -> str:
    """The notification settings, at the choice that controls ``kind``."""
    url = absolute_url(reverse("accounts:profile"))
    return f"{url}#{settings_anchor(kind)}" if kind else f"{url}#notifications"


def settings_anchor(kind: str) -> str:
    return "notify-" + kind.replace(".", "-").replace("_", "-")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """(person id, kind) of a valid token no older than OUTBOX_UNSUBSCRIBE_DAYS, else None."""
    try:
        data = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=settings.OUTBOX_UNSUBSCRIBE_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute_url(reverse("accounts:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def add_list_unsubscribe(message, user, kind: str) -> None:
    """The List-Unsubscribe headers (RFC 2369, RFC 8058 one-click) for a kind ``user`` may turn off."""
    if user is None or not (may_choose(kind) or kind.startswith(DIGEST_KIND_PREFIX)):
        return
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url(user.pk, kind)}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
