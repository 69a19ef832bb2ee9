"""Examples of the organisations' notification kinds (outbox/tests/notification_examples.py)."""

from accounts.tests.factories import UserFactory
from organisations.models import MembershipStatus
from organisations.services import ELIGIBILITY_DECISION, MEMBERSHIP_DECISION, MEMBERSHIP_REQUEST
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from outbox.tests.notification_examples import example


def _people():
    return [UserFactory(), UserFactory()]


@example(ELIGIBILITY_DECISION)
def eligibility_decision():
    return OrganisationFactory().pk, _people()


@example(MEMBERSHIP_REQUEST)
def membership_request():
    return MembershipFactory(status=MembershipStatus.PENDING).pk, _people()


@example(MEMBERSHIP_DECISION)
def membership_decision():
    return MembershipFactory().pk, _people()
