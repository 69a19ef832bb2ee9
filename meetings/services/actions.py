"""Following action items between meetings: a later meeting marks an open item done or carries it
on with a note (``ActionItemFollowUp``, one per item and meeting), and a coordinator gives an item
whose owner has left to someone else.

As everywhere in meetings, each function checks the actor's permission on the locked row,
validates everything before writing anything, and writes in one transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import meetings.permissions  # noqa: F401  (registers the rules used below)
from accounts.models import User
from accounts.selectors import user_for_verified_address
from kumppanuus.addresses import normalise_email
from meetings.ical import HELSINKI
from meetings.models import (
    ActionItem,
    ActionItemFollowUp,
    ActionItemStatus,
    FollowUpOutcome,
    Meeting,
    MeetingStatus,
)
from meetings.services._common import lock_meeting, require, text_problem
from meetings.services.notifications import action_item_owner_people, action_item_reassigned_notify
from organisations.models import Membership, MembershipStatus
from tables.models import StandingMember, StandingMemberStatus

NOTE_LIMIT = 2000
NO_DECISION = ""


@dataclass(frozen=True)
class FollowUpEntry:
    """What the minutes form says of one open item: ``outcome`` is "done", "carried" or "" (no
    decision: whatever was recorded at this meeting is taken back)."""

    action_item_id: int
    outcome: str = NO_DECISION
    note: str = ""
    new_due_on: datetime.date | None = None


def _reviewable(meeting: Meeting):
    """The items the meeting may review: the table's items from its earlier meetings that are open,
    or that this meeting has reviewed already."""
    return ActionItem.objects.filter(
        meeting__table_id=meeting.table_id,
        meeting__starts_at__lt=meeting.starts_at,
        meeting__status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
    ).filter(Q(status=ActionItemStatus.OPEN) | Q(follow_ups__meeting=meeting))


def validate_follow_ups(meeting: Meeting, entries: list[FollowUpEntry]) -> tuple[list[str], dict[int, ActionItem]]:
    """The problems with ``entries`` (numbered as the form shows them), and the items they name,
    locked for the transaction."""
    ids = [entry.action_item_id for entry in entries]
    reviewable = _reviewable(meeting).filter(pk__in=ids).values("pk")
    items = {item.pk: item for item in ActionItem.objects.select_for_update().filter(pk__in=reviewable)}
    meeting_day = meeting.starts_at.astimezone(HELSINKI).date()
    errors: list[str] = []
    seen: set[int] = set()
    for number, entry in enumerate(entries, start=1):
        problems = []
        if entry.action_item_id not in items:
            problems.append(_("this action item is no longer open. Load the page again."))
        elif entry.action_item_id in seen:
            problems.append(_("the action item is on the list twice."))
        seen.add(entry.action_item_id)
        if entry.outcome not in (NO_DECISION, *FollowUpOutcome.values):
            problems.append(_("choose what was decided from the list."))
        if message := _note_problem(entry.note):
            problems.append(message)
        elif entry.outcome == FollowUpOutcome.CARRIED and not (entry.note or "").strip():
            problems.append(_("write a note on how the item carries on."))
        elif entry.outcome == NO_DECISION and (entry.note or "").strip():
            problems.append(_("choose done or carried on for the note, or leave the note empty."))
        if entry.new_due_on is not None:
            if entry.outcome != FollowUpOutcome.CARRIED:
                problems.append(_("a new due date is given only when the item carries on."))
            elif entry.new_due_on < meeting_day:
                problems.append(_("the new due date cannot be before the meeting."))
        errors.extend(
            _("Open action %(number)d: %(message)s") % {"number": number, "message": problem} for problem in problems
        )
    return errors, items


def _note_problem(note) -> str | None:
    if problem := text_problem(note):
        return problem
    if len(note or "") > NOTE_LIMIT:
        return _("Write at most %(limit)d characters (now %(count)d).") % {"limit": NOTE_LIMIT, "count": len(note)}
    return None


def write_follow_ups(
    *, actor: User, meeting: Meeting, entries: list[FollowUpEntry], items: dict[int, ActionItem]
) -> list[ActionItemFollowUp]:
    """Writes validated ``entries``; the caller holds the meeting's lock and the items' locks."""
    now = timezone.now()
    existing = {
        follow_up.action_item_id: follow_up
        for follow_up in ActionItemFollowUp.objects.filter(meeting=meeting, action_item_id__in=list(items))
    }
    saved = []
    changed_items = []
    for entry in entries:
        item = items[entry.action_item_id]
        previous = existing.get(item.pk)
        was_done_here = previous is not None and previous.outcome == FollowUpOutcome.DONE
        if entry.outcome == NO_DECISION:
            if previous is not None:
                previous.delete()
            if was_done_here and item.status == ActionItemStatus.DONE:
                item.status, item.completed_at = ActionItemStatus.OPEN, None
                changed_items.append(item)
            continue
        follow_up = previous or ActionItemFollowUp(action_item=item, meeting=meeting)
        unchanged = (
            previous is not None
            and previous.outcome == entry.outcome
            and previous.note == entry.note.strip()
            and previous.new_due_on == entry.new_due_on
        )
        if not unchanged:
            follow_up.outcome = entry.outcome
            follow_up.note = entry.note.strip()
            follow_up.new_due_on = entry.new_due_on
            follow_up.recorded_by = actor
            follow_up.recorded_at = now
            follow_up.full_clean(exclude=["action_item", "meeting", "recorded_by"], validate_unique=False)
            follow_up.save()
        saved.append(follow_up)
        if entry.outcome == FollowUpOutcome.DONE and item.status != ActionItemStatus.DONE:
            item.status, item.completed_at = ActionItemStatus.DONE, now
            changed_items.append(item)
        elif entry.outcome == FollowUpOutcome.CARRIED:
            if was_done_here and item.status == ActionItemStatus.DONE:
                item.status, item.completed_at = ActionItemStatus.OPEN, None
            if entry.new_due_on is not None:
                item.due_on = entry.new_due_on
            changed_items.append(item)
    if changed_items:
        ActionItem.objects.bulk_update(changed_items, ["status", "completed_at", "due_on"])
    return saved


@transaction.atomic
def action_item_follow_ups_record(
    *, actor: User, meeting: Meeting, entries: list[FollowUpEntry]
) -> list[ActionItemFollowUp]:
    """Records what ``meeting`` decided about open items of the table's earlier meetings: done
    (the item is closed) or carried on with a note (it stays open, optionally with a new due date).
    Items not in ``entries`` are left as they are. All or nothing: one invalid entry writes none."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.record_minutes", meeting)
    errors, items = validate_follow_ups(meeting, entries)
    if errors:
        raise ValidationError({"follow_ups": errors})
    return write_follow_ups(actor=actor, meeting=meeting, entries=entries, items=items)


def action_item_follow_up(
    *, actor: User, meeting: Meeting, action_item: ActionItem, outcome: str, note: str = "",
    new_due_on: datetime.date | None = None,
) -> ActionItemFollowUp | None:
    """Records the decision on one item (see ``action_item_follow_ups_record``)."""
    entry = FollowUpEntry(action_item_id=action_item.pk, outcome=outcome, note=note, new_due_on=new_due_on)
    saved = action_item_follow_ups_record(actor=actor, meeting=meeting, entries=[entry])
    return saved[0] if saved else None


# --- Reassigning ------------------------------------------------------------------


@transaction.atomic
def action_item_reassign(
    *, actor: User, action_item: ActionItem, owner_email: str = "", owner_organisation_id: int | None = None
) -> ActionItem:
    """Gives an open item to a person (by a verified e-mail address) and/or one of the table's
    standing organisations. The person must be an approved member of the organisation given, or
    without one, of an organisation standing at the table or a coordinator of the table: someone
    the item would not at once count as left by. The new owner is told, and the previous one
    that the item left them."""
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__table")
        .get(pk=action_item.pk)
    )
    require(actor, "meetings.reassign_action_item", item)
    table = item.meeting.table
    errors: dict[str, list[str]] = {}
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError(_("Only an open action item can be given to someone else."))
    owner_email = (owner_email or "").strip()
    if problem := text_problem(owner_email, one_line=True):
        raise ValidationError({"owner_email": problem})
    if not owner_email and owner_organisation_id is None:
        raise ValidationError(_("Name the new responsible person or organisation."))

    standing = set(
        StandingMember.objects.filter(table=table, status=StandingMemberStatus.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    if owner_organisation_id is not None and owner_organisation_id not in standing:
        errors.setdefault("owner_organisation", []).append(
            _("Choose one of the table's standing member organisations.")
        )
    person = None
    if owner_email:
        person = user_for_verified_address(normalise_email(owner_email))
        if person is None:
            errors.setdefault("owner_email", []).append(
                _("Nobody has an account with this verified e-mail address.")
            )
    if person is not None and not errors:
        memberships = set(
            Membership.objects.filter(user=person, status=MembershipStatus.APPROVED).values_list(
                "organisation_id", flat=True
            )
        )
        if owner_organisation_id is not None:
            if owner_organisation_id not in memberships:
                errors.setdefault("owner_email", []).append(
                    _("This person is not an approved member of the organisation chosen.")
                )
        elif not (memberships & standing) and not person.has_perm("meetings.manage_meeting", item.meeting):
            errors.setdefault("owner_email", []).append(
                _("This person belongs to no organisation standing at the table. Choose their organisation too.")
            )
    if errors:
        raise ValidationError(errors)

    previous = action_item_owner_people([item], table_id=table.pk)[item.pk]
    item.owner_user = person
    item.owner_organisation_id = owner_organisation_id
    item.full_clean(exclude=["meeting", "created_by"])
    item.save(update_fields=["owner_user", "owner_organisation"])
    action_item_reassigned_notify(item, previous=previous, actor=actor)
    return item
