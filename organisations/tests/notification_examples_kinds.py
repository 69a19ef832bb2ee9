"""The examples of the notification kinds issue 13 added to organisations
(see outbox/tests/notification_examples.py)."""

from accounts.tests.factories import UserFactory
from organisations.models import Eligibility
from organisations.services import REGISTRATION
from organisations.tests.factories import OrganisationFactory
from outbox.tests.notification_examples import example


@example(REGISTRATION)
def registration():
    organisation = OrganisationFactory(eligibility=Eligibility.PENDING, name="Uusi Yhdistys ry")
    coordinator = UserFactory(email="registration-coordinator@example.org", language="sv")
    return organisation.pk, [coordinator]
