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

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["delivery_status", "queued_at"], name="notification_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} → {self.email}"
