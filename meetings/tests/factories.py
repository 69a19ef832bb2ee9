"""Factories for the meetings models, and helpers for the meeting tests.

Tables, standing members and role assignments come from ``tables.tests.factories``, organisations
from ``organisations.tests.factories``; one factory per model. The fixtures are in ``conftest.py``.
"""

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    ActionItem,
    ActionItemFollowUp,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Decision,
    FollowUpOutcome,
    Invitation,
    InvitationSource,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Minutes,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from tables.tests.factories import PartnershipTableFactory


def in_days(days: int, hour: int = 13) -> datetime.datetime:
    """An aware Helsinki datetime ``days`` from today at ``hour``:00."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    table = factory.SubFactory(PartnershipTableFactory)
    title = factory.Sequence(lambda n: f"Kokous {n}")
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    format = MeetingFormat.IN_PERSON
    address = "Hovioikeudenpuistikko 1, Vaasa"
    status = MeetingStatus.SCHEDULED


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttributeSequence(lambda o, n: o.user.email if o.user else f"guest{n}@example.org")
    name = factory.LazyAttribute(lambda o: o.user.full_name if o.user else "")
    language = factory.LazyAttribute(lambda o: o.user.language if o.user else "fi")
    source = InvitationSource.ADDED
    delivery_status = OutboxStatus.SENT
    queued_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)
    sent_sequence = 0


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    invitation = factory.SubFactory(InvitationFactory)
    meeting = factory.SelfAttribute("invitation.meeting")
    response = RsvpResponse.ATTENDING_IN_PERSON
    responded_at = factory.LazyFunction(timezone.now)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Asia {n}")
    status = AgendaItemStatus.ACCEPTED
    position = factory.Sequence(lambda n: n + 1)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    what = factory.Sequence(lambda n: f"Toimenpide {n}")
    owner_user = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))


class ActionItemFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItemFollowUp

    action_item = factory.SubFactory(ActionItemFactory)
    meeting = factory.SubFactory(MeetingFactory)
    outcome = FollowUpOutcome.CARRIED
    note = factory.Sequence(lambda n: f"Jatkuu {n}")
    recorded_at = factory.LazyFunction(timezone.now)


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)
    body_markdown = "## Keskustelu\n\nKäytiin läpi *ajankohtaiset* asiat."


class PublishedMinutesFactory(MinutesFactory):
    published_at = factory.LazyFunction(timezone.now)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    minutes = factory.SubFactory(MinutesFactory)
    text = factory.Sequence(lambda n: f"Päätös {n}")
    position = factory.Sequence(lambda n: n + 1)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    organisation = None
    attended = True
    online = False


def held_meeting(table, *, days_ago: int = 1, **kwargs):
    """A scheduled meeting of ``table`` that started ``days_ago`` days ago (not closed yet)."""
    starts = in_days(-days_ago)
    defaults = {
        "table": table,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "status": MeetingStatus.SCHEDULED,
        "format": MeetingFormat.HYBRID,
        "online_link": "https://meet.example.org/secret-room",
    }
    defaults.update(kwargs)
    return MeetingFactory(**defaults)


def invite(meeting, user=None, *, organisation=None, response=None, **kwargs):
    """An invitation (and an RSVP if ``response`` is given); ``user=None`` is a guest without an account."""
    invitation = InvitationFactory(meeting=meeting, user=user, organisation=organisation, **kwargs)
    if response is not None:
        RsvpFactory(invitation=invitation, meeting=meeting, response=response)
    return invitation
