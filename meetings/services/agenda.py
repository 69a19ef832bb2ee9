"""A meeting's agenda: items the chair or a coordinator adds, topics others propose and the
decisions on them, the order."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import AgendaItem, AgendaItemStatus, Meeting
from meetings.services._common import check_texts, lock_meeting, require


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def _agenda_item(meeting: Meeting, *, actor: User, status: str, **fields) -> AgendaItem:
    check_texts(
        one_line={"title": fields.get("title"), "presenter": fields.get("presenter")},
        lines={"description": fields.get("description")},
    )
    item = AgendaItem(meeting=meeting, proposed_by=actor, status=status, position=_next_position(meeting), **fields)
    if status == AgendaItemStatus.ACCEPTED:
        item.decided_by, item.decided_at = actor, timezone.now()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_add(
    *, actor: User, meeting: Meeting, title: str, description: str = "", presenter: str = "",
    duration_minutes: int | None = None,
) -> AgendaItem:
    """The chair or a coordinator puts an item on the agenda (accepted at once), last in order."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.decide_agenda", meeting)
    return _agenda_item(
        meeting, actor=actor, status=AgendaItemStatus.ACCEPTED, title=title, description=description,
        presenter=presenter, duration_minutes=duration_minutes,
    )


@transaction.atomic
def agenda_item_propose(
    *, actor: User, meeting: Meeting, title: str, description: str = "", presenter: str = "",
    duration_minutes: int | None = None,
) -> AgendaItem:
    """A standing member (or an invitee) proposes a topic; the chair or a coordinator decides."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.propose_topic", meeting)
    return _agenda_item(
        meeting, actor=actor, status=AgendaItemStatus.PROPOSED, title=title, description=description,
        presenter=presenter, duration_minutes=duration_minutes,
    )


@transaction.atomic
def agenda_item_decide(*, actor: User, item: AgendaItem, accept: bool, reason: str = "") -> AgendaItem:
    """Accepts a proposed topic onto the agenda, or declines it with a reason the proposer sees."""
    meeting = lock_meeting(item.meeting.pk)
    require(actor, "meetings.decide_agenda", meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    check_texts(lines={"reason": reason})
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Give a reason for declining; the proposer will see it.")})
    item.status = AgendaItemStatus.ACCEPTED if accept else AgendaItemStatus.DECLINED
    item.decline_reason = "" if accept else reason
    item.decided_by, item.decided_at = actor, timezone.now()
    if accept:
        item.position = _next_position(meeting)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> AgendaItem:
    """Moves an accepted item one place up or down; positions are renumbered 1..n."""
    meeting = lock_meeting(item.meeting.pk)
    require(actor, "meetings.decide_agenda", meeting)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
    )
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("Only accepted agenda items can be reordered."))
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    return next(other for other in items if other.pk == item.pk)
