"""Who may do what with partnership tables (django-rules). Every view checks these.

Every predicate takes (user, table); views check evaluations, steps, standing members
and role assignments through the table they belong to. The helpers cache what they
read on the table object, so a page asks the database once however often it checks.
"""

import rules
from django.utils import timezone

from organisations.permissions import (
    approved_memberships,
    coordinated_area_ids,
    is_admin,
    is_any_org_representative,
    is_coordinator,
)
from tables.models import StandingMemberStatus, TableStatus


def table_coordinator_ids(table) -> set[int]:
    """People named as coordinators on the table; uses prefetched coordinators when the page has them."""
    cached = getattr(table, "_coordinator_ids", None)
    if cached is None:
        prefetched = getattr(table, "_prefetched_objects_cache", {})
        if "coordinators" in prefetched:
            cached = {user.pk for user in prefetched["coordinators"]}
        else:
            cached = set(table.coordinators.values_list("pk", flat=True))
        table._coordinator_ids = cached
    return cached


def standing_organisation_ids(table) -> set[int]:
    """Organisations that are active standing members of the table (cached on the table object)."""
    cached = getattr(table, "_standing_organisation_ids", None)
    if cached is None:
        cached = set(
            table.standing_members.filter(status=StandingMemberStatus.ACTIVE).values_list("organisation_id", flat=True)
        )
        table._standing_organisation_ids = cached
    return cached


def current_role_holder_ids(table) -> set[int]:
    """People who hold one of the table's process roles today (cached on the table object; read
    from the prefetched current_role_assignments when the page has them)."""
    cached = getattr(table, "_role_holder_ids", None)
    if cached is None:
        prefetched = getattr(table, "current_role_assignments", None)
        if prefetched is not None:
            cached = {assignment.user_id for assignment in prefetched}
        else:
            today = timezone.localdate()
            # Only assignments in force: a nomination not yet accepted gives no rights.
            cached = set(table.role_assignments.in_force().on(today).values_list("user_id", flat=True))
        table._role_holder_ids = cached
    return cached


def forget_cached_table_roles(table) -> None:
    """Call after changing a table's coordinators or standing members in the same request."""
    for attribute in ("_coordinator_ids", "_standing_organisation_ids", "_role_holder_ids"):
        if hasattr(table, attribute):
            delattr(table, attribute)


@rules.predicate
def is_table_coordinator(user, table) -> bool:
    """A coordinator of the table's wellbeing services county, or one named on the table."""
    if table is None or not user.is_authenticated:
        return False
    if table.welfare_area_id in coordinated_area_ids(user):
        return True
    return user.pk in table_coordinator_ids(table)


@rules.predicate
def is_table_owner(user, table) -> bool:
    return table is not None and user.is_authenticated and table.owner_id == user.pk


@rules.predicate
def is_standing_member_person(user, table) -> bool:
    """An approved member of an organisation that is an active standing member of the table."""
    if table is None or not user.is_authenticated:
        return False
    return bool(standing_organisation_ids(table) & set(approved_memberships(user)))


@rules.predicate
def is_table_role_holder(user, table) -> bool:
    """A person who holds one of the table's process roles today (chair, secretary, experience expert, ...)."""
    if table is None or not user.is_authenticated:
        return False
    return user.pk in current_role_holder_ids(table)


@rules.predicate
def is_table_public(user, table) -> bool:
    return table is not None and table.is_public


@rules.predicate
def is_table_not_closed(user, table) -> bool:
    return table is not None and table.status != TableStatus.CLOSED


@rules.predicate
def is_sector_area_coordinator(user, sector) -> bool:
    return sector is not None and sector.welfare_area_id in coordinated_area_ids(user)


rules.add_perm("tables.add_table", is_coordinator | is_admin)
rules.add_perm("tables.add_sector", is_coordinator | is_admin)
rules.add_perm("tables.change_sector", is_sector_area_coordinator | is_admin)
rules.add_perm("tables.view_table", is_table_public | is_standing_member_person | is_table_coordinator | is_admin)
rules.add_perm("tables.change_table", is_table_coordinator | is_admin)
rules.add_perm("tables.manage_standing_members", is_table_coordinator | is_admin)
# A representative of an approved organisation may ask for standing membership of a
# table they can see; a coordinator decides.
rules.add_perm(
    "tables.request_standing_membership",
    is_any_org_representative
    & is_table_not_closed
    & (is_table_public | is_standing_member_person | is_table_coordinator),
)
# The owner runs the annual evaluation (seed 000); coordinators prepare it.
rules.add_perm("tables.manage_evaluations", is_table_coordinator | is_table_owner | is_admin)
rules.add_perm("tables.view_evaluation_summary", is_table_coordinator | is_table_owner | is_admin)
# Those who run it may reopen a closed evaluation until they publish its results, which is final.
rules.add_perm("tables.reopen_evaluation", is_table_coordinator | is_table_owner | is_admin)
rules.add_perm("tables.publish_evaluation_results", is_table_coordinator | is_table_owner | is_admin)
# The coordinator and the standing members evaluate the table (seed 000). Not admins: check
# it with can_answer_evaluation, since Django's user.has_perm grants superusers everything.
rules.add_perm("tables.answer_evaluation", is_standing_member_person | is_table_coordinator)


# The table's messages are for its people, not the public: those they are written to (standing
# members' people, role holders), the owner, the coordinators who write them, and admins.
rules.add_perm(
    "tables.view_messages",
    is_standing_member_person | is_table_role_holder | is_table_owner | is_table_coordinator | is_admin,
)
rules.add_perm("tables.send_messages", is_table_coordinator | is_admin)
# The contact list names people and their addresses: for the coordinators only.
rules.add_perm("tables.export_contacts", is_table_coordinator | is_admin)


def can_answer_evaluation(user, table) -> bool:
    return rules.has_perm("tables.answer_evaluation", user, table)


def can_view_evaluation_results(user, evaluation) -> bool:
    """The summary: those who run the evaluation always; once its results are published, also
    everyone it asked (the table's coordinators and its standing members' people)."""
    if user.has_perm("tables.view_evaluation_summary", evaluation.table):
        return True
    return evaluation.results_published_at is not None and can_answer_evaluation(user, evaluation.table)


rules.add_perm("tables.view_my_tables", rules.is_authenticated)
# The audit history of role assignments, process steps and roles, standing members (issue 13):
# for those who run the table, as the evaluation summary.
rules.add_perm("tables.view_history", is_table_coordinator | is_table_owner | is_admin)
