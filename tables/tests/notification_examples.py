"""Examples of the tables' notification kinds (outbox/tests/notification_examples.py)."""

from accounts.tests.factories import UserFactory
from outbox.tests.notification_examples import example
from tables.models import StandingMemberStatus
from tables.services import TABLE_MESSAGE
from tables.services.roles import ROLE_NOMINATION
from tables.services.standing_members import STANDING_MEMBER_DECISION, STANDING_MEMBER_REQUEST
from tables.tests.factories import RoleAssignmentFactory, StandingMemberFactory, TableMessageFactory


def _people():
    return [UserFactory(), UserFactory()]


@example(STANDING_MEMBER_REQUEST)
def standing_member_request():
    return StandingMemberFactory(status=StandingMemberStatus.REQUESTED, decided_at=None).pk, _people()


@example(STANDING_MEMBER_DECISION)
def standing_member_decision():
    return StandingMemberFactory().pk, _people()


@example(ROLE_NOMINATION)
def role_nomination():
    return RoleAssignmentFactory(accepted_at=None).pk, _people()


@example(TABLE_MESSAGE)
def table_message():
    return TableMessageFactory().pk, _people()
