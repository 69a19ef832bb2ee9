from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's e-mails in the recipient's language and builds absolute links from SITE_URL."""

    def send_mail(self, template_prefix, email, context):
        from accounts.models import User

        user = context.get("user")
        language = getattr(user, "language", None)
        if language is None:
            language = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
            super().send_mail(template_prefix, email, context)
