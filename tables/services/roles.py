"""Role assignments: who holds a process role of a table, and for which period."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tables.models import PartnershipTable, ProcessRole, RoleAssignment


@transaction.atomic
def role_assignment_create(
    *,
    actor: User | None,
    table: PartnershipTable,
    role: ProcessRole,
    user: User,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> RoleAssignment:
    """Names a person in a process role of the table for a period (open-ended without valid_to).

    Anyone may be named: a table's secretary is often county staff and its experience expert a
    private person, neither of whom the service knows as "of the county". (Unlike an owner, a role
    holder can always leave: deletion ends the role. Consent to a nomination is issue 11's open part.)"""
    assignment = RoleAssignment(table=table, role=role, user=user, valid_from=valid_from, valid_to=valid_to)
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_assignment_update(
    *,
    actor: User | None,
    assignment: RoleAssignment,
    role: ProcessRole,
    user: User,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.role = role
    assignment.user = user
    assignment.valid_from = valid_from
    assignment.valid_to = valid_to
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_assignment_end(
    *, actor: User | None, assignment: RoleAssignment, valid_to: datetime.date | None = None
) -> RoleAssignment:
    """Ends an assignment on the given day (today by default); the end cannot be before the start."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.valid_to = valid_to or timezone.localdate()
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    return assignment
