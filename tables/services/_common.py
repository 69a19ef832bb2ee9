"""Helpers several subjects of the table services share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from organisations.models import Organisation
from organisations.permissions import approved_memberships, coordinated_area_ids
from tables.models import Sector


def clean_text(value: str | None) -> str:
    # Translated columns are nullable, so forms hand over None for an empty one.
    return (value or "").strip()


def check_area_rights(actor: User | None, welfare_area_id: int) -> None:
    """Only the area's coordinators (and admins) create things in it; None is the system itself."""
    if actor is None or actor.is_superuser:
        return
    if welfare_area_id not in coordinated_area_ids(actor):
        raise PermissionDenied


def in_county(user: User, welfare_area_id: int) -> bool:
    """Whether the person belongs to the county's scope: one of its coordinators, the director of one
    of its sectors, or an approved member of an approved organisation of the county."""
    if not user.is_active:
        return False
    if welfare_area_id in coordinated_area_ids(user):
        return True
    if Sector.objects.filter(welfare_area_id=welfare_area_id, director=user).exists():
        return True
    return (
        Organisation.objects.approved()
        .filter(welfare_area_id=welfare_area_id, pk__in=list(approved_memberships(user)))
        .exists()
    )


def check_county_person(user: User, welfare_area_id: int, *, field: str) -> None:
    """Owners and role holders are people of the table's county: naming someone from outside would
    put duties (and invitations) on a person who never agreed, and an owner cannot simply leave."""
    if not in_county(user, welfare_area_id):
        raise ValidationError(
            {
                field: _(
                    "Choose a person of the table's county: one of its coordinators, a director of one of its "
                    "sectors or an approved member of one of its approved organisations."
                )
            }
        )
