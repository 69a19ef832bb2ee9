"""The e-mails of meetings, each rendered in its recipient's language.

An invitation stands on its own: date and time in Helsinki time, the place or the online link,
the agenda so far, whom to contact, one-click answer links and the calendar file.
"""

import datetime
from functools import cached_property

from django.core.mail import EmailMultiAlternatives
from django.db.models import Max, Q
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kumppanuus.mail import absolute_url, render_mail, render_text, settings_link
from meetings import ical
from meetings.models import (
    ActionItem,
    ActionItemReminder,
    ActionItemStatus,
    AgendaChange,
    AgendaItem,
    AgendaItemStatus,
    AgendaUpdate,
    Invitation,
    InvitationKind,
    InvitationRequest,
    InvitationRequestStatus,
    Meeting,
    MeetingFormat,
    MeetingReminder,
    MeetingReminderKind,
    MeetingStatus,
    MeetingVersion,
    Minutes,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.selectors.actions import open_action_items_for_agenda
from meetings.services.agenda import AGENDA_UPDATE
from meetings.services.meetings import INVITATION_REQUEST, INVITATION_REQUEST_DECLINED
from meetings.services.notifications import (
    ACTION_ITEM_ASSIGNED,
    ACTION_ITEM_DUE_SOON,
    ACTION_ITEM_REASSIGNED,
    AGENDA_PROPOSAL,
    MINUTES_PUBLISHED,
    PROPOSAL_DECISION,
    action_item_owner_people,
)
from meetings.services.reminders import meeting_reminder_still_due, week_start
from meetings.services.rsvp import WAITLIST_PROMOTION
from meetings.tokens import rsvp_token
from outbox.preferences import Rhythm, add_list_unsubscribe, rhythm_for, settings_url
from outbox.registry import Retention, RowType, register, register_notification
from outbox.retention import finished_before


def meeting_contact(meeting: Meeting):
    """Whom invitees write to: a coordinator named on the table, else whoever created the meeting."""
    return meeting.table.coordinators.order_by("pk").first() or meeting.created_by


class MeetingMailData:
    """What every message about one meeting shares, loaded once per batch."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        self.agenda = list(
            meeting.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
        )
        self.contact = meeting_contact(meeting)
        self.url = absolute_url(reverse("meetings:detail", args=[meeting.pk]))
        # What is the same for everyone with the same language and link is rendered once per batch,
        # not once per message (bench/fanout.py): the calendar without its attendee, and the meeting's
        # details in the text and HTML bodies.
        self._calendars: dict[tuple, bytes] = {}
        self._versions: dict[int, MeetingVersion | None] = {}
        self._details: dict[tuple[str, bool], dict] = {}

    @cached_property
    def open_actions(self) -> list:
        """The standing "Open actions" part of the agenda (items of earlier meetings still open)."""
        return open_action_items_for_agenda(self.meeting)

    def context(self, *, show_link: bool, **extra) -> dict:
        """The template context in the active language, with the meeting's details pre-rendered."""
        key = (translation.get_language(), show_link)
        if key not in self._details:
            shared = self.shared_context(show_link=show_link)
            self._details[key] = {
                "details_txt": render_text("meetings/email/_details.txt", shared),
                "details_html": render_to_string("meetings/email/_details.html", shared),
            }
        return {**self.shared_context(show_link=show_link), **self._details[key], **extra}

    def shared_context(self, **extra) -> dict:
        meeting = self.meeting
        return {
            "meeting": meeting,
            "table": meeting.table,
            "starts": ical.local_time(meeting.starts_at),
            "ends": ical.local_time(meeting.ends_at),
            "deadline": ical.local_time(meeting.rsvp_deadline) if meeting.rsvp_deadline else None,
            "agenda": self.agenda,
            "open_actions": self.open_actions,
            "contact": self.contact,
            "meeting_url": self.url,
            **extra,
        }

    def changes_since(self, sequence: int | None, *, show_link: bool) -> list[dict]:
        """What changed since the version a person last received (``sequence``): title, time, format,
        place and online link, each as old → new in the active language; empty when that version
        is not known (the meeting was scheduled before versions were kept)."""
        if sequence is None:
            return []
        if sequence not in self._versions:
            self._versions[sequence] = MeetingVersion.objects.filter(meeting=self.meeting, sequence=sequence).first()
        old = self._versions[sequence]
        if old is None:
            return []
        meeting = self.meeting
        pairs = [
            (gettext("Title"), old.title, meeting.title),
            (gettext("When"), _when(old.starts_at, old.ends_at), _when(meeting.starts_at, meeting.ends_at)),
            (gettext("Format"), str(MeetingFormat(old.format).label), str(meeting.get_format_display())),
            (gettext("Where"), old.address or "–", meeting.address or "–"),
        ]
        if show_link:
            pairs.append((gettext("Online meeting link"), old.online_link or "–", meeting.online_link or "–"))
        changes = [{"label": label, "old": before, "new": now} for label, before, now in pairs if before != now]
        return changes

    def calendar(self, *, method: str, attendee: Invitation | None, show_link: bool) -> bytes:
        """The .ics; its description is rendered in the active language."""
        key = (translation.get_language(), method, show_link)
        if key not in self._calendars:
            meeting = self.meeting
            description = render_to_string(
                "meetings/email/calendar_description.txt", self.shared_context(show_link=show_link)
            ).strip()
            if meeting.format == MeetingFormat.ONLINE:
                location = meeting.online_link if show_link else ""
            else:
                location = meeting.address
            self._calendars[key] = ical.meeting_calendar(
                meeting, method=method, description=description, url=self.url, location=location,
                organizer=self.contact,
            )
        ics = self._calendars[key]
        return ical.with_attendee(ics, attendee) if attendee is not None else ics

    def reply_to(self) -> list[str]:
        return [self.contact.email] if self.contact is not None and self.contact.email else []


def _when(starts: datetime.datetime, ends: datetime.datetime) -> str:
    """A meeting's time as the e-mails give it, in Helsinki time and the active language."""
    starts, ends = ical.local_time(starts), ical.local_time(ends)
    day = f"{date_filter(starts, 'l')} {date_filter(starts, 'DATE_FORMAT')}"
    return f"{day} {time_filter(starts, 'TIME_FORMAT')}–{time_filter(ends, 'TIME_FORMAT')}"


def rsvp_links(invitation: Invitation, meeting: Meeting) -> list[dict]:
    return [
        {
            "label": RsvpResponse(answer).label,
            "url": absolute_url(
                reverse("meetings:rsvp_link", args=[rsvp_token(invitation, answer=answer)])
            ),
        }
        for answer in meeting.allowed_responses()
    ]


def invitation_message(invitation: Invitation, data: MeetingMailData) -> EmailMultiAlternatives:
    """An invitation, update or cancellation with its calendar file (METHOD:REQUEST or CANCEL)."""
    meeting = data.meeting
    cancel = invitation.kind == InvitationKind.CANCEL
    method = ical.CANCEL if cancel else ical.REQUEST
    with translation.override(invitation.language):
        ics = data.calendar(method=method, attendee=invitation, show_link=not cancel)
        context = data.context(
            invitation=invitation,
            kind=invitation.kind,
            show_link=not cancel,
            rsvp_links=[] if cancel else rsvp_links(invitation, meeting),
            changes=(
                data.changes_since(invitation.sent_sequence, show_link=True)
                if invitation.kind == InvitationKind.UPDATE else []
            ),
        )
    message = render_mail(
        template=f"meetings/email/invitation_{invitation.kind}", recipient=invitation, context=context
    )
    message.reply_to = data.reply_to()
    ical.attach_calendar(message, ics, method=method)
    return message


def meeting_reminder_message(reminder: MeetingReminder, data: MeetingMailData) -> EmailMultiAlternatives:
    invitation = reminder.invitation
    attending = reminder.kind == MeetingReminderKind.ATTENDING
    with translation.override(invitation.language):
        context = data.context(
            invitation=invitation,
            show_link=True,
            rsvp=getattr(invitation, "rsvp", None),
            rsvp_links=rsvp_links(invitation, data.meeting),
        )
    template = "meetings/email/reminder_attending" if attending else "meetings/email/reminder_rsvp"
    message = render_mail(template=template, recipient=invitation, context=context)
    message.reply_to = data.reply_to()
    return message


def waitlist_promotion_message(rsvp: Rsvp, data: MeetingMailData) -> EmailMultiAlternatives:
    invitation = rsvp.invitation
    with translation.override(invitation.language):
        context = data.context(
            invitation=invitation, rsvp=rsvp, show_link=True, rsvp_links=rsvp_links(invitation, data.meeting)
        )
    message = render_mail(template="meetings/email/waitlist_promoted", recipient=invitation, context=context)
    message.reply_to = data.reply_to()
    return message


def agenda_update_message(update: AgendaUpdate, changes: list[AgendaChange], data: MeetingMailData):
    """What changed on the agenda since the person was last told, and the agenda as it is now."""
    invitation = update.invitation
    with translation.override(invitation.language):
        context = data.context(invitation=invitation, show_link=True, changes=changes)
    token = settings_link.set(settings_url(AGENDA_UPDATE))
    try:
        message = render_mail(template="meetings/email/agenda_updated", recipient=invitation, context=context)
    finally:
        settings_link.reset(token)
    message.reply_to = data.reply_to()
    add_list_unsubscribe(message, invitation.user, AGENDA_UPDATE)
    return message


def action_item_reminder_message(reminder: ActionItemReminder) -> EmailMultiAlternatives:
    item = reminder.action_item
    context = {
        "item": item,
        "meeting": item.meeting,
        "meeting_url": absolute_url(reverse("meetings:detail", args=[item.meeting_id])),
    }
    return render_mail(template="meetings/email/action_item_overdue", recipient=reminder.user, context=context)


# --- What meetings send through the outbox (registered in MeetingsConfig.ready) ------------------

def _mail_data(cache: dict, meeting: Meeting) -> MeetingMailData:
    """One MeetingMailData per meeting and version within a batch: a row read again after the
    meeting changed gets the new version's details."""
    key = (meeting.pk, meeting.sequence, meeting.status)
    if key not in cache:
        cache[key] = MeetingMailData(meeting)
    return cache[key]


def _build_invitation(invitation: Invitation, cache: dict):
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.DRAFT or invitation.is_anonymised:
        return None
    if meeting.status == MeetingStatus.CANCELLED and invitation.kind != InvitationKind.CANCEL:
        return None  # overtaken by the cancellation, which is queued separately
    return invitation_message(invitation, _mail_data(cache, meeting))


def _invitation_key(invitation: Invitation) -> str:
    # A new message (an update, a cancellation) is a new SEQUENCE or kind, so a new Message-ID.
    return f"{invitation.pk}.{invitation.kind}.{invitation.meeting.sequence}"


def _invitation_sent(invitation: Invitation) -> dict:
    return {"sent_sequence": invitation.meeting.sequence, "sent_kind": invitation.kind}


def _invitation_retention(cutoff: datetime.datetime, now: datetime.datetime) -> Retention:
    # Invitations stay as the meeting's register; only the mail server's words about the person go.
    return Retention(
        clear=Invitation.objects.filter(meeting__ends_at__lt=cutoff).exclude(last_error=""),
        clear_values={"last_error": ""},
    )


def _build_meeting_reminder(reminder: MeetingReminder, cache: dict):
    if not meeting_reminder_still_due(reminder):
        return None
    return meeting_reminder_message(reminder, _mail_data(cache, reminder.meeting))


def _meeting_reminder_retention(cutoff, now) -> Retention:
    # Kept until the meeting has started: the row is what stops the reminder being sent twice.
    return Retention(delete=MeetingReminder.objects.filter(finished_before(cutoff), meeting__starts_at__lt=now))


def _build_action_item_reminder(reminder: ActionItemReminder, cache: dict):
    item = reminder.action_item
    if (
        item.status != ActionItemStatus.OPEN
        or item.due_on is None
        or item.due_on >= timezone.localdate()
        or not reminder.user.is_active
        or not reminder.user.notify_action_items
    ):
        return None
    return action_item_reminder_message(reminder)


def _action_item_reminder_retention(cutoff, now) -> Retention:
    # Kept until its week is over: the row is what stops a second reminder in the same week.
    return Retention(
        delete=ActionItemReminder.objects.filter(finished_before(cutoff), week__lt=week_start(timezone.localdate(now)))
    )


def agenda_changes_untold(update: AgendaUpdate) -> list[AgendaChange]:
    """The changes of the meeting's agenda this person has not been told of: made after their
    invitation (or its last update, which showed the agenda as it was) was sent and after the last
    change an "agenda updated" message told them."""
    invitation = update.invitation
    told = (
        AgendaUpdate.objects.filter(invitation=invitation, delivery_status=OutboxStatus.SENT)
        .aggregate(last=Max("through_change"))["last"]
    )
    changes = AgendaChange.objects.filter(meeting_id=update.meeting_id, created_at__gt=invitation.sent_at)
    if told is not None:
        changes = changes.filter(pk__gt=told)
    return list(changes.order_by("pk"))


def _build_agenda_update(update: AgendaUpdate, cache: dict):
    meeting = update.meeting
    # The invitation's row lock orders two messages to one person (one retried while the next was
    # written): the second sees what the first told and tells only the rest.
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("user").get(pk=update.invitation_id)
    )
    update.invitation = invitation
    user = invitation.user
    if (
        meeting.status != MeetingStatus.SCHEDULED
        or invitation.is_anonymised
        or invitation.kind == InvitationKind.CANCEL
        or (user is not None and (not user.is_active or rhythm_for(user, AGENDA_UPDATE) == Rhythm.OFF))
        # Not sent yet: the invitation, when it goes, shows the agenda as it is then.
        or invitation.sent_at is None
    ):
        return None
    changes = agenda_changes_untold(update)
    if not changes:
        return None  # an earlier message (or the invitation's update) told them already
    update.through_change = changes[-1].pk
    return agenda_update_message(update, changes, _mail_data(cache, meeting))


def _agenda_update_retention(cutoff, now) -> Retention:
    # A delivery record only; the last one sent to a person says where their next message starts,
    # so it is kept while the meeting is still to come.
    return Retention(delete=AgendaUpdate.objects.filter(finished_before(cutoff), meeting__ends_at__lt=now))


def _build_waitlist_promotion(notification, cache: dict):
    rsvp = (
        Rsvp.objects.select_related("invitation", "meeting__table").filter(pk=notification.object_id).first()
    )
    if (
        rsvp is None
        or rsvp.waitlisted
        or rsvp.meeting.status != MeetingStatus.SCHEDULED
        or rsvp.invitation.is_anonymised  # the person has deleted their account
    ):
        return None
    return waitlist_promotion_message(rsvp, _mail_data(cache, rsvp.meeting))


def _invitation_request(notification) -> InvitationRequest | None:
    return (
        InvitationRequest.objects.select_related("meeting__table", "user")
        .filter(pk=notification.object_id)
        .first()
    )


def _build_invitation_request(notification, cache: dict):
    request = _invitation_request(notification)
    if request is None or request.status != InvitationRequestStatus.REQUESTED:
        return None  # decided before the notice went out
    return render_mail(
        template="meetings/email/invitation_request", recipient=notification.user,
        context={
            "request": request, "meeting": request.meeting, "table": request.meeting.table,
            "decide_url": absolute_url(
                reverse("meetings:detail", args=[request.meeting_id]) + "#invitation-requests-heading"
            ),
        },
    )


def _build_invitation_request_declined(notification, cache: dict):
    request = _invitation_request(notification)
    if request is None or request.status != InvitationRequestStatus.DECLINED:
        return None
    return render_mail(
        template="meetings/email/invitation_request_declined", recipient=notification.user,
        context={"request": request, "meeting": request.meeting, "table": request.meeting.table},
    )


# --- Issue 13: proposals, decisions, minutes and action items ------------------------------------


def _agenda_item(notification) -> AgendaItem | None:
    return (
        AgendaItem.objects.select_related("meeting__table", "proposed_by", "decided_by")
        .filter(pk=notification.object_id).first()
    )


def _meeting_url(meeting_id: int, anchor: str = "") -> str:
    return absolute_url(reverse("meetings:detail", args=[meeting_id]) + anchor)


def _build_agenda_proposal(notification, cache: dict):
    item = _agenda_item(notification)
    if item is None or item.status != AgendaItemStatus.PROPOSED:
        return None  # decided or withdrawn before the notice went out
    return render_mail(
        template="meetings/email/agenda_proposal", recipient=notification.user,
        context={
            "item": item, "meeting": item.meeting, "table": item.meeting.table,
            "meeting_url": _meeting_url(item.meeting_id, "#agenda-heading"),
        },
    )


def _build_proposal_decision(notification, cache: dict):
    item = _agenda_item(notification)
    if item is None or item.status == AgendaItemStatus.PROPOSED:
        return None
    return render_mail(
        template="meetings/email/proposal_decision", recipient=notification.user,
        context={
            "item": item, "meeting": item.meeting, "table": item.meeting.table,
            "accepted": item.status == AgendaItemStatus.ACCEPTED,
            "meeting_url": _meeting_url(item.meeting_id, "#agenda-heading"),
        },
    )


def _build_minutes_published(notification, cache: dict):
    minutes = Minutes.objects.select_related("meeting__table").filter(meeting_id=notification.object_id).first()
    if minutes is None or not minutes.is_published:
        return None
    meeting = minutes.meeting
    recipient = notification.user
    if recipient is None:
        # Invited by address, without an account: the invitation knows the language asked for.
        recipient = (
            Invitation.objects.filter(meeting=meeting, email=notification.email).order_by("pk").first()
            or notification
        )
    return render_mail(
        template="meetings/email/minutes_published", recipient=recipient,
        context={
            "meeting": meeting, "table": meeting.table, "minutes": minutes,
            "starts": ical.local_time(meeting.starts_at),
            "decision_count": minutes.decisions.count(),
            "minutes_url": absolute_url(reverse("meetings:minutes", args=[meeting.pk])),
        },
    )


def _action_item(notification) -> ActionItem | None:
    return (
        ActionItem.objects.select_related("meeting__table", "owner_organisation", "owner_user")
        .filter(pk=notification.object_id).first()
    )


def _action_item_context(item: ActionItem) -> dict:
    return {
        "item": item, "meeting": item.meeting, "table": item.meeting.table,
        "minutes_url": absolute_url(reverse("meetings:minutes", args=[item.meeting_id])),
    }


def _build_action_item_assigned(notification, cache: dict):
    item = _action_item(notification)
    if item is None or item.status != ActionItemStatus.OPEN or not notification.user.is_active:
        return None
    return render_mail(
        template="meetings/email/action_item_assigned", recipient=notification.user,
        context=_action_item_context(item),
    )


def _build_action_item_reassigned(notification, cache: dict):
    """One kind for both sides: the item is now the recipient's, or it left them."""
    item = _action_item(notification)
    if item is None or item.status != ActionItemStatus.OPEN or not notification.user.is_active:
        return None
    owner = action_item_owner_people([item], table_id=item.meeting.table_id)[item.pk]
    yours = owner is not None and owner.pk == notification.user_id
    return render_mail(
        template="meetings/email/action_item_reassigned", recipient=notification.user,
        context={**_action_item_context(item), "yours": yours, "owner": owner},
    )


def _build_action_item_due_soon(notification, cache: dict):
    item = _action_item(notification)
    today = timezone.localdate()
    if (
        item is None
        or item.status != ActionItemStatus.OPEN
        or item.due_on is None
        or item.due_on < today
        or not notification.user.is_active
    ):
        return None  # done, cancelled or past due meanwhile (the overdue reminder takes over)
    return render_mail(
        template="meetings/email/action_item_due_soon", recipient=notification.user,
        context={**_action_item_context(item), "days_left": (item.due_on - today).days},
    )


def _build_agenda_changed(notification, cache: dict):
    """For a digest (or at once, for someone whose choice changed): the agenda of a meeting the person
    is invited to changed. The details are on the meeting's page; the digest lists the subject and link."""
    meeting = Meeting.objects.select_related("table").filter(pk=notification.object_id).first()
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        return None  # cancelled or gone: nothing to look at any more
    invited = Invitation.objects.filter(meeting=meeting, email=notification.email, anonymised_at__isnull=True)
    if not invited.exclude(kind=InvitationKind.CANCEL).exists():
        return None  # no longer invited
    return render_mail(
        template="meetings/email/agenda_changed", recipient=notification.user or notification,
        context={"meeting": meeting, "table": meeting.table,
                 "meeting_url": absolute_url(reverse("meetings:detail", args=[meeting.pk]))},
    )


def register_outbox_rows() -> None:
    register(
        RowType(
            # Every change of the meeting that is sent queues every invitation again (a new kind, the
            # claim token cleared) in the same transaction: while a batch's token is on the row, the
            # batch's load is the current version, so it is not read again before each message.
            model=Invitation, build=_build_invitation, load_with=lambda rows: rows.select_related("meeting__table"),
            reload_each=False, version_fields=("kind", "email", "name", "language", "link_key", "anonymised_at"),
            message_key=_invitation_key, sent_fields=_invitation_sent,
            sweep_filter=~Q(meeting__status=MeetingStatus.DRAFT), retention=_invitation_retention,
        )
    )
    register(
        RowType(
            model=MeetingReminder, build=_build_meeting_reminder,
            load_with=lambda rows: rows.select_related("meeting__table", "invitation__user", "invitation__rsvp"),
            retention=_meeting_reminder_retention,
        )
    )
    register(
        RowType(
            model=ActionItemReminder, build=_build_action_item_reminder,
            load_with=lambda rows: rows.select_related("action_item__meeting__table", "user"),
            retention=_action_item_reminder_retention,
        )
    )
    register(
        RowType(
            model=AgendaUpdate, build=_build_agenda_update,
            load_with=lambda rows: rows.select_related("meeting__table"),
            sent_fields=lambda update: {"through_change": update.through_change},
            # Swept whatever the meeting's state: a message for a cancelled meeting is built as
            # not needed (skipped), so no row waits for ever.
            retention=_agenda_update_retention,
            # Not sent before its window closes: changes made meanwhile go into the same message.
            due=lambda now: Q(send_after__lte=now),
        )
    )
    # A place from the waiting list and the answer to one's own request to be invited are about the
    # person's own request: always sent at once. A request to the coordinators may wait for a digest.
    register_notification(WAITLIST_PROMOTION, _build_waitlist_promotion, label=_("A place from the waiting list"),
                          always=True)
    register_notification(INVITATION_REQUEST, _build_invitation_request,
                          label=_("Requests to be invited to a meeting (to coordinators)"))
    register_notification(INVITATION_REQUEST_DECLINED, _build_invitation_request_declined,
                          label=_("Your request to be invited was declined"), always=True)
    register_notification(AGENDA_UPDATE, _build_agenda_changed, label=_("Agenda updates of meetings I am invited to"))
    register_notification(
        AGENDA_PROPOSAL, _build_agenda_proposal, label=_("Someone proposes a topic for a meeting I decide on")
    )
    register_notification(
        PROPOSAL_DECISION, _build_proposal_decision, label=_("A topic I proposed is accepted or declined")
    )
    register_notification(
        MINUTES_PUBLISHED, _build_minutes_published, label=_("The minutes of a meeting of my table are published")
    )
    register_notification(
        ACTION_ITEM_ASSIGNED, _build_action_item_assigned, label=_("An action item is given to me")
    )
    register_notification(
        ACTION_ITEM_REASSIGNED, _build_action_item_reassigned,
        label=_("An action item is given to me or taken from me"),
    )
    register_notification(
        ACTION_ITEM_DUE_SOON, _build_action_item_due_soon, label=_("An action item of mine is due in a few days")
    )
