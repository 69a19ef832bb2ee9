"""Services after the meeting: attendance, minutes, decisions, action items, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.ical import HELSINKI
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    Decision,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Minutes,
)
from meetings.services.feeds import user_reset_calendar_token
from meetings.services.records import (
    ActionItemEntry,
    AttendanceEntry,
    DecisionEntry,
    action_item_set_status,
    attendance_record,
    meeting_close,
    minutes_publish,
    minutes_save,
)
from meetings.tests.factories import ActionItemFactory, MeetingFactory, held_meeting, in_days, invite

pytestmark = pytest.mark.django_db


# --- Attendance -----------------------------------------------------------------


def test_attendance_replaces_the_rows_of_the_invitees(past_meeting, secretary, representative, member, organisation):
    rep_invitation = invite(past_meeting, representative, organisation=organisation)
    member_invitation = invite(past_meeting, member)
    guest_invitation = invite(past_meeting, None, email="vieras@example.org", name="Vieras")

    attendance_record(
        actor=secretary,
        meeting=past_meeting,
        entries=[
            AttendanceEntry(invitation_id=rep_invitation.pk, attended=True, organisation_id=organisation.pk),
            AttendanceEntry(invitation_id=member_invitation.pk, attended=False, online=True),
            AttendanceEntry(invitation_id=guest_invitation.pk, attended=True, online=True),
        ],
    )
    rows = {row.invitation_id: row for row in Attendance.objects.filter(meeting=past_meeting)}
    assert rows[rep_invitation.pk].user == representative
    assert rows[rep_invitation.pk].organisation == organisation
    assert rows[rep_invitation.pk].recorded_by == secretary
    # "Online" means nothing for someone who was not there.
    assert rows[member_invitation.pk].attended is False and rows[member_invitation.pk].online is False
    # A guest without an account is recorded without a person.
    assert rows[guest_invitation.pk].user is None and rows[guest_invitation.pk].online is True

    # Saving again replaces the rows: the member now attended, the guest is left out.
    attendance_record(
        actor=secretary,
        meeting=past_meeting,
        entries=[
            AttendanceEntry(invitation_id=rep_invitation.pk, attended=True, organisation_id=organisation.pk),
            AttendanceEntry(invitation_id=member_invitation.pk, attended=True),
        ],
    )
    rows = list(Attendance.objects.filter(meeting=past_meeting).order_by("pk"))
    assert [(row.invitation_id, row.attended) for row in rows] == [
        (rep_invitation.pk, True),
        (member_invitation.pk, True),
    ]


def test_attendance_of_a_deleted_account_survives_re_recording(past_meeting, secretary, member):
    gone = UserFactory(email="gone@example.org")
    invite(past_meeting, gone)
    member_invitation = invite(past_meeting, member)
    attendance_record(
        actor=secretary,
        meeting=past_meeting,
        entries=[AttendanceEntry(invitation_id=i.pk, attended=True) for i in past_meeting.invitations.all()],
    )
    gone.delete()  # the invitation goes with the account; the attendance row stays, anonymous
    [anonymous] = Attendance.objects.filter(meeting=past_meeting, user__isnull=True)
    assert anonymous.invitation_id is None and anonymous.attended

    attendance_record(
        actor=secretary,
        meeting=past_meeting,
        entries=[AttendanceEntry(invitation_id=member_invitation.pk, attended=True)],
    )
    assert Attendance.objects.filter(meeting=past_meeting).count() == 2
    assert Attendance.objects.filter(pk=anonymous.pk).exists()


def test_attendance_refuses_an_invitation_of_another_meeting_and_changes_nothing(past_meeting, secretary, member):
    own = invite(past_meeting, member)
    attendance_record(
        actor=secretary, meeting=past_meeting, entries=[AttendanceEntry(invitation_id=own.pk, attended=True)]
    )
    other = invite(MeetingFactory(table=past_meeting.table), UserFactory())

    with pytest.raises(ValidationError):
        attendance_record(
            actor=secretary,
            meeting=past_meeting,
            entries=[
                AttendanceEntry(invitation_id=own.pk, attended=False),
                AttendanceEntry(invitation_id=other.pk, attended=True),
            ],
        )
    [row] = Attendance.objects.filter(meeting=past_meeting)
    assert row.invitation_id == own.pk and row.attended is True


def test_attendance_refuses_duplicates_and_unknown_organisations(past_meeting, secretary, member):
    own = invite(past_meeting, member)
    with pytest.raises(ValidationError):
        attendance_record(
            actor=secretary,
            meeting=past_meeting,
            entries=[AttendanceEntry(invitation_id=own.pk, attended=True)] * 2,
        )
    with pytest.raises(ValidationError):
        attendance_record(
            actor=secretary,
            meeting=past_meeting,
            entries=[AttendanceEntry(invitation_id=own.pk, attended=True, organisation_id=999999)],
        )
    assert not Attendance.objects.exists()


def test_attendance_is_for_the_secretary_and_coordinators_after_the_start(
    past_meeting, secretary, coordinator, other_coordinator, representative, outsider, admin_user
):
    invitation = invite(past_meeting, representative)
    entries = [AttendanceEntry(invitation_id=invitation.pk, attended=True)]
    for person in (representative, outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            attendance_record(actor=person, meeting=past_meeting, entries=entries)
    for person in (secretary, coordinator, admin_user):
        attendance_record(actor=person, meeting=past_meeting, entries=entries)

    # Prepared before the meeting starts.
    upcoming = MeetingFactory(table=past_meeting.table, secretary=secretary, starts_at=in_days(3))
    attendance_record(actor=secretary, meeting=upcoming, entries=[])
    cancelled = held_meeting(past_meeting.table, secretary=secretary, status=MeetingStatus.CANCELLED)
    with pytest.raises(PermissionDenied):
        attendance_record(actor=coordinator, meeting=cancelled, entries=[])


# --- Minutes --------------------------------------------------------------------


def test_minutes_texts_with_a_nul_are_refused_on_their_fields(past_meeting, secretary, organisation):
    """PostgreSQL refuses a NUL; the service names the field instead of failing with a 500."""
    with pytest.raises(ValidationError) as error:
        minutes_save(
            actor=secretary, meeting=past_meeting, body_markdown="Teksti\x00",
            decisions=[DecisionEntry(text="Päätös\x00")],
            action_items=[ActionItemEntry(what="Tehtävä\x00", owner_organisation_id=organisation.pk)],
        )
    assert set(error.value.message_dict) == {"body_markdown", "decisions", "action_items"}
    assert not Minutes.objects.filter(meeting=past_meeting).exists()


def test_minutes_save_decisions_in_order_and_action_items(past_meeting, secretary, member, organisation):
    minutes = minutes_save(
        actor=secretary,
        meeting=past_meeting,
        body_markdown="## Keskustelu\n\nSovittiin asioista.",
        decisions=[DecisionEntry(text="Ensimmäinen"), DecisionEntry(text="  Toinen  ")],
        action_items=[
            ActionItemEntry(
                what="Kutsu puhuja", owner_user_id=member.pk, due_on=timezone.localdate() + datetime.timedelta(days=7)
            ),
            ActionItemEntry(what="Tiedota jäsenille", owner_organisation_id=organisation.pk),
        ],
    )
    assert minutes.published_at is None and minutes.updated_by == secretary
    assert list(minutes.decisions.values_list("text", "position")) == [("Ensimmäinen", 1), ("Toinen", 2)]
    first, second = ActionItem.objects.filter(meeting=past_meeting).order_by("pk")
    assert first.owner_user == member and first.status == ActionItemStatus.OPEN and first.created_by == secretary
    assert second.owner_organisation == organisation and second.owner_user is None

    # Saving again: the items are updated in place (their reminder history stays), one is removed,
    # the decisions are replaced in the new order, and publishing stamps the time once.
    minutes = minutes_save(
        actor=secretary,
        meeting=past_meeting,
        body_markdown="Uusi teksti",
        decisions=[DecisionEntry(text="Toinen"), DecisionEntry(text="Ensimmäinen"), DecisionEntry(text="Kolmas")],
        action_items=[
            ActionItemEntry(pk=first.pk, what="Kutsu puhuja", owner_user_id=member.pk, status=ActionItemStatus.DONE),
        ],
        publish=True,
    )
    assert minutes.published_at is not None and minutes.published_by == secretary
    assert list(Decision.objects.filter(minutes=minutes).values_list("text", flat=True)) == [
        "Toinen",
        "Ensimmäinen",
        "Kolmas",
    ]
    [kept] = ActionItem.objects.filter(meeting=past_meeting)
    assert kept.pk == first.pk and kept.status == ActionItemStatus.DONE and kept.completed_at is not None
    assert kept.due_on is None
    published_at = minutes.published_at
    minutes = minutes_save(
        actor=secretary, meeting=past_meeting, body_markdown="x", decisions=[], action_items=[], publish=True
    )
    assert minutes.published_at == published_at
    assert Minutes.objects.count() == 1


@pytest.mark.parametrize(
    "decisions, items, field",
    [
        ([DecisionEntry(text="x" * 4001)], [], "decisions"),
        ([DecisionEntry(text="   ")], [], "decisions"),
        ([], [ActionItemEntry(what="Ei vastuuhenkilöä")], "action_items"),
        ([], [ActionItemEntry(what="", owner_organisation_id=None, owner_user_id=None)], "action_items"),
        ([], [ActionItemEntry(what="x" * 2001, owner_user_id=-1)], "action_items"),
        (
            [],
            [ActionItemEntry(what="Outo tila", owner_user_id=None, owner_organisation_id=-5, status="lost")],
            "action_items",
        ),
        (
            [],
            [ActionItemEntry(what="Olematon", pk=999999, owner_organisation_id=None, owner_user_id=None)],
            "action_items",
        ),
    ],
)
def test_minutes_with_bad_input_save_nothing(past_meeting, secretary, decisions, items, field):
    with pytest.raises(ValidationError) as raised:
        minutes_save(
            actor=secretary,
            meeting=past_meeting,
            body_markdown="Teksti",
            decisions=decisions,
            action_items=items,
            publish=True,
        )
    assert field in raised.value.error_dict
    assert not Minutes.objects.exists() and not ActionItem.objects.exists() and not Decision.objects.exists()


def test_minutes_refuse_a_due_date_before_the_meeting(past_meeting, secretary, member):
    meeting_day = past_meeting.starts_at.astimezone(HELSINKI).date()
    with pytest.raises(ValidationError) as raised:
        minutes_save(
            actor=secretary,
            meeting=past_meeting,
            body_markdown="",
            decisions=[],
            action_items=[
                ActionItemEntry(
                    what="Myöhässä jo", owner_user_id=member.pk, due_on=meeting_day - datetime.timedelta(days=1)
                )
            ],
        )
    assert "before the meeting" in " ".join(raised.value.messages)
    minutes_save(
        actor=secretary,
        meeting=past_meeting,
        body_markdown="",
        decisions=[],
        action_items=[ActionItemEntry(what="Samana päivänä", owner_user_id=member.pk, due_on=meeting_day)],
    )
    assert ActionItem.objects.get().due_on == meeting_day


def test_minutes_keep_the_existing_decisions_when_the_new_ones_are_invalid(past_meeting, secretary):
    minutes_save(
        actor=secretary,
        meeting=past_meeting,
        body_markdown="A",
        decisions=[DecisionEntry(text="Pysyy")],
        action_items=[],
    )
    with pytest.raises(ValidationError):
        minutes_save(
            actor=secretary,
            meeting=past_meeting,
            body_markdown="B",
            decisions=[DecisionEntry(text="")],
            action_items=[],
        )
    minutes = Minutes.objects.get()
    assert minutes.body_markdown == "A"
    assert list(minutes.decisions.values_list("text", flat=True)) == ["Pysyy"]


def test_minutes_permissions(past_meeting, secretary, coordinator, other_coordinator, member, outsider):
    for person in (member, outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            minutes_save(actor=person, meeting=past_meeting, body_markdown="", decisions=[], action_items=[])
    minutes_save(actor=coordinator, meeting=past_meeting, body_markdown="", decisions=[], action_items=[])
    with pytest.raises(PermissionDenied):
        minutes_publish(actor=member, meeting=past_meeting)
    assert minutes_publish(actor=secretary, meeting=past_meeting).published_by == secretary


def test_publishing_needs_minutes(past_meeting, secretary):
    with pytest.raises(ValidationError):
        minutes_publish(actor=secretary, meeting=past_meeting)


# --- Action items ---------------------------------------------------------------


def test_the_owner_or_a_member_of_the_owning_organisation_marks_an_action_item_done(
    past_meeting, member, representative, organisation, outsider
):
    mine = ActionItemFactory(meeting=past_meeting, owner_user=member)
    ours = ActionItemFactory(meeting=past_meeting, owner_user=None, owner_organisation=organisation)

    item = action_item_set_status(actor=member, action_item=mine, status=ActionItemStatus.DONE)
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    item = action_item_set_status(actor=member, action_item=mine, status=ActionItemStatus.OPEN)
    assert item.completed_at is None
    assert action_item_set_status(actor=representative, action_item=ours, status="done").status == "done"

    with pytest.raises(PermissionDenied):
        action_item_set_status(actor=outsider, action_item=mine, status=ActionItemStatus.DONE)
    with pytest.raises(PermissionDenied):
        action_item_set_status(actor=representative, action_item=mine, status=ActionItemStatus.DONE)
    with pytest.raises(ValidationError):
        action_item_set_status(actor=member, action_item=mine, status="forgotten")
    mine.refresh_from_db()
    assert mine.status == ActionItemStatus.OPEN


def test_the_secretary_may_cancel_an_action_item_but_not_its_owner(past_meeting, secretary, member):
    item = ActionItemFactory(meeting=past_meeting, owner_user=member)
    with pytest.raises(PermissionDenied):
        action_item_set_status(actor=member, action_item=item, status="cancelled")
    assert action_item_set_status(actor=secretary, action_item=item, status="cancelled").status == "cancelled"


# --- Closing --------------------------------------------------------------------


def test_closing_marks_the_meeting_held_and_creates_the_next_as_a_draft(past_meeting, secretary, organisation):
    past_meeting.address = "Sairaalantie 3, Vaasa"
    past_meeting.capacity = 30
    past_meeting.save()
    next_start = in_days(60, hour=10)

    next_meeting = meeting_close(actor=secretary, meeting=past_meeting, next_starts_at=next_start)

    past_meeting.refresh_from_db()
    assert past_meeting.status == MeetingStatus.HELD
    assert next_meeting.status == MeetingStatus.DRAFT
    assert next_meeting.table == past_meeting.table and next_meeting.pk != past_meeting.pk
    assert next_meeting.starts_at == next_start
    assert next_meeting.ends_at - next_meeting.starts_at == past_meeting.ends_at - past_meeting.starts_at
    assert next_meeting.format == MeetingFormat.HYBRID
    assert next_meeting.address == "Sairaalantie 3, Vaasa"
    assert next_meeting.online_link == past_meeting.online_link
    assert next_meeting.capacity == 30 and next_meeting.secretary == secretary
    assert next_meeting.created_by == secretary
    assert next_meeting.uid != past_meeting.uid
    # The chair is suggested by rotation among the standing members.
    assert next_meeting.chair == organisation
    assert not next_meeting.invitations.exists()

    with pytest.raises(ValidationError, match="already been closed"):
        meeting_close(actor=secretary, meeting=past_meeting, next_starts_at=in_days(90))
    assert Meeting.objects.filter(table=past_meeting.table).count() == 2


@pytest.mark.parametrize("when", ["past", "during", "far"])
def test_closing_refuses_a_next_meeting_in_the_past_or_before_this_one_ends(public_table, secretary, when):
    now = timezone.now()
    meeting = MeetingFactory(
        table=public_table,
        secretary=secretary,
        status=MeetingStatus.SCHEDULED,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    next_start = {
        "past": now - datetime.timedelta(days=1),
        "during": now + datetime.timedelta(minutes=30),  # in the future, but before this meeting ends
        "far": now + datetime.timedelta(days=5 * 365),
    }[when]
    with pytest.raises(ValidationError) as raised:
        meeting_close(actor=secretary, meeting=meeting, next_starts_at=next_start)
    assert "next_starts_at" in raised.value.error_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert Meeting.objects.filter(table=public_table).count() == 1


def test_closing_permissions(past_meeting, coordinator, other_coordinator, member, outsider, secretary):
    for person in (member, outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            meeting_close(actor=person, meeting=past_meeting, next_starts_at=in_days(30))
    # Someone who could not close it is not told that it is closed already.
    meeting_close(actor=coordinator, meeting=past_meeting, next_starts_at=in_days(30))
    with pytest.raises(PermissionDenied):
        meeting_close(actor=outsider, meeting=past_meeting, next_starts_at=in_days(40))
    upcoming = MeetingFactory(table=past_meeting.table, secretary=secretary, starts_at=in_days(3))
    with pytest.raises(PermissionDenied):
        meeting_close(actor=secretary, meeting=upcoming, next_starts_at=in_days(30))


def test_closing_uses_the_helsinki_wall_clock_across_dst(public_table, secretary):
    # A winter meeting closes with a summer date: 13:00 Helsinki time is 10:00 UTC in summer.
    meeting = held_meeting(public_table, secretary=secretary)
    summer = datetime.datetime(timezone.now().year + 1, 7, 1, 13, 0, tzinfo=HELSINKI)
    next_meeting = meeting_close(actor=secretary, meeting=meeting, next_starts_at=summer)
    assert next_meeting.starts_at.astimezone(datetime.UTC).hour == 10


# --- Calendar feed token --------------------------------------------------------


def test_resetting_the_calendar_token_gives_a_new_secret(member):
    old = member.calendar_token
    new = user_reset_calendar_token(user=member)
    member.refresh_from_db()
    assert member.calendar_token == new != old
    assert len(new) >= 32


def test_minutes_are_prepared_before_the_meeting_and_published_once_it_has_started(past_meeting, secretary):
    upcoming = MeetingFactory(table=past_meeting.table, secretary=secretary, starts_at=in_days(3))
    minutes = minutes_save(actor=secretary, meeting=upcoming, body_markdown="## Esityslista", decisions=[],
                           action_items=[])
    assert minutes.pk and minutes.published_at is None
    with pytest.raises(ValidationError, match="once the meeting has started"):
        minutes_save(actor=secretary, meeting=upcoming, body_markdown="## Esityslista", decisions=[],
                     action_items=[], publish=True)
    with pytest.raises(ValidationError, match="once the meeting has started"):
        minutes_publish(actor=secretary, meeting=upcoming)
    minutes.refresh_from_db()
    assert minutes.published_at is None
    with pytest.raises(PermissionDenied):  # "held" waits for the meeting to start
        meeting_close(actor=secretary, meeting=upcoming, next_starts_at=in_days(30))
