"""Rendering our own e-mails, always in the recipient's language. They are sent by the outbox (outbox/engine.py)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_text(template_name: str, context: dict) -> str:
    """Renders a plain-text template without HTML escaping ("Äidit & Isät" stays as it is)."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_mail(*, template: str, recipient, context: dict) -> EmailMultiAlternatives:
    """Builds the message from ``<template>_subject.txt``, ``.txt`` and ``.html`` in the recipient's language.

    Every message carries a link to the person's notification settings.
    """
    language = getattr(recipient, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "settings_url": absolute_url(reverse("accounts:profile")),
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
