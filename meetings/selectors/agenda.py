"""The agenda as a person sees it, and finding an agenda item."""

from django.http import Http404

from accounts.models import User
from meetings.models import AgendaItem, AgendaItemStatus, Meeting
from meetings.permissions import can_find_meeting


def agenda_item_get_for_user(*, user: User, pk: int) -> AgendaItem:
    """The agenda item with its meeting and table, or 404 for someone who may not see the meeting."""
    item = AgendaItem.objects.select_related("meeting__table").filter(pk=pk).first()
    if item is None or not can_find_meeting.test(user, item.meeting):
        raise Http404
    return item


def agenda_for_user(meeting: Meeting, user: User, *, can_decide: bool) -> dict:
    """The agenda in order; proposals for those who decide on them, and a person's own proposals."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("proposed_by").order_by("position", "pk")
    )
    accepted = [item for item in items if item.status == AgendaItemStatus.ACCEPTED]
    others = [item for item in items if item.status != AgendaItemStatus.ACCEPTED]
    if not can_decide:
        others = [item for item in others if user.is_authenticated and item.proposed_by_id == user.pk]
    return {
        "accepted": accepted,
        "proposed": [item for item in others if item.status == AgendaItemStatus.PROPOSED],
        "declined": [item for item in others if item.status == AgendaItemStatus.DECLINED],
    }


def agenda_accepted(meeting: Meeting) -> list[AgendaItem]:
    """The items on the agenda, in order (the places a proposal can be accepted at)."""
    return list(AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by("position", "pk"))
