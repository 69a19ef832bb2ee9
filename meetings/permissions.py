"""Who may do what with meetings (django-rules). Every meeting view checks these.

Predicates on a meeting take (user, meeting); on an action item (user, action_item); on a table
(user, table). What they look up is cached on the meeting object for the request, so a page
asking several questions pays for each lookup once.

The rules are registered when this module is imported; ``MeetingsConfig.ready`` imports it in
every process (web, worker, shell).
"""

import rules
from django.db.models import F, Q
from django.utils import timezone

from accounts.selectors import verified_addresses_query
from meetings.models import Invitation, MeetingStatus
from organisations.permissions import approved_memberships, is_admin, is_area_coordinator, is_org_representative
from tables.models import TableAccess
from tables.permissions import is_standing_member_person, is_table_coordinator

# --- The meeting: who may see it, manage it, answer and propose topics ------------


def _cache(meeting) -> dict:
    cache = getattr(meeting, "_permission_cache", None)
    if cache is None:
        cache = meeting._permission_cache = {}
    return cache


def invitation_for(user, meeting) -> Invitation | None:
    """The person's invitation to the meeting, by account or by the address it was sent to, if the
    person has verified that address (accounts/selectors.py)."""
    if meeting is None or not user.is_authenticated:
        return None
    cache = _cache(meeting)
    key = ("invitation", user.pk)
    if key not in cache:
        cache[key] = (
            Invitation.objects.filter(meeting=meeting)
            .filter(Q(user=user) | Q(user__isnull=True, email__in=verified_addresses_query(user)))
            .select_related("rsvp")
            .order_by(F("user_id").asc(nulls_last=True))  # a row linked to the account first
            .first()
        )
    return cache[key]


def remember_invitation(user, meeting, invitation: Invitation | None) -> None:
    """Lets a selector that already loaded the person's invitation spare the lookup."""
    if user.is_authenticated:
        _cache(meeting)[("invitation", user.pk)] = invitation


@rules.predicate
def is_meeting_coordinator(user, meeting) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    cache = _cache(meeting)
    key = ("coordinator", user.pk)
    if key not in cache:
        cache[key] = bool(is_table_coordinator(user, meeting.table))
    return cache[key]


@rules.predicate
def is_invited(user, meeting) -> bool:
    return invitation_for(user, meeting) is not None


@rules.predicate
def is_meeting_published(user, meeting) -> bool:
    """Drafts are only for the coordinators; scheduled, held and cancelled meetings are shown."""
    return meeting is not None and meeting.status != MeetingStatus.DRAFT


@rules.predicate
def is_meeting_upcoming(user, meeting) -> bool:
    return meeting is not None and meeting.status in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED)


@rules.predicate
def is_meeting_table_public(user, meeting) -> bool:
    return meeting is not None and meeting.table.is_public


@rules.predicate
def is_meeting_table_open_forum(user, meeting) -> bool:
    return meeting is not None and meeting.table.access == TableAccess.OPEN_FORUM


@rules.predicate
def can_see_meeting_table(user, meeting) -> bool:
    """Whether the person may see the meeting's table (``tables.view_table``)."""
    if meeting is None:
        return False
    cache = _cache(meeting)
    key = ("table", user.pk)
    if key not in cache:
        cache[key] = user.has_perm("tables.view_table", meeting.table)
    return cache[key]


@rules.predicate
def is_meeting_table_member(user, meeting) -> bool:
    if meeting is None:
        return False
    cache = _cache(meeting)
    key = ("standing", user.pk)
    if key not in cache:
        cache[key] = bool(is_standing_member_person(user, meeting.table))
    return cache[key]


@rules.predicate
def is_meeting_chair(user, meeting) -> bool:
    """The meeting's chair, or a representative of the chairing organisation."""
    if meeting is None or not user.is_authenticated:
        return False
    if meeting.chair_person_id == user.pk:
        return True
    return meeting.chair_id is not None and is_org_representative(user, meeting.chair)


is_signed_in = rules.is_authenticated
can_manage = is_meeting_coordinator | is_admin
# An open forum lets anyone signed in who may see its table register (and see what they register
# to). A meeting is never more visible than its table: an open forum that is not public is open to
# the people who see the table (the members of its standing organisations, its coordinators), not
# to everyone signed in. Only an invitation, which a coordinator sends by name, reaches further.
may_register_openly = is_meeting_table_open_forum & is_signed_in & can_see_meeting_table

rules.add_perm(
    "meetings.view_meeting",
    can_manage
    | (
        is_meeting_published
        & (
            is_meeting_table_public
            | is_invited
            | is_meeting_table_member
            | may_register_openly
        )
    ),
)
rules.add_perm("meetings.manage_meeting", can_manage)
# The online link is for the people invited (which includes everyone registered) and the coordinators.
rules.add_perm("meetings.view_online_link", can_manage | is_invited)
rules.add_perm("meetings.rsvp", is_invited | may_register_openly)
rules.add_perm(
    "meetings.propose_topic",
    is_meeting_upcoming & (can_manage | (is_meeting_published & (is_invited | is_meeting_table_member))),
)
# A member of a standing organisation who was not invited (tables invite the organisations'
# named people) may ask a coordinator for an invitation to a scheduled meeting.
rules.add_perm(
    "meetings.request_invitation",
    is_meeting_upcoming & is_meeting_published & is_meeting_table_member & ~is_invited & ~can_manage,
)
rules.add_perm("meetings.decide_agenda", is_meeting_upcoming & (can_manage | is_meeting_chair))
# Notes, RSVP lists and delivery status are for the coordinators only.
rules.add_perm("meetings.view_registrations", can_manage)


# --- After the meeting: attendance, minutes, closing, action items, statistics ------


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


@rules.predicate
def is_action_item_table_coordinator(user, action_item) -> bool:
    return action_item is not None and is_meeting_coordinator(user, action_item.meeting)


can_record = can_manage | is_meeting_secretary

# The secretary or a coordinator of the table records attendance and writes the minutes of a
# scheduled (or held) meeting, and may prepare both before it starts (the list of who is coming,
# the minutes' outline from the agenda). What makes the meeting "held" waits for it to start:
# closing (status "held", done once, sets the next meeting) and publishing the minutes
# (meetings/services/records.py).
rules.add_perm("meetings.record_attendance", is_meeting_held_or_scheduled & can_record)
rules.add_perm("meetings.record_minutes", is_meeting_held_or_scheduled & can_record)
rules.add_perm("meetings.close_meeting", is_meeting_open & has_meeting_started & can_record)
# Published minutes are read by whoever may see the meeting; drafts by those who write them.
rules.add_perm(
    "meetings.view_minutes",
    (can_view_meeting & are_minutes_published) | (is_meeting_held_or_scheduled & can_record),
)
# The owner marks their action item done (or reopens it); the minutes' writers may set any status.
rules.add_perm("meetings.change_action_item_status", is_action_item_owner | can_record_action_item_meeting)
# An item whose owner has left is given to someone else by the table's coordinators.
rules.add_perm("meetings.reassign_action_item", is_action_item_table_coordinator | is_admin)
rules.add_perm("meetings.view_table_statistics", is_table_coordinator | is_admin)

# Who finds the meeting's pages at all (everyone else gets 404): those who may see the meeting, and
# its secretary, who records it even when they could not otherwise see it. What they may do on a
# page is the page's own rule (403 without it).
can_find_meeting = is_meeting_secretary | can_view_meeting

# The county statistics (every table of a wellbeing services county): its coordinators and admins.
rules.add_perm("meetings.view_county_statistics", is_area_coordinator | is_admin)
