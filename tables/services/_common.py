"""Helpers several subjects of the table services share."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from organisations.permissions import coordinated_area_ids


def clean_text(value: str | None) -> str:
    # Translated columns are nullable, so forms hand over None for an empty one.
    return (value or "").strip()


def check_area_rights(actor: User | None, welfare_area_id: int) -> None:
    """Only the area's coordinators (and admins) create things in it; None is the system itself."""
    if actor is None or actor.is_superuser:
        return
    if welfare_area_id not in coordinated_area_ids(actor):
        raise PermissionDenied
