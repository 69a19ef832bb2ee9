"""Who may do what with partnership tables (django-rules). Every view checks these."""

import rules

from organisations.permissions import approved_memberships, coordinated_area_ids, is_admin
from tables.models import StandingMemberStatus


@rules.predicate
def is_table_coordinator(user, table) -> bool:
    """A coordinator of the table's wellbeing services county, or one named on the table."""
    if table is None or not user.is_authenticated:
        return False
    if table.welfare_area_id in coordinated_area_ids(user):
        return True
    return table.coordinators.filter(pk=user.pk).exists()


@rules.predicate
def is_table_owner(user, table) -> bool:
    return table is not None and user.is_authenticated and table.owner_id == user.pk


def standing_organisation_ids(table) -> set[int]:
    """Organisations that are active standing members of the table (cached on the table object)."""
    cached = getattr(table, "_standing_organisation_ids", None)
    if cached is None:
        cached = set(
            table.standing_members.filter(status=StandingMemberStatus.ACTIVE).values_list("organisation_id", flat=True)
        )
        table._standing_organisation_ids = cached
    return cached


@rules.predicate
def is_standing_member_person(user, table) -> bool:
    """A person in an organisation that is a standing member of the table."""
    if table is None or not user.is_authenticated:
        return False
    return bool(standing_organisation_ids(table) & set(approved_memberships(user)))


@rules.predicate
def is_table_public(user, table) -> bool:
    return table is not None and table.is_public


rules.add_perm("tables.view_table", is_table_public | is_standing_member_person | is_table_coordinator | is_admin)
rules.add_perm("tables.change_table", is_table_coordinator | is_admin)
rules.add_perm("tables.manage_standing_members", is_table_coordinator | is_admin)
rules.add_perm("tables.view_evaluation_summary", is_table_coordinator | is_table_owner | is_admin)
