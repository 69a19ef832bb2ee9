"""Partnership tables: creating and editing them, and naming their coordinators."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from organisations.permissions import coordinated_area_ids
from tables.models import (
    PartnershipTable,
    ProcessRole,
    ProcessTemplate,
    RoleAssignment,
    RoleSlug,
    Sector,
    TableAccess,
    TableStatus,
)
from tables.permissions import forget_cached_table_roles
from tables.services._common import check_area_rights, check_county_person, clean_text
from tables.services.process_steps import process_steps_copy

TABLE_FIELDS = (
    "sector",
    "name_fi",
    "name_sv",
    "name_en",
    "purpose_fi",
    "purpose_sv",
    "purpose_en",
    "status",
    "access",
    "meeting_frequency",
    "owner",
    "is_public",
    "invite_all_members",
    "meeting_reminder_days",
)


def _role(slug: str) -> ProcessRole | None:
    # The roles are seeded by a migration; an admin may have removed one that is unused.
    return ProcessRole.objects.filter(slug=slug).first()


def _assign(*, actor: User | None, table: PartnershipTable, slug: str, user: User, valid_from: datetime.date) -> None:
    """Names the person in the role from the given day, unless they already hold it then."""
    role = _role(slug)
    if role is None:
        return
    current = RoleAssignment.objects.filter(table=table, role=role, user=user, valid_from__lte=valid_from).exclude(
        valid_to__lt=valid_from
    )
    if current.exists():
        return
    # In force at once: the owner and coordinators are people of the table's county (checked by the callers).
    assignment = RoleAssignment(
        table=table, role=role, user=user, valid_from=valid_from, accepted_at=timezone.now(), nominated_by=actor,
    )
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()


def _unassign(*, actor: User | None, table: PartnershipTable, slug: str, user: User, on: datetime.date) -> None:
    """Ends the person's open assignments in the role on the given day (removes those not started yet)."""
    for assignment in RoleAssignment.objects.filter(table=table, role__slug=slug, user=user).exclude(valid_to__lt=on):
        assignment._history_user = actor
        if assignment.valid_from > on:
            assignment.delete()
        else:
            assignment.valid_to = on
            assignment.save(update_fields=["valid_to"])


@transaction.atomic
def table_create(
    *,
    actor: User | None,
    sector: Sector,
    name_fi: str,
    owner: User,
    name_sv: str = "",
    name_en: str = "",
    purpose_fi: str = "",
    purpose_sv: str = "",
    purpose_en: str = "",
    status: str = TableStatus.PLANNED,
    access: str = TableAccess.MEMBERS_ONLY,
    meeting_frequency: str = "",
    is_public: bool = True,
    invite_all_members: bool = False,
    meeting_reminder_days: int | None = 2,
    coordinators: Iterable[User] = (),
    copy_steps_from_table: PartnershipTable | None = None,
    copy_steps_from_template: ProcessTemplate | None = None,
) -> PartnershipTable:
    """Creates a table in the sector's county, optionally with the process steps of another table or a template.

    The coordinator who creates it becomes one of its coordinators; the owner and the
    coordinators are named in their process roles from today.
    """
    check_area_rights(actor, sector.welfare_area_id)
    check_county_person(owner, sector.welfare_area_id, field="owner")
    if copy_steps_from_table is not None and copy_steps_from_template is not None:
        raise ValidationError(_("Copy the process steps either from a template or from another table, not both."))
    table = PartnershipTable(
        welfare_area_id=sector.welfare_area_id,
        sector=sector,
        name_fi=clean_text(name_fi),
        name_sv=clean_text(name_sv),
        name_en=clean_text(name_en),
        purpose_fi=clean_text(purpose_fi),
        purpose_sv=clean_text(purpose_sv),
        purpose_en=clean_text(purpose_en),
        status=status,
        access=access,
        meeting_frequency=clean_text(meeting_frequency),
        owner=owner,
        is_public=is_public,
        invite_all_members=invite_all_members,
        meeting_reminder_days=meeting_reminder_days,
    )
    table.full_clean()
    table.save()
    people = {user.pk: user for user in coordinators}
    for person in people.values():
        # Named at creation without a nomination to accept: only people of the county.
        check_county_person(person, sector.welfare_area_id, field="coordinators")
    if actor is not None and sector.welfare_area_id in coordinated_area_ids(actor):
        people.setdefault(actor.pk, actor)
    table.coordinators.set(people.values())
    today = timezone.localdate()
    _assign(actor=actor, table=table, slug=RoleSlug.OWNER, user=owner, valid_from=today)
    for person in people.values():
        _assign(actor=actor, table=table, slug=RoleSlug.COORDINATOR, user=person, valid_from=today)
    if copy_steps_from_table is not None or copy_steps_from_template is not None:
        process_steps_copy(
            actor=actor, table=table, source_table=copy_steps_from_table, source_template=copy_steps_from_template,
        )
    return table


@transaction.atomic
def table_update(*, actor: User | None, table: PartnershipTable, data: Mapping) -> PartnershipTable:
    """Changes a table's details. A new owner takes over the owner role from today."""
    table = PartnershipTable.objects.select_for_update().get(pk=table.pk)
    previous_owner = table.owner
    for field in TABLE_FIELDS:
        if field in data:
            value = data[field]
            if field in ("name_fi", "name_sv", "name_en", "purpose_fi", "purpose_sv", "purpose_en",
                         "meeting_frequency"):
                value = clean_text(value)
            setattr(table, field, value)
    if table.sector_id and table.sector.welfare_area_id != table.welfare_area_id:
        raise ValidationError({"sector": _("The sector must belong to the table's wellbeing services county.")})
    if table.owner_id != previous_owner.pk:
        check_county_person(table.owner, table.welfare_area_id, field="owner")
    table.full_clean()
    table.save()
    if table.owner_id != previous_owner.pk:
        today = timezone.localdate()
        _unassign(actor=actor, table=table, slug=RoleSlug.OWNER, user=previous_owner, on=today)
        _assign(actor=actor, table=table, slug=RoleSlug.OWNER, user=table.owner, valid_from=today)
    return table


@transaction.atomic
def table_remove_coordinator(*, actor: User | None, table: PartnershipTable, user: User) -> PartnershipTable:
    """Removes a named coordinator; their coordinator role ends today."""
    if not table.coordinators.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("%(person)s is not a coordinator of this table.") % {"person": user}})
    table.coordinators.remove(user)
    _unassign(actor=actor, table=table, slug=RoleSlug.COORDINATOR, user=user, on=timezone.localdate())
    forget_cached_table_roles(table)
    return table


@transaction.atomic
def table_owner_take_over(*, actor: User | None, table: PartnershipTable, owner: User) -> PartnershipTable:
    """Makes the person the table's owner from today because they accepted the owner's role
    (roles.role_nomination_accept): their consent stands in for the county check of table_update."""
    table = PartnershipTable.objects.select_for_update().get(pk=table.pk)
    previous_owner = table.owner
    if previous_owner.pk == owner.pk:
        return table
    table.owner = owner
    table.save(update_fields=["owner"])
    today = timezone.localdate()
    _unassign(actor=actor, table=table, slug=RoleSlug.OWNER, user=previous_owner, on=today)
    _assign(actor=actor, table=table, slug=RoleSlug.OWNER, user=owner, valid_from=today)
    forget_cached_table_roles(table)
    return table


@transaction.atomic
def table_owner_hand_over(*, leaving: User) -> list[PartnershipTable]:
    """Hands the tables the person owns to a coordinator of each table's county (one named on the
    table first), so that the owner can leave. A table whose county has no other coordinator stays
    theirs; ``table_owner_successor`` says which those are."""
    handed = []
    for table in PartnershipTable.objects.select_for_update().filter(owner=leaving).order_by("pk"):
        successor = table_owner_successor(table, leaving=leaving)
        if successor is None:
            continue
        table_update(actor=None, table=table, data={"owner": successor})
        handed.append(table)
    return handed


def table_owner_successor(table: PartnershipTable, *, leaving: User) -> User | None:
    """Who takes a table over from its leaving owner: a coordinator of the table's county, one
    named on the table first, then the longest-serving; None when the county has no other."""
    candidates = (
        User.objects.filter(is_active=True, area_coordinator_roles__welfare_area_id=table.welfare_area_id)
        .exclude(pk=leaving.pk)
        .order_by("area_coordinator_roles__created_at", "pk")
    )
    named = candidates.filter(coordinated_tables=table).first()
    return named or candidates.first()
