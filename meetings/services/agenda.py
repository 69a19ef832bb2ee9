"""A meeting's agenda: items the chair or a coordinator adds, edits, deletes and orders, topics
others propose and the decisions on them; and telling the invitees of a scheduled meeting that
its agenda changed, in one message for changes made together."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import (
    AgendaChange,
    AgendaChangeKind,
    AgendaItem,
    AgendaItemStatus,
    AgendaUpdate,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingStatus,
    OutboxStatus,
)
from meetings.services._common import check_texts, lock_meeting, require
from meetings.services.notifications import agenda_proposal_notify, proposal_decision_notify
from outbox.engine import queue_sends
from outbox.models import HELD, Notification
from outbox.preferences import DIGEST_RHYTHMS, Rhythm
from outbox.services import notification_queue

# The notification kind of "agenda updated" for people who get it in a digest (and the key of the
# choice for agenda updates in a person's notification settings); those who get it at once get an
# AgendaUpdate row, which collects a few minutes' changes into one message.
AGENDA_UPDATE = "meetings.agenda_update"
_RHYTHM = f"user__notification_rhythms__{AGENDA_UPDATE}"

# The title and description in Finnish and Swedish (modeltranslation columns). The services take the
# Finnish ones as title and description, the Swedish ones as title_sv and description_sv.
ITEM_FIELDS = ("title_fi", "title_sv", "description_fi", "description_sv", "presenter", "duration_minutes")
LANGUAGE_COLUMNS = {"title": "title_fi", "description": "description_fi", "title_sv": "title_sv",
                    "description_sv": "description_sv"}


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def _accepted(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
    )


def _renumber(items: list[AgendaItem]) -> None:
    """Positions 1..n in the order given, written in one statement."""
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


def _check_item_texts(fields: dict) -> None:
    check_texts(
        one_line={"title": fields.get("title"), "title_sv": fields.get("title_sv"),
                  "presenter": fields.get("presenter")},
        lines={"description": fields.get("description"), "description_sv": fields.get("description_sv")},
    )
    # A TextField's max_length is the form's, not the model's: full_clean() would let a longer one by.
    longest = AgendaItem._meta.get_field("description").max_length
    for name in ("description", "description_sv"):
        if len(fields.get(name) or "") > longest:
            raise ValidationError(
                {name: _("Write at most %(limit)d characters (now %(count)d).")
                 % {"limit": longest, "count": len(fields[name])}}
            )


def _columns(fields: dict) -> dict:
    """The service's arguments as the item's columns: title → title_fi, title_sv → title_sv (an empty
    Swedish text as None, so that the Finnish one shows in its place); the others as they are."""
    columns = {}
    for name, value in fields.items():
        if name in LANGUAGE_COLUMNS:
            value = (value or "").strip()
            columns[LANGUAGE_COLUMNS[name]] = value or (None if name.endswith("_sv") else "")
        else:
            columns[name] = value.strip() if isinstance(value, str) else value
    return columns


def _check_finnish_title(fields: dict) -> None:
    """What the chair or a coordinator writes has a Finnish title (the Swedish one is optional)."""
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": _("Give the title in Finnish.")})


def _agenda_item(meeting: Meeting, *, actor: User, status: str, **fields) -> AgendaItem:
    """``fields`` are the service's arguments, or (a proposal) columns of the proposer's language."""
    _check_item_texts(fields)
    item = AgendaItem(
        meeting=meeting, proposed_by=actor, status=status, position=_next_position(meeting), **_columns(fields)
    )
    if status == AgendaItemStatus.ACCEPTED:
        item.decided_by, item.decided_at = actor, timezone.now()
    item.full_clean()
    item.save()
    return item


# --- Telling the invitees --------------------------------------------------------------------


def agenda_update_recipients(meeting: Meeting):
    """The invitations that are told of agenda changes at once: everyone invited and not anonymised,
    except people who chose a digest for agenda updates or turned them off (or whose account is closed)."""
    return _invited(meeting).filter(
        Q(user__isnull=True)
        | Q(user__is_active=True) & (~Q(**{"user__notification_rhythms__has_key": AGENDA_UPDATE})
                                     | Q(**{_RHYTHM: Rhythm.NOW}))
    )


def _invited(meeting: Meeting):
    return Invitation.objects.filter(meeting=meeting, anonymised_at__isnull=True).exclude(kind=InvitationKind.CANCEL)


def _hold_for_digests(meeting: Meeting) -> None:
    """People who chose a digest for agenda updates get one held notification per meeting until
    their digest lists it (outbox/digests.py), however many changes there were."""
    waiting = Notification.objects.filter(kind=AGENDA_UPDATE, object_id=meeting.pk, delivery_status=HELD,
                                          digest__isnull=True).values("user_id")
    people = User.objects.filter(
        pk__in=_invited(meeting).filter(**{f"{_RHYTHM}__in": DIGEST_RHYTHMS}).values("user_id"), is_active=True,
    ).exclude(pk__in=waiting)
    notification_queue(kind=AGENDA_UPDATE, object_id=meeting.pk, recipients=people.order_by("pk"))


def _titles(item: AgendaItem) -> dict[str, str | None]:
    """The item's title in every language (the columns), for an AgendaChange."""
    return {f"title_{language}": getattr(item, f"title_{language}") for language in settings.MODELTRANSLATION_LANGUAGES}


def _record_change(meeting: Meeting, *, actor: User, kind: str, item: AgendaItem,
                   old_titles: dict[str, str | None] | None = None,
                   position: int | None = None) -> AgendaChange | None:
    """Records a change of a scheduled meeting's agenda and makes sure each invitee has one "agenda
    updated" message waiting: a new one, due when the window (AGENDA_UPDATE_WINDOW_SECONDS) closes,
    for those who have none waiting; those who have one get this change in it.

    The waiting rows are locked (the meeting row already is), so a batch cannot claim one between
    this look and the commit and send it without this change; it skips a locked row and the sweeper
    sends it later. A row a batch claimed before is no longer waiting, so a new row is written; its
    message starts after the last change a sent message told (AgendaUpdate.through_change), so
    nothing is told twice.
    """
    if meeting.status != MeetingStatus.SCHEDULED:
        return None  # a draft has not been sent to anyone; the invitation carries the agenda
    # The titles in every language, so that each invitee is told in theirs. A rename keeps every
    # language's earlier title (AgendaChange.renamed_from shows it where it differs).
    titles = _titles(item)
    renamed = old_titles is not None and old_titles != titles
    old = {f"old_{column}": (old_titles[column] or "") if renamed else "" for column in titles}
    change = AgendaChange(meeting=meeting, kind=kind, position=position, changed_by=actor, **titles, **old)
    change.save()
    waiting = set(
        AgendaUpdate.objects.select_for_update()
        .filter(meeting=meeting, delivery_status=OutboxStatus.QUEUED)
        .values_list("invitation_id", flat=True)
    )
    window = settings.AGENDA_UPDATE_WINDOW_SECONDS
    now = timezone.now()
    rows = AgendaUpdate.objects.bulk_create(
        AgendaUpdate(
            meeting=meeting, invitation_id=invitation_id, send_after=now + datetime.timedelta(seconds=window),
            delivery_status=OutboxStatus.QUEUED,
            # No queued_at: nothing is handed to the broker until the row is due (outbox_release_due).
            queued_at=None if window else now,
        )
        for invitation_id in agenda_update_recipients(meeting).order_by("pk").values_list("pk", flat=True)
        if invitation_id not in waiting
    )
    if not window:
        queue_sends(AgendaUpdate, [row.pk for row in rows])
    _hold_for_digests(meeting)
    return change


# --- Services ----------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *, actor: User, meeting: Meeting, title: str, description: str = "", presenter: str = "",
    duration_minutes: int | None = None, title_sv: str = "", description_sv: str = "",
) -> AgendaItem:
    """The chair or a coordinator puts an item on the agenda (accepted at once), last in order. The
    title and description are in Finnish; title_sv and description_sv, if given, in Swedish."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.decide_agenda", meeting)
    _check_finnish_title({"title": title})
    item = _agenda_item(
        meeting, actor=actor, status=AgendaItemStatus.ACCEPTED, title=title, description=description,
        title_sv=title_sv, description_sv=description_sv, presenter=presenter, duration_minutes=duration_minutes,
    )
    _renumber(_accepted(meeting))
    item.refresh_from_db(fields=["position"])
    _record_change(meeting, actor=actor, kind=AgendaChangeKind.ADDED, item=item, position=item.position)
    return item


@transaction.atomic
def agenda_item_propose(
    *, actor: User, meeting: Meeting, title: str, description: str = "", presenter: str = "",
    duration_minutes: int | None = None, language: str = "fi",
) -> AgendaItem:
    """A standing member (or an invitee) proposes a topic, in their language (``language``: a
    Swedish proposal is kept as the Swedish text, anything else as the Finnish); the chair or a
    coordinator decides. The table's coordinators and the meeting's chair are told."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.propose_topic", meeting)
    suffix = "_sv" if language == "sv" else ""
    item = _agenda_item(
        meeting, actor=actor, status=AgendaItemStatus.PROPOSED, presenter=presenter,
        duration_minutes=duration_minutes, **{f"title{suffix}": title, f"description{suffix}": description},
    )
    agenda_proposal_notify(item, meeting=meeting, actor=actor)
    return item


def _lock_item(item: AgendaItem, meeting: Meeting) -> AgendaItem:
    try:
        return AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    except AgendaItem.DoesNotExist:
        raise ValidationError(_("This agenda item no longer exists.")) from None


@transaction.atomic
def agenda_item_decide(
    *, actor: User, item: AgendaItem, accept: bool, reason: str = "", position: int | None = None
) -> AgendaItem:
    """Accepts a proposed topic onto the agenda, at ``position`` (1 is first; None is last), or
    declines it with a reason the proposer sees. The proposer is told either way."""
    meeting = lock_meeting(item.meeting_id)
    require(actor, "meetings.decide_agenda", meeting)
    item = _lock_item(item, meeting)
    check_texts(lines={"reason": reason})
    if item.status != AgendaItemStatus.PROPOSED:
        raise ValidationError(_("This topic has already been decided on."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Give a reason for declining; the proposer will see it.")})
    accepted = _accepted(meeting)
    if accept and position is not None and not (
        isinstance(position, int) and not isinstance(position, bool) and 1 <= position <= len(accepted) + 1
    ):
        raise ValidationError({"position": _("Choose a place on the agenda from the list.")})
    item.status = AgendaItemStatus.ACCEPTED if accept else AgendaItemStatus.DECLINED
    item.decline_reason = "" if accept else reason
    item.decided_by, item.decided_at = actor, timezone.now()
    item.full_clean()
    item.save()
    if accept:
        index = len(accepted) if position is None else position - 1
        accepted.insert(index, item)
        _renumber(accepted)
        _record_change(meeting, actor=actor, kind=AgendaChangeKind.ADDED, item=item, position=item.position)
    proposal_decision_notify(item, actor=actor)
    return item


@transaction.atomic
def agenda_item_update(
    *, actor: User, item: AgendaItem, title: str, description: str = "", presenter: str = "",
    duration_minutes: int | None = None, title_sv: str | None = None, description_sv: str | None = None,
) -> AgendaItem:
    """The chair or a coordinator corrects an item (or a proposal before deciding on it). A change
    to an item on the agenda of a scheduled meeting is told to the invitees. The title and
    description are in Finnish; title_sv and description_sv in Swedish (None leaves them as they are)."""
    meeting = lock_meeting(item.meeting_id)
    require(actor, "meetings.decide_agenda", meeting)
    item = _lock_item(item, meeting)
    fields = {"title": title, "description": description, "presenter": presenter, "duration_minutes": duration_minutes}
    fields.update({name: value for name, value in (("title_sv", title_sv), ("description_sv", description_sv))
                   if value is not None})
    _check_item_texts(fields)
    _check_finnish_title(fields)
    before = {name: getattr(item, name) for name in ITEM_FIELDS}
    before_titles = _titles(item)
    for name, value in _columns(fields).items():
        setattr(item, name, value)
    item.full_clean()
    if all(getattr(item, name) == before[name] for name in ITEM_FIELDS):
        return item
    item.save(update_fields=[*ITEM_FIELDS, "title", "description"])
    if item.status == AgendaItemStatus.ACCEPTED:
        _record_change(
            meeting, actor=actor, kind=AgendaChangeKind.CHANGED, item=item, position=item.position,
            old_titles=before_titles,
        )
    return item


@transaction.atomic
def agenda_item_delete(*, actor: User, item: AgendaItem) -> None:
    """Takes an item off the agenda (or deletes a proposal). Decisions recorded on it keep their text."""
    meeting = lock_meeting(item.meeting_id)
    require(actor, "meetings.decide_agenda", meeting)
    item = _lock_item(item, meeting)
    was_on_agenda = item.status == AgendaItemStatus.ACCEPTED
    item.delete()
    if was_on_agenda:
        _renumber(_accepted(meeting))
        _record_change(meeting, actor=actor, kind=AgendaChangeKind.REMOVED, item=item)


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> AgendaItem:
    """Moves an accepted item one place up or down; positions are renumbered 1..n."""
    meeting = lock_meeting(item.meeting_id)
    require(actor, "meetings.decide_agenda", meeting)
    items = _accepted(meeting)
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("Only accepted agenda items can be reordered."))
    target = index - 1 if up else index + 1
    moved = 0 <= target < len(items)
    if moved:
        items[index], items[target] = items[target], items[index]
    _renumber(items)
    item = next(other for other in items if other.pk == item.pk)
    if moved:
        _record_change(meeting, actor=actor, kind=AgendaChangeKind.MOVED, item=item, position=item.position)
    return item
