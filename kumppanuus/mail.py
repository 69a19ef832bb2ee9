"""Rendering our own e-mails, always in the recipient's language. They are sent by the outbox (outbox/engine.py)."""

from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

# The notification settings that control the message being built, when the outbox builds a
# notification (outbox/notifications.py sets it around the kind's builder): every message's
# "Notification settings" link then points at that kind's choice.
settings_link: ContextVar[str | None] = ContextVar("settings_link", default=None)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_text(template_name: str, context: dict) -> str:
    """Renders a plain-text template without HTML escaping ("Äidit & Isät" stays as it is)."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_mail(*, template: str, recipient, context: dict) -> EmailMultiAlternatives:
    """Builds the message from ``<template>_subject.txt``, ``.txt`` and ``.html`` in the recipient's language.

    Every message carries a link to the person's notification settings (to the choice of the
    notification's kind while the outbox builds one: ``settings_link``).
    """
    language = getattr(recipient, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "settings_url": settings_link.get() or absolute_url(reverse("accounts:profile")) + "#notifications",
        }
        subject = render_text(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.splitlines())
        body = render_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message
