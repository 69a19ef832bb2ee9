"""The notification tasks take ids, load what they need and send one message per recipient."""

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from organisations.models import Eligibility, MembershipRole, MembershipStatus
from organisations.tasks import (
    send_eligibility_decision_email_task,
    send_membership_decision_email_task,
    send_membership_request_email_task,
)
from organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_eligibility_mail_goes_to_each_active_representative_in_their_language(area):
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

    assert send_eligibility_decision_email_task(organisation.pk) == 2

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"fi@example.org", "sv@example.org"}
    assert '<html lang="sv">' in by_recipient["sv@example.org"].alternatives[0][0]
    assert '<html lang="fi">' in by_recipient["fi@example.org"].alternatives[0][0]
    for message in mail.outbox:
        assert "http://testserver/me/profile/" in message.body


@pytest.mark.parametrize(
    "task",
    [send_eligibility_decision_email_task, send_membership_request_email_task, send_membership_decision_email_task],
)
def test_a_deleted_object_sends_nothing(task):
    assert task(987654321) == 0
    assert mail.outbox == []


def test_membership_decision_mail_goes_to_the_requester_only(organisation, representative):
    requester = UserFactory(email="joiner@example.org", language="en")
    membership = MembershipFactory(
        organisation=organisation,
        user=requester,
        status=MembershipStatus.REJECTED,
        decision_reason="Tuntematon",
    )
    assert send_membership_decision_email_task(membership.pk) == 1
    [message] = mail.outbox
    assert message.to == ["joiner@example.org"]
    # The recipient chose English, so the message is in English.
    assert "was not approved" in message.subject
    assert "Tuntematon" in message.body
    assert "http://testserver/me/" in message.body


def test_plain_text_parts_are_not_html_escaped(area):
    organisation = OrganisationFactory(
        name='Äidit & Isät "Yhdessä" ry',
        welfare_area=area,
        eligibility=Eligibility.REJECTED,
        eligibility_reason="Ei <sote> & ei hyvinvointia",
    )
    MembershipFactory(organisation=organisation, role=MembershipRole.REPRESENTATIVE)
    send_eligibility_decision_email_task(organisation.pk)
    [message] = mail.outbox
    assert 'Äidit & Isät "Yhdessä" ry' in message.subject
    assert 'Äidit & Isät "Yhdessä" ry' in message.body
    assert "Ei <sote> & ei hyvinvointia" in message.body
    # The HTML part escapes, as it must.
    assert "Ei &lt;sote&gt; &amp; ei hyvinvointia" in message.alternatives[0][0]


def test_membership_mails_keep_names_and_messages_as_written(organisation, representative):
    requester = UserFactory(full_name="Anna & Bertil O'Neill")
    membership = MembershipFactory(
        organisation=organisation, user=requester, status=MembershipStatus.PENDING, message="Hej & <hallå>"
    )
    send_membership_request_email_task(membership.pk)
    [request_mail] = mail.outbox
    assert "Anna & Bertil O'Neill" in request_mail.subject
    assert "Hej & <hallå>" in request_mail.body
    mail.outbox.clear()
    membership.status = MembershipStatus.REJECTED
    membership.decision_reason = "Ei & <ei>"
    membership.save()
    send_membership_decision_email_task(membership.pk)
    [decision_mail] = mail.outbox
    assert "Ei & <ei>" in decision_mail.body
