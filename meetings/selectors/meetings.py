"""Finding a meeting: the one access helper every meeting page goes through, and a table's list."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from meetings.models import Invitation, Meeting, MeetingStatus
from meetings.permissions import can_find_meeting
from tables.models import PartnershipTable


def meeting_get_for_user(*, user: User, pk: int) -> Meeting:
    """The meeting with what its pages show about it (table, chair, chair person, secretary and
    minutes), or 404 for someone who may not see it: the same answer whether it does not exist or
    is not theirs. Its secretary always may. The caller checks what the person may do with it."""
    meeting = (
        Meeting.objects.select_related("table", "chair", "chair_person", "secretary", "minutes").filter(pk=pk).first()
    )
    if meeting is None or not can_find_meeting.test(user, meeting):
        raise Http404
    return meeting


def meeting_list_for_table(*, table: PartnershipTable, user: User) -> QuerySet[Meeting]:
    """A table's meetings, newest first; drafts only for those who manage them."""
    meetings = Meeting.objects.filter(table=table).select_related("chair").order_by("-starts_at", "-pk")
    probe = Meeting(table=table)
    if not user.has_perm("meetings.manage_meeting", probe):
        meetings = meetings.exclude(status=MeetingStatus.DRAFT)
    return meetings


def meeting_cancel_recipients(meeting: Meeting) -> list[Invitation]:
    """Who a cancellation reaches: everyone invited to a scheduled meeting (the people whose account
    was deleted are no longer sent anything); nobody for a draft, which was never sent."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return []
    return list(
        Invitation.objects.filter(meeting=meeting, anonymised_at__isnull=True)
        .select_related("organisation")
        .order_by("name", "email")
    )
