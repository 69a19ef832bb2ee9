"""The workspace (meetings/selectors/workspace.py, the ``dashboard`` page) and the navigation's count.

Each kind of thing that waits: it appears for the coordinator of the table's county (with a link
to a page where she does it), not for a coordinator of another county nor for a member, and it
disappears when it is done. Then the page itself, the review queue's standing-member requests and
the query bounds at two data sizes.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    ActionItemStatus,
    AgendaItemStatus,
    InvitationRequest,
    MeetingStatus,
    OutboxStatus,
    RsvpResponse,
)
from meetings.selectors.workspace import (
    KINDS,
    WAITING_LINKS,
    action_items_to_reassign,
    forget_waiting_counts,
    waiting_counts,
    waiting_for,
    waiting_total,
)
from meetings.services import agenda_item_decide, invitation_request_decide
from meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    held_meeting,
    in_days,
    invite,
)
from organisations.models import Eligibility, MembershipRole, MembershipStatus
from organisations.services import membership_decide, organisation_decide_eligibility
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.models import EvaluationStatus, StandingMemberStatus, TableStatus
from tables.services import evaluation_close, evaluation_open, role_nomination_accept, standing_member_decide
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    RoleAssignmentFactory,
    StandingMemberFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _fresh(user):
    """The counts are cached on the user for a request; the next request starts afresh."""
    forget_waiting_counts(user)
    return user


# --- Each kind: appears, only for her county, disappears when done --------------------------------


@dataclass
class Case:
    kind: str
    make: Any  # (fixtures) -> the thing that waits
    finish: Any  # (thing, fixtures) -> None: does it


def _make_pending_organisation(f):
    return OrganisationFactory(welfare_area=f["area"], eligibility=Eligibility.PENDING)


def _make_membership_request(f):
    # An organisation without a representative: its requests wait for the county's coordinator.
    organisation = OrganisationFactory(welfare_area=f["area"])
    return MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)


def _make_standing_request(f):
    organisation = OrganisationFactory(welfare_area=f["area"])
    return StandingMemberFactory(table=f["table"], organisation=organisation, status=StandingMemberStatus.REQUESTED)


def _make_proposal(f):
    return AgendaItemFactory(meeting=f["meeting"], status=AgendaItemStatus.PROPOSED, proposed_by=f["member"])


def _make_draft(f):
    return MeetingFactory(table=f["table"], status=MeetingStatus.DRAFT, starts_at=in_days(30))


def _publish(draft, f):
    draft.status = MeetingStatus.SCHEDULED
    draft.save()


def _past(f, *, attendance=True, minutes=True, published=True):
    """A meeting of the table two days ago, with its attendance and (published) minutes, or without."""
    meeting = held_meeting(f["table"], days_ago=2)
    if attendance:
        AttendanceFactory(meeting=meeting)
    if minutes:
        MinutesFactory(meeting=meeting, published_at=timezone.now() if published else None)
    return meeting


def _make_unpublished_minutes(f):
    return _past(f, published=False).minutes


def _publish_minutes(minutes, f):
    minutes.published_at = timezone.now()
    minutes.save()


def _make_evaluation_to_open(f):
    return AnnualEvaluationFactory(
        table=f["table"], status=EvaluationStatus.SCHEDULED, opens_on=TODAY() - datetime.timedelta(days=1)
    )


def _make_evaluation_to_close(f):
    # Last year's, so that it may sit beside this year's evaluation of the table.
    return AnnualEvaluationFactory(
        table=f["table"],
        year=TODAY().year - 1,
        opens_on=TODAY() - datetime.timedelta(days=40),
        due_on=TODAY() - datetime.timedelta(days=1),
    )


def _make_overdue_item(f):
    return ActionItemFactory(meeting=f["past_meeting"], owner_user=f["member"], due_on=TODAY() - datetime.timedelta(3))


def _done(item, f):
    item.status = ActionItemStatus.DONE
    item.save()


def _make_orphan_item(f):
    return ActionItemFactory(meeting=f["past_meeting"], owner_user=None, owner_organisation=None, due_on=None)


def _give_owner(item, f):
    item.owner_user = f["member"]
    item.save()


def _make_failed_invitation(f):
    return InvitationFactory(meeting=f["meeting"], delivery_status=OutboxStatus.FAILED, last_error="550 no such user")


def _delivered(invitation, f):
    invitation.delivery_status = OutboxStatus.SENT
    invitation.save()


def _make_invitation_request(f):
    asker = MembershipFactory(organisation=f["member"].memberships.first().organisation).user
    return InvitationRequest.objects.create(meeting=f["meeting"], user=asker)


def _decide_invitation_request(request, f):
    invitation_request_decide(actor=f["coordinator"], request=request, approve=False)


def _make_nomination(f):
    # A nomination to a table of another county: hers to answer (tables/services/roles.py).
    return RoleAssignmentFactory(user=f["coordinator"], accepted_at=None)


def _accept_nomination(assignment, f):
    role_nomination_accept(actor=f["coordinator"], assignment=assignment)


CASES = [
    Case("role_nominations", _make_nomination, _accept_nomination),
    Case("invitation_requests", _make_invitation_request, _decide_invitation_request),
    Case(
        "organisations_to_review",
        _make_pending_organisation,
        lambda o, f: organisation_decide_eligibility(actor=f["coordinator"], organisation=o, approve=True),
    ),
    Case(
        "membership_requests",
        _make_membership_request,
        lambda m, f: membership_decide(actor=f["coordinator"], membership=m, approve=True),
    ),
    Case(
        "standing_member_requests",
        _make_standing_request,
        lambda s, f: standing_member_decide(actor=f["coordinator"], standing_member=s, approve=True),
    ),
    Case(
        "agenda_proposals",
        _make_proposal,
        lambda item, f: agenda_item_decide(actor=f["coordinator"], item=item, accept=True),
    ),
    Case(
        "attendance_to_record",
        lambda f: _past(f, attendance=False),
        lambda meeting, f: AttendanceFactory(meeting=meeting),
    ),
    Case(
        "minutes_to_write",
        lambda f: _past(f, minutes=False),
        lambda meeting, f: MinutesFactory(meeting=meeting, published_at=timezone.now()),
    ),
    Case("draft_meetings", _make_draft, _publish),
    Case("minutes_to_publish", _make_unpublished_minutes, _publish_minutes),
    Case(
        "evaluations_to_open",
        _make_evaluation_to_open,
        lambda e, f: evaluation_open(actor=f["coordinator"], evaluation=e, notify=False),
    ),
    Case(
        "evaluations_to_close",
        _make_evaluation_to_close,
        lambda e, f: evaluation_close(actor=f["coordinator"], evaluation=e),
    ),
    Case("overdue_action_items", _make_overdue_item, _done),
    Case("action_items_to_reassign", _make_orphan_item, _give_owner),
    Case("failed_deliveries", _make_failed_invitation, _delivered),
]


def test_every_kind_has_a_case():
    assert {case.kind for case in CASES} == {kind.key for kind in KINDS}


@pytest.fixture
def fixtures(area, table, standing, meeting, past_meeting, coordinator, other_coordinator, member, representative):
    return {
        "area": area,
        "table": table,
        "meeting": meeting,
        "past_meeting": past_meeting,
        "coordinator": coordinator,
        "member": member,
        "representative": representative,
        "other_coordinator": other_coordinator,
    }


def _record_past_meeting(f):
    AttendanceFactory(meeting=f["past_meeting"])
    MinutesFactory(meeting=f["past_meeting"], published_at=timezone.now())


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.kind)
def test_a_waiting_thing_appears_for_her_county_only_and_disappears_when_done(client, fixtures, case):
    f = fixtures
    _record_past_meeting(f)
    coordinator = f["coordinator"]
    assert waiting_total(_fresh(coordinator)) == 0, waiting_counts(coordinator)

    thing = case.make(f)

    counts = waiting_counts(_fresh(coordinator))
    assert counts[case.kind] == 1
    assert sum(counts.values()) == 1, counts
    (entry,) = waiting_for(coordinator)
    assert entry.key == case.kind and entry.count == 1 and entry.links
    # The link leads to a page where she does it.
    client.force_login(coordinator)
    for link in entry.links:
        assert client.get(link.url).status_code == 200, link.url

    # A coordinator of another county, a member and the representative see none of it.
    for other in ("other_coordinator", "member", "representative"):
        assert waiting_counts(_fresh(f[other]))[case.kind] == 0, other
        assert not [kind for kind in waiting_for(f[other]) if kind.key == case.kind], other

    case.finish(thing, f)
    assert waiting_counts(_fresh(coordinator))[case.kind] == 0
    assert waiting_for(coordinator) == []


def test_a_named_coordinator_of_a_table_sees_its_things(table, meeting, coordinator):
    named = UserFactory()
    table.coordinators.add(named)
    AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED)
    InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.FAILED)
    counts = waiting_counts(named)
    assert (counts["agenda_proposals"], counts["failed_deliveries"], counts["organisations_to_review"]) == (1, 1, 0)


def test_the_representative_decides_requests_to_join_her_organisation(
    organisation, representative, coordinator, area
):
    request = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    assert waiting_counts(representative)["membership_requests"] == 1
    (entry,) = waiting_for(representative)
    assert entry.links[0].url.startswith(reverse("organisations:review_queue"))
    # The organisation has a representative: the request does not wait for the coordinator.
    assert waiting_counts(coordinator)["membership_requests"] == 0
    membership_decide(actor=representative, membership=request, approve=False, reason="Ei tunneta.")
    assert waiting_counts(_fresh(representative))["membership_requests"] == 0


def test_the_chair_decides_the_proposals_of_her_meeting(meeting, organisation, representative, member):
    meeting.chair = organisation
    meeting.save()
    AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED, proposed_by=member)
    assert waiting_counts(representative)["agenda_proposals"] == 1
    assert waiting_counts(member)["agenda_proposals"] == 0


def test_a_member_never_sees_coordinator_things(fixtures, member, client):
    f = fixtures
    _record_past_meeting(f)
    for case in CASES:
        case.make(f)
    assert all(waiting_counts(_fresh(f["coordinator"])).values()), waiting_counts(f["coordinator"])
    assert waiting_total(member) == 0
    client.force_login(member)
    page = client.get(reverse("dashboard"))
    assert page.context["waiting"] == [] and not page.context["show_waiting"]
    assert not page.context["is_coordinator"]


def test_links_are_listed_up_to_a_limit_and_the_rest_counted(table, coordinator):
    for day in range(WAITING_LINKS + 3):
        meeting = MeetingFactory(table=table, starts_at=in_days(day + 1))
        AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED)
        AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED)
    (entry,) = waiting_for(coordinator)
    assert entry.count == 2 * (WAITING_LINKS + 3)
    assert len(entry.links) == WAITING_LINKS
    assert all(link.count == 2 for link in entry.links)
    assert entry.more == 6


def test_action_items_to_reassign_is_the_slot_for_items_nobody_owns(past_meeting, coordinator, organisation):
    orphan = ActionItemFactory(meeting=past_meeting, owner_user=None, owner_organisation=None)
    ActionItemFactory(meeting=past_meeting, owner_user=None, owner_organisation=organisation)
    ActionItemFactory(meeting=past_meeting, owner_user=None, owner_organisation=None, status=ActionItemStatus.DONE)
    assert list(action_items_to_reassign(coordinator)) == [orphan]


# --- The page ----------------------------------------------------------------------------------


def test_the_coordinators_workspace_lists_her_tables_with_the_next_meeting_and_answers(
    client, coordinator, table, meeting, public_table
):
    answers = [RsvpResponse.ATTENDING_IN_PERSON, RsvpResponse.ATTENDING_ONLINE, RsvpResponse.NOT_ATTENDING,
               RsvpResponse.MAYBE, None, None]
    for response in answers:
        invite(meeting, UserFactory(), response=response)
    later = MeetingFactory(table=table, starts_at=meeting.starts_at + datetime.timedelta(days=7))
    invite(later, UserFactory(), response=RsvpResponse.NOT_ATTENDING)
    MeetingFactory(table=table, starts_at=in_days(2), status=MeetingStatus.CANCELLED)
    PartnershipTableFactory(sector=table.sector, status=TableStatus.CLOSED)

    client.force_login(coordinator)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    tables = {t.pk: t for t in page.context["coordinator_tables"]}
    assert set(tables) == {table.pk, public_table.pk}
    assert tables[table.pk].next_meeting == meeting
    answers = tables[table.pk].answers
    assert (answers.yes, answers.no, answers.maybe, answers.none) == (2, 1, 1, 2)
    assert tables[public_table.pk].next_meeting is None
    content = page.content.decode()
    assert "Waiting for you" in content and "Nothing is waiting for you" in content
    assert "My tables" in content
    # A coordinator with no organisation is not told to register one.
    assert "You do not belong to an organisation yet" not in content


def test_someone_with_no_organisation_and_no_role_is_guided_to_register_or_join(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert "You do not belong to an organisation yet" in content
    assert reverse("organisations:register") in content and reverse("organisations:join") in content
    assert "Waiting for you" not in content and "My tables" not in content


def test_the_representatives_workspace_shows_what_waits_for_her(client, organisation, representative):
    MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    client.force_login(representative)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert "Requests to join an organisation" in content
    assert organisation.name in content
    assert "My tables" not in content


def test_the_navigation_counts_what_waits_in_words(client, coordinator, area):
    OrganisationFactory(welfare_area=area, eligibility=Eligibility.PENDING)
    OrganisationFactory(welfare_area=area, eligibility=Eligibility.PENDING)
    client.force_login(coordinator)
    content = client.get(reverse("tables:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="badge rounded-pill text-bg-warning" aria-hidden="true">2</span>' in content
    assert '<span class="visually-hidden">(2 things waiting for you)</span>' in content


def test_the_navigation_shows_no_count_when_nothing_waits(client, member):
    client.force_login(member)
    content = client.get(reverse("tables:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "waiting for you" not in content


# --- The review queue lists the requests for standing membership --------------------------------


def test_the_review_queue_lists_standing_member_requests_of_her_tables_only(
    client, coordinator, other_coordinator, table, area, representative
):
    organisation = OrganisationFactory(welfare_area=area, name="Seinäjoen Seniorit ry")
    request = StandingMemberFactory(
        table=table, organisation=organisation, status=StandingMemberStatus.REQUESTED, requested_by=representative
    )
    client.force_login(other_coordinator)
    assert organisation.name not in client.get(reverse("organisations:review_queue")).content.decode()

    client.force_login(coordinator)
    queue = reverse("organisations:review_queue")
    page = client.get(queue, HTTP_ACCEPT_LANGUAGE="en")
    assert [member for member, _ in page.context["standing_member_requests"]] == [request]
    assert "Seinäjoen Seniorit ry asks to be a standing member of" in page.content.decode()
    response = client.post(
        reverse("tables:standing_member_decide", args=[request.pk]), {"decision": "approve", "next": queue}
    )
    assert response.status_code == 302 and response.url == queue
    request.refresh_from_db()
    assert request.status == StandingMemberStatus.ACTIVE
    assert "No requests for standing membership are waiting." in client.get(
        queue, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()


def test_deciding_on_the_tables_page_still_returns_there(client, coordinator, table, area):
    request = StandingMemberFactory(
        table=table, organisation=OrganisationFactory(welfare_area=area), status=StandingMemberStatus.REQUESTED
    )
    client.force_login(coordinator)
    response = client.post(reverse("tables:standing_member_decide", args=[request.pk]), {"decision": "approve"})
    assert response.url == reverse("tables:standing_members", args=[table.pk])


# --- Query bounds at two sizes ------------------------------------------------------------------

SIZES = [3, 30]


def _a_county_of_work(area, table, public_table, member, representative, size, coordinator=None):
    """``size`` of every kind of thing that waits, on two tables, and ``size`` meetings for the member."""
    for index in range(size):
        OrganisationFactory(welfare_area=area, eligibility=Eligibility.PENDING)
        MembershipFactory(organisation=OrganisationFactory(welfare_area=area), status=MembershipStatus.PENDING)
        StandingMemberFactory(
            table=table, organisation=OrganisationFactory(welfare_area=area), status=StandingMemberStatus.REQUESTED
        )
        coming = MeetingFactory(table=table if index % 2 else public_table, starts_at=in_days(index + 3))
        AgendaItemFactory(meeting=coming, status=AgendaItemStatus.PROPOSED)
        invite(coming, member, response=RsvpResponse.MAYBE if index % 2 else None)
        InvitationFactory(meeting=coming, delivery_status=OutboxStatus.FAILED)
        InvitationRequest.objects.create(meeting=coming, user=UserFactory())
        MeetingFactory(table=table, status=MeetingStatus.DRAFT, starts_at=in_days(index + 40))
        past = held_meeting(table if index % 2 else public_table, days_ago=index + 1)
        if index % 2:
            MinutesFactory(meeting=past)
        ActionItemFactory(meeting=past, owner_user=member, due_on=TODAY() - datetime.timedelta(days=2))
        ActionItemFactory(meeting=past, owner_user=None, owner_organisation=None)
        evaluation_table = PartnershipTableFactory(sector=table.sector)
        AnnualEvaluationFactory(
            table=evaluation_table, status=EvaluationStatus.SCHEDULED, opens_on=TODAY() - datetime.timedelta(days=1)
        )
        AnnualEvaluationFactory(
            table=PartnershipTableFactory(sector=table.sector),
            opens_on=TODAY() - datetime.timedelta(days=40),
            due_on=TODAY() - datetime.timedelta(days=1),
        )
        if coordinator is not None:
            # Nominations to roles of other counties' tables, hers to answer.
            RoleAssignmentFactory(user=coordinator, accepted_at=None)
    # The member represents an organisation of her own too, which people ask to join.
    represented = OrganisationFactory(welfare_area=area)
    MembershipFactory(organisation=represented, user=member, role=MembershipRole.REPRESENTATIVE)
    for _ in range(size):
        MembershipFactory(organisation=represented, status=MembershipStatus.PENDING)


@pytest.mark.parametrize("size", SIZES)
def test_the_coordinators_workspace_asks_the_same_number_of_queries_at_any_size(
    client, area, table, public_table, coordinator, member, representative, django_assert_max_num_queries, size
):
    _a_county_of_work(area, table, public_table, member, representative, size, coordinator)
    client.force_login(coordinator)
    # Session, user; coordinated areas; her tables with their next meetings, those meetings, their
    # answers; memberships (the page's and the rules'); the counts (one query, the navigation's too);
    # one query per kind of thing waiting except the review queue's (eleven, and the standing-member
    # requests by table for a coordinator who has no review queue); the member sections (upcoming,
    # past, action items).
    with django_assert_max_num_queries(24):
        page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    kinds = {kind.key: kind for kind in page.context["waiting"]}
    assert set(kinds) == {kind.key for kind in KINDS}
    assert kinds["organisations_to_review"].count == size


@pytest.mark.parametrize("size", SIZES)
def test_the_members_workspace_asks_the_same_number_of_queries_at_any_size(
    client, area, table, public_table, coordinator, member, representative, django_assert_max_num_queries, size
):
    _a_county_of_work(area, table, public_table, member, representative, size)
    client.force_login(member)
    # Session, user; coordinated areas; tables (none); memberships (the page's and the rules'); the
    # counts (the navigation's too); the requests to join her organisation link to the review queue
    # (no query); agenda proposals of a meeting she chairs (none here); the member sections (upcoming,
    # past, action items).
    with django_assert_max_num_queries(11):
        page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert len(page.context["upcoming_invitations"]) == size
    assert [kind.key for kind in page.context["waiting"]] == ["membership_requests"]
