"""After the meeting: attendance, minutes with decisions and action items, closing the meeting.

Every function here checks the actor's permission on the locked meeting, validates everything
before writing anything, and writes in one transaction: a refused request changes nothing.
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
from meetings.ical import HELSINKI
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
)
from meetings.services._common import lock_meeting, require, text_problem
from meetings.services.actions import FollowUpEntry, validate_follow_ups, write_follow_ups
from meetings.services.meetings import meeting_suggest_chair
from meetings.services.notifications import action_items_assigned_notify, minutes_published_notify
from organisations.models import Organisation

MAX_DECISIONS = 200
MAX_ACTION_ITEMS = 200
# How far ahead the next meeting may be set; further than this is almost certainly a typing error.
NEXT_MEETING_HORIZON = datetime.timedelta(days=3 * 365)


def _length_error(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return _("Write at most %(limit)d characters (now %(count)d).") % {"limit": limit, "count": len(text)}
    return None


# --- Attendance -----------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One invitee's row of the attendance form."""

    invitation_id: int
    attended: bool
    online: bool = False
    organisation_id: int | None = None


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, entries: list[AttendanceEntry]) -> list[Attendance]:
    """Replaces the attendance of the meeting's invitees with ``entries`` (one per invitee at most).

    Rows left by people who have since deleted their account (no person, no invitation) are kept,
    so the statistics keep counting them.
    """
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.record_attendance", meeting)
    invitations = {invitation.pk: invitation for invitation in meeting.invitations.filter(anonymised_at__isnull=True)}
    seen: set[int] = set()
    people: set[int] = set()
    for entry in entries:
        if entry.invitation_id not in invitations:
            raise ValidationError(_("The list of people has changed. Load the page again and retry."))
        user_id = invitations[entry.invitation_id].user_id
        if entry.invitation_id in seen or (user_id is not None and user_id in people):
            raise ValidationError(_("The same person is on the list twice."))
        seen.add(entry.invitation_id)
        if user_id is not None:
            people.add(user_id)
    organisation_ids = {entry.organisation_id for entry in entries if entry.organisation_id is not None}
    if organisation_ids:
        found = set(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", flat=True))
        if found != organisation_ids:
            raise ValidationError(_("Choose the organisations from the list."))

    meeting.attendances.filter(Q(invitation__isnull=False) | Q(user__isnull=False)).delete()
    rows = [
        Attendance(
            meeting=meeting,
            invitation=invitations[entry.invitation_id],
            user_id=invitations[entry.invitation_id].user_id,
            organisation_id=entry.organisation_id,
            attended=entry.attended,
            online=entry.attended and entry.online,
            recorded_by=actor,
        )
        for entry in entries
    ]
    return Attendance.objects.bulk_create(rows)


# --- Minutes, decisions, action items -------------------------------------------


@dataclass(frozen=True)
class DecisionEntry:
    text: str


@dataclass(frozen=True)
class ActionItemEntry:
    """An action item as the minutes form gives it; ``pk`` names an existing item of the meeting."""

    what: str
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None
    due_on: datetime.date | None = None
    status: str = ActionItemStatus.OPEN
    pk: int | None = None


def _validate_decisions(decisions: list[DecisionEntry]) -> list[str]:
    errors = []
    if len(decisions) > MAX_DECISIONS:
        errors.append(_("Record at most %(count)d decisions.") % {"count": MAX_DECISIONS})
    for number, decision in enumerate(decisions, start=1):
        if not decision.text.strip():
            errors.append(_("Decision %(number)d: write the decision.") % {"number": number})
        elif message := _length_error(decision.text, 4000) or text_problem(decision.text):
            errors.append(_("Decision %(number)d: %(message)s") % {"number": number, "message": message})
    return errors


def _validate_action_items(meeting: Meeting, items: list[ActionItemEntry], existing: dict) -> list[str]:
    errors = []
    if len(items) > MAX_ACTION_ITEMS:
        errors.append(_("Record at most %(count)d action items.") % {"count": MAX_ACTION_ITEMS})
    user_ids = {item.owner_user_id for item in items if item.owner_user_id is not None}
    organisation_ids = {item.owner_organisation_id for item in items if item.owner_organisation_id is not None}
    known_users = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    known_organisations = set(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", flat=True))
    meeting_day = meeting.starts_at.astimezone(HELSINKI).date()
    for number, item in enumerate(items, start=1):
        problems = []
        if not item.what.strip():
            problems.append(_("write what is to be done."))
        elif message := _length_error(item.what, 2000) or text_problem(item.what):
            problems.append(message)
        if item.owner_user_id is None and item.owner_organisation_id is None:
            problems.append(_("name the responsible person or organisation."))
        if item.owner_user_id is not None and item.owner_user_id not in known_users:
            problems.append(_("choose the responsible person from the list."))
        if item.owner_organisation_id is not None and item.owner_organisation_id not in known_organisations:
            problems.append(_("choose the responsible organisation from the list."))
        if item.status not in ActionItemStatus.values:
            problems.append(_("choose a status from the list."))
        if item.pk is not None and item.pk not in existing:
            problems.append(_("this action item no longer exists. Load the page again."))
        previous = existing.get(item.pk)
        due_changed = previous is None or previous.due_on != item.due_on
        if item.due_on is not None and due_changed and item.due_on < meeting_day:
            problems.append(_("the due date cannot be before the meeting."))
        errors.extend(
            _("Action item %(number)d: %(message)s") % {"number": number, "message": problem} for problem in problems
        )
    return errors


def _apply_status(item: ActionItem, status: str, now: datetime.datetime) -> None:
    if item.status != status:
        item.status = status
        item.completed_at = now if status == ActionItemStatus.DONE else None


def _check_started(meeting: Meeting, now) -> None:
    """Minutes may be prepared before the meeting, but are published once it has started."""
    if meeting.starts_at > now:
        raise ValidationError(_("The minutes can be published once the meeting has started; save them as a draft."))


@transaction.atomic
def minutes_save(
    *,
    actor: User,
    meeting: Meeting,
    body_markdown: str,
    decisions: list[DecisionEntry],
    action_items: list[ActionItemEntry],
    follow_ups: list[FollowUpEntry] | None = None,
    publish: bool = False,
) -> Minutes:
    """Saves the minutes of a meeting: the text, the decisions in the order given (replacing the
    previous ones), the action items (existing ones are updated in place, so their reminder
    history stays; ones left out are removed) and what the meeting decided about the open items
    of earlier meetings (``follow_ups``: done, or carried on with a note; see
    ``meetings.services.actions``). With ``publish`` the minutes become public to whoever may see
    the meeting. Nothing is written unless everything is valid.

    Publishing tells the invitees and the standing members (once) and each open action item's
    owner; on published minutes, a new item or one given to someone else tells its new owner."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.record_minutes", meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    existing = {item.pk: item for item in ActionItem.objects.filter(meeting=meeting)}

    errors: dict[str, list[str]] = {}
    if message := _length_error(body_markdown, 100000) or text_problem(body_markdown):
        errors["body_markdown"] = [message]
    if decision_errors := _validate_decisions(decisions):
        errors["decisions"] = decision_errors
    if item_errors := _validate_action_items(meeting, action_items, existing):
        errors["action_items"] = item_errors
    follow_up_items: dict = {}
    if follow_ups:
        follow_up_errors, follow_up_items = validate_follow_ups(meeting, follow_ups)
        if follow_up_errors:
            errors["follow_ups"] = follow_up_errors
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    was_published = minutes.published_at is not None
    owners_before = {pk: (item.owner_user_id, item.owner_organisation_id) for pk, item in existing.items()}
    if publish and minutes.published_at is None:
        _check_started(meeting, now)
    minutes.body_markdown = body_markdown
    minutes.updated_by = actor
    if publish and minutes.published_at is None:
        minutes.published_at = now
        minutes.published_by = actor
    minutes.full_clean(exclude=["meeting"])
    minutes.save()

    minutes.decisions.all().delete()
    Decision.objects.bulk_create(
        Decision(minutes=minutes, text=decision.text.strip(), position=position)
        for position, decision in enumerate(decisions, start=1)
    )

    kept: list[ActionItem] = []
    created: list[ActionItem] = []
    for entry in action_items:
        item = existing[entry.pk] if entry.pk is not None else ActionItem(meeting=meeting, created_by=actor)
        item.what = entry.what.strip()
        item.owner_user_id = entry.owner_user_id
        item.owner_organisation_id = entry.owner_organisation_id
        item.due_on = entry.due_on
        _apply_status(item, entry.status, now)
        (kept if entry.pk is not None else created).append(item)
    removed = set(existing) - {item.pk for item in kept}
    if removed:
        ActionItem.objects.filter(pk__in=removed).delete()
    if kept:
        ActionItem.objects.bulk_update(
            kept, ["what", "owner_user", "owner_organisation", "due_on", "status", "completed_at"]
        )
    ActionItem.objects.bulk_create(created)
    if follow_ups:
        write_follow_ups(actor=actor, meeting=meeting, entries=follow_ups, items=follow_up_items)
    if minutes.is_published and not was_published:
        minutes_published_notify(meeting, actor=actor)
        action_items_assigned_notify([*kept, *created], meeting=meeting, actor=actor)
    elif was_published:
        # Drafts tell nobody; on published minutes, only what changed hands is told.
        given = [*created] + [
            item for item in kept if owners_before[item.pk] != (item.owner_user_id, item.owner_organisation_id)
        ]
        action_items_assigned_notify(given, meeting=meeting, actor=actor)
    return minutes


@transaction.atomic
def minutes_publish(*, actor: User, meeting: Meeting) -> Minutes:
    """Publishes the meeting's minutes (once; publishing again keeps the first time). Publishing
    tells the invitees and standing members, and the owners of the meeting's open action items."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.record_minutes", meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise ValidationError(_("Write the minutes before publishing them."))
    if minutes.published_at is None:
        _check_started(meeting, timezone.now())
        minutes.published_at = timezone.now()
        minutes.published_by = actor
        minutes.save(update_fields=["published_at", "published_by", "updated_at"])
        minutes_published_notify(meeting, actor=actor)
        action_items_assigned_notify(list(ActionItem.objects.filter(meeting=meeting)), meeting=meeting, actor=actor)
    return minutes


@transaction.atomic
def action_item_set_status(*, actor: User, action_item: ActionItem, status: str) -> ActionItem:
    """Marks an action item done or open again (its owner may), or cancelled (only the minutes' writers)."""
    if status not in ActionItemStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__table")
        .get(pk=action_item.pk)
    )
    require(actor, "meetings.change_action_item_status", item)
    if status == ActionItemStatus.CANCELLED:
        require(actor, "meetings.record_minutes", item.meeting)
    _apply_status(item, status, timezone.now())
    item.save(update_fields=["status", "completed_at"])
    return item


# --- Closing a meeting ----------------------------------------------------------


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting, next_starts_at: datetime.datetime) -> Meeting:
    """Marks a meeting held and creates the next one as a draft of the same table (seed 000: each
    meeting agrees on the next). The draft copies the format, place, link, capacity, secretary and
    length; the chair is suggested by rotation. Returns the new draft; both happen or neither."""
    meeting = lock_meeting(meeting.pk)
    # Only someone who could have closed it learns that it is already closed.
    if meeting.status == MeetingStatus.HELD and actor.has_perm("meetings.record_minutes", meeting):
        raise ValidationError(_("This meeting has already been closed."))
    require(actor, "meetings.close_meeting", meeting)
    now = timezone.now()
    if timezone.is_naive(next_starts_at):
        raise ValidationError({"next_starts_at": _("Give the date and time of the next meeting.")})
    if next_starts_at <= now:
        raise ValidationError({"next_starts_at": _("The next meeting cannot be in the past.")})
    if next_starts_at <= meeting.ends_at:
        raise ValidationError({"next_starts_at": _("The next meeting must be after this meeting.")})
    if next_starts_at > now + NEXT_MEETING_HORIZON:
        raise ValidationError({"next_starts_at": _("The next meeting must be within three years.")})

    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])

    next_meeting = Meeting(
        table=meeting.table,
        # The title in every language it was given in (modeltranslation columns).
        **{column: getattr(meeting, column) for column in ("title", "title_fi", "title_sv", "title_en")},
        starts_at=next_starts_at,
        ends_at=next_starts_at + (meeting.ends_at - meeting.starts_at),
        format=meeting.format,
        address=meeting.address,
        online_link=meeting.online_link,
        capacity=meeting.capacity,
        chair=meeting_suggest_chair(meeting.table),
        secretary_id=meeting.secretary_id,
        status=MeetingStatus.DRAFT,
        created_by=actor,
    )
    next_meeting.full_clean()
    next_meeting.save()
    return next_meeting
