"""The notifications of issue 13 that meetings send: who is told of a proposed topic, of the
decision on it, of published minutes and of action items given, moved or due soon. One row per
person, never to the person who acted, never to a closed account, never twice; each message in the
recipient's language with a link to where the thing is."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import ActionItem, ActionItemStatus, MeetingStatus, Minutes
from meetings.services import agenda_item_decide, agenda_item_propose
from meetings.services.actions import action_item_reassign
from meetings.services.notifications import (
    ACTION_ITEM_ASSIGNED,
    ACTION_ITEM_DUE_SOON,
    ACTION_ITEM_REASSIGNED,
    AGENDA_PROPOSAL,
    MINUTES_PUBLISHED,
    PROPOSAL_DECISION,
)
from meetings.services.records import ActionItemEntry, DecisionEntry, minutes_publish, minutes_save
from meetings.services.reminders import action_item_due_soon_queue
from meetings.tests.factories import ActionItemFactory, MinutesFactory, PublishedMinutesFactory, held_meeting, invite
from organisations.tests.factories import AreaCoordinatorFactory
from outbox.models import Notification
from outbox.registry import notification_kind

pytestmark = pytest.mark.django_db


def _told(kind, object_id=None) -> list[str]:
    rows = Notification.objects.filter(kind=kind)
    if object_id is not None:
        rows = rows.filter(object_id=object_id)
    return sorted(rows.values_list("email", flat=True))


def _build(kind, person, object_id):
    row = Notification.objects.get(kind=kind, email=person.email, object_id=object_id)
    return notification_kind(kind).build(row, {})


def _in_language(person, language):
    person.language = language
    person.save(update_fields=["language"])


# --- Proposed topics and the decisions on them ---------------------------------------------


def test_a_proposal_tells_the_coordinators_and_the_chair_once_each_but_not_the_proposer(
    meeting, representative, coordinator, area
):
    chair = UserFactory(email="chair@example.org")
    meeting.chair_person = chair
    meeting.save()
    AreaCoordinatorFactory(welfare_area=area, user__email="closed@example.org", user__is_active=False)

    item = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")

    assert _told(AGENDA_PROPOSAL, item.pk) == ["chair@example.org", coordinator.email]


def test_the_chair_proposing_is_not_told_of_their_own_topic(meeting, coordinator):
    meeting.chair_person = coordinator
    meeting.save()
    agenda_item_propose(actor=coordinator, meeting=meeting, title="Oma asia")
    assert _told(AGENDA_PROPOSAL) == []


def test_the_proposer_hears_of_acceptance_and_of_a_decline_with_its_reason(meeting, representative, coordinator):
    accepted = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    declined = agenda_item_propose(actor=representative, meeting=meeting, title="Rahoitus")

    agenda_item_decide(actor=coordinator, item=accepted, accept=True)
    agenda_item_decide(actor=coordinator, item=declined, accept=False, reason="Käsitellään syksyllä.")

    assert _told(PROPOSAL_DECISION, accepted.pk) == [representative.email]
    assert _told(PROPOSAL_DECISION, declined.pk) == [representative.email]
    _in_language(representative, "fi")
    message = _build(PROPOSAL_DECISION, representative, declined.pk)
    assert "Aiheesi hylättiin: Rahoitus" in message.subject
    assert "Syy: Käsitellään syksyllä." in message.body
    assert f"http://testserver/meetings/{meeting.pk}/#agenda-heading" in message.body


def test_deciding_on_ones_own_proposal_tells_nobody(meeting, coordinator):
    item = agenda_item_propose(actor=coordinator, meeting=meeting, title="Oma asia")
    agenda_item_decide(actor=coordinator, item=item, accept=True)
    assert _told(PROPOSAL_DECISION) == []


def test_a_closed_account_hears_nothing_of_its_proposal(meeting, representative, coordinator):
    item = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    representative.is_active = False
    representative.save()
    agenda_item_decide(actor=coordinator, item=item, accept=True)
    assert _told(PROPOSAL_DECISION) == []


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("fi", "Aihe-ehdotus kokoukseen", "Hyväksy tai hylkää ehdotus kokouksen sivulla"),
        ("sv", "Förslag på ämne till", "Godkänn eller avslå förslaget på mötets sida"),
    ],
)
def test_the_proposal_notice_is_in_the_recipients_language(
    meeting, representative, coordinator, language, subject, words
):
    _in_language(coordinator, language)
    item = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    message = _build(AGENDA_PROPOSAL, coordinator, item.pk)
    assert subject in message.subject and "Vertaistuki" in message.subject
    assert words in message.body
    assert f"http://testserver/meetings/{meeting.pk}/#agenda-heading" in message.body
    assert f'href="http://testserver/meetings/{meeting.pk}/#agenda-heading"' in message.alternatives[0][0]
    # Decided meanwhile: no longer worth a message.
    agenda_item_decide(actor=coordinator, item=item, accept=True)
    assert notification_kind(AGENDA_PROPOSAL).build(Notification.objects.get(kind=AGENDA_PROPOSAL), {}) is None


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("fi", "Aiheesi hyväksyttiin: Vertaistuki", "hyväksyttiin kokouksen"),
        ("sv", "Ditt ämne godkändes: Vertaistuki", "godkändes till föredragningslistan"),
    ],
)
def test_the_acceptance_is_in_the_proposers_language(meeting, representative, coordinator, language, subject, words):
    _in_language(representative, language)
    item = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    agenda_item_decide(actor=coordinator, item=item, accept=True)
    message = _build(PROPOSAL_DECISION, representative, item.pk)
    assert subject in message.subject
    assert words in message.body
    assert f"http://testserver/meetings/{meeting.pk}/" in message.body


# --- Minutes ---------------------------------------------------------------------------------


@pytest.fixture
def invited(past_meeting, representative, member, secretary):
    """The past meeting's invitees: the representative (also named on the table), a guest without
    an account, a closed account and the secretary, who publishes."""
    closed = UserFactory(email="closed@example.org", is_active=False)
    invite(past_meeting, representative)
    invite(past_meeting, None, email="vieras@example.org", name="Vieras", language="sv")
    invite(past_meeting, closed)
    invite(past_meeting, secretary)
    return past_meeting


def test_publishing_the_minutes_tells_invitees_and_standing_members_once_each(invited, secretary, representative,
                                                                               member):
    minutes_save(
        actor=secretary, meeting=invited, body_markdown="Muistio", decisions=[DecisionEntry(text="Päätös")],
        action_items=[], publish=False,
    )
    assert _told(MINUTES_PUBLISHED) == []  # a draft tells nobody

    minutes_save(
        actor=secretary, meeting=invited, body_markdown="Muistio", decisions=[DecisionEntry(text="Päätös")],
        action_items=[], publish=True,
    )
    # The representative is both invited and named on the table; the substitute (member) is named.
    assert _told(MINUTES_PUBLISHED, invited.pk) == sorted([representative.email, member.email, "vieras@example.org"])

    minutes_save(
        actor=secretary, meeting=invited, body_markdown="Korjattu", decisions=[], action_items=[], publish=True
    )
    minutes_publish(actor=secretary, meeting=invited)
    assert len(_told(MINUTES_PUBLISHED)) == 3  # published once, told once


def test_minutes_publish_tells_the_same_people(invited, secretary, representative, member):
    MinutesFactory(meeting=invited)
    minutes_publish(actor=secretary, meeting=invited)
    assert _told(MINUTES_PUBLISHED, invited.pk) == sorted([representative.email, member.email, "vieras@example.org"])


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("fi", "Muistio julkaistu: Kevään kokous", "Lue muistio"),
        ("sv", "Promemoria publicerad: Kevään kokous", "Läs promemorian"),
    ],
)
def test_the_minutes_notice_links_to_the_minutes_in_the_recipients_language(
    invited, secretary, member, language, subject, words
):
    _in_language(member, language)
    MinutesFactory(meeting=invited)
    minutes_publish(actor=secretary, meeting=invited)
    message = _build(MINUTES_PUBLISHED, member, invited.pk)
    assert subject in message.subject
    assert words in message.body
    assert f"http://testserver/meetings/{invited.pk}/minutes/" in message.body
    assert f'href="http://testserver/meetings/{invited.pk}/minutes/"' in message.alternatives[0][0]


def test_a_guest_without_an_account_gets_the_minutes_notice_in_the_invitations_language(invited, secretary):
    MinutesFactory(meeting=invited)
    minutes_publish(actor=secretary, meeting=invited)
    row = Notification.objects.get(kind=MINUTES_PUBLISHED, email="vieras@example.org")
    assert row.user is None
    message = notification_kind(MINUTES_PUBLISHED).build(row, {})
    assert "Promemoria publicerad" in message.subject


# --- Action items given in the minutes ---------------------------------------------------------


def test_action_items_are_told_to_their_owners_when_the_minutes_are_published(
    past_meeting, secretary, member, representative, organisation
):
    entries = [
        ActionItemEntry(what="Kokoa kalenteri", owner_user_id=member.pk),
        ActionItemEntry(what="Varaa tila", owner_organisation_id=organisation.pk),  # → its representative
        ActionItemEntry(what="Kirjoita muistio", owner_user_id=secretary.pk),  # the actor
    ]
    minutes_save(actor=secretary, meeting=past_meeting, body_markdown="", decisions=[], action_items=entries)
    assert _told(ACTION_ITEM_ASSIGNED) == []  # a draft tells nobody

    minutes_save(
        actor=secretary, meeting=past_meeting, body_markdown="", decisions=[], action_items=entries, publish=True
    )
    items = {item.what: item for item in ActionItem.objects.filter(meeting=past_meeting)}
    assert _told(ACTION_ITEM_ASSIGNED, items["Kokoa kalenteri"].pk) == [member.email]
    assert _told(ACTION_ITEM_ASSIGNED, items["Varaa tila"].pk) == [representative.email]
    assert _told(ACTION_ITEM_ASSIGNED) == sorted([member.email, representative.email])

    # On published minutes only what changes hands is told: the calendar goes to the representative.
    changed = [
        ActionItemEntry(what="Kokoa kalenteri", owner_user_id=representative.pk, pk=items["Kokoa kalenteri"].pk),
        ActionItemEntry(what="Varaa tila", owner_organisation_id=organisation.pk, pk=items["Varaa tila"].pk),
        ActionItemEntry(what="Kirjoita muistio", owner_user_id=secretary.pk, pk=items["Kirjoita muistio"].pk),
    ]
    minutes_save(actor=secretary, meeting=past_meeting, body_markdown="", decisions=[], action_items=changed)
    assert _told(ACTION_ITEM_ASSIGNED, items["Kokoa kalenteri"].pk) == sorted([member.email, representative.email])
    assert Notification.objects.filter(kind=ACTION_ITEM_ASSIGNED).count() == 3


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Sinulle annettiin sovittu toimenpide"), ("sv", "Du har fått en överenskommen åtgärd")],
)
def test_the_assignment_is_in_the_owners_language(past_meeting, secretary, member, language, words):
    _in_language(member, language)
    minutes_save(
        actor=secretary, meeting=past_meeting, body_markdown="", decisions=[], publish=True,
        action_items=[ActionItemEntry(what="Kokoa kalenteri", owner_user_id=member.pk)],
    )
    item = ActionItem.objects.get(meeting=past_meeting)
    message = _build(ACTION_ITEM_ASSIGNED, member, item.pk)
    assert words in message.subject and "Kokoa kalenteri" in message.body
    assert f"http://testserver/meetings/{past_meeting.pk}/minutes/" in message.body


# --- Reassigning --------------------------------------------------------------------------------


@pytest.fixture
def earlier_item(public_table, public_standing, coordinator, member, organisation):
    meeting = held_meeting(public_table, days_ago=30, status=MeetingStatus.HELD, created_by=coordinator)
    PublishedMinutesFactory(meeting=meeting)
    return ActionItemFactory(
        meeting=meeting, owner_user=member, owner_organisation=organisation, what="Kokoa kalenteri"
    )


def test_reassigning_tells_the_new_owner_and_the_previous_one(earlier_item, coordinator, member, representative,
                                                              organisation):
    _in_language(member, "sv")
    action_item_reassign(
        actor=coordinator, action_item=earlier_item, owner_email=representative.email,
        owner_organisation_id=organisation.pk,
    )
    assert _told(ACTION_ITEM_REASSIGNED, earlier_item.pk) == sorted([member.email, representative.email])
    given = _build(ACTION_ITEM_REASSIGNED, representative, earlier_item.pk)
    assert "Sinulle annettiin sovittu toimenpide" in given.subject
    assert f"http://testserver/meetings/{earlier_item.meeting_id}/minutes/" in given.body
    left = _build(ACTION_ITEM_REASSIGNED, member, earlier_item.pk)
    assert "En överenskommen åtgärd är inte längre ditt ansvar" in left.subject
    assert "har flyttats till någon annan" in left.body


def test_reassigning_to_the_organisation_its_person_represents_tells_nobody_twice(
    earlier_item, coordinator, representative, organisation
):
    earlier_item.owner_user = representative
    earlier_item.save()
    # Given to the organisation only: its representative on the table still answers for it.
    action_item_reassign(actor=coordinator, action_item=earlier_item, owner_organisation_id=organisation.pk)
    assert _told(ACTION_ITEM_REASSIGNED) == []


def test_the_coordinator_taking_an_item_is_not_told(earlier_item, coordinator, member, organisation):
    action_item_reassign(actor=coordinator, action_item=earlier_item, owner_email=coordinator.email)
    assert _told(ACTION_ITEM_REASSIGNED) == [member.email]


# --- Due soon -------------------------------------------------------------------------------------


def _due_in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_the_due_soon_notice_goes_once_per_item_and_due_date(past_meeting, member, representative, organisation,
                                                             settings):
    settings.ACTION_ITEM_DUE_SOON_DAYS = 3
    PublishedMinutesFactory(meeting=past_meeting)
    soon = ActionItemFactory(meeting=past_meeting, owner_user=member, due_on=_due_in(3))
    by_organisation = ActionItemFactory(
        meeting=past_meeting, owner_user=None, owner_organisation=organisation, due_on=_due_in(1)
    )
    ActionItemFactory(meeting=past_meeting, owner_user=member, due_on=_due_in(4))  # not yet
    ActionItemFactory(meeting=past_meeting, owner_user=member, due_on=_due_in(2), status=ActionItemStatus.DONE)
    ActionItemFactory(meeting=past_meeting, owner_user=UserFactory(is_active=False), due_on=_due_in(2))
    ActionItemFactory(meeting=past_meeting, owner_user=member, due_on=None)
    draft = held_meeting(past_meeting.table, days_ago=2)
    MinutesFactory(meeting=draft)  # not published: its items are not told of
    ActionItemFactory(meeting=draft, owner_user=member, due_on=_due_in(2))

    assert sorted(action_item_due_soon_queue()) == sorted([soon.pk, by_organisation.pk])
    assert _told(ACTION_ITEM_DUE_SOON, soon.pk) == [member.email]
    assert _told(ACTION_ITEM_DUE_SOON, by_organisation.pk) == [representative.email]

    assert action_item_due_soon_queue() == []  # a second run tells nobody again
    assert Notification.objects.filter(kind=ACTION_ITEM_DUE_SOON).count() == 2

    soon.due_on = _due_in(2)  # a new due date is told anew
    soon.save()
    assert action_item_due_soon_queue() == [soon.pk]
    assert _told(ACTION_ITEM_DUE_SOON, soon.pk) == [member.email, member.email]


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Sovitun toimenpiteen määräpäivä"), ("sv", "Överenskommen åtgärd med sista dag")],
)
def test_the_due_soon_notice_is_in_the_owners_language(past_meeting, member, language, words):
    _in_language(member, language)
    PublishedMinutesFactory(meeting=past_meeting)
    item = ActionItemFactory(meeting=past_meeting, owner_user=member, due_on=_due_in(2), what="Varaa tila")
    action_item_due_soon_queue()
    message = _build(ACTION_ITEM_DUE_SOON, member, item.pk)
    assert words in message.subject and "Varaa tila" in message.subject
    assert f"http://testserver/meetings/{past_meeting.pk}/minutes/" in message.body
    # Done meanwhile: not sent.
    ActionItem.objects.filter(pk=item.pk).update(status=ActionItemStatus.DONE)
    assert _build(ACTION_ITEM_DUE_SOON, member, item.pk) is None


def test_every_new_kind_may_be_turned_off_and_has_a_label():
    for kind in (AGENDA_PROPOSAL, PROPOSAL_DECISION, MINUTES_PUBLISHED, ACTION_ITEM_ASSIGNED, ACTION_ITEM_REASSIGNED,
                 ACTION_ITEM_DUE_SOON):
        assert not notification_kind(kind).always and str(notification_kind(kind).label), kind


def test_minutes_model_is_unchanged_by_notifying(invited, secretary):
    """Publishing with nobody to tell (no invitees left) still publishes."""
    invited.invitations.all().delete()
    MinutesFactory(meeting=invited)
    minutes_publish(actor=secretary, meeting=invited)
    assert Minutes.objects.get(meeting=invited).is_published


def test_each_example_of_the_new_kinds_builds_a_message_with_its_link():
    """The examples the outbox's all-kinds tests send (notification_examples_kinds.py) build a message."""
    from organisations.services import REGISTRATION
    from outbox.services import notification_queue
    from outbox.tests.notification_examples import examples

    kinds = {AGENDA_PROPOSAL, PROPOSAL_DECISION, MINUTES_PUBLISHED, ACTION_ITEM_ASSIGNED, ACTION_ITEM_REASSIGNED,
             ACTION_ITEM_DUE_SOON, REGISTRATION}
    found = {kind: make for kind, make in examples().items() if kind in kinds}
    assert set(found) == kinds
    for kind, make in found.items():
        object_id, recipients = make()
        [row] = notification_queue(kind=kind, object_id=object_id, recipients=recipients)
        message = notification_kind(kind).build(row, {})
        assert message is not None, kind
        assert "http://testserver/" in message.body and message.to == [row.email], kind
