"""The delivery state every outbox row shares, and the one row type of the outbox's own."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kumppanuus.addresses import NormalisedEmailField


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # A message that was no longer needed when its turn came (the meeting moved, the person cancelled).
    SKIPPED = "skipped", _("Not needed")


# A notification the person gets in a digest (outbox/digests.py): never claimed, sent or swept by
# itself (the engine only takes "queued" and "sending" rows); the digest that lists it marks it sent
# (or skipped) in the transaction that sends the digest. Only notifications are ever held, so the
# state is a choice of Notification's alone.
HELD = "held"
NotificationStatus = models.TextChoices(
    "NotificationStatus", [*((value, (value, label)) for value, label in OutboxStatus.choices),
                           ("HELD", (HELD, _("Held for a digest")))],
)


# Rows in these states are finished: nothing will send them again.
FINISHED = (OutboxStatus.SENT, OutboxStatus.SKIPPED, OutboxStatus.FAILED)


class OutboxRow(models.Model):
    """Delivery state of one e-mail to one person: queued → sending → sent, or failed after the last retry.

    ``claim_token`` names the batch that holds a row in ``sending``: a batch renews, marks and
    sends only rows that still carry its token, so a row that an update or the sweeper queued
    again meanwhile is left to whoever holds it now (outbox/engine.py).
    """

    delivery_status = models.CharField(
        _("delivery status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    sending_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claim_token = models.CharField(_("claimed by batch"), max_length=32, blank=True, editable=False)

    class Meta:
        abstract = True


class Notification(OutboxRow):
    """One e-mail to one person about one event: an eligibility decision, a membership request or
    decision, a standing-member request or decision, a place from the waiting list, ...

    ``kind`` names the builder an app registered for it (outbox.registry.register_notification),
    ``object_id`` the row the event is about; the message is rendered from that row as it is when
    it is sent, in the recipient's language.
    """

    delivery_status = models.CharField(
        _("delivery status"), max_length=10, choices=NotificationStatus.choices, default=OutboxStatus.QUEUED,
    )
    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("about"))
    # Null for a person without an account (an invitee added by address); deleting an account
    # deletes the notifications still addressed to it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("person"),
    )
    email = NormalisedEmailField(_("e-mail address"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # For a held notification: the digest it waits for ("daily" or "weekly", outbox.preferences.Rhythm),
    # and, once a digest run took it, that digest. Empty for a notification sent at once.
    rhythm = models.CharField(_("digest"), max_length=10, blank=True)
    digest = models.ForeignKey(
        "outbox.Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="items",
        verbose_name=_("digest"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["delivery_status", "queued_at"], name="notification_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
            models.Index(
                fields=["rhythm", "user"], name="notification_held",
                condition=Q(delivery_status="held", digest__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} → {self.email}"


class Digest(OutboxRow):
    """One e-mail to one person listing the notifications held for their daily or weekly digest
    (outbox/digests.py). One per person, rhythm and period (the Helsinki day, or the Monday of the
    ISO week): a second run of the same period finds the row and adds nothing, so nobody gets two."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", verbose_name=_("person"),
    )
    rhythm = models.CharField(_("rhythm"), max_length=10)
    period = models.DateField(_("period"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "rhythm", "period"], name="digest_once_per_period"),
        ]

    def __str__(self):
        return f"{self.rhythm} digest {self.period} → {self.user_id}"
