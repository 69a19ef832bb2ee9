"""Members of a standing organisation ask for an invitation; a coordinator decides (issue 12)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings.models import Invitation, InvitationRequest, InvitationRequestStatus, MeetingStatus
from meetings.services import invitation_request_create, invitation_request_decide
from meetings.tests.factories import MeetingFactory
from organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(standing):
    """An approved member of the standing organisation, not its representative: not invited."""
    return MembershipFactory(organisation=standing.organisation, user__email="asker@example.org",
                             user__language="sv").user


def test_a_member_asks_and_the_coordinators_are_told(meeting, asker, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = invitation_request_create(actor=asker, meeting=meeting)
    assert request.status == InvitationRequestStatus.REQUESTED
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert reverse("meetings:detail", args=[meeting.pk]) in mail.outbox[0].body
    with pytest.raises(ValidationError):
        invitation_request_create(actor=asker, meeting=meeting)


def test_approving_invites_the_person_once(meeting, asker, coordinator, django_capture_on_commit_callbacks):
    request = invitation_request_create(actor=asker, meeting=meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_request_decide(actor=coordinator, request=request, approve=True)
    invitation = Invitation.objects.get(meeting=meeting, user=asker)
    assert invitation.organisation_id is not None
    assert [message.to for message in mail.outbox] == [["asker@example.org"]]
    with pytest.raises(ValidationError):
        invitation_request_decide(actor=coordinator, request=request, approve=True)
    # Once invited, there is nothing to ask for.
    assert not asker.has_perm("meetings.request_invitation", meeting)


def test_declining_tells_the_person_in_their_language(meeting, asker, coordinator,
                                                       django_capture_on_commit_callbacks):
    request = invitation_request_create(actor=asker, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_request_decide(actor=coordinator, request=request, approve=False)
    (message,) = mail.outbox
    assert message.to == ["asker@example.org"] and "inbjudan" in message.subject.lower()
    assert not Invitation.objects.filter(meeting=meeting, user=asker).exists()
    # Asking again asks anew.
    again = invitation_request_create(actor=asker, meeting=meeting)
    assert again.pk == request.pk and again.status == InvitationRequestStatus.REQUESTED


def test_who_may_ask_and_who_decides(meeting, asker, member, representative, coordinator, outsider):
    # The representative is invited already; someone of no standing organisation may not ask.
    for person in (outsider,):
        with pytest.raises(PermissionDenied):
            invitation_request_create(actor=person, meeting=meeting)
    request = invitation_request_create(actor=asker, meeting=meeting)
    for person in (asker, representative, outsider):
        with pytest.raises(PermissionDenied):
            invitation_request_decide(actor=person, request=request, approve=True)
    assert InvitationRequest.objects.get(pk=request.pk).status == InvitationRequestStatus.REQUESTED


def test_only_a_scheduled_meeting_takes_requests(table, asker, coordinator):
    draft = MeetingFactory(table=table, status=MeetingStatus.DRAFT, created_by=coordinator)
    with pytest.raises(PermissionDenied):
        invitation_request_create(actor=asker, meeting=draft)


def test_the_meeting_page_offers_it_and_the_coordinator_decides_there(client, meeting, asker, coordinator):
    client.force_login(asker)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert reverse("meetings:invitation_request", args=[meeting.pk]) in page.content.decode()
    assert client.post(reverse("meetings:invitation_request", args=[meeting.pk])).status_code == 302
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert reverse("meetings:invitation_request", args=[meeting.pk]) not in page.content.decode()

    request = InvitationRequest.objects.get(user=asker)
    client.force_login(coordinator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "asker@example.org" in page.content.decode()
    response = client.post(reverse("meetings:invitation_request_decide", args=[request.pk]), {"approve": "1"})
    assert response.status_code == 302
    assert Invitation.objects.filter(meeting=meeting, user=asker).exists()
