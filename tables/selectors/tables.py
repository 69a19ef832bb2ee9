"""Reads for the table pages: the lists, one table with everything its page shows, and the
choices the management forms offer.

Each page's selector returns what it shows in a fixed number of queries, however many
standing members, roles or steps a table has.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from organisations.models import Eligibility, MembershipRole, MembershipStatus, Organisation
from organisations.permissions import approved_memberships, coordinated_area_ids
from tables.models import (
    AnnualEvaluation,
    EvaluationStatus,
    PartnershipTable,
    ProcessStep,
    RoleAssignment,
    Sector,
    StandingMember,
    StandingMemberStatus,
)
from tables.permissions import can_answer_evaluation
from tables.selectors.messages import table_messages_latest

# --- Lists --------------------------------------------------------------------------------


def public_table_queryset() -> QuerySet[PartnershipTable]:
    """Public tables for the list page, with their sector and county (see with_member_counts)."""
    return (
        PartnershipTable.objects.filter(is_public=True).select_related("sector", "welfare_area").order_by("name", "pk")
    )


def with_member_counts(tables: list[PartnershipTable]) -> list[PartnershipTable]:
    """Sets ``member_count`` (active standing members) on each table, in one query for the page's
    tables: counted in the list query, every public table of the country was grouped and counted
    before the page of 20 was cut out of them (bench/pages.py)."""
    counts = dict(
        StandingMember.objects.filter(table__in=tables, status=StandingMemberStatus.ACTIVE)
        .order_by().values("table").annotate(n=Count("pk")).values_list("table", "n")
    ) if tables else {}
    for table in tables:
        table.member_count = counts.get(table.pk, 0)
    return tables


def tables_for_user(user: User) -> list[PartnershipTable]:
    """The person's tables: those they coordinate (by county or by name), own, or sit on through an organisation.

    Each carries ``is_coordinator``, ``is_owner`` and, for coordinators, ``request_count``.
    """
    area_ids = coordinated_area_ids(user)
    organisation_ids = list(approved_memberships(user))
    condition = Q(welfare_area_id__in=area_ids) | Q(owner=user) | Q(coordinators=user)
    if organisation_ids:
        condition |= Q(
            standing_members__organisation_id__in=organisation_ids,
            standing_members__status=StandingMemberStatus.ACTIVE,
        )
    ids = PartnershipTable.objects.filter(condition).values("pk")
    tables = list(
        PartnershipTable.objects.filter(pk__in=ids)
        .select_related("sector", "welfare_area")
        .prefetch_related(Prefetch("coordinators", queryset=User.objects.only("pk")))
        .annotate(
            request_count=Count(
                "standing_members", filter=Q(standing_members__status=StandingMemberStatus.REQUESTED)
            )
        )
        .order_by("name", "pk")
    )
    for table in tables:
        named = any(person.pk == user.pk for person in table.coordinators.all())
        table.is_coordinator = table.welfare_area_id in area_ids or named
        table.is_owner = table.owner_id == user.pk
    return tables



def role_nominations_waiting(user: User) -> list[RoleAssignment]:
    """The role nominations the person has not answered yet, with their tables."""
    return list(
        RoleAssignment.objects.waiting_for(user)
        .select_related("table", "role", "nominated_by")
        .order_by("valid_from", "pk")
    )


# --- One table ----------------------------------------------------------------------------


def _current_assignments(today: datetime.date) -> QuerySet[RoleAssignment]:
    # Only assignments in force: a nomination nobody has accepted yet names nobody on the table page.
    return (
        RoleAssignment.objects.in_force()
        .on(today)
        .select_related("role", "user")
        .order_by("role__position", "role__pk", "user__full_name", "pk")
    )


def table_detail_queryset() -> QuerySet[PartnershipTable]:
    """A table with everything its page shows: five queries in all, however big the table is."""
    today = timezone.localdate()
    tables = PartnershipTable.objects.select_related("sector", "sector__director", "welfare_area", "owner")
    return tables.prefetch_related(
        Prefetch("coordinators", queryset=User.objects.order_by("full_name", "email")),
        Prefetch(
            "standing_members",
            queryset=StandingMember.objects.filter(status=StandingMemberStatus.ACTIVE)
            .select_related("organisation", "representative", "substitute")
            .order_by("organisation__name", "pk"),
            to_attr="active_standing_members",
        ),
        Prefetch("role_assignments", queryset=_current_assignments(today), to_attr="current_role_assignments"),
        Prefetch(
            "process_steps",
            queryset=ProcessStep.objects.select_related("role").order_by("position", "pk"),
            to_attr="steps",
        ),
    )


def _load_table(pk: int) -> PartnershipTable | None:
    table = table_detail_queryset().filter(pk=pk).first()
    if table is not None:
        # The permission predicates read these from the prefetched rows instead of asking again.
        table._standing_organisation_ids = {member.organisation_id for member in table.active_standing_members}
    return table


def table_get_for_user(
    *, user: User, pk: int, queryset: QuerySet[PartnershipTable] | None = None
) -> PartnershipTable:
    """The table if this person may see it; 404 otherwise, so a private table is not revealed.

    Loaded with everything the table page shows, or from ``queryset`` for a page that shows less of it."""
    table = _load_table(pk) if queryset is None else queryset.filter(pk=pk).first()
    if table is None or not user.has_perm("tables.view_table", table):
        raise Http404
    return table


def table_get_for_management(*, user: User, pk: int, permission: str = "tables.change_table") -> PartnershipTable:
    """The table if this person has the permission.

    Those who may see the table get 403; everyone else (coordinators of other counties too)
    404, the same answer as for a table that does not exist, so a private table is not revealed.
    """
    table = _load_table(pk)
    if table is None:
        raise Http404
    if user.has_perm(permission, table):
        return table
    if user.has_perm("tables.view_table", table):
        raise PermissionDenied
    raise Http404


def _holders_by_role(assignments: list[RoleAssignment]) -> dict[int, list[User]]:
    holders: dict[int, list[User]] = {}
    for assignment in assignments:
        holders.setdefault(assignment.role_id, []).append(assignment.user)
    return holders


def process_context(table: PartnershipTable) -> dict:
    """The process description as who / what / how / when, each step naming the current holders of its role."""
    holders = _holders_by_role(table.current_role_assignments)
    steps = []
    for step in table.steps:
        step.holders = holders.get(step.role_id, [])
        steps.append(step)
    return {"steps": steps}


# Sections other apps add to the table page, registered in their AppConfig.ready(): a template
# name and a function (table, user) -> context. This way the meetings app shows a table's
# meetings and minutes there while tables never imports meetings (dependencies point one way).
TABLE_PAGE_SECTIONS: list[tuple[str, Callable[[PartnershipTable, User], dict]]] = []


def register_table_page_section(template_name: str, context_function) -> None:
    if (template_name, context_function) not in TABLE_PAGE_SECTIONS:
        TABLE_PAGE_SECTIONS.append((template_name, context_function))


def table_page_context(table: PartnershipTable, user: User) -> dict:
    """Everything the table page shows; the meetings app adds its upcoming meetings and minutes here.

    ``table`` comes from table_get_for_user (prefetched); this adds at most four queries
    for a signed-in person (their roles, the current evaluation and the latest messages).
    """
    context = {
        "table": table,
        "coordinators": list(table.coordinators.all()),
        "standing_members": table.active_standing_members,
        "role_assignments": table.current_role_assignments,
        "can_change": user.has_perm("tables.change_table", table),
        "can_manage_members": user.has_perm("tables.manage_standing_members", table),
        "can_request_membership": False,
        "pending_membership_requests": [],
        "can_manage_evaluations": user.has_perm("tables.manage_evaluations", table),
        "can_view_summary": user.has_perm("tables.view_evaluation_summary", table),
        "can_view_history": user.has_perm("tables.view_history", table),
        "can_answer": can_answer_evaluation(user, table),
        "evaluation": None,
        "can_view_messages": user.has_perm("tables.view_messages", table),
        "can_send_messages": user.has_perm("tables.send_messages", table),
        "latest_messages": [],
        # Standing members whose representatives this person may name (as the organisation's representative).
        "editable_member_ids": set(),
    }
    context.update(process_context(table))
    if user.is_authenticated:
        representative_of = {
            org_id for org_id, role in approved_memberships(user).items() if role == MembershipRole.REPRESENTATIVE
        }
        context["editable_member_ids"] = {
            member.pk for member in table.active_standing_members if member.organisation_id in representative_of
        }
        askable = representative_of - table._standing_organisation_ids
        if askable:
            # Requests already waiting for a coordinator are shown as such, not offered again.
            context["pending_membership_requests"] = list(
                StandingMember.objects.filter(
                    table=table, organisation_id__in=askable, status=StandingMemberStatus.REQUESTED
                ).select_related("organisation").order_by("organisation__name")
            )
            askable -= {request.organisation_id for request in context["pending_membership_requests"]}
        context["can_request_membership"] = bool(askable) and user.has_perm(
            "tables.request_standing_membership", table
        )
    context["published_evaluation"] = None
    if context["can_answer"] or context["can_view_summary"]:
        # One query for both: the current evaluation (not closed) and the latest published results.
        recent = list(
            AnnualEvaluation.objects.filter(table=table)
            .filter(~Q(status=EvaluationStatus.CLOSED) | Q(results_published_at__isnull=False))
            .order_by("-year")[:5]
        )
        context["evaluation"] = next((e for e in recent if e.status != EvaluationStatus.CLOSED), None)
        context["published_evaluation"] = next((e for e in recent if e.results_published_at is not None), None)
    if context["can_view_messages"]:
        context["latest_messages"] = table_messages_latest(table)
    context["extra_section_templates"] = []
    for template_name, context_function in TABLE_PAGE_SECTIONS:
        context.update(context_function(table, user))
        context["extra_section_templates"].append(template_name)
    return context


def standing_members_for_management(table: PartnershipTable) -> list[StandingMember]:
    """Every standing member row of the table (requests first), with the people named."""
    order = {StandingMemberStatus.REQUESTED: 0, StandingMemberStatus.ACTIVE: 1,
             StandingMemberStatus.DECLINED: 2, StandingMemberStatus.ENDED: 3}
    members = list(
        StandingMember.objects.filter(table=table)
        .select_related("organisation", "representative", "substitute", "requested_by", "decided_by")
        .order_by("organisation__name", "pk")
    )
    members.sort(key=lambda member: order.get(member.status, 9))
    return members


def organisation_choices_for_table(table: PartnershipTable) -> QuerySet[Organisation]:
    """Organisations of the table's county that are not yet active standing members.

    Organisations not approved are listed too (marked), so that choosing one says why it
    cannot be added instead of failing silently.
    """
    return (
        Organisation.objects.filter(welfare_area_id=table.welfare_area_id)
        .exclude(eligibility=Eligibility.REJECTED)
        .exclude(standing_memberships__table=table, standing_memberships__status=StandingMemberStatus.ACTIVE)
        .order_by("name")
    )


def organisation_members_queryset(organisation_id: int) -> QuerySet[User]:
    """Approved members of an organisation: whom it can name as representative or substitute."""
    return User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__status=MembershipStatus.APPROVED, is_active=True
    ).order_by("full_name", "email")


def represented_organisations(user: User, exclude_table: PartnershipTable | None = None) -> QuerySet[Organisation]:
    """Approved organisations the person represents (for asking standing membership)."""
    ids = [org_id for org_id, role in approved_memberships(user).items() if role == MembershipRole.REPRESENTATIVE]
    queryset = Organisation.objects.filter(pk__in=ids, eligibility=Eligibility.APPROVED).order_by("name")
    if exclude_table is not None:
        queryset = queryset.exclude(
            standing_memberships__table=exclude_table,
            standing_memberships__status__in=[StandingMemberStatus.ACTIVE, StandingMemberStatus.REQUESTED],
        )
    return queryset


def role_assignments_for_management(table: PartnershipTable) -> list[RoleAssignment]:
    """All assignments of the table, current and past, and the nominations waiting for an answer,
    newest first within each role."""
    return list(
        RoleAssignment.objects.filter(table=table)
        .select_related("role", "user")
        .order_by("role__position", "role__pk", "-valid_from", "pk")
    )


def sector_choices_for_user(user: User) -> QuerySet[Sector]:
    """Sectors a person may create tables in: those of the counties they coordinate (all for admins)."""
    queryset = Sector.objects.select_related("welfare_area").order_by("welfare_area__name", "name")
    if user.is_superuser:
        return queryset
    return queryset.filter(welfare_area_id__in=coordinated_area_ids(user))


def copyable_tables_for_user(user: User) -> QuerySet[PartnershipTable]:
    """Tables whose steps a person may copy: every public table and those of their counties."""
    queryset = PartnershipTable.objects.order_by("name", "pk")
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(welfare_area_id__in=coordinated_area_ids(user)))



def standing_member_requests_for_review(user: User) -> QuerySet[StandingMember]:
    """Requests for standing membership the person decides (tables.manage_standing_members): those of
    the tables they coordinate, by county or by name; every one for an admin. Oldest first."""
    requests = StandingMember.objects.filter(status=StandingMemberStatus.REQUESTED)
    if not user.is_superuser:
        coordinated = PartnershipTable.objects.filter(
            Q(welfare_area_id__in=coordinated_area_ids(user)) | Q(coordinators=user)
        ).values("pk")
        requests = requests.filter(table__in=coordinated)
    return requests.select_related("organisation", "table", "requested_by").order_by("created_at", "pk")


def standing_member_request_reviewers(table: PartnershipTable) -> QuerySet[User]:
    """Who is told of a request for standing membership: the named coordinators, or the county's."""
    named = table.coordinators.filter(is_active=True)
    if named.exists():
        return named
    return User.objects.filter(area_coordinator_roles__welfare_area_id=table.welfare_area_id, is_active=True)


def sectors_for_user(user: User) -> QuerySet[Sector]:
    """The sectors a person manages, with how many tables each has."""
    return sector_choices_for_user(user).select_related("director").annotate(table_count=Count("tables"))

