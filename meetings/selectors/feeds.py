"""Reads for the calendar feeds: a person's private feed and a public table's feed."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from meetings.models import Meeting, MeetingStatus
from meetings.selectors.invitations import invitations_of
from tables.models import PartnershipTable

# The feeds carry meetings from this far back and this far ahead (the service plans at most five
# years ahead; a row beyond, from before it checked, would stretch the feed's time zone rules).
FEED_HISTORY = datetime.timedelta(days=365)
FEED_AHEAD = datetime.timedelta(days=10 * 365)


def personal_feed_user(token: str) -> User:
    """The active person whose feed token this is, or 404."""
    if "\x00" in token:  # PostgreSQL refuses text with NUL bytes; no token has one
        raise Http404
    return get_object_or_404(User, calendar_token=token, is_active=True)


def personal_feed_meetings(user: User):
    """Meetings the person is invited to, from a year back to ten ahead; drafts are never sent to anyone."""
    now = timezone.now()
    return (
        Meeting.objects.filter(
            pk__in=invitations_of(user).values("meeting_id"),
            starts_at__gte=now - FEED_HISTORY,
            starts_at__lte=now + FEED_AHEAD,
        )
        .exclude(status=MeetingStatus.DRAFT)
        .select_related("table")
        .order_by("starts_at", "pk")
    )


def public_table_get(pk: int) -> PartnershipTable:
    """A public table, or 404 (a table that is not public has no public feed)."""
    return get_object_or_404(PartnershipTable, pk=pk, is_public=True)


def table_feed_meetings(table: PartnershipTable):
    now = timezone.now()
    return (
        Meeting.objects.filter(table=table, starts_at__gte=now - FEED_HISTORY, starts_at__lte=now + FEED_AHEAD)
        .exclude(status=MeetingStatus.DRAFT)
        .select_related("table")
        .order_by("starts_at", "pk")
    )
