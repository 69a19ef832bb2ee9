"""The member's own meetings ("my meetings" and the dashboard)."""

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from kumppanuus.mail import absolute_url
from meetings.models import ActionItem, ActionItemStatus, MeetingStatus
from meetings.selectors.invitations import invitations_of, label_answers
from organisations.permissions import approved_memberships

# How much the dashboard shows.
DASHBOARD_UPCOMING = 50
DASHBOARD_PAST = 20
DASHBOARD_ACTION_ITEMS = 100


def member_dashboard_context(user: User) -> dict:
    """ "My meetings": upcoming meetings I am invited to with my answer, past ones with their
    published minutes, and my open action items (mine or my organisations'). Four queries."""
    now = timezone.now()
    invitations = invitations_of(user).exclude(meeting__status=MeetingStatus.DRAFT)
    upcoming = list(
        invitations.filter(meeting__ends_at__gte=now)
        .select_related("meeting", "meeting__table", "rsvp")
        .order_by("meeting__starts_at", "pk")[:DASHBOARD_UPCOMING]
    )
    past = list(
        invitations.filter(meeting__ends_at__lt=now)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "meeting__table", "meeting__minutes")
        .order_by("-meeting__starts_at", "-pk")[:DASHBOARD_PAST]
    )
    organisation_ids = list(approved_memberships(user))
    action_items = list(
        ActionItem.objects.filter(status=ActionItemStatus.OPEN)
        .filter(Q(owner_user=user) | Q(owner_organisation_id__in=organisation_ids))
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "meeting__table", "owner_organisation")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:DASHBOARD_ACTION_ITEMS]
    )
    label_answers(upcoming)
    today = timezone.localdate()
    return {
        "upcoming_invitations": upcoming,
        "past_invitations": past,
        "my_action_items": action_items,
        "today": today,
        "feed_url": absolute_url(reverse("meetings:feed_personal", args=[user.calendar_token])),
    }
