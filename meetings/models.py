"""Meetings of a partnership table: agenda, invitations (an outbox), RSVPs, reminders, attendance, minutes.

Sending state lives in the database. ``Invitation``, ``MeetingReminder`` and ``ActionItemReminder``
are outbox rows (``outbox.models.OutboxRow``, sent by outbox/engine.py): a task claims a row, marks
it ``sending`` and commits before talking to SMTP, then marks it ``sent``; a row that is not
``queued`` is skipped, so a retried or duplicated task never mails anyone twice. A sweeper re-queues
rows left ``queued`` or stuck in ``sending``.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from kumppanuus.addresses import NormalisedEmailField
from kumppanuus.validators import validate_person_name
from organisations.models import Organisation
from outbox.models import OutboxRow, OutboxStatus  # noqa: F401  (OutboxStatus: re-exported for the meetings code)
from tables.models import PartnershipTable


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """One meeting of a table. Times are stored aware (UTC) and shown in Europe/Helsinki."""

    table = models.ForeignKey(
        PartnershipTable, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("table"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    format = models.CharField(
        _("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON,
    )
    address = models.CharField(
        _("address"), max_length=300, blank=True, help_text=_("Street address and room, for meeting in person."),
    )
    online_link = models.URLField(
        _("online meeting link"), max_length=500, blank=True,
        help_text=_("Shown only to invited and registered people."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text=_(
            "Maximum number of participants; later registrations go to a waiting list. "
            "For a hybrid meeting this is the number of places in the room. Leave empty for no limit."
        ),
    )
    rsvp_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    # The chair rotates among the standing member organisations (seed 001).
    chair = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="chaired_meetings",
        verbose_name=_("chairing organisation"),
    )
    chair_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="chaired_meetings",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="meetings_as_secretary", verbose_name=_("secretary"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT,
    )
    # iCalendar SEQUENCE: raised on every change that is sent to the invitees.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    # iCalendar UID: the same for the whole life of the meeting, so calendars update one event.
    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    cancellation_reason = models.TextField(_("reason for cancelling"), max_length=2000, blank=True)
    scheduled_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meeting_capacity_positive",
            ),
        ]
        indexes = [
            # A table's upcoming (and past) meetings.
            models.Index(fields=["table", "starts_at"], name="meeting_table_starts"),
            # The reminder scans read only scheduled meetings, by start time and by RSVP deadline.
            models.Index(
                fields=["starts_at"], name="meeting_scheduled_starts", condition=Q(status="scheduled"),
            ),
            models.Index(
                fields=["rsvp_deadline"], name="meeting_scheduled_deadline",
                condition=Q(status="scheduled") & Q(rsvp_deadline__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open_for_rsvp(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED

    @property
    def has_place(self) -> bool:
        return self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID)

    @property
    def has_online_link(self) -> bool:
        return self.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID)

    @property
    def seat_response(self) -> str:
        """The answer that takes one of the ``capacity`` places: in the room, or online for an online meeting."""
        if self.format == MeetingFormat.ONLINE:
            return RsvpResponse.ATTENDING_ONLINE
        return RsvpResponse.ATTENDING_IN_PERSON

    def allowed_responses(self) -> list[str]:
        attending = {
            MeetingFormat.IN_PERSON: [RsvpResponse.ATTENDING_IN_PERSON],
            MeetingFormat.ONLINE: [RsvpResponse.ATTENDING_ONLINE],
            MeetingFormat.HYBRID: [RsvpResponse.ATTENDING_IN_PERSON, RsvpResponse.ATTENDING_ONLINE],
        }[self.format]
        return [*attending, RsvpResponse.NOT_ATTENDING, RsvpResponse.MAYBE]


class MeetingVersion(models.Model):
    """What invitees were sent of a meeting at one calendar SEQUENCE: written when the meeting is
    scheduled and whenever a change raises the SEQUENCE, so that an update can say what changed
    since the version a person last received (old → new)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="versions", verbose_name=_("meeting"),
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    format = models.CharField(_("format"), max_length=10, choices=MeetingFormat.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting version")
        verbose_name_plural = _("meeting versions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="one_meeting_version_per_sequence"),
        ]

    def __str__(self):
        return f"{self.meeting_id} #{self.sequence}"


class AgendaItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AgendaItem(models.Model):
    """A topic on a meeting's agenda. Standing members propose; the chair or a coordinator accepts and orders."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True, validators=[validate_person_name])
    presenter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("presenter (person)"),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=AgendaItemStatus.choices, default=AgendaItemStatus.PROPOSED,
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["meeting", "status", "position"], name="agenda_meeting_status")]

    def __str__(self):
        return self.title


class AgendaChangeKind(models.TextChoices):
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")
    MOVED = "moved", _("Moved")


class AgendaChange(models.Model):
    """One change to the agenda of a scheduled meeting, kept so that the invitees can be told what
    changed (AgendaUpdate). The titles are copied: the item may be changed again or deleted."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_changes", verbose_name=_("meeting"),
    )
    kind = models.CharField(_("change"), max_length=10, choices=AgendaChangeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # The title before the change, when the change renamed the item.
    old_title = models.CharField(_("earlier title"), max_length=200, blank=True)
    # The item's place on the agenda after the change (1 is first); empty for a removed item.
    position = models.PositiveIntegerField(_("place on the agenda"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda change")
        verbose_name_plural = _("agenda changes")
        ordering = ["pk"]
        indexes = [models.Index(fields=["meeting", "created_at"], name="agenda_change_meeting")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def renamed_from(self) -> str:
        """The earlier title in the reader's language, when it differs from the title now."""
        return self.old_title if self.old_title and self.old_title != self.title else ""


def new_link_key() -> str:
    return secrets.token_urlsafe(16)


class InvitationKind(models.TextChoices):
    """What the next send of an invitation delivers (the row is re-queued with a new kind)."""

    INVITE = "invite", _("Invitation")
    UPDATE = "update", _("Update")
    CANCEL = "cancel", _("Cancellation")


class InvitationSource(models.TextChoices):
    STANDING_MEMBER = "standing_member", _("Standing member organisation")
    ROLE = "role", _("Role on the table")
    ADDED = "added", _("Added by a coordinator")
    SELF = "self", _("Registered to an open forum")


class Invitation(OutboxRow):
    """One invitee of one meeting, and the outbox row of the e-mail they are sent next.

    The message is rendered from the meeting's current state when it is sent; ``kind`` says whether
    it is the first invitation, an update or a cancellation, and ``sent_sequence`` is the iCalendar
    SEQUENCE the person last received.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting"),
    )
    # People added by e-mail may have no account. Deleting an account goes through
    # privacy.services.account_delete, which anonymises these rows (see ``anonymised_at``).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
        verbose_name=_("person"),
    )
    email = NormalisedEmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True, validators=[validate_person_name])
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FINNISH,
    )
    # The standing member organisation the person was invited for, if any.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )
    source = models.CharField(
        _("invited as"), max_length=20, choices=InvitationSource.choices, default=InvitationSource.ADDED,
    )
    kind = models.CharField(
        _("message to send"), max_length=10, choices=InvitationKind.choices, default=InvitationKind.INVITE,
    )
    sent_sequence = models.PositiveIntegerField(_("calendar sequence sent"), null=True, blank=True)
    sent_kind = models.CharField(
        _("message sent"), max_length=10, choices=InvitationKind.choices, blank=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Signed into the one-click answer links (meetings/tokens.py); a new key revokes every link sent.
    link_key = models.CharField(_("answer link key"), max_length=32, blank=True, default=new_link_key, editable=False)
    # Set when the invitee deleted their account: the row stays, so the meeting's invitation and
    # RSVP counts stay the same, but it no longer names anyone and is never sent again.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="one_invitation_per_email",
                violation_error_message=_("This person is already invited."),
            ),
        ]
        indexes = [
            # The sweeper reads only rows that are not delivered yet.
            models.Index(
                fields=["delivery_status", "queued_at"], name="invitation_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
            models.Index(fields=["user", "meeting"], name="invitation_user_meeting"),
        ]

    def __str__(self):
        return str(self.recipient_name)

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def recipient_name(self) -> str:
        if self.is_anonymised:
            return _("Deleted account")
        return self.name or self.email

    def get_short_name(self) -> str:
        """For greetings in e-mail, like User.get_short_name; empty when only the address is known."""
        return self.name.split(" ")[0] if self.name else ""


class RsvpResponse(models.TextChoices):
    ATTENDING_IN_PERSON = "in_person", _("Attending in person")
    ATTENDING_ONLINE = "online", _("Attending online")
    NOT_ATTENDING = "no", _("Not attending")
    MAYBE = "maybe", _("Maybe")


ATTENDING_RESPONSES = (RsvpResponse.ATTENDING_IN_PERSON, RsvpResponse.ATTENDING_ONLINE)


class Rsvp(models.Model):
    """A person's answer to an invitation; past the capacity they wait on the list, first come first served."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("meeting"))
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="rsvp", verbose_name=_("invitation"),
    )
    response = models.CharField(_("response"), max_length=10, choices=RsvpResponse.choices)
    waitlisted = models.BooleanField(_("on the waiting list"), default=False)
    # The waiting list is ordered by this time (then id).
    waitlisted_at = models.DateTimeField(_("joined the waiting list"), null=True, blank=True)
    note = models.TextField(
        _("note"), max_length=1000, blank=True,
        help_text=_("For example accessibility or dietary needs. Only the coordinators see this."),
    )
    responded_at = models.DateTimeField(_("responded at"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["responded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(waitlisted=False) | Q(waitlisted_at__isnull=False),
                name="rsvp_waitlist_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "response", "waitlisted"], name="rsvp_meeting_response"),
            models.Index(
                fields=["meeting", "waitlisted_at"], name="rsvp_waitlist", condition=Q(waitlisted=True),
            ),
        ]

    def __str__(self):
        return f"{self.invitation} – {self.get_response_display()}"

    @property
    def is_attending(self) -> bool:
        return self.response in ATTENDING_RESPONSES and not self.waitlisted


class MeetingReminderKind(models.TextChoices):
    ATTENDING = "attending", _("Meeting coming up")
    RSVP_DEADLINE = "rsvp_deadline", _("Registration deadline coming up")


class MeetingReminder(OutboxRow):
    """One reminder to one invitee. Keyed on the start time it was computed for, so a moved
    meeting is reminded of afresh and a reminder computed before the move is not sent."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("meeting"),
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("invitation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingReminderKind.choices)
    for_starts_at = models.DateTimeField(_("for the meeting starting at"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "invitation", "kind", "for_starts_at"], name="one_meeting_reminder",
            ),
        ]
        indexes = [
            models.Index(
                fields=["delivery_status", "queued_at"], name="meeting_reminder_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.invitation_id} – {self.meeting_id}"


class Attendance(models.Model):
    """Who attended. The user is cleared when an account is deleted, so the counts survive anonymously."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendances",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendances",
        verbose_name=_("organisation"),
    )
    # The invitation the row was recorded for. Re-recording replaces the rows of the current invitees;
    # a row whose person deleted their account has neither user nor invitation and is kept, so the
    # statistics still count it.
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendances",
        verbose_name=_("invitation"),
    )
    attended = models.BooleanField(_("attended"), default=True)
    online = models.BooleanField(_("attended online"), default=False)
    # Set, instead of the person, when they delete their account: one random value for all their
    # rows, so the statistics still count them as one person. Nothing links it to anyone.
    anonymous_person = models.UUIDField(_("anonymous person"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="one_attendance_per_person", condition=Q(user__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "attended"], name="attendance_meeting")]

    def __str__(self):
        return f"{self.meeting_id}: {self.user_id or '-'}"


class Minutes(models.Model):
    """The memo of a meeting, written in Markdown and shown rendered and sanitised."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting"),
    )
    body_markdown = models.TextField(_("minutes"), max_length=100000, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("last edited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [
            models.Index(fields=["published_at"], name="minutes_published", condition=Q(published_at__isnull=False)),
        ]

    def __str__(self):
        return str(self.meeting)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Decision(models.Model):
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("minutes"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("decision"), max_length=4000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:80]


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(models.Model):
    """Something agreed at a meeting: what, who (a person or an organisation), by when."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting"),
    )
    what = models.TextField(_("what"), max_length=2000)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items",
        verbose_name=_("responsible person"),
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items",
        verbose_name=_("responsible organisation"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The due date the owner was last told is near: told once per due date, and again if it moves.
    due_soon_notified_for = models.DateField(
        _("due-soon notice sent for"), null=True, blank=True, editable=False,
        help_text=_("The due date of which the owner was told a few days before."),
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        indexes = [
            # The weekly overdue scan reads only open items with a due date.
            models.Index(
                fields=["due_on"], name="action_item_open_due",
                condition=Q(status="open") & Q(due_on__isnull=False),
            ),
            models.Index(fields=["owner_user", "status"], name="action_item_owner_status"),
        ]

    def __str__(self):
        return self.what[:80]


class ActionItemReminder(OutboxRow):
    """A weekly reminder of an overdue action item; ``week`` is the Monday of the ISO week it is for."""

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("action item"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_item_reminders",
        verbose_name=_("person"),
    )
    week = models.DateField(_("week starting"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("action item reminder")
        verbose_name_plural = _("action item reminders")
        constraints = [
            models.UniqueConstraint(fields=["action_item", "user", "week"], name="one_action_item_reminder_a_week"),
        ]
        indexes = [
            models.Index(
                fields=["delivery_status", "queued_at"], name="action_reminder_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.action_item_id} – {self.user_id} ({self.week})"


class AgendaUpdate(OutboxRow):
    """One "agenda updated" e-mail to one invitee, telling the changes (AgendaChange) since the
    last one they were sent.

    Written with no ``queued_at`` and not due before ``send_after`` (the window after the first
    change, settings.AGENDA_UPDATE_WINDOW_SECONDS); while a row waits, further changes find it and
    add no row, so a burst of changes makes one message. When due, the outbox hands it over
    (outbox_release_due, the sweeper) and builds it from the changes as they are then;
    ``through_change`` records the last change it told, so the next message starts after it.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_updates", verbose_name=_("meeting"),
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="agenda_updates", verbose_name=_("invitation"),
    )
    send_after = models.DateTimeField(_("not sent before"))
    through_change = models.PositiveBigIntegerField(_("last change told"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda update")
        verbose_name_plural = _("agenda updates")
        indexes = [
            models.Index(
                fields=["delivery_status", "send_after"], name="agenda_update_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
            models.Index(fields=["invitation", "delivery_status"], name="agenda_update_invitation"),
        ]

    def __str__(self):
        return f"{self.invitation_id} – {self.meeting_id}"


class InvitationRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class InvitationRequest(models.Model):
    """A member of one of the table's standing organisations asks to be invited to a meeting (issue
    12): tables invite their organisations' representatives and substitutes, and other members ask.
    A coordinator decides; approving sends the person an invitation like anyone else's."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitation_requests", verbose_name=_("meeting"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation_requests",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationRequestStatus.choices, default=InvitationRequestStatus.REQUESTED,
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for an invitation")
        verbose_name_plural = _("requests for an invitation")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_request_per_person"),
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"


class FollowUpOutcome(models.TextChoices):
    DONE = "done", _("Done")
    CARRIED = "carried", _("Carried on")


class ActionItemFollowUp(models.Model):
    """What a later meeting decided about an open action item: done, or carried on with a note.

    The item itself stays one row that moves on from meeting to meeting; these rows are its history,
    one per meeting that reviewed it, so each meeting's minutes show what was decided there."""

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("action item"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_item_follow_ups", verbose_name=_("reviewed at"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=FollowUpOutcome.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The due date the meeting set when it carried the item on, if it set one.
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("action item follow-up")
        verbose_name_plural = _("action item follow-ups")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "meeting"], name="one_follow_up_per_meeting",
                violation_error_message=_("This action item has already been reviewed at this meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.action_item_id} @ {self.meeting_id}: {self.outcome}"
