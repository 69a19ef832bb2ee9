"""Invitations and answers: the coordinator's registrations, seats left, the attendee export, and a
person's invitations. Each returns what its page shows in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.selectors import verified_addresses_query
from meetings.models import (
    Invitation,
    InvitationRequest,
    InvitationRequestStatus,
    Meeting,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from tables.models import StandingMember, StandingMemberStatus


def rsvp_of(invitation: Invitation | None) -> Rsvp | None:
    return getattr(invitation, "rsvp", None) if invitation is not None else None


@dataclass
class OrganisationRepresentation:
    standing_member: StandingMember
    representative_rsvp: Rsvp | None
    substitute_rsvp: Rsvp | None

    @property
    def represented(self) -> bool:
        return any(rsvp is not None and rsvp.is_attending for rsvp in (self.representative_rsvp, self.substitute_rsvp))


@dataclass
class Registrations:
    """The coordinator's view of who is invited, who answered what, and how delivery went.

    ``invitations`` is one page (settings.LIST_PAGE_SIZE rows) of the invitation table; the counts,
    the waiting list, the notes and the standing members' representation cover every invitation.
    """

    invitations: Page
    counts: Counter = field(default_factory=Counter)
    delivery: Counter = field(default_factory=Counter)
    waitlist: list[Invitation] = field(default_factory=list)
    notes: list[Invitation] = field(default_factory=list)
    organisations: list[OrganisationRepresentation] = field(default_factory=list)

    @property
    def attending(self) -> int:
        return self.counts[RsvpResponse.ATTENDING_IN_PERSON] + self.counts[RsvpResponse.ATTENDING_ONLINE]

    @property
    def undelivered(self) -> int:
        return sum(self.delivery[status] for status in (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.FAILED))

    @property
    def missing_organisations(self) -> list[OrganisationRepresentation]:
        return [row for row in self.organisations if not row.represented]


def label_answers(invitations: list[Invitation], rsvps: list[Rsvp] = ()) -> None:
    """Sets ``invitation.answer`` (its RSVP or None) and the answers' translated ``response_label``,
    once per page. For the templates: invitation.rsvp raises for someone who has not answered, and
    the template engine's handling of that (dir() on the row) was a tenth of the page's time;
    get_response_display() translates every choice on each call."""
    response_labels = {value: str(label) for value, label in RsvpResponse.choices}
    for invitation in invitations:
        invitation.answer = rsvp_of(invitation)
    for rsvp in [*rsvps, *(invitation.answer for invitation in invitations if invitation.answer is not None)]:
        rsvp.response_label = response_labels.get(rsvp.response, rsvp.response)


def _label_rows(invitations: list[Invitation], rsvps: list[Rsvp]) -> None:
    """Answers (label_answers) and translated delivery labels for the invitation table."""
    delivery_labels = {value: str(label) for value, label in OutboxStatus.choices}
    for invitation in invitations:
        invitation.delivery_label = delivery_labels.get(invitation.delivery_status, invitation.delivery_status)
    label_answers(invitations, rsvps)


def meeting_registrations(meeting: Meeting, page_number=None) -> Registrations:
    """Seven queries whatever the size of the meeting: the counts by delivery status and by answer
    are counted by the database, and only one page of the invitation table is read."""
    invitations = Invitation.objects.filter(meeting=meeting).select_related("rsvp", "organisation")
    delivery = Counter(
        dict(
            Invitation.objects.filter(meeting=meeting).order_by().values("delivery_status")
            .annotate(n=Count("pk")).values_list("delivery_status", "n")
        )
    )
    paginator = Paginator(invitations.order_by("name", "email", "pk"), settings.LIST_PAGE_SIZE)
    paginator.count = sum(delivery.values())  # already counted: saves the paginator's COUNT(*)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    result = Registrations(invitations=page, delivery=delivery)
    answered = 0
    for response, n in (
        Rsvp.objects.filter(meeting=meeting, waitlisted=False).order_by().values("response")
        .annotate(n=Count("pk")).values_list("response", "n")
    ):
        result.counts[response] = n
        answered += n
    result.waitlist = list(
        invitations.filter(rsvp__waitlisted=True).order_by("rsvp__waitlisted_at", "rsvp__pk")
    )
    result.counts["none"] = sum(delivery.values()) - answered - len(result.waitlist)
    result.notes = list(invitations.exclude(rsvp__note="").filter(rsvp__isnull=False).order_by("name", "email", "pk"))
    standing = list(
        StandingMember.objects.filter(table_id=meeting.table_id, status=StandingMemberStatus.ACTIVE)
        .select_related("organisation", "representative", "substitute")
        .order_by("organisation__name", "pk")
    )
    people = {person for member in standing for person in (member.representative_id, member.substitute_id) if person}
    named_rsvps = (
        list(Rsvp.objects.filter(meeting=meeting, invitation__user_id__in=people).select_related("invitation"))
        if people else []
    )
    by_user = {rsvp.invitation.user_id: rsvp for rsvp in named_rsvps}
    _label_rows(page.object_list, named_rsvps)
    result.organisations = [
        OrganisationRepresentation(
            standing_member=member,
            representative_rsvp=by_user.get(member.representative_id),
            substitute_rsvp=by_user.get(member.substitute_id),
        )
        for member in standing
    ]
    return result


def seats_left(meeting: Meeting) -> int | None:
    if meeting.capacity is None:
        return None
    taken = Rsvp.objects.filter(meeting=meeting, response=meeting.seat_response, waitlisted=False).count()
    return max(meeting.capacity - taken, 0)


def attendee_export_rows(meeting: Meeting) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(meeting=meeting)
        .select_related("rsvp", "organisation")
        .order_by("name", "email")
    )


def invitations_of(user: User) -> QuerySet[Invitation]:
    """The person's invitations, by account or by a verified address of theirs they were sent to (as
    the permissions do)."""
    return Invitation.objects.filter(Q(user=user) | Q(user__isnull=True, email__in=verified_addresses_query(user)))


def invitation_request_of(user, meeting: Meeting) -> InvitationRequest | None:
    """The person's own request for an invitation to the meeting, if they made one."""
    if not user.is_authenticated:
        return None
    return InvitationRequest.objects.filter(meeting=meeting, user=user).first()


def invitation_requests_waiting(meeting: Meeting) -> list[InvitationRequest]:
    """The requests for an invitation a coordinator has yet to decide, oldest first."""
    return list(
        InvitationRequest.objects.filter(meeting=meeting, status=InvitationRequestStatus.REQUESTED)
        .select_related("user")
        .order_by("created_at", "pk")
    )
