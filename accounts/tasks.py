"""Thin Celery tasks of accounts."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


# allauth's mails are not outbox rows (docs/architecture.md): this task retries a mail server that
# is down a few times; the waits stay far below the broker's visibility timeout (see settings).
@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_account_mail_task(message: dict) -> int:
    """Sends one of allauth's e-mails (verification, password reset, …), rendered in the request.

    The message arrives whole, so the task reads nothing from the database and may run before the
    request's transaction commits; a mail server that is down is retried with backoff instead of
    failing the sign-up.
    """
    email = EmailMultiAlternatives(
        subject=message["subject"], body=message["body"], from_email=message["from_email"], to=message["to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        email.attach_alternative(content, mimetype)
    return email.send()
