"""load_demo: idempotent, its people can sign in, and the coordinator has work waiting."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from devdata.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS
from organisations.models import (
    AreaCoordinator,
    Eligibility,
    Membership,
    MembershipRole,
    Municipality,
    Organisation,
    WelfareArea,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (WelfareArea, Municipality, Organisation, Membership, User, EmailAddress, AreaCoordinator)
    }


def test_load_demo_is_idempotent_and_its_people_can_sign_in(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first

    organisations = Organisation.objects.filter(welfare_area__code="PO")
    # The thirty of the demo's list, and one that registered itself through the service and waits.
    assert organisations.count() == 31
    assert organisations.filter(eligibility=Eligibility.PENDING).count() >= 2
    rejected = organisations.get(eligibility=Eligibility.REJECTED)
    assert rejected.eligibility_reason
    assert rejected.eligibility_decided_by is not None
    # Every organisation operates somewhere real, and the approved ones are listed in the directory.
    assert not organisations.filter(municipalities__isnull=True).exists()
    assert (
        client.get(reverse("organisations:directory")).context["page"].paginator.count
        == organisations.filter(eligibility=Eligibility.APPROVED).count()
    )

    emails = {role: email for role, email, _name, _language in DEMO_USERS}
    coordinator = User.objects.get(email=emails["coordinator"])
    assert AreaCoordinator.objects.filter(user=coordinator, welfare_area__code="PO").exists()
    representative = User.objects.get(email=emails["representative"])
    assert representative.language == "sv"
    assert Membership.objects.get(user=representative).role == MembershipRole.REPRESENTATIVE
    assert User.objects.get(email=emails["admin"]).is_superuser

    for email in emails.values():
        assert EmailAddress.objects.get(email=email).verified
        assert email in out.getvalue()
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response.url == reverse("dashboard")
        client.post(reverse("account_logout"))
    assert DEMO_PASSWORD in out.getvalue()


def test_demo_coordinator_reviews_the_pending_organisations(client):
    call_command("load_demo", stdout=io.StringIO())
    coordinator = User.objects.get(email={r: e for r, e, _n, _l in DEMO_USERS}["coordinator"])
    client.force_login(coordinator)
    queue = client.get(reverse("organisations:review_queue")).context["organisations"]
    assert {o.name for o, _form in queue} == set(
        Organisation.objects.filter(eligibility=Eligibility.PENDING).values_list("name", flat=True)
    )


def test_the_demo_is_a_county_in_full_use(client):
    """Each demo table has a history and a next meeting (issue 13): held meetings with attendance,
    published minutes, decisions and action items in every state; an upcoming meeting with invitations
    sent through the outbox, answers, a waiting list and a proposal to decide; two years of evaluations."""
    from django.utils import timezone

    from meetings.models import (
        ActionItem,
        ActionItemStatus,
        AgendaItem,
        AgendaItemStatus,
        Attendance,
        Invitation,
        Meeting,
        MeetingStatus,
        Minutes,
        Rsvp,
    )
    from outbox.models import OutboxStatus
    from tables.models import AnnualEvaluation, EvaluationResponse, EvaluationStatus, PartnershipTable

    call_command("load_demo", stdout=io.StringIO())
    counts = (Meeting.objects.count(), Invitation.objects.count(), Attendance.objects.count(),
              ActionItem.objects.count(), EvaluationResponse.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Meeting.objects.count(), Invitation.objects.count(), Attendance.objects.count(),
            ActionItem.objects.count(), EvaluationResponse.objects.count()) == counts

    today = timezone.localdate()
    for table in PartnershipTable.objects.filter(welfare_area__code="PO"):
        held = Meeting.objects.filter(table=table, status=MeetingStatus.HELD)
        assert held.count() >= 3
        assert Minutes.objects.filter(meeting__in=held, published_at__isnull=False).count() == held.count()
        assert Attendance.objects.filter(meeting__in=held, attended=True).exists()
        assert Attendance.objects.filter(meeting__in=held, attended=False).exists()
        items = ActionItem.objects.filter(meeting__table=table)
        assert items.filter(status=ActionItemStatus.DONE).exists()
        assert items.filter(status=ActionItemStatus.OPEN, due_on__lt=today).exists()  # overdue
        assert items.filter(status=ActionItemStatus.OPEN, due_on__gte=today).exists()
        upcoming = Meeting.objects.get(table=table, status=MeetingStatus.SCHEDULED)
        assert upcoming.starts_at > timezone.now()
        assert upcoming.invitations.exists()
        # Queued through the outbox (sent when load_demo's transaction commits; here the test's never does).
        assert not upcoming.invitations.exclude(delivery_status__in=[OutboxStatus.QUEUED, OutboxStatus.SENT]).exists()
        years = set(AnnualEvaluation.objects.filter(table=table).values_list("year", "status"))
        assert {(today.year - 1, EvaluationStatus.CLOSED), (today.year, EvaluationStatus.OPEN)} <= years
    assert Rsvp.objects.filter(waitlisted=True).exists()
    assert Rsvp.objects.filter(waitlisted=False).exists()
    assert AgendaItem.objects.filter(status=AgendaItemStatus.PROPOSED).exists()
    assert EvaluationResponse.objects.filter(evaluation__status=EvaluationStatus.CLOSED).count() >= 2


def test_the_demo_has_work_waiting_and_every_kind_of_record(client):
    """What waits for the coordinator and the representative, made through the services (issue 13): a
    registration, a request to join, a request for an invitation, agenda proposals, a role nomination by
    address; follow-ups of action items, a message in each table's archive, last year's results
    published and this year's answers. A second run adds none of them again."""
    from meetings.models import (
        ActionItem,
        ActionItemFollowUp,
        AgendaItem,
        AgendaItemStatus,
        FollowUpOutcome,
        Invitation,
        InvitationRequest,
        InvitationRequestStatus,
    )
    from meetings.selectors.workspace import waiting_counts
    from outbox.models import Notification
    from tables.models import (
        AnnualEvaluation,
        EvaluationResponse,
        EvaluationStatus,
        PartnershipTable,
        RoleAssignment,
        StandingMember,
        StandingMemberStatus,
        TableMessage,
    )

    models = (Organisation, Membership, User, EmailAddress, InvitationRequest, AgendaItem, ActionItem,
              ActionItemFollowUp, TableMessage, RoleAssignment, StandingMember, EvaluationResponse, Invitation,
              Notification)
    call_command("load_demo", stdout=io.StringIO())
    first = {model.__name__: model.objects.count() for model in models}
    call_command("load_demo", stdout=io.StringIO())
    assert {model.__name__: model.objects.count() for model in models} == first

    emails = {role: email for role, email, _name, _language in DEMO_USERS}
    coordinator = User.objects.get(email=emails["coordinator"])
    representative = User.objects.get(email=emails["representative"])
    member = User.objects.get(email=emails["member"])
    assert Organisation.objects.filter(eligibility=Eligibility.PENDING, memberships__role=MembershipRole.REPRESENTATIVE
                                       ).exists()  # registered by its representative
    assert Membership.objects.filter(status="pending").exists()
    assert InvitationRequest.objects.filter(status=InvitationRequestStatus.REQUESTED).exists()
    assert AgendaItem.objects.filter(status=AgendaItemStatus.PROPOSED).count() >= 2
    assert StandingMember.objects.filter(status=StandingMemberStatus.REQUESTED).count() >= 2
    assert RoleAssignment.objects.filter(user=None, accepted_at=None).exclude(email="").exists()
    assert set(ActionItemFollowUp.objects.values_list("outcome", flat=True)) == {
        FollowUpOutcome.DONE, FollowUpOutcome.CARRIED,
    }
    for table in PartnershipTable.objects.filter(welfare_area__code="PO"):
        assert TableMessage.objects.filter(table=table).exists()
        evaluations = AnnualEvaluation.objects.filter(table=table)
        assert evaluations.filter(status=EvaluationStatus.CLOSED, results_published_at__isnull=False).exists()
        assert EvaluationResponse.objects.filter(evaluation__in=evaluations.filter(status=EvaluationStatus.OPEN)
                                                 ).exists()
    # The people of the demo have their own things: open action items and meetings they were at.
    for person in (representative, member):
        assert ActionItem.objects.filter(owner_user=person, status="open").exists()
    for person in (coordinator, member):
        assert Invitation.objects.filter(user=person, meeting__status="held").exists()
    counts = waiting_counts(coordinator)
    for kind in ("organisations_to_review", "standing_member_requests", "agenda_proposals", "invitation_requests",
                 "overdue_action_items"):
        assert counts[kind] >= 1, kind
    assert waiting_counts(representative)["membership_requests"] >= 1
