"""Helpers every meetings service module uses: the permission check and the meeting row lock."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from meetings.models import Meeting


def require(actor: User, permission: str, obj) -> None:
    """Refuses (PermissionDenied) unless ``actor`` has ``permission`` on ``obj`` (a meeting or an action item)."""
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def lock_meeting(pk: int) -> Meeting:
    """The meeting row, locked for the transaction, with its table (the permission checks read it)."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("table").get(pk=pk)
