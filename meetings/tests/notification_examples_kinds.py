"""The examples of the notification kinds issue 13 added to meetings (see outbox/tests/notification_examples.py)."""

import datetime

from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import AgendaItemStatus
from meetings.services.notifications import (
    ACTION_ITEM_ASSIGNED,
    ACTION_ITEM_DUE_SOON,
    ACTION_ITEM_REASSIGNED,
    AGENDA_PROPOSAL,
    MINUTES_PUBLISHED,
    PROPOSAL_DECISION,
)
from meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    PublishedMinutesFactory,
    held_meeting,
)
from outbox.tests.notification_examples import example
from tables.tests.factories import PartnershipTableFactory


@example(AGENDA_PROPOSAL)
def agenda_proposal():
    proposer = UserFactory(full_name="Paula Proposer")
    item = AgendaItemFactory(
        meeting=MeetingFactory(), title="Vertaistuen tilat", status=AgendaItemStatus.PROPOSED, proposed_by=proposer,
    )
    return item.pk, [UserFactory(language="sv")]


@example(PROPOSAL_DECISION)
def proposal_decision():
    proposer = UserFactory(language="sv")
    item = AgendaItemFactory(
        meeting=MeetingFactory(), title="Rahoitushaku", status=AgendaItemStatus.DECLINED, proposed_by=proposer,
        decline_reason="Käsitellään syksyllä.", decided_at=timezone.now(),
    )
    return item.pk, [proposer]


@example(MINUTES_PUBLISHED)
def minutes_published():
    meeting = held_meeting(PartnershipTableFactory(), title="Kevään kokous")
    DecisionFactory(minutes=PublishedMinutesFactory(meeting=meeting))
    return meeting.pk, [UserFactory(language="sv")]


def _open_item(**kwargs):
    meeting = held_meeting(PartnershipTableFactory())
    PublishedMinutesFactory(meeting=meeting)
    return ActionItemFactory(meeting=meeting, what="Kokoa vapaaehtoisten yhteystiedot", **kwargs)


@example(ACTION_ITEM_ASSIGNED)
def action_item_assigned():
    owner = UserFactory(language="sv")
    return _open_item(owner_user=owner).pk, [owner]


@example(ACTION_ITEM_REASSIGNED)
def action_item_reassigned():
    owner = UserFactory()
    return _open_item(owner_user=owner).pk, [owner]


@example(ACTION_ITEM_DUE_SOON)
def action_item_due_soon():
    owner = UserFactory(language="sv")
    item = _open_item(owner_user=owner, due_on=timezone.localdate() + datetime.timedelta(days=2))
    return item.pk, [owner]
