"""Finding the reminders that are due and writing them to the outbox, once each.

Meeting reminders are keyed on (meeting, invitation, kind, the start time they were computed
for): a moved meeting is reminded of afresh, and a reminder written before the move is skipped
when its turn comes. Due times are computed on the Helsinki wall clock ("two days before, at the
same time"), so a DST change between the reminder and the meeting does not shift them by an hour.
Action item reminders are keyed on (item, person, ISO week): at most one a week.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from meetings.ical import HELSINKI
from meetings.models import (
    ATTENDING_RESPONSES,
    ActionItem,
    ActionItemReminder,
    ActionItemStatus,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingReminder,
    MeetingReminderKind,
    MeetingStatus,
    OutboxStatus,
)
from meetings.services.notifications import ACTION_ITEM_DUE_SOON, action_item_owner_people
from outbox.engine import queue_sends
from outbox.services import notification_queue
from tables.models import StandingMember, StandingMemberStatus

# Invitees who have not answered are reminded this many days before the registration deadline.
RSVP_REMINDER_DAYS = 2
# The longest meeting reminder a table may set (tables.PartnershipTable.meeting_reminder_days).
LONGEST_REMINDER = datetime.timedelta(days=61)


def local_days_before(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same Helsinki wall-clock time ``days`` days earlier, as an aware datetime."""
    local = moment.astimezone(HELSINKI).replace(tzinfo=None) - datetime.timedelta(days=days)
    return local.replace(tzinfo=HELSINKI)


def _wants_reminders() -> Q:
    # People invited by address without an account have no settings to respect; the anonymised
    # invitations of deleted accounts are never sent anything.
    return Q(anonymised_at__isnull=True) & (
        Q(user__isnull=True) | Q(user__notify_meeting_reminders=True, user__is_active=True)
    )


def _not_reminded(kind: str) -> Exists:
    """Leaves out the invitees who already have this reminder for the meeting's current start, so a
    run after everything was written reads only what is new (the unique key would drop them anyway)."""
    return ~Exists(
        MeetingReminder.objects.filter(
            invitation=OuterRef("pk"), kind=kind, for_starts_at=OuterRef("meeting__starts_at")
        )
    )


@transaction.atomic
def meeting_reminders_queue_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Writes the meeting reminders due by ``now`` (attending N days before; not answered before
    the deadline) and queues their sending. Returns the ids queued."""
    now = now or timezone.now()
    # Plain values, not model instances: every upcoming meeting of the country is read each run.
    upcoming = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + LONGEST_REMINDER
    ).values_list("pk", "starts_at", "rsvp_deadline", "table__meeting_reminder_days")
    attending_due, deadline_due = {}, {}
    for pk, starts_at, rsvp_deadline, reminder_days in upcoming:
        if reminder_days is not None and local_days_before(starts_at, reminder_days) <= now:
            attending_due[pk] = starts_at
        if (
            rsvp_deadline is not None
            and rsvp_deadline > now
            and local_days_before(rsvp_deadline, RSVP_REMINDER_DAYS) <= now
        ):
            deadline_due[pk] = starts_at
    rows = []
    if attending_due:
        attending = Invitation.objects.filter(
            _wants_reminders(),
            _not_reminded(MeetingReminderKind.ATTENDING),
            meeting_id__in=attending_due,
            rsvp__response__in=ATTENDING_RESPONSES,
            rsvp__waitlisted=False,
        ).values_list("pk", "meeting_id")
        rows += [
            MeetingReminder(
                meeting_id=meeting_id, invitation_id=pk, kind=MeetingReminderKind.ATTENDING,
                for_starts_at=attending_due[meeting_id], queued_at=now,
            )
            for pk, meeting_id in attending
        ]
    if deadline_due:
        unanswered = (
            Invitation.objects.filter(
                _wants_reminders(),
                _not_reminded(MeetingReminderKind.RSVP_DEADLINE),
                meeting_id__in=deadline_due,
                rsvp__isnull=True,
            )
            .exclude(kind=InvitationKind.CANCEL)
            .values_list("pk", "meeting_id")
        )
        rows += [
            MeetingReminder(
                meeting_id=meeting_id, invitation_id=pk, kind=MeetingReminderKind.RSVP_DEADLINE,
                for_starts_at=deadline_due[meeting_id], queued_at=now,
            )
            for pk, meeting_id in unanswered
        ]
    # The unique key makes a second run (or a second beat) write nothing new.
    MeetingReminder.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        MeetingReminder.objects.filter(
            meeting_id__in=set(attending_due) | set(deadline_due), delivery_status=OutboxStatus.QUEUED
        ).values_list("pk", flat=True)
    )
    queue_sends(MeetingReminder, ids)
    return ids


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def action_item_reminders_queue_due(*, today: datetime.date | None = None) -> list[int]:
    """Writes this week's reminders of overdue open action items and queues their sending.

    The owner is the responsible person; for an item owned by an organisation, its representative
    on the table. People who turned these reminders off are left out.
    """
    today = today or timezone.localdate()
    week = week_start(today)
    # One reminder per item a week: items already reminded of this week are not read again, so the
    # daily run costs what is new, not every overdue item in the country. The ids first, then the
    # rows: PostgreSQL cannot tell how few the first query leaves and would join whole tables.
    due_ids = list(
        ActionItem.objects.filter(status=ActionItemStatus.OPEN, due_on__lt=today)
        .exclude(Exists(ActionItemReminder.objects.filter(action_item=OuterRef("pk"), week=week)))
        .values_list("pk", flat=True)
    )
    items = list(
        ActionItem.objects.filter(pk__in=due_ids)
        .select_related("owner_user")
        .annotate(table_id=F("meeting__table_id"))
        .order_by()
    )
    representatives = {}
    organisation_items = [item for item in items if item.owner_user is None and item.owner_organisation_id]
    if organisation_items:
        standing = StandingMember.objects.filter(
            status=StandingMemberStatus.ACTIVE,
            table_id__in={item.table_id for item in organisation_items},
            organisation_id__in={item.owner_organisation_id for item in organisation_items},
            representative__isnull=False,
        ).select_related("representative")
        representatives = {(member.table_id, member.organisation_id): member.representative for member in standing}
    rows = []
    for item in items:
        owner = item.owner_user or representatives.get((item.table_id, item.owner_organisation_id))
        if owner is None or not owner.is_active or not owner.notify_action_items:
            continue
        rows.append(ActionItemReminder(action_item=item, user=owner, week=week, queued_at=timezone.now()))
    ActionItemReminder.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        ActionItemReminder.objects.filter(week=week, delivery_status=OutboxStatus.QUEUED).values_list("pk", flat=True)
    )
    queue_sends(ActionItemReminder, ids)
    return ids


@transaction.atomic
def action_item_due_soon_queue(*, today: datetime.date | None = None) -> list[int]:
    """Tells the owner of each open action item of published minutes that it is due within
    ACTION_ITEM_DUE_SOON_DAYS days: once per item and due date (``due_soon_notified_for``), so a
    second run, a retry or an overlapping run tells nobody again; a new due date is told anew.
    Items whose owner has no active account are left (their reassignment is told instead).
    Returns the ids of the items told of. Plain ORM, so it runs on SQLite as on PostgreSQL.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.ACTION_ITEM_DUE_SOON_DAYS)
    items = list(
        ActionItem.objects.select_for_update(of=("self",))
        .filter(
            status=ActionItemStatus.OPEN, due_on__gt=today, due_on__lte=horizon,
            meeting__minutes__published_at__isnull=False,
        )
        .exclude(due_soon_notified_for=F("due_on"))
        .annotate(table_id=F("meeting__table_id"))
        .order_by("pk")
    )
    told = []
    for table_id in sorted({item.table_id for item in items}):
        table_items = [item for item in items if item.table_id == table_id]
        owners = action_item_owner_people(table_items, table_id=table_id)
        for item in table_items:
            owner = owners[item.pk]
            if owner is None or not owner.is_active:
                continue
            notification_queue(kind=ACTION_ITEM_DUE_SOON, object_id=item.pk, recipients=[owner])
            item.due_soon_notified_for = item.due_on
            told.append(item)
    ActionItem.objects.bulk_update(told, ["due_soon_notified_for"])
    return [item.pk for item in told]


def meeting_reminder_still_due(reminder: MeetingReminder) -> bool:
    """A reminder computed before the meeting moved, was cancelled, or the person answered, is dropped."""
    meeting, invitation = reminder.meeting, reminder.invitation
    if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at != reminder.for_starts_at:
        return False
    if meeting.starts_at <= timezone.now():
        return False
    if invitation.user is not None and not invitation.user.notify_meeting_reminders:
        return False
    rsvp = getattr(invitation, "rsvp", None)
    if reminder.kind == MeetingReminderKind.ATTENDING:
        return rsvp is not None and rsvp.is_attending
    return rsvp is None and meeting.rsvp_deadline is not None and meeting.rsvp_deadline > timezone.now()
