"""Reads for the pages after the meeting: attendance, minutes, what the meeting page offers to
record, a table's published minutes, and finding an action item.

Each function loads what its page shows in a fixed number of queries.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import (
    ATTENDING_RESPONSES,
    ActionItem,
    AgendaItemStatus,
    Attendance,
    Invitation,
    Meeting,
    Minutes,
    RsvpResponse,
)
from meetings.permissions import can_manage, is_invited, is_meeting_secretary, is_meeting_table_member
from organisations.models import Membership, MembershipStatus, Organisation
from tables.models import PartnershipTable, StandingMemberStatus

# --- Attendance -----------------------------------------------------------------


@dataclass
class AttendanceRow:
    invitation: Invitation
    rsvp_label: str
    attended: bool
    online: bool
    organisation_id: int | None


def attendance_rows(meeting: Meeting) -> tuple[list[AttendanceRow], list[tuple[int, str]], int]:
    """One row per invitee, pre-filled from the attendance already recorded or else from the RSVPs
    (attending in person or online: ticked); the organisations offered; and how many rows of people
    who have deleted their account are kept. Five queries. The anonymised invitations of deleted
    accounts are not listed: their attendance is among the rows kept."""
    invitations = list(
        meeting.invitations.filter(anonymised_at__isnull=True)
        .select_related("user", "rsvp")
        .order_by("name", "email", "pk")
    )
    recorded_rows = list(meeting.attendances.all())
    recorded = {row.invitation_id: row for row in recorded_rows if row.invitation_id is not None}
    anonymous_count = sum(1 for row in recorded_rows if row.invitation_id is None)
    user_ids = [invitation.user_id for invitation in invitations if invitation.user_id]
    user_organisations: dict[int, list[int]] = {}
    for user_id, organisation_id in (
        Membership.objects.filter(user_id__in=user_ids, status=MembershipStatus.APPROVED)
        .order_by("created_at", "pk")
        .values_list("user_id", "organisation_id")
    ):
        user_organisations.setdefault(user_id, []).append(organisation_id)

    rows = []
    for invitation in invitations:
        rsvp = getattr(invitation, "rsvp", None)
        previous = recorded.get(invitation.pk)
        if previous is not None:
            attended, online, organisation_id = previous.attended, previous.online, previous.organisation_id
        else:
            attending = rsvp is not None and rsvp.response in ATTENDING_RESPONSES and not rsvp.waitlisted
            attended = attending
            online = attending and rsvp.response == RsvpResponse.ATTENDING_ONLINE
            organisation_id = invitation.organisation_id or next(
                iter(user_organisations.get(invitation.user_id, [])), None
            )
        if rsvp is None:
            label = ""
        elif rsvp.waitlisted:
            label = _("%(response)s (on the waiting list)") % {"response": rsvp.get_response_display()}
        else:
            label = rsvp.get_response_display()
        rows.append(
            AttendanceRow(
                invitation=invitation,
                rsvp_label=label,
                attended=attended,
                online=online,
                organisation_id=organisation_id,
            )
        )

    organisation_ids = {row.organisation_id for row in rows if row.organisation_id}
    organisation_ids |= {organisation_id for ids in user_organisations.values() for organisation_id in ids}
    organisations = (
        Organisation.objects.filter(
            Q(pk__in=organisation_ids)
            | Q(
                standing_memberships__table_id=meeting.table_id,
                standing_memberships__status=StandingMemberStatus.ACTIVE,
            )
        )
        .distinct()
        .order_by("name", "pk")
    )
    choices = [(organisation.pk, organisation.name) for organisation in organisations]
    return rows, choices, anonymous_count


# --- Minutes --------------------------------------------------------------------


def minutes_of(meeting: Meeting) -> Minutes | None:
    return getattr(meeting, "minutes", None)


def minutes_form_context(meeting: Meeting) -> dict:
    """What the minutes form needs: the minutes, decisions and action items so far, the accepted
    agenda for reference, and the people and organisations an action item can be given to."""
    minutes = minutes_of(meeting)
    decisions = list(minutes.decisions.all()) if minutes is not None else []
    action_items = list(ActionItem.objects.filter(meeting=meeting).order_by("pk"))
    agenda = list(meeting.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk"))
    owner_ids = {item.owner_user_id for item in action_items if item.owner_user_id}
    people = User.objects.filter(
        Q(pk__in=Invitation.objects.filter(meeting=meeting, user__isnull=False).values("user_id"))
        | Q(pk__in=meeting.table.coordinators.values("pk"))
        | Q(pk__in=owner_ids),
        is_active=True,
    ).order_by("full_name", "email")
    organisation_ids = {item.owner_organisation_id for item in action_items if item.owner_organisation_id}
    organisations = (
        Organisation.objects.filter(
            Q(
                standing_memberships__table_id=meeting.table_id,
                standing_memberships__status=StandingMemberStatus.ACTIVE,
            )
            | Q(pk__in=Invitation.objects.filter(meeting=meeting).values("organisation_id"))
            | Q(pk__in=Attendance.objects.filter(meeting=meeting).values("organisation_id"))
            | Q(pk__in=organisation_ids)
        )
        .distinct()
        .order_by("name", "pk")
    )
    return {
        "minutes": minutes,
        "decisions": decisions,
        "action_items": action_items,
        "agenda": agenda,
        "people_choices": [(person.pk, str(person)) for person in people],
        "organisation_choices": [(organisation.pk, organisation.name) for organisation in organisations],
    }


def can_see_people(user: User, meeting: Meeting) -> bool:
    """Whether the minutes page may name the people responsible: not to the general public."""
    return bool((can_manage | is_meeting_secretary | is_invited | is_meeting_table_member).test(user, meeting))


def minutes_detail_context(meeting: Meeting, user: User) -> dict:
    """The minutes page: decisions, action items, and which organisations were represented."""
    minutes = minutes_of(meeting)
    decisions = list(minutes.decisions.all()) if minutes is not None else []
    action_items = list(
        ActionItem.objects.filter(meeting=meeting).select_related("owner_user", "owner_organisation").order_by("pk")
    )
    represented = list(
        Organisation.objects.filter(attendances__meeting=meeting, attendances__attended=True)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    attendee_count = Attendance.objects.filter(meeting=meeting, attended=True).count()
    return {
        "minutes": minutes,
        "decisions": decisions,
        "action_items": action_items,
        "represented_organisations": represented,
        "attendee_count": attendee_count,
        "show_people": can_see_people(user, meeting),
    }


def meeting_records_context(meeting: Meeting, user: User) -> dict:
    """For the meeting page (``meetings/includes/meeting_records.html``): which of the record
    pages the person may open. At most one query (the minutes, unless already loaded)."""
    can_record_minutes = user.has_perm("meetings.record_minutes", meeting)
    return {
        "records_can_record_attendance": user.has_perm("meetings.record_attendance", meeting),
        "records_can_record_minutes": can_record_minutes,
        "records_can_close": user.has_perm("meetings.close_meeting", meeting),
        "records_can_view_minutes": minutes_of(meeting) is not None and user.has_perm("meetings.view_minutes", meeting),
    }


def table_published_minutes(table: PartnershipTable):
    """All of a table's published minutes, newest first (paginate it)."""
    return (
        Minutes.objects.filter(meeting__table=table, published_at__isnull=False)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-pk")
    )


# --- Action items ---------------------------------------------------------------


def action_item_get_for_user(*, user: User, pk: int) -> ActionItem:
    """An action item the person may change, or 404 (owners, secretaries and coordinators)."""
    item = get_object_or_404(ActionItem.objects.select_related("meeting", "meeting__table"), pk=pk)
    if not user.has_perm("meetings.change_action_item_status", item):
        raise Http404
    return item
