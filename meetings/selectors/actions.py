"""Reads for following action items between meetings: the open items a meeting reviews, what it
decided about them, a table's whole list, and the items whose owner has left.

An item's owner has **left** (the item is shown as unassigned and offered to the coordinators to
reassign) when
- it names neither a person nor an organisation (the person's account was deleted: ``owner_user``
  was cleared), or its person's account is closed (not active);
- it names a person and an organisation, and the person is no longer an approved member of it;
- it names a person only, and the person is neither an approved member of an organisation standing
  at the table nor a coordinator of the table (county staff belong to no organisation).
An item that names an organisation only stays with the organisation; a done or cancelled item is
history and keeps its owner.

Each function loads what its page shows in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from meetings.models import ActionItem, ActionItemFollowUp, ActionItemStatus, Meeting, MeetingStatus
from meetings.selectors.records import can_see_people
from organisations.models import AreaCoordinator, Membership, MembershipStatus, Organisation
from organisations.permissions import coordinated_area_ids, is_admin
from tables.models import PartnershipTable, StandingMember, StandingMemberStatus
from tables.permissions import is_standing_member_person, is_table_coordinator

# --- The owner-left rule ----------------------------------------------------------


def owner_gone_condition() -> Q:
    """The rule above as one condition on ``ActionItem`` (three EXISTS subqueries, no extra query)."""
    member_of_own_organisation = Exists(
        Membership.objects.filter(
            user_id=OuterRef("owner_user_id"),
            organisation_id=OuterRef("owner_organisation_id"),
            status=MembershipStatus.APPROVED,
        )
    )
    member_of_standing_organisation = Exists(
        Membership.objects.filter(
            user_id=OuterRef("owner_user_id"),
            status=MembershipStatus.APPROVED,
            organisation__in=StandingMember.objects.filter(
                table_id=OuterRef(OuterRef("meeting__table_id")), status=StandingMemberStatus.ACTIVE
            ).values("organisation_id"),
        )
    )
    named_coordinator = Exists(
        PartnershipTable.coordinators.through.objects.filter(
            partnershiptable_id=OuterRef("meeting__table_id"), user_id=OuterRef("owner_user_id")
        )
    )
    area_coordinator = Exists(
        AreaCoordinator.objects.filter(
            user_id=OuterRef("owner_user_id"), welfare_area_id=OuterRef("meeting__table__welfare_area_id")
        )
    )
    nobody = Q(owner_user__isnull=True, owner_organisation__isnull=True)
    closed_account = Q(owner_user__isnull=False, owner_user__is_active=False)
    left_organisation = Q(owner_user__isnull=False, owner_organisation__isnull=False) & ~member_of_own_organisation
    left_table = (
        Q(owner_user__isnull=False, owner_organisation__isnull=True)
        & ~member_of_standing_organisation
        & ~named_coordinator
        & ~area_coordinator
    )
    return nobody | closed_account | left_organisation | left_table


def with_owner_gone(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """Annotates ``owner_gone`` (True: show the item as unassigned). Only an open item is: a done or
    cancelled one keeps naming whoever had it, as history."""
    return queryset.annotate(
        owner_gone=Case(
            When(Q(status=ActionItemStatus.OPEN) & owner_gone_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def coordinated_tables(user: User) -> QuerySet[PartnershipTable]:
    """The tables the person coordinates: those of the counties they coordinate, and those naming them."""
    if not user.is_authenticated:
        return PartnershipTable.objects.none()
    return PartnershipTable.objects.filter(
        Q(welfare_area_id__in=coordinated_area_ids(user)) | Q(coordinators=user)
    ).distinct()


def action_items_to_reassign(user: User) -> QuerySet[ActionItem]:
    """Open action items whose owner has left, on the tables ``user`` coordinates, oldest due first.

    The workspace counts it (``.count()``, one query); the page of items to reassign lists it."""
    return (
        with_owner_gone(
            ActionItem.objects.filter(
                status=ActionItemStatus.OPEN,
                meeting__table__in=coordinated_tables(user).values("pk"),
            )
        )
        .filter(owner_gone=True)
        .select_related("meeting", "meeting__table", "owner_user", "owner_organisation")
        .order_by("meeting__table__name", "due_on", "pk")
    )


# --- Open items on the next meeting -------------------------------------------------


def is_table_manager(user: User, table: PartnershipTable) -> bool:
    return bool((is_table_coordinator | is_admin).test(user, table))


def visible_items(queryset: QuerySet[ActionItem], user: User, table: PartnershipTable) -> QuerySet[ActionItem]:
    """Coordinators see every item of their tables; others those in published minutes."""
    if is_table_manager(user, table):
        return queryset
    return queryset.filter(meeting__minutes__published_at__isnull=False)


def _earlier_items(meeting: Meeting) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        meeting__table_id=meeting.table_id,
        meeting__starts_at__lt=meeting.starts_at,
        meeting__status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
    )


def _with_history(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return with_owner_gone(queryset).select_related("meeting", "owner_user", "owner_organisation").prefetch_related(
        Prefetch(
            "follow_ups",
            queryset=ActionItemFollowUp.objects.select_related("meeting").order_by("meeting__starts_at", "pk"),
        )
    )


def open_action_items_for_meeting(meeting: Meeting, user: User) -> list[ActionItem]:
    """The standing "Open actions" section of an upcoming meeting's agenda: the table's items still
    open from its earlier meetings, each with what later meetings said of it (``follow_ups``).
    Empty for a held or cancelled meeting: its minutes say what it decided. Two queries."""
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        return []
    items = visible_items(_earlier_items(meeting).filter(status=ActionItemStatus.OPEN), user, meeting.table)
    return list(_with_history(items).order_by("meeting__starts_at", "due_on", "pk"))


def open_actions_context(meeting: Meeting, user: User) -> dict:
    """For the meeting page (``meetings/includes/open_actions.html``). Two queries at most (none
    for a held or cancelled meeting)."""
    return {
        "open_actions": open_action_items_for_meeting(meeting, user),
        "show_people": can_see_people(user, meeting),
        "today": timezone.localdate(),
    }


def open_action_items_for_agenda(meeting: Meeting) -> list[ActionItem]:
    """The open items of the table as the calendar file and the printed agenda list them for anyone
    invited: those in published minutes, with the organisation but not the person. One query."""
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        return []
    return list(
        _earlier_items(meeting)
        .filter(status=ActionItemStatus.OPEN, meeting__minutes__published_at__isnull=False)
        .select_related("owner_organisation")
        .order_by("meeting__starts_at", "due_on", "pk")
    )


@dataclass
class FollowUpRow:
    """One open item in the minutes form, with what this meeting has recorded about it so far."""

    item: ActionItem
    follow_up: ActionItemFollowUp | None = None
    history: list[ActionItemFollowUp] = field(default_factory=list)


def minutes_follow_up_rows(meeting: Meeting) -> list[FollowUpRow]:
    """The items the minutes form reviews: those of earlier meetings that are open, and those this
    meeting has already reviewed (whatever their status now). Two queries."""
    items = _with_history(
        _earlier_items(meeting).filter(
            Q(status=ActionItemStatus.OPEN)
            | Q(pk__in=ActionItemFollowUp.objects.filter(meeting=meeting).values("action_item_id"))
        )
    ).order_by("meeting__starts_at", "due_on", "pk")
    rows = []
    for item in items:
        here = [follow_up for follow_up in item.follow_ups.all() if follow_up.meeting_id == meeting.pk]
        earlier = [follow_up for follow_up in item.follow_ups.all() if follow_up.meeting_id != meeting.pk]
        rows.append(FollowUpRow(item=item, follow_up=here[0] if here else None, history=earlier))
    return rows


def meeting_follow_ups(meeting: Meeting) -> list[ActionItemFollowUp]:
    """What the meeting decided about items of earlier meetings, for its minutes. One query."""
    return list(
        ActionItemFollowUp.objects.filter(meeting=meeting)
        .select_related("action_item", "action_item__meeting", "action_item__owner_organisation")
        .order_by("action_item__meeting__starts_at", "action_item__due_on", "action_item_id")
    )


# --- A table's action list ----------------------------------------------------------


@dataclass(frozen=True)
class ActionFilters:
    """What the list is narrowed to; every field optional."""

    status: str = ""
    owner: str = ""  # "unassigned", "organisation:<id>" or "person:<id>"
    overdue: bool = False
    meeting_id: int | None = None


def table_action_items(table: PartnershipTable, user: User, filters: ActionFilters) -> QuerySet[ActionItem]:
    """A table's action items (open first, then by due date), narrowed by ``filters``; paginate it.
    A person filter is ignored for those who are not shown people's names."""
    items = visible_items(ActionItem.objects.filter(meeting__table=table), user, table)
    items = with_owner_gone(items).select_related("meeting", "owner_user", "owner_organisation")
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.overdue:
        items = items.filter(status=ActionItemStatus.OPEN, due_on__lt=timezone.localdate())
    if filters.meeting_id is not None:
        items = items.filter(meeting_id=filters.meeting_id)
    kind, _sep, value = filters.owner.partition(":")
    if kind == "unassigned":
        items = items.filter(owner_gone=True)
    elif kind == "organisation" and value.isdigit():
        items = items.filter(owner_organisation_id=int(value), owner_gone=False)
    elif kind == "person" and value.isdigit() and can_see_table_people(user, table):
        items = items.filter(owner_user_id=int(value), owner_gone=False)
    status_order = Case(
        When(status=ActionItemStatus.OPEN, then=Value(0)), When(status=ActionItemStatus.DONE, then=Value(1)),
        default=Value(2),
    )
    return items.order_by(status_order, "due_on", "-meeting__starts_at", "pk")


def can_see_table_people(user: User, table: PartnershipTable) -> bool:
    """Whether the table's action list may name the people responsible: not to the general public."""
    return bool((is_table_coordinator | is_admin | is_standing_member_person).test(user, table))


def table_action_filter_choices(table: PartnershipTable, user: User) -> dict:
    """The choices of the list's filters: the table's meetings that have items, and whom items
    were given to (organisations; people only for those who may see their names). Three queries."""
    visible = visible_items(ActionItem.objects.filter(meeting__table=table), user, table)
    meetings = list(
        Meeting.objects.filter(pk__in=visible.values("meeting_id")).order_by("-starts_at", "pk").values_list(
            "pk", "title", "starts_at"
        )
    )
    organisations = list(
        Organisation.objects.filter(pk__in=visible.values("owner_organisation_id"))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    people = []
    if can_see_table_people(user, table):
        people = [
            (pk, full_name or email)
            for pk, full_name, email in User.objects.filter(pk__in=visible.values("owner_user_id"))
            .order_by("full_name", "email", "pk")
            .values_list("pk", "full_name", "email")
        ]
    return {"meetings": meetings, "organisations": organisations, "people": people}


def is_overdue(item: ActionItem, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return item.status == ActionItemStatus.OPEN and item.due_on is not None and item.due_on < today


# --- Reassigning ------------------------------------------------------------------


def action_item_get_for_reassign(*, user: User, pk: int) -> ActionItem:
    """The item with its meeting and table, or 404 for someone who may not see the table. The
    caller checks ``meetings.reassign_action_item`` (403)."""
    item = get_object_or_404(
        with_owner_gone(ActionItem.objects.all()).select_related(
            "meeting", "meeting__table", "owner_user", "owner_organisation"
        ),
        pk=pk,
    )
    if not user.has_perm("tables.view_table", item.meeting.table):
        raise Http404
    return item


def standing_organisation_choices(table: PartnershipTable) -> list[tuple[int, str]]:
    """The table's active standing organisations, for the reassign form. One query."""
    return list(
        Organisation.objects.filter(
            standing_memberships__table=table, standing_memberships__status=StandingMemberStatus.ACTIVE
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
