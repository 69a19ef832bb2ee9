"""Factories and helpers for the tests of attendance, minutes, feeds and statistics.

Tables come from ``tables.tests.factories`` and meetings, invitations and RSVPs from
``meetings.tests.factories``; what those do not cover is here. The fixtures are in
``records_fixtures.py``, which the test modules load with ``pytest_plugins``.
"""

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    Attendance,
    Decision,
    MeetingFormat,
    MeetingStatus,
    Minutes,
)
from meetings.tests.factories import InvitationFactory, MeetingFactory, RsvpFactory, in_days


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
