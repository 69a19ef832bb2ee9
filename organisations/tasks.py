"""Thin Celery tasks: take ids, load, and send. Queued with transaction.on_commit."""

from celery import shared_task

from kumppanuus.mail import send_mail_to

# Notification mails are retried a few times if the mail server is down; the wait
# stays far below the broker's visibility timeout (see settings).
RETRY_OPTIONS = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY_OPTIONS)
def send_eligibility_decision_email_task(organisation_id: int) -> int:
    from organisations.models import Organisation
    from organisations.selectors import organisation_representatives

    organisation = Organisation.objects.select_related("welfare_area").filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    return send_mail_to(
        template="organisations/email/eligibility_decision",
        recipients=organisation_representatives(organisation),
        context={"organisation": organisation},
    )


@shared_task(**RETRY_OPTIONS)
def send_membership_request_email_task(membership_id: int) -> int:
    from organisations.models import Membership
    from organisations.selectors import membership_request_reviewers

    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    if membership is None:
        return 0
    return send_mail_to(
        template="organisations/email/membership_request",
        recipients=membership_request_reviewers(membership),
        context={"membership": membership},
    )


@shared_task(**RETRY_OPTIONS)
def send_membership_decision_email_task(membership_id: int) -> int:
    from organisations.models import Membership

    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    if membership is None:
        return 0
    return send_mail_to(
        template="organisations/email/membership_decision",
        recipients=[membership.user],
        context={"membership": membership},
    )
