"""What the browser tests share: the page's words in a language, form fields by label, e-mail."""

import re

from django.core import mail
from django.utils import translation
from django.utils.text import capfirst

from accounts.tests.factories import PASSWORD

__all__ = ["PASSWORD", "described", "field", "label", "links_in", "mail_to", "sign_in", "t"]


def t(language: str, message: str, **values) -> str:
    """``message`` as the pages show it in ``language``: from the same catalogues the server uses.

    The tests find buttons and fields by the words a person reads, and do not break when a
    translation is added or changed.
    """
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def label(language: str, verbose_name: str) -> str:
    """A model field's label as Django forms write it: the translated verbose name, capitalised."""
    return capfirst(t(language, verbose_name))


def field(scope, text: str):
    """The form field labelled ``text``; crispy-forms adds an asterisk to required fields' labels."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$"))


def described(message: str) -> re.Pattern:
    """A field's accessible description that includes ``message`` (after any help text)."""
    return re.compile(re.escape(message))


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def links_in(text: str, base_url: str) -> list[str]:
    return re.findall(rf"{re.escape(base_url)}/\S+", text)


def sign_in(page, *, email: str, password: str = PASSWORD, language: str = "fi") -> None:
    """Signs in from the link in the page header, as a person does."""
    page.get_by_role("banner").get_by_role("link", name=t(language, "Sign in"), exact=True).click()
    field(page, t(language, "Email")).fill(email)
    field(page, t(language, "Password")).fill(password)
    page.get_by_role("main").get_by_role("button", name=t(language, "Sign In"), exact=True).click()
