"""The notifications of issue 13 through a real Celery worker on the real Redis broker and a real
SMTP server (aiosmtpd): the decision on a proposed topic, published minutes and an action item due
soon each reach their person once, in the person's language; the daily due-soon run repeated sends
nothing more. Committed rows (transactional_db), so the worker's own connection sees them."""

import datetime
import email
import email.policy
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections
from django.utils import timezone

from kumppanuus.celery import app
from meetings.models import OutboxStatus
from meetings.services import agenda_item_decide, agenda_item_propose
from meetings.services.notifications import (
    ACTION_ITEM_DUE_SOON,
    AGENDA_PROPOSAL,
    MINUTES_PUBLISHED,
    PROPOSAL_DECISION,
)
from meetings.services.records import minutes_publish
from meetings.tasks import queue_action_item_due_soon_task
from meetings.tests.factories import ActionItemFactory, MeetingFactory, MinutesFactory, held_meeting
from organisations.models import MembershipRole
from organisations.tests.factories import (
    AreaCoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    WelfareAreaFactory,
)
from outbox.models import Notification
from tables.tests.factories import PartnershipTableFactory, StandingMemberFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@app.task(name="meetings.tests.close_worker_db_connections_kinds")
def close_worker_db_connections():
    connections.close_all()


@pytest.fixture
def worker(smtp_server):
    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
        yield worker
        close_worker_db_connections.delay().get(timeout=30)
    app.conf.task_always_eager = True


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.1)


def _sent(kind: str) -> int:
    return Notification.objects.filter(kind=kind, delivery_status=OutboxStatus.SENT).count()


def _messages(smtp_server) -> list:
    return [
        email.message_from_bytes(envelope.content, policy=email.policy.default) for envelope in smtp_server.envelopes
    ]


def test_decision_minutes_and_due_soon_reach_their_people_once_in_their_language(worker, smtp_server):
    area = WelfareAreaFactory(code="PO", name="Pohjanmaan hyvinvointialue")
    coordinator = AreaCoordinatorFactory(welfare_area=area, user__email="koordinaattori@example.org").user
    organisation = OrganisationFactory(welfare_area=area)
    representative = MembershipFactory(
        organisation=organisation, role=MembershipRole.REPRESENTATIVE,
        user__email="edustaja@example.org", user__language="sv",
    ).user
    table = PartnershipTableFactory(sector__welfare_area=area)
    StandingMemberFactory(table=table, organisation=organisation, representative=representative)
    meeting = MeetingFactory(table=table, title="Syyskokous")

    # The representative proposes a topic; the coordinator accepts it; the proposer is told.
    item = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuen tilat")
    # The coordinator's notice first: one about a proposal already decided is no longer sent.
    _wait_for(lambda: _sent(AGENDA_PROPOSAL) == 1)
    agenda_item_decide(actor=coordinator, item=item, accept=True)
    _wait_for(lambda: _sent(PROPOSAL_DECISION) == 1)

    # The minutes of an earlier meeting are published; the table's representative is told.
    past = held_meeting(table, title="Kevään kokous")
    MinutesFactory(meeting=past)
    ActionItemFactory(
        meeting=past, owner_user=representative, what="Varaa tila",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    minutes_publish(actor=coordinator, meeting=past)
    _wait_for(lambda: _sent(MINUTES_PUBLISHED) == 1)

    # The daily run, twice (a retry, or beat firing again): one message.
    assert queue_action_item_due_soon_task.delay().get(timeout=30) == 1
    assert queue_action_item_due_soon_task.delay().get(timeout=30) == 0
    _wait_for(lambda: _sent(ACTION_ITEM_DUE_SOON) == 1)
    time.sleep(0.5)

    subjects = sorted(str(message["Subject"]) for message in _messages(smtp_server))
    by_recipient = {tuple(envelope.rcpt_tos) for envelope in smtp_server.envelopes}
    assert by_recipient == {("edustaja@example.org",), ("koordinaattori@example.org",)}
    to_representative = sorted(
        str(message["Subject"]) for message in _messages(smtp_server) if message["To"] == "edustaja@example.org"
    )
    assert any("Ditt ämne godkändes: Vertaistuen tilat" in subject for subject in to_representative), subjects
    assert any("Promemoria publicerad: Kevään kokous" in subject for subject in to_representative), subjects
    assert sum("Överenskommen åtgärd med sista dag" in subject for subject in to_representative) == 1, subjects
    # The coordinator heard of the proposal (and of nothing they did themselves).
    to_coordinator = [str(m["Subject"]) for m in _messages(smtp_server) if m["To"] == "koordinaattori@example.org"]
    assert len(to_coordinator) == 1 and "Vertaistuen tilat" in to_coordinator[0]
    minutes_message = next(m for m in _messages(smtp_server) if "Promemoria" in str(m["Subject"]))
    assert f"http://testserver/meetings/{past.pk}/minutes/" in minutes_message.get_body(("plain",)).get_content()
