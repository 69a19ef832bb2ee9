"""The e-mails of meetings, each rendered in its recipient's language.

An invitation stands on its own: date and time in Helsinki time, the place or the online link,
the agenda so far, whom to contact, one-click answer links and the calendar file.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kumppanuus.mail import absolute_url, render_mail, render_text
from meetings import ical
from meetings.models import (
    ActionItemReminder,
    AgendaItemStatus,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingFormat,
    MeetingReminder,
    MeetingReminderKind,
    Rsvp,
    RsvpResponse,
)
from meetings.tokens import rsvp_token


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
        self._details: dict[tuple[str, bool], dict] = {}

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
            "starts": meeting.starts_at.astimezone(ical.HELSINKI),
            "ends": meeting.ends_at.astimezone(ical.HELSINKI),
            "deadline": meeting.rsvp_deadline.astimezone(ical.HELSINKI) if meeting.rsvp_deadline else None,
            "agenda": self.agenda,
            "contact": self.contact,
            "meeting_url": self.url,
            **extra,
        }

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


def rsvp_links(invitation: Invitation, meeting: Meeting) -> list[dict]:
    return [
        {
            "label": RsvpResponse(answer).label,
            "url": absolute_url(
                reverse("meetings:rsvp_link", args=[rsvp_token(invitation_id=invitation.pk, answer=answer)])
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


def action_item_reminder_message(reminder: ActionItemReminder) -> EmailMultiAlternatives:
    item = reminder.action_item
    context = {
        "item": item,
        "meeting": item.meeting,
        "meeting_url": absolute_url(reverse("meetings:detail", args=[item.meeting_id])),
    }
    return render_mail(template="meetings/email/action_item_overdue", recipient=reminder.user, context=context)
