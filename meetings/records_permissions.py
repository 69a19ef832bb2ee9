"""Who may record what happened at a meeting, and read the records (django-rules).

Predicates on a meeting take (user, meeting); on an action item (user, action_item); on a table
(user, table). The rules on the meeting itself (who may see it, who manages it) are in
``meetings.permissions``; this module builds on them.
"""

import rules
from django.utils import timezone

from meetings.models import MeetingStatus
from meetings.permissions import can_manage
from organisations.permissions import approved_memberships, is_admin
from tables.permissions import is_table_coordinator


@rules.predicate
def is_meeting_secretary(user, meeting) -> bool:
    return meeting is not None and user.is_authenticated and meeting.secretary_id == user.pk


@rules.predicate
def has_meeting_started(user, meeting) -> bool:
    return meeting is not None and meeting.starts_at <= timezone.now()


@rules.predicate
def is_meeting_held_or_scheduled(user, meeting) -> bool:
    """Drafts were never sent and cancelled meetings did not take place: there is nothing to record."""
    return meeting is not None and meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.HELD)


@rules.predicate
def is_meeting_open(user, meeting) -> bool:
    """Scheduled and not yet closed."""
    return meeting is not None and meeting.status == MeetingStatus.SCHEDULED


@rules.predicate
def can_view_meeting(user, meeting) -> bool:
    return meeting is not None and user.has_perm("meetings.view_meeting", meeting)


@rules.predicate
def are_minutes_published(user, meeting) -> bool:
    if meeting is None:
        return False
    minutes = getattr(meeting, "minutes", None)  # the reverse one-to-one raises when there is none
    return minutes is not None and minutes.published_at is not None


@rules.predicate
def is_action_item_owner(user, action_item) -> bool:
    """The responsible person, or an approved member of the responsible organisation."""
    if action_item is None or not user.is_authenticated:
        return False
    if action_item.owner_user_id == user.pk:
        return True
    return action_item.owner_organisation_id is not None and (
        action_item.owner_organisation_id in approved_memberships(user)
    )


@rules.predicate
def can_record_action_item_meeting(user, action_item) -> bool:
    return action_item is not None and user.has_perm("meetings.record_minutes", action_item.meeting)


can_record = can_manage | is_meeting_secretary
after_the_meeting = is_meeting_held_or_scheduled & has_meeting_started

# The secretary or a coordinator of the table records attendance and writes the minutes once the
# meeting has started; closing (status "held") is done once and sets the next meeting.
rules.add_perm("meetings.record_attendance", after_the_meeting & can_record)
rules.add_perm("meetings.record_minutes", after_the_meeting & can_record)
rules.add_perm("meetings.close_meeting", is_meeting_open & has_meeting_started & can_record)
# Published minutes are read by whoever may see the meeting; drafts by those who write them.
rules.add_perm(
    "meetings.view_minutes",
    (can_view_meeting & are_minutes_published) | (after_the_meeting & can_record),
)
# The owner marks their action item done (or reopens it); the minutes' writers may set any status.
rules.add_perm("meetings.change_action_item_status", is_action_item_owner | can_record_action_item_meeting)
rules.add_perm("meetings.view_table_statistics", is_table_coordinator | is_admin)
