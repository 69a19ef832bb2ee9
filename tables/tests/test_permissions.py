"""The rules in tables/permissions.py, person by person (the three named users of STYLE.md §12 and more)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import UserFactory
from organisations.models import MembershipRole, MembershipStatus
from organisations.tests.factories import MembershipFactory
from tables.models import StandingMemberStatus, TableStatus
from tables.permissions import can_answer_evaluation, is_table_coordinator, table_coordinator_ids
from tables.tests.factories import StandingMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(coordinator, other_coordinator, representative, member, outsider, admin_user, owner):
    return {
        "anonymous": AnonymousUser(),
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "representative": representative,
        "member": member,
        "outsider": outsider,
        "admin": admin_user,
        "owner": owner,
    }


def allowed(people, permission, obj):
    return {name for name, person in people.items() if person.has_perm(permission, obj)}


def test_public_table_is_seen_by_everyone(people, table, standing_member):
    assert allowed(people, "tables.view_table", table) == set(people)


def test_private_table_is_seen_by_its_people_only(people, private_table, organisation):
    StandingMemberFactory(table=private_table, organisation=organisation)
    assert allowed(people, "tables.view_table", private_table) == {"coordinator", "representative", "member", "admin"}


def test_table_is_managed_by_its_county_coordinators_and_admins(people, table, standing_member):
    for permission in ("tables.change_table", "tables.manage_standing_members"):
        assert allowed(people, permission, table) == {"coordinator", "admin"}


def test_named_coordinator_from_elsewhere_manages_the_table(table, other_coordinator):
    table.coordinators.add(other_coordinator)
    assert other_coordinator.has_perm("tables.change_table", table)


def test_named_coordinator_check_uses_prefetched_coordinators(table, coordinator, django_assert_num_queries):
    colleague = UserFactory()
    table.coordinators.add(colleague)
    table = type(table).objects.prefetch_related("coordinators").get(pk=table.pk)
    with django_assert_num_queries(1):  # the colleague's coordinated areas; the coordinators are prefetched
        assert is_table_coordinator(colleague, table)
    assert table_coordinator_ids(table) == {coordinator.pk, colleague.pk}


def test_evaluation_rules(people, table, standing_member):
    assert allowed(people, "tables.manage_evaluations", table) == {"coordinator", "owner", "admin"}
    assert allowed(people, "tables.view_evaluation_summary", table) == {"coordinator", "owner", "admin"}
    # The coordinator and the standing members evaluate the table (seed 000).
    answering = {name for name, person in people.items() if can_answer_evaluation(person, table)}
    assert answering == {"coordinator", "representative", "member"}


def test_pending_member_of_a_standing_member_cannot_answer(table, standing_member, organisation):
    pending = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING).user
    assert not can_answer_evaluation(pending, table)


def test_member_of_a_requested_standing_member_cannot_answer(table, organisation, member):
    StandingMemberFactory(table=table, organisation=organisation, status=StandingMemberStatus.REQUESTED)
    assert not can_answer_evaluation(member, table)


def test_request_standing_membership(people, table):
    # Django lets superusers pass every has_perm; the service still asks for a representative.
    assert allowed(people, "tables.request_standing_membership", table) == {"representative", "admin"}
    other_rep = MembershipFactory(role=MembershipRole.REPRESENTATIVE).user
    assert other_rep.has_perm("tables.request_standing_membership", table)
    table.status = TableStatus.CLOSED
    assert not people["representative"].has_perm("tables.request_standing_membership", table)


def test_request_standing_membership_of_a_private_table_needs_to_see_it(private_table):
    other_rep = MembershipFactory(role=MembershipRole.REPRESENTATIVE).user
    assert not other_rep.has_perm("tables.request_standing_membership", private_table)


def test_adding_tables(people):
    assert allowed(people, "tables.add_table", None) == {"coordinator", "other_coordinator", "admin"}
