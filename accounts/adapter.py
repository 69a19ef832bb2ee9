import logging

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from kombu.exceptions import OperationalError

from accounts.selectors import address_claimed_by_another
from kumppanuus.addresses import normalise_email

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's e-mails in the recipient's language, through Celery."""

    def clean_email(self, email):
        """Every address allauth stores (sign-up, "add e-mail", password reset lookups) in our one
        normalised form (kumppanuus/addresses.py), so that it compares exactly with ours."""
        return normalise_email(super().clean_email(email))

    def send_mail(self, template_prefix, email, context):
        """Renders the message here, in the recipient's language, and queues it for a worker, so a
        slow or unreachable mail server neither slows down nor fails a sign-up or a password reset.
        If the broker cannot be reached the message is sent at once, as allauth would."""
        from accounts.selectors import user_for_verified_address
        from accounts.tasks import send_account_mail_task

        user = context.get("user")
        language = getattr(user, "language", None)
        if language is None:
            language = getattr(user_for_verified_address(email), "language", None)
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


class AddEmailForm(AllauthAddEmailForm):
    """allauth's "add e-mail" (ACCOUNT_FORMS), which never keeps, even unverified, an address that
    another account has verified or signs in with. (It lives here, not in forms.py: allauth's forms
    import forms.py for the sign-up form, and forms.py importing them back would be a cycle.)

    With enumeration prevention on, allauth accepts such an address as a pending one of this
    account. Here the answer looks the same ("confirmation e-mail sent"), but nothing is stored and
    the address's owner is told instead, with allauth's "account already exists" message.
    """

    def clean_email(self):
        value = super().clean_email()
        self.claimed_by_another = address_claimed_by_another(value, self.user)
        return value

    def save(self, request):
        if not self.claimed_by_another:
            return super().save(request)
        address = self.cleaned_data["email"]
        adapter = get_adapter()
        adapter.send_account_already_exists_mail(address)
        adapter.add_message(request, messages.INFO, "account/messages/email_confirmation_sent.txt", {"email": address})
        return EmailAddress(email=address)  # unsaved: allauth's view then records nothing


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form (ACCOUNT_FORMS), looking the address up in our stored form: allauth
    only lower-cases it, so an address typed in another Unicode form (``a`` + combining diaeresis
    for ``ä``) would find no account."""

    def clean_login(self):
        return normalise_email(super().clean_login())
