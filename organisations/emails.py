"""The e-mails of organisations, each a notification row of the outbox rendered in its recipient's language.

Registered in OrganisationsConfig.ready(); the rows are queued by organisations/services.py.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kumppanuus.mail import absolute_url, render_mail
from organisations.models import Eligibility, Membership, Organisation
from organisations.services import ELIGIBILITY_DECISION, MEMBERSHIP_DECISION, MEMBERSHIP_REQUEST, REGISTRATION
from outbox.registry import register_notification


def _eligibility_decision(notification, cache):
    organisation = Organisation.objects.select_related("welfare_area").filter(pk=notification.object_id).first()
    if organisation is None:
        return None
    return render_mail(
        template="organisations/email/eligibility_decision", recipient=notification.user,
        context={"organisation": organisation},
    )


def _membership(notification) -> Membership | None:
    return Membership.objects.select_related("user", "organisation").filter(pk=notification.object_id).first()


def _membership_request(notification, cache):
    membership = _membership(notification)
    if membership is None:
        return None
    return render_mail(
        template="organisations/email/membership_request", recipient=notification.user,
        context={"membership": membership},
    )


def _membership_decision(notification, cache):
    membership = _membership(notification)
    if membership is None:
        return None
    return render_mail(
        template="organisations/email/membership_decision", recipient=notification.user,
        context={"membership": membership},
    )


def _registration(notification, cache):
    organisation = (
        Organisation.objects.select_related("welfare_area").prefetch_related("themes", "municipalities")
        .filter(pk=notification.object_id).first()
    )
    if organisation is None or organisation.eligibility != Eligibility.PENDING:
        return None  # decided (or removed) before the notice went out
    return render_mail(
        template="organisations/email/registration", recipient=notification.user,
        context={
            "organisation": organisation,
            "organisation_url": absolute_url(reverse("organisations:detail", args=[organisation.pk])),
            "review_url": absolute_url(reverse("organisations:review_queue")),
        },
    )


def register_notifications() -> None:
    # Decisions on the person's own request (their organisation's eligibility, their membership) are
    # always sent at once; requests to join, which the organisation's admins act on, may wait.
    register_notification(ELIGIBILITY_DECISION, _eligibility_decision,
                          label=_("Decisions on your organisation's eligibility"), always=True)
    register_notification(MEMBERSHIP_REQUEST, _membership_request,
                          label=_("Requests to join your organisation (to its admins)"))
    register_notification(MEMBERSHIP_DECISION, _membership_decision,
                          label=_("Decisions on your request to join an organisation"), always=True)
    register_notification(
        REGISTRATION, _registration, label=_("A new organisation registers in a county I coordinate")
    )
