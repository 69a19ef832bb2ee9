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
    assert organisations.count() == 30
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
