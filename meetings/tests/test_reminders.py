"""Reminders: found by what is due, recorded once per key, on the Helsinki clock, respecting settings."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.tests.factories import UserFactory
from meetings.models import (
    ActionItemReminder,
    ActionItemStatus,
    MeetingReminder,
    MeetingReminderKind,
    OutboxStatus,
    RsvpResponse,
)
from meetings.services import (
    action_item_reminders_queue_due,
    meeting_reminders_queue_due,
    meeting_update,
)
from meetings.tests.factories import (
    ActionItemFactory,
    InvitationFactory,
    MeetingFactory,
    RsvpFactory,
)
from outbox.engine import deliver
from tables.models import StandingMemberStatus
from tables.tests.factories import StandingMemberFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC
# Summer time starts on Sunday 30 March 2031. The meeting is on the Tuesday after, at 10:00 EEST
# (07:00 UTC); three days before on the Helsinki clock is Saturday 10:00 EET, which is 08:00 UTC,
# not the 07:00 UTC that subtracting 72 hours would give.
MEETING_START = datetime.datetime(2031, 4, 1, 10, 0, tzinfo=HELSINKI)
REMINDER_DUE = datetime.datetime(2031, 3, 29, 8, 0, tzinfo=UTC)


@pytest.fixture
def upcoming(table, standing):
    table.meeting_reminder_days = 3
    table.save()
    return MeetingFactory(table=table, starts_at=MEETING_START, ends_at=MEETING_START + datetime.timedelta(hours=2))


def _attending(meeting, **user):
    invitation = InvitationFactory(meeting=meeting, **{f"user__{k}": v for k, v in user.items()})
    RsvpFactory(invitation=invitation, response=RsvpResponse.ATTENDING_IN_PERSON)
    return invitation


def _run(capture, now):
    with time_machine.travel(now, tick=False), capture(execute=True):
        return meeting_reminders_queue_due()


def test_attending_people_are_reminded_n_days_before_on_the_helsinki_clock(
    upcoming, django_capture_on_commit_callbacks
):
    attending = _attending(upcoming, email="coming@example.org", language="en")

    assert _run(django_capture_on_commit_callbacks, REMINDER_DUE - datetime.timedelta(minutes=30)) == []
    assert mail.outbox == []

    assert len(_run(django_capture_on_commit_callbacks, REMINDER_DUE)) == 1
    [message] = mail.outbox
    assert message.to == ["coming@example.org"]
    assert message.subject.startswith("[Kumppanuus] Reminder:")
    reminder = MeetingReminder.objects.get()
    assert (reminder.invitation, reminder.kind, reminder.for_starts_at) == (
        attending, MeetingReminderKind.ATTENDING, MEETING_START
    )
    assert reminder.delivery_status == OutboxStatus.SENT


def test_a_reminder_goes_once_and_only_to_those_attending_who_want_it(upcoming, django_capture_on_commit_callbacks):
    _attending(upcoming, email="coming@example.org")
    _attending(upcoming, email="quiet@example.org", notify_meeting_reminders=False)
    RsvpFactory(invitation=InvitationFactory(meeting=upcoming), response=RsvpResponse.NOT_ATTENDING)
    RsvpFactory(invitation=InvitationFactory(meeting=upcoming), response=RsvpResponse.MAYBE)
    waiting = InvitationFactory(meeting=upcoming)
    RsvpFactory(
        invitation=waiting, response=RsvpResponse.ATTENDING_IN_PERSON, waitlisted=True, waitlisted_at=REMINDER_DUE
    )

    _run(django_capture_on_commit_callbacks, REMINDER_DUE)
    _run(django_capture_on_commit_callbacks, REMINDER_DUE + datetime.timedelta(hours=1))

    assert [message.to for message in mail.outbox] == [["coming@example.org"]]
    assert MeetingReminder.objects.count() == 1


def test_no_meeting_reminders_when_the_table_turned_them_off(upcoming, django_capture_on_commit_callbacks):
    upcoming.table.meeting_reminder_days = None
    upcoming.table.save()
    _attending(upcoming)
    assert _run(django_capture_on_commit_callbacks, MEETING_START - datetime.timedelta(hours=1)) == []
    assert mail.outbox == []


def test_a_reminder_written_before_the_meeting_moved_does_not_fire_at_the_old_time(
    upcoming, coordinator, django_capture_on_commit_callbacks
):
    _attending(upcoming, email="coming@example.org")
    with time_machine.travel(REMINDER_DUE, tick=False):
        # Written, but the worker has not sent it yet when the coordinator moves the meeting a week on.
        with django_capture_on_commit_callbacks(execute=False):
            [old_id] = meeting_reminders_queue_due()
        new_start = MEETING_START + datetime.timedelta(days=7)
        meeting_update(
            actor=coordinator, meeting=upcoming,
            data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=2)},
        )
        mail.outbox.clear()  # the update itself
        result = deliver("meetings.meetingreminder", [old_id])

    assert (result.sent, result.skipped) == (0, 1)
    assert MeetingReminder.objects.get(pk=old_id).delivery_status == OutboxStatus.SKIPPED
    assert mail.outbox == []

    # Nothing more before the new due time; at it, a reminder for the new start.
    assert _run(django_capture_on_commit_callbacks, REMINDER_DUE + datetime.timedelta(days=6)) == []
    _run(django_capture_on_commit_callbacks, REMINDER_DUE + datetime.timedelta(days=7))
    assert len(mail.outbox) == 1
    assert MeetingReminder.objects.get(delivery_status=OutboxStatus.SENT).for_starts_at == new_start


def test_people_who_have_not_answered_are_reminded_before_the_deadline(upcoming, django_capture_on_commit_callbacks):
    upcoming.table.meeting_reminder_days = None
    upcoming.table.save()
    upcoming.rsvp_deadline = datetime.datetime(2031, 3, 25, 16, 0, tzinfo=HELSINKI)
    upcoming.save()
    silent = InvitationFactory(meeting=upcoming, user__email="silent@example.org")
    guest = InvitationFactory(meeting=upcoming, user=None, email="guest@example.org")
    RsvpFactory(invitation=InvitationFactory(meeting=upcoming), response=RsvpResponse.NOT_ATTENDING)
    InvitationFactory(meeting=upcoming, user__notify_meeting_reminders=False)

    two_days_before = datetime.datetime(2031, 3, 23, 16, 0, tzinfo=HELSINKI)
    assert _run(django_capture_on_commit_callbacks, two_days_before - datetime.timedelta(minutes=1)) == []
    _run(django_capture_on_commit_callbacks, two_days_before)
    _run(django_capture_on_commit_callbacks, two_days_before + datetime.timedelta(hours=5))

    assert sorted(message.to[0] for message in mail.outbox) == ["guest@example.org", "silent@example.org"]
    assert set(MeetingReminder.objects.values_list("invitation", "kind")) == {
        (silent.pk, MeetingReminderKind.RSVP_DEADLINE), (guest.pk, MeetingReminderKind.RSVP_DEADLINE)
    }
    # After the deadline nobody is asked any more.
    assert _run(django_capture_on_commit_callbacks, datetime.datetime(2031, 3, 26, tzinfo=UTC)) == []


# --- action items ---------------------------------------------------------------------------------


def _run_items(capture, day: datetime.date):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8), tzinfo=HELSINKI), tick=False):
        with capture(execute=True):
            return action_item_reminders_queue_due()


def test_an_overdue_action_item_reminds_its_owner_once_a_week(meeting, django_capture_on_commit_callbacks):
    item = ActionItemFactory(
        meeting=meeting, due_on=datetime.date(2031, 3, 3), owner_user__email="owner@example.org",
        owner_user__language="en",
    )
    ActionItemFactory(meeting=meeting, due_on=datetime.date(2031, 3, 3), status=ActionItemStatus.DONE)
    ActionItemFactory(meeting=meeting, due_on=datetime.date(2031, 3, 20))  # not due yet
    ActionItemFactory(meeting=meeting, due_on=datetime.date(2031, 3, 3), owner_user__notify_action_items=False)

    # Wednesday and Friday of one week: one reminder; the Monday after: the next.
    _run_items(django_capture_on_commit_callbacks, datetime.date(2031, 3, 5))
    _run_items(django_capture_on_commit_callbacks, datetime.date(2031, 3, 7))
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert "past its due date" in mail.outbox[0].subject
    _run_items(django_capture_on_commit_callbacks, datetime.date(2031, 3, 10))
    assert len(mail.outbox) == 2
    weeks = ActionItemReminder.objects.filter(action_item=item).order_by("week").values_list("week", flat=True)
    assert list(weeks) == [
        datetime.date(2031, 3, 3), datetime.date(2031, 3, 10)
    ]


def test_an_organisations_action_item_reminds_its_representative_on_the_table(
    meeting, organisation, representative, other_organisation, django_capture_on_commit_callbacks
):
    ActionItemFactory(
        meeting=meeting, owner_user=None, owner_organisation=organisation, due_on=datetime.date(2031, 3, 3)
    )
    StandingMemberFactory(
        table=meeting.table, organisation=other_organisation, status=StandingMemberStatus.ENDED,
        representative=UserFactory(email="ended@example.org"),
    )
    ActionItemFactory(
        meeting=meeting, owner_user=None, owner_organisation=other_organisation, due_on=datetime.date(2031, 3, 3)
    )
    _run_items(django_capture_on_commit_callbacks, datetime.date(2031, 3, 5))
    assert [message.to for message in mail.outbox] == [[representative.email]]
