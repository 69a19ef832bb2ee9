"""Selectors for following action items: the owner-left rule, the items to reassign, the open items
on the next meeting, and a table's action list with its filters."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import ActionItemStatus, MeetingStatus
from meetings.selectors import (
    ActionFilters,
    action_items_to_reassign,
    minutes_follow_up_rows,
    open_action_items_for_agenda,
    open_action_items_for_meeting,
    table_action_items,
)
from meetings.selectors.actions import with_owner_gone
from meetings.tests.factories import (
    ActionItemFactory,
    ActionItemFollowUpFactory,
    MeetingFactory,
    MinutesFactory,
    PublishedMinutesFactory,
    held_meeting,
    in_days,
)
from organisations.models import Membership, MembershipStatus
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.tests.factories import PartnershipTableFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(public_table, public_standing, coordinator):
    meeting = held_meeting(public_table, days_ago=30, status=MeetingStatus.HELD, created_by=coordinator)
    PublishedMinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def next_meeting(public_table, coordinator):
    return MeetingFactory(table=public_table, starts_at=in_days(20), created_by=coordinator)


def _gone(item) -> bool:
    return with_owner_gone(type(item).objects.filter(pk=item.pk)).get().owner_gone


# --- The owner-left rule ------------------------------------------------------------


def test_an_item_whose_owners_account_was_deleted_is_unassigned(earlier, coordinator, organisation):
    owner = MembershipFactory(organisation=organisation).user
    item = ActionItemFactory(meeting=earlier, owner_user=owner, owner_organisation=None)
    assert not _gone(item)
    owner.delete()
    assert _gone(item)
    assert list(action_items_to_reassign(coordinator)) == [item]


def test_an_item_whose_owner_left_the_organisation_is_unassigned(earlier, coordinator, member, organisation):
    item = ActionItemFactory(meeting=earlier, owner_user=member, owner_organisation=organisation)
    assert not _gone(item)
    assert list(action_items_to_reassign(coordinator)) == []
    Membership.objects.filter(user=member, organisation=organisation).update(status=MembershipStatus.REJECTED)
    assert _gone(item)
    assert list(action_items_to_reassign(coordinator)) == [item]
    Membership.objects.filter(user=member, organisation=organisation).delete()
    assert _gone(item)


def test_a_person_without_an_organisation_must_still_stand_at_the_table(
    earlier, coordinator, member, organisation, public_standing, area
):
    item = ActionItemFactory(meeting=earlier, owner_user=member, owner_organisation=None)
    assert not _gone(item)  # an approved member of the standing organisation
    public_standing.status = "ended"
    public_standing.save()
    assert _gone(item)  # the organisation no longer stands at the table
    public_standing.status = "active"
    public_standing.save()
    Membership.objects.filter(user=member).delete()
    assert _gone(item)  # the person left the organisation
    # Membership of some other organisation, not standing at the table, does not count.
    MembershipFactory(user=member, organisation=OrganisationFactory(welfare_area=area))
    assert _gone(item)


def test_coordinators_and_organisations_do_not_leave(earlier, coordinator, organisation, public_table):
    named = UserFactory()
    public_table.coordinators.add(named)
    items = [
        ActionItemFactory(meeting=earlier, owner_user=coordinator, owner_organisation=None),  # the area's
        ActionItemFactory(meeting=earlier, owner_user=named, owner_organisation=None),  # named on the table
        ActionItemFactory(meeting=earlier, owner_user=None, owner_organisation=organisation),
    ]
    assert [_gone(item) for item in items] == [False, False, False]
    assert list(action_items_to_reassign(coordinator)) == []


def test_a_closed_account_has_left(earlier, coordinator, member, organisation):
    item = ActionItemFactory(meeting=earlier, owner_user=member, owner_organisation=organisation)
    member.is_active = False
    member.save()
    assert _gone(item)
    item.status = ActionItemStatus.DONE  # a done item is history: it keeps naming its owner
    item.save()
    assert not _gone(item)


def test_items_to_reassign_are_the_open_ones_on_the_tables_the_person_coordinates(
    earlier, coordinator, other_coordinator, other_area, member
):
    open_item = ActionItemFactory(meeting=earlier, owner_user=None, owner_organisation=None)
    ActionItemFactory(meeting=earlier, owner_user=None, owner_organisation=None, status=ActionItemStatus.DONE)
    ActionItemFactory(meeting=earlier, owner_user=None, owner_organisation=None, status=ActionItemStatus.CANCELLED)
    # Another county's table, coordinated by the other coordinator; and a table naming a person.
    other_table = PartnershipTableFactory(sector__welfare_area=other_area)
    other_item = ActionItemFactory(meeting=held_meeting(other_table), owner_user=None, owner_organisation=None)
    named = UserFactory()
    other_table.coordinators.add(named)

    assert list(action_items_to_reassign(coordinator)) == [open_item]
    assert list(action_items_to_reassign(other_coordinator)) == [other_item]
    assert list(action_items_to_reassign(named)) == [other_item]
    assert list(action_items_to_reassign(member)) == []
    assert action_items_to_reassign(coordinator).count() == 1


# --- Open items on the next meeting ------------------------------------------------------


def test_the_next_meeting_lists_the_open_items_of_earlier_meetings(
    earlier, next_meeting, past_meeting, coordinator, representative, member
):
    open_item = ActionItemFactory(meeting=earlier, owner_user=member)
    ActionItemFactory(meeting=earlier, owner_user=member, status=ActionItemStatus.DONE)
    later = ActionItemFactory(
        meeting=MeetingFactory(table=next_meeting.table, starts_at=in_days(60)), owner_user=member
    )
    unpublished = ActionItemFactory(meeting=past_meeting, owner_user=member)
    MinutesFactory(meeting=past_meeting)  # a draft
    ActionItemFollowUpFactory(action_item=open_item, meeting=past_meeting, note="Kesken")

    seen_by_coordinator = open_action_items_for_meeting(next_meeting, coordinator)
    assert seen_by_coordinator == [open_item, unpublished]
    assert [row.note for row in seen_by_coordinator[0].follow_ups.all()] == ["Kesken"]
    # A member sees what is in published minutes.
    assert open_action_items_for_meeting(next_meeting, representative) == [open_item]
    assert open_action_items_for_agenda(next_meeting) == [open_item]
    assert later not in seen_by_coordinator
    # A held meeting's page shows what it decided in its minutes instead.
    next_meeting.status = MeetingStatus.HELD
    assert open_action_items_for_meeting(next_meeting, coordinator) == []
    assert open_action_items_for_agenda(next_meeting) == []


def test_the_minutes_form_keeps_the_items_it_has_reviewed(earlier, past_meeting, member):
    done_here = ActionItemFactory(meeting=earlier, owner_user=member, status=ActionItemStatus.DONE)
    ActionItemFollowUpFactory(action_item=done_here, meeting=past_meeting, outcome="done")
    still_open = ActionItemFactory(meeting=earlier, owner_user=member)
    ActionItemFactory(meeting=earlier, owner_user=member, status=ActionItemStatus.DONE)  # done before
    rows = minutes_follow_up_rows(past_meeting)
    assert {row.item for row in rows} == {done_here, still_open}
    by_item = {row.item: row for row in rows}
    assert by_item[done_here].follow_up.outcome == "done"
    assert by_item[still_open].follow_up is None


# --- A table's action list ---------------------------------------------------------------


def test_the_tables_list_filters(earlier, past_meeting, public_table, coordinator, member, organisation):
    today = timezone.localdate()
    overdue = ActionItemFactory(meeting=earlier, owner_user=member, due_on=today - datetime.timedelta(days=1))
    upcoming = ActionItemFactory(
        meeting=earlier, owner_user=None, owner_organisation=organisation, due_on=today + datetime.timedelta(days=9)
    )
    done = ActionItemFactory(meeting=earlier, owner_user=member, status=ActionItemStatus.DONE)
    orphan = ActionItemFactory(meeting=past_meeting, owner_user=None, owner_organisation=None, due_on=None)

    def listed(**filters):
        return list(table_action_items(public_table, coordinator, ActionFilters(**filters)))

    assert listed() == [overdue, upcoming, orphan, done]  # open first, by due date
    assert listed(status="done") == [done]
    assert listed(overdue=True) == [overdue]
    assert listed(meeting_id=past_meeting.pk) == [orphan]
    assert listed(owner="unassigned") == [orphan]
    assert listed(owner=f"organisation:{organisation.pk}") == [upcoming]
    assert listed(owner=f"person:{member.pk}") == [overdue, done]
    assert listed(owner="person:nonsense") == listed()
