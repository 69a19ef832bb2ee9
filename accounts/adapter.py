import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's e-mails in the recipient's language, through Celery."""

    def send_mail(self, template_prefix, email, context):
        """Renders the message here, in the recipient's language, and queues it for a worker, so a
        slow or unreachable mail server neither slows down nor fails a sign-up or a password reset.
        If the broker cannot be reached the message is sent at once, as allauth would."""
        from accounts.models import User
        from accounts.tasks import send_account_mail_task

        user = context.get("user")
        language = getattr(user, "language", None)
        if language is None:
            language = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        request = allauth_context.request
        with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
            message = self.render_mail(
                template_prefix, email,
                {"request": request, "email": email, "current_site": get_current_site(request), **context},
            )
        try:
            send_account_mail_task.delay(
                {
                    "subject": message.subject,
                    "body": message.body,
                    "from_email": message.from_email,
                    "to": message.to,
                    "headers": message.extra_headers,
                    "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
                }
            )
        except OperationalError:
            logger.warning("The task queue is unreachable: sending %s to the person directly.", template_prefix)
            message.send()
