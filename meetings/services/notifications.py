"""Whom the events of meetings concern, and queueing the notifications that tell them (issue 13).

Each kind is one outbox notification row per person, sent once the caller's transaction commits,
and built in meetings/emails.py in the person's language. Nobody is told of what they did
themselves, people whose account is closed are told nothing, and nobody gets two rows for one event.
"""

from collections.abc import Iterable

from accounts.models import User
from meetings.models import ActionItem, ActionItemStatus, AgendaItem, Invitation, InvitationKind, Meeting
from outbox.services import notification_queue
from tables.models import StandingMember, StandingMemberStatus
from tables.selectors import standing_member_request_reviewers

# Outbox notification kinds (their builders and settings labels are in meetings/emails.py).
AGENDA_PROPOSAL = "meetings.agenda_proposal"
PROPOSAL_DECISION = "meetings.proposal_decision"
MINUTES_PUBLISHED = "meetings.minutes_published"
ACTION_ITEM_ASSIGNED = "meetings.action_item_assigned"
ACTION_ITEM_REASSIGNED = "meetings.action_item_reassigned"
ACTION_ITEM_DUE_SOON = "meetings.action_item_due_soon"


def _people(users: Iterable[User | None], *, actor: User | None) -> list[User]:
    """The active people of ``users`` other than the actor, each once, in a stable order."""
    seen: dict[int, User] = {}
    for user in users:
        if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        seen.setdefault(user.pk, user)
    return [seen[pk] for pk in sorted(seen)]


def action_item_owner_people(items: list[ActionItem], *, table_id: int) -> dict[int, User | None]:
    """The person each item of one table concerns (item pk → person or None): its responsible
    person, or for an item given to an organisation only, the organisation's representative on
    the table (as the overdue reminders have it). One query for the representatives."""
    by_organisation: dict[int, User] = {}
    organisation_ids = {item.owner_organisation_id for item in items if item.owner_user_id is None}
    organisation_ids.discard(None)
    if organisation_ids:
        by_organisation = {
            member.organisation_id: member.representative
            for member in StandingMember.objects.filter(
                table_id=table_id, status=StandingMemberStatus.ACTIVE, organisation_id__in=organisation_ids,
                representative__isnull=False,
            ).select_related("representative")
        }
    owners: dict[int, User | None] = {}
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in={item.owner_user_id for item in items if item.owner_user_id})
    }
    for item in items:
        if item.owner_user_id is not None:
            owners[item.pk] = users.get(item.owner_user_id)
        else:
            owners[item.pk] = by_organisation.get(item.owner_organisation_id)
    return owners


# --- Agenda proposals ----------------------------------------------------------------------


def agenda_proposal_recipients(meeting: Meeting, *, actor: User | None) -> list[User]:
    """Who decides on a proposed topic: the table's coordinators (the named ones, or the county's)
    and the meeting's chair."""
    return _people([*standing_member_request_reviewers(meeting.table), meeting.chair_person], actor=actor)


def agenda_proposal_notify(item: AgendaItem, *, meeting: Meeting, actor: User) -> None:
    notification_queue(
        kind=AGENDA_PROPOSAL, object_id=item.pk, recipients=agenda_proposal_recipients(meeting, actor=actor)
    )


def proposal_decision_notify(item: AgendaItem, *, actor: User) -> None:
    """Tells the proposer the topic was accepted or declined (with the reason)."""
    notification_queue(
        kind=PROPOSAL_DECISION, object_id=item.pk, recipients=_people([item.proposed_by], actor=actor)
    )


# --- Minutes -------------------------------------------------------------------------------


def minutes_recipients(meeting: Meeting, *, actor: User | None) -> list:
    """Who is told the minutes are out: the meeting's invitees (a person, or an address without an
    account) and the representatives and substitutes of the table's standing members."""
    invitations = list(
        Invitation.objects.filter(meeting=meeting, anonymised_at__isnull=True)
        .exclude(kind=InvitationKind.CANCEL)
        .select_related("user")
        .order_by("pk")
    )
    standing = StandingMember.objects.filter(
        table_id=meeting.table_id, status=StandingMemberStatus.ACTIVE
    ).select_related("representative", "substitute")
    people = _people(
        [invitation.user for invitation in invitations]
        + [person for member in standing for person in (member.representative, member.substitute)],
        actor=actor,
    )
    # Addresses without an account; notification_queue leaves out an address a person above has.
    addresses = [invitation for invitation in invitations if invitation.user_id is None and invitation.email]
    return [*people, *addresses]


def minutes_published_notify(meeting: Meeting, *, actor: User) -> None:
    notification_queue(
        kind=MINUTES_PUBLISHED, object_id=meeting.pk, recipients=minutes_recipients(meeting, actor=actor)
    )


# --- Action items ---------------------------------------------------------------------------


def action_items_assigned_notify(items: list[ActionItem], *, meeting: Meeting, actor: User) -> None:
    """Tells each open item's owner it was given to them (one row per item and person)."""
    items = [item for item in items if item.status == ActionItemStatus.OPEN]
    if not items:
        return
    owners = action_item_owner_people(items, table_id=meeting.table_id)
    for item in items:
        notification_queue(
            kind=ACTION_ITEM_ASSIGNED, object_id=item.pk, recipients=_people([owners[item.pk]], actor=actor)
        )


def action_item_reassigned_notify(item: ActionItem, *, previous: User | None, actor: User) -> None:
    """Tells the new owner the item is theirs and the previous one that it left them."""
    current = action_item_owner_people([item], table_id=item.meeting.table_id)[item.pk]
    if current is not None and previous is not None and current.pk == previous.pk:
        return  # the same person still answers for it
    notification_queue(
        kind=ACTION_ITEM_REASSIGNED, object_id=item.pk, recipients=_people([current, previous], actor=actor)
    )
