"""Helpers every meetings service module uses: the permission check, the meeting row lock, and the
check of the text a caller hands over."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import Meeting

# What no text a person types holds: a NUL, which PostgreSQL refuses (the caller got a 500, not an
# answer), and the other control characters. A field of several lines keeps its tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_LINE_BREAK = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def require(actor: User, permission: str, obj) -> None:
    """Refuses (PermissionDenied) unless ``actor`` has ``permission`` on ``obj`` (a meeting or an action item)."""
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def lock_meeting(pk: int) -> Meeting:
    """The meeting row, locked for the transaction, with its table (the permission checks read it)."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("table").get(pk=pk)


def text_problem(value, *, one_line: bool = False) -> str | None:
    """What is wrong with a text a caller gave (None is an empty text), or None when nothing is."""
    if value is None:
        return None
    if not isinstance(value, str):
        return _("Give this as text.")
    if one_line and _CONTROL_OR_LINE_BREAK.search(value):
        return _("Write this on one line, without control characters.")
    if _CONTROL.search(value):
        return _("Remove the control characters from this text.")
    return None


def text_errors(*, one_line: dict | None = None, lines: dict | None = None) -> dict[str, str]:
    """field -> message for each text that is wrong: ``one_line`` fields (a title, a name) and
    fields of several ``lines`` (a description, a note)."""
    errors = {}
    for fields, single in ((one_line or {}, True), (lines or {}, False)):
        for field, value in fields.items():
            if problem := text_problem(value, one_line=single):
                errors[field] = problem
    return errors


def check_texts(*, one_line: dict | None = None, lines: dict | None = None) -> None:
    """Raises a ValidationError on each field whose text is wrong (``text_errors``)."""
    if errors := text_errors(one_line=one_line, lines=lines):
        raise ValidationError(errors)
