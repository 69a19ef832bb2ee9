"""Validators every app uses."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators, control and format characters (bidirectional overrides, zero-width
# characters), private-use, surrogates and unassigned code points: nothing a name is written with.
_NOT_IN_A_NAME = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
# What a mail client or a reader takes for a link: a scheme, www., an e-mail address, or a domain
# name (letters, a dot, then two or more letters: "evil.example", "Dr.Smith" too, sadly).
_LINK = re.compile(r"://|\bwww\.|@|[^\W_]\.[^\W\d_]{2,}", re.IGNORECASE)


def validate_person_name(value: str) -> None:
    """A person's name, as people type it for themselves or others: one line, without control
    characters and without anything that looks like a web or e-mail address.

    Names are written into e-mails we send, some of them to addresses nobody has confirmed (the
    sign-up's verification message, invitations): a name must not carry a second paragraph or a
    link there (issue 11, item 8).
    """
    if not value:
        return
    if any(unicodedata.category(char) in _NOT_IN_A_NAME for char in value):
        raise ValidationError(
            _("A name is one line of text, without line breaks or control characters."), code="name_characters"
        )
    if _LINK.search(value):
        raise ValidationError(
            _("A name cannot contain a web or e-mail address."), code="name_link"
        )
