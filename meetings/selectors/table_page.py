"""What the table page (``tables``) shows of the table's meetings; registered as a section of it
in ``MeetingsConfig.ready``."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from kumppanuus.mail import absolute_url
from meetings.models import Meeting, MeetingStatus, Minutes
from organisations.permissions import is_admin
from tables.models import PartnershipTable
from tables.permissions import is_table_coordinator

# How much the table page shows; the full lists have their own pages.
TABLE_PAGE_UPCOMING = 10
TABLE_PAGE_MINUTES = 10


def table_minutes_context(table: PartnershipTable, user: User) -> dict:
    """For the table page (``meetings/includes/table_meetings.html``): the upcoming meetings
    (scheduled, and cancelled ones marked as such; drafts only for its coordinators) and the
    published minutes, newest first. Never an online link. Two or three queries."""
    now = timezone.now()
    coordinator = bool((is_table_coordinator | is_admin).test(user, table))
    statuses = [MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED]
    if coordinator:
        statuses.append(MeetingStatus.DRAFT)
    upcoming = list(
        Meeting.objects.filter(table=table, status__in=statuses, starts_at__gte=now).order_by("starts_at", "pk")[
            :TABLE_PAGE_UPCOMING
        ]
    )
    published = list(
        Minutes.objects.filter(meeting__table=table, published_at__isnull=False)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-pk")[: TABLE_PAGE_MINUTES + 1]
    )
    return {
        "meetings_table": table,
        "upcoming_meetings": upcoming,
        "published_minutes": published[:TABLE_PAGE_MINUTES],
        "more_minutes": len(published) > TABLE_PAGE_MINUTES,
        "table_feed_url": absolute_url(reverse("meetings:feed_table", args=[table.pk])) if table.is_public else "",
        "can_view_statistics": coordinator,
        # The same people manage the table's meetings (meetings.manage_meeting).
        "can_manage_meetings": coordinator,
    }
