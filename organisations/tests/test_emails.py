"""The notifications of organisations: one outbox row per recipient, rendered from the row it is
about when it is sent, in the recipient's language."""

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from organisations.models import Eligibility, MembershipRole, MembershipStatus
from organisations.selectors import membership_request_reviewers, organisation_representatives
from organisations.services import ELIGIBILITY_DECISION, MEMBERSHIP_DECISION, MEMBERSHIP_REQUEST
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from outbox.models import Notification, OutboxStatus
from outbox.services import notification_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Queues a notification as the services do and runs the on-commit send; returns how many were sent."""

    def notify(kind, object_id, recipients):
        with django_capture_on_commit_callbacks(execute=True):
            rows = notification_queue(kind=kind, object_id=object_id, recipients=recipients)
        return Notification.objects.filter(
            pk__in=[row.pk for row in rows], delivery_status=OutboxStatus.SENT
        ).count()

    return notify


def send_eligibility_decision(notify, organisation_id, organisation=None):
    recipients = organisation_representatives(organisation) if organisation is not None else [UserFactory()]
    return notify(ELIGIBILITY_DECISION, organisation_id, recipients)


def send_membership_request(notify, membership):
    return notify(MEMBERSHIP_REQUEST, membership.pk, membership_request_reviewers(membership))


def send_membership_decision(notify, membership):
    return notify(MEMBERSHIP_DECISION, membership.pk, [membership.user])


def test_eligibility_mail_goes_to_each_active_representative_in_their_language(area, notify):
    organisation = OrganisationFactory(welfare_area=area, eligibility=Eligibility.APPROVED)
    for email, language in [("fi@example.org", "fi"), ("sv@example.org", "sv")]:
        MembershipFactory(
            organisation=organisation,
            role=MembershipRole.REPRESENTATIVE,
            user=UserFactory(email=email, language=language),
        )
    MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER, user=UserFactory(email="m@example.org"))
    MembershipFactory(
        organisation=organisation,
        role=MembershipRole.REPRESENTATIVE,
        user=UserFactory(email="gone@example.org", is_active=False),
    )
    MembershipFactory(
        organisation=organisation,
        role=MembershipRole.REPRESENTATIVE,
        status=MembershipStatus.PENDING,
        user=UserFactory(email="pending@example.org"),
    )

    assert send_eligibility_decision(notify, organisation.pk, organisation) == 2

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"fi@example.org", "sv@example.org"}
    assert '<html lang="sv">' in by_recipient["sv@example.org"].alternatives[0][0]
    assert '<html lang="fi">' in by_recipient["fi@example.org"].alternatives[0][0]
    for message in mail.outbox:
        assert "http://testserver/me/profile/" in message.body


@pytest.mark.parametrize("kind", [ELIGIBILITY_DECISION, MEMBERSHIP_REQUEST, MEMBERSHIP_DECISION])
def test_a_deleted_object_sends_nothing(kind, notify):
    assert notify(kind, 987654321, [UserFactory()]) == 0
    assert mail.outbox == []
    assert Notification.objects.get().delivery_status == OutboxStatus.SKIPPED


def test_membership_decision_mail_goes_to_the_requester_only(organisation, representative, notify):
    requester = UserFactory(email="joiner@example.org", language="en")
    membership = MembershipFactory(
        organisation=organisation,
        user=requester,
        status=MembershipStatus.REJECTED,
        decision_reason="Tuntematon",
    )
    assert send_membership_decision(notify, membership) == 1
    [message] = mail.outbox
    assert message.to == ["joiner@example.org"]
    # The recipient chose English, so the message is in English.
    assert "was not approved" in message.subject
    assert "Tuntematon" in message.body
    assert "http://testserver/me/" in message.body


def test_plain_text_parts_are_not_html_escaped(area, notify):
    organisation = OrganisationFactory(
        name='Äidit & Isät "Yhdessä" ry',
        welfare_area=area,
        eligibility=Eligibility.REJECTED,
        eligibility_reason="Ei <sote> & ei hyvinvointia",
    )
    MembershipFactory(organisation=organisation, role=MembershipRole.REPRESENTATIVE)
    send_eligibility_decision(notify, organisation.pk, organisation)
    [message] = mail.outbox
    assert 'Äidit & Isät "Yhdessä" ry' in message.subject
    assert 'Äidit & Isät "Yhdessä" ry' in message.body
    assert "Ei <sote> & ei hyvinvointia" in message.body
    # The HTML part escapes, as it must.
    assert "Ei &lt;sote&gt; &amp; ei hyvinvointia" in message.alternatives[0][0]


def test_membership_mails_keep_names_and_messages_as_written(organisation, representative, notify):
    requester = UserFactory(full_name="Anna & Bertil O'Neill")
    membership = MembershipFactory(
        organisation=organisation, user=requester, status=MembershipStatus.PENDING, message="Hej & <hallå>"
    )
    send_membership_request(notify, membership)
    [request_mail] = mail.outbox
    assert "Anna & Bertil O'Neill" in request_mail.subject
    assert "Hej & <hallå>" in request_mail.body
    mail.outbox.clear()
    membership.status = MembershipStatus.REJECTED
    membership.decision_reason = "Ei & <ei>"
    membership.save()
    send_membership_decision(notify, membership)
    [decision_mail] = mail.outbox
    assert "Ei & <ei>" in decision_mail.body
