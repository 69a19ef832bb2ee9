"""Services for following action items: a later meeting marks an item done or carries it on with
a note (in the minutes form too, all or nothing), and a coordinator reassigns an item."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    ActionItem,
    ActionItemFollowUp,
    ActionItemStatus,
    Decision,
    FollowUpOutcome,
    MeetingStatus,
    Minutes,
)
from meetings.services.actions import (
    FollowUpEntry,
    action_item_follow_up,
    action_item_follow_ups_record,
    action_item_reassign,
)
from meetings.services.records import DecisionEntry, minutes_save
from meetings.tests.factories import ActionItemFactory, PublishedMinutesFactory, held_meeting
from organisations.models import Membership
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.tests.factories import StandingMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(public_table, public_standing, coordinator):
    """A meeting of the same table a month ago, held, its minutes published."""
    meeting = held_meeting(public_table, days_ago=30, status=MeetingStatus.HELD, created_by=coordinator)
    PublishedMinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def item(earlier, member, organisation):
    return ActionItemFactory(
        meeting=earlier, owner_user=member, owner_organisation=organisation, what="Kokoa kalenteri"
    )


# --- Done, carried on -------------------------------------------------------------


def test_carrying_an_item_on_keeps_it_open_with_the_note_and_a_new_due_date(past_meeting, secretary, item):
    new_due = timezone.localdate() + datetime.timedelta(days=40)
    follow_up = action_item_follow_up(
        actor=secretary, meeting=past_meeting, action_item=item, outcome=FollowUpOutcome.CARRIED,
        note="  Odotetaan järjestöjen vastauksia.  ", new_due_on=new_due,
    )
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN and item.completed_at is None
    assert item.due_on == new_due
    assert follow_up.note == "Odotetaan järjestöjen vastauksia."
    assert follow_up.recorded_by == secretary and follow_up.meeting == past_meeting
    assert follow_up.new_due_on == new_due


def test_marking_done_closes_the_item_and_taking_it_back_reopens_it(past_meeting, coordinator, item):
    action_item_follow_up(actor=coordinator, meeting=past_meeting, action_item=item, outcome=FollowUpOutcome.DONE)
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    assert ActionItemFollowUp.objects.get(action_item=item).outcome == FollowUpOutcome.DONE

    # The secretary corrects it: not discussed after all. The item is open again, with no record here.
    action_item_follow_up(actor=coordinator, meeting=past_meeting, action_item=item, outcome="")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN and item.completed_at is None
    assert not ActionItemFollowUp.objects.filter(action_item=item).exists()


def test_the_item_moves_on_one_row_with_a_history_per_meeting(
    past_meeting, public_table, coordinator, secretary, item
):
    action_item_follow_up(
        actor=secretary, meeting=past_meeting, action_item=item, outcome=FollowUpOutcome.CARRIED, note="Kesken."
    )
    third = held_meeting(public_table, days_ago=0, created_by=coordinator)
    third.starts_at = past_meeting.starts_at + datetime.timedelta(hours=12)
    third.ends_at = third.starts_at + datetime.timedelta(hours=2)
    third.save()
    action_item_follow_up(actor=coordinator, meeting=third, action_item=item, outcome=FollowUpOutcome.DONE)
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    assert ActionItem.objects.filter(pk=item.pk).count() == 1
    history = list(ActionItemFollowUp.objects.filter(action_item=item).order_by("meeting__starts_at"))
    assert [(row.meeting_id, row.outcome) for row in history] == [
        (past_meeting.pk, FollowUpOutcome.CARRIED), (third.pk, FollowUpOutcome.DONE),
    ]


def test_one_invalid_entry_writes_nothing(past_meeting, secretary, earlier, item, member):
    other = ActionItemFactory(meeting=earlier, owner_user=member)
    with pytest.raises(ValidationError) as error:
        action_item_follow_ups_record(
            actor=secretary,
            meeting=past_meeting,
            entries=[
                FollowUpEntry(action_item_id=item.pk, outcome=FollowUpOutcome.DONE),
                FollowUpEntry(action_item_id=other.pk, outcome=FollowUpOutcome.CARRIED, note="   "),
            ],
        )
    assert error.value.message_dict["follow_ups"] == ["Open action 2: write a note on how the item carries on."]
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN
    assert not ActionItemFollowUp.objects.exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"outcome": "maybe"}, "choose what was decided from the list."),
        ({"outcome": "", "note": "Huomio"}, "choose done or carried on for the note, or leave the note empty."),
        ({"outcome": "done", "note": "x" * 2001}, "Write at most 2000 characters (now 2001)."),
        ({"outcome": "carried", "note": "a\x00b"}, "Remove the control characters from this text."),
        (
            {"outcome": "done", "new_due_on": datetime.date(2099, 1, 1)},
            "a new due date is given only when the item carries on.",
        ),
        (
            {"outcome": "carried", "note": "Jatkuu", "new_due_on": datetime.date(2000, 1, 1)},
            "the new due date cannot be before the meeting.",
        ),
    ],
)
def test_follow_up_validation(past_meeting, secretary, item, entry, message):
    with pytest.raises(ValidationError) as error:
        action_item_follow_ups_record(
            actor=secretary, meeting=past_meeting, entries=[FollowUpEntry(action_item_id=item.pk, **entry)]
        )
    assert error.value.message_dict["follow_ups"] == [f"Open action 1: {message}"]
    assert not ActionItemFollowUp.objects.exists()


def test_only_open_items_of_the_tables_earlier_meetings_can_be_reviewed(
    past_meeting, secretary, item, earlier, private_past_meeting, member
):
    done = ActionItemFactory(meeting=earlier, owner_user=member, status=ActionItemStatus.DONE)
    own = ActionItemFactory(meeting=past_meeting, owner_user=member)  # agreed at this very meeting
    elsewhere = ActionItemFactory(meeting=private_past_meeting, owner_user=member)  # another table
    for other in (done, own, elsewhere):
        with pytest.raises(ValidationError) as error:
            action_item_follow_up(actor=secretary, meeting=past_meeting, action_item=other, outcome="done")
        assert "no longer open" in error.value.messages[0]


def test_following_up_is_for_those_who_write_the_minutes(past_meeting, member, representative, item):
    for person in (member, representative):
        with pytest.raises(PermissionDenied):
            action_item_follow_up(actor=person, meeting=past_meeting, action_item=item, outcome="done")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_the_minutes_are_not_half_saved_when_a_follow_up_is_invalid(past_meeting, secretary, item):
    with pytest.raises(ValidationError) as error:
        minutes_save(
            actor=secretary,
            meeting=past_meeting,
            body_markdown="Muistio",
            decisions=[DecisionEntry(text="Päätös")],
            action_items=[],
            follow_ups=[FollowUpEntry(action_item_id=item.pk, outcome=FollowUpOutcome.CARRIED, note="")],
        )
    assert list(error.value.message_dict) == ["follow_ups"]
    assert not Minutes.objects.filter(meeting=past_meeting).exists() and not Decision.objects.exists()
    assert not ActionItemFollowUp.objects.exists()


def test_the_minutes_save_the_follow_ups_with_everything_else(past_meeting, secretary, item):
    minutes_save(
        actor=secretary,
        meeting=past_meeting,
        body_markdown="Muistio",
        decisions=[],
        action_items=[],
        follow_ups=[FollowUpEntry(action_item_id=item.pk, outcome=FollowUpOutcome.DONE, note="Valmis.")],
    )
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    assert ActionItemFollowUp.objects.get().note == "Valmis."
    # Saving again without a decision on it changes nothing else; the item stays reviewed here.
    minutes_save(actor=secretary, meeting=past_meeting, body_markdown="Muistio 2", decisions=[], action_items=[])
    assert ActionItemFollowUp.objects.count() == 1


# --- Reassigning ------------------------------------------------------------------


@pytest.fixture
def orphan(earlier):
    """An item whose owner's account was deleted."""
    owner = UserFactory()
    item = ActionItemFactory(meeting=earlier, owner_user=owner)
    owner.delete()
    item.refresh_from_db()
    assert item.owner_user is None and item.owner_organisation is None
    return item


def test_a_coordinator_gives_the_item_to_a_member_and_their_organisation(orphan, coordinator, member, organisation):
    action_item_reassign(
        actor=coordinator, action_item=orphan, owner_email=" MEMBER@example.org ",
        owner_organisation_id=organisation.pk,
    )
    orphan.refresh_from_db()
    assert orphan.owner_user == member and orphan.owner_organisation == organisation


def test_an_item_can_go_to_an_organisation_only_or_to_a_coordinator(orphan, coordinator, organisation):
    action_item_reassign(actor=coordinator, action_item=orphan, owner_organisation_id=organisation.pk)
    orphan.refresh_from_db()
    assert orphan.owner_user is None and orphan.owner_organisation == organisation
    action_item_reassign(actor=coordinator, action_item=orphan, owner_email=coordinator.email)
    orphan.refresh_from_db()
    assert orphan.owner_user == coordinator and orphan.owner_organisation is None


def test_reassign_validation(orphan, coordinator, area, organisation, public_table):
    elsewhere = OrganisationFactory(welfare_area=area)  # not standing at the table
    stranger = MembershipFactory(organisation=elsewhere, user__email="stranger@example.org").user
    cases = [
        ({}, None, "Name the new responsible person or organisation."),
        ({"owner_email": "nobody@example.org"}, "owner_email", "Nobody has an account with this verified"),
        ({"owner_organisation_id": elsewhere.pk}, "owner_organisation", "Choose one of the table's standing"),
        (
            {"owner_email": stranger.email, "owner_organisation_id": organisation.pk},
            "owner_email", "This person is not an approved member of the organisation chosen.",
        ),
        ({"owner_email": stranger.email}, "owner_email", "This person belongs to no organisation standing"),
        ({"owner_email": "a\nb@example.org"}, "owner_email", "Write this on one line"),
    ]
    for arguments, field, message in cases:
        with pytest.raises(ValidationError) as error:
            action_item_reassign(actor=coordinator, action_item=orphan, **arguments)
        messages = error.value.message_dict[field] if field else error.value.messages
        assert messages[0].startswith(message), (arguments, messages)
    orphan.refresh_from_db()
    assert orphan.owner_user is None and orphan.owner_organisation is None
    # With the organisation standing at the table, its member can take the item.
    StandingMemberFactory(table=public_table, organisation=elsewhere)
    action_item_reassign(actor=coordinator, action_item=orphan, owner_email=stranger.email)
    orphan.refresh_from_db()
    assert orphan.owner_user == stranger


def test_only_open_items_are_reassigned_and_only_by_the_tables_coordinators(
    orphan, coordinator, other_coordinator, representative, organisation, admin_user
):
    for person in (other_coordinator, representative):
        with pytest.raises(PermissionDenied):
            action_item_reassign(actor=person, action_item=orphan, owner_organisation_id=organisation.pk)
    action_item_reassign(actor=admin_user, action_item=orphan, owner_organisation_id=organisation.pk)
    ActionItem.objects.filter(pk=orphan.pk).update(status=ActionItemStatus.DONE)
    with pytest.raises(ValidationError) as error:
        action_item_reassign(actor=coordinator, action_item=orphan, owner_organisation_id=organisation.pk)
    assert error.value.messages == ["Only an open action item can be given to someone else."]


def test_a_member_who_left_the_organisation_can_be_replaced(item, coordinator, member, organisation, representative):
    Membership.objects.filter(user=member, organisation=organisation).delete()
    action_item_reassign(
        actor=coordinator, action_item=item, owner_email=representative.email, owner_organisation_id=organisation.pk
    )
    item.refresh_from_db()
    assert item.owner_user == representative
