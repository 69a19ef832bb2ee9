"""The workspace: each person's home after signing in (the ``dashboard`` URL), and the count of
what waits for them that the navigation shows on every page.

What waits for a person comes in *kinds* (organisation registrations to review, agenda proposals
to decide, failed deliveries, ...). Each kind is one function ``<kind>(user) -> QuerySet`` of the
rows that wait, limited to the person's own tables, counties, organisations and meetings, so a
coordinator of another county never sees them. ``waiting_counts`` counts every kind in one query
(cached on the user for the request: the navigation's badge and the page share it);
``waiting_for`` turns the kinds that have something into links to the pages where each is done,
a fixed number of queries whatever the numbers.

The workspace lives in ``meetings``, the top domain floor, so it reads organisations, tables and the
outbox freely; nothing below imports it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import rules
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from meetings.models import (
    ATTENDING_RESPONSES,
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Invitation,
    InvitationRequest,
    InvitationRequestStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    OutboxStatus,
    RsvpResponse,
)
from meetings.selectors.actions import action_items_to_reassign
from meetings.selectors.dashboard import member_dashboard_context
from organisations.models import (
    AreaCoordinator,
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
)
from organisations.permissions import coordinated_area_ids
from organisations.selectors import memberships_for_user
from tables.models import (
    AnnualEvaluation,
    EvaluationStatus,
    PartnershipTable,
    RoleAssignment,
    StandingMember,
    StandingMemberStatus,
    TableStatus,
)

# How much the page lists: links per kind (the count says how many there are in all) and tables.
WAITING_LINKS = 10
WORKSPACE_TABLES = 30
# Attendance and minutes are asked for meetings that started within this many days: a meeting
# nobody recorded in half a year is history, not a task.
RECORDS_WINDOW_DAYS = 180


# --- Whose things: the person's tables, organisations and meetings -----------------------------


# The person's counties and represented organisations as subqueries, not the lists the permission
# helpers cache (organisations.permissions.coordinated_area_ids, approved_memberships): the counts
# are then one query on every page, whether or not the page has asked for those lists before.


def _coordinated_area_ids(user: User) -> QuerySet:
    return AreaCoordinator.objects.filter(user=user).values("welfare_area_id")


def _represented_organisation_ids(user: User) -> QuerySet:
    return Membership.objects.filter(
        user=user, role=MembershipRole.REPRESENTATIVE, status=MembershipStatus.APPROVED
    ).values("organisation_id")


def coordinated_tables(user: User) -> QuerySet[PartnershipTable]:
    """Tables the person coordinates: those of the counties they coordinate and those naming them
    (tables.permissions.is_table_coordinator, as a query)."""
    return PartnershipTable.objects.filter(
        Q(welfare_area_id__in=_coordinated_area_ids(user)) | Q(coordinators=user)
    ).values("pk")


# --- The kinds of things that wait -------------------------------------------------------------


def organisations_to_review(user: User) -> QuerySet[Organisation]:
    """Registrations of the counties the person coordinates that wait for an eligibility decision."""
    return Organisation.objects.filter(
        eligibility=Eligibility.PENDING, welfare_area_id__in=_coordinated_area_ids(user)
    )


def membership_requests_to_decide(user: User) -> QuerySet[Membership]:
    """Requests to join an organisation the person represents; and, for a coordinator, requests to
    join an organisation of her county that has no representative to decide them (the people
    organisations.selectors.membership_request_reviewers tells)."""
    has_representative = Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"),
            role=MembershipRole.REPRESENTATIVE,
            status=MembershipStatus.APPROVED,
            user__is_active=True,
        )
    )
    return (
        Membership.objects.filter(status=MembershipStatus.PENDING)
        .alias(has_representative=has_representative)
        .filter(
            Q(organisation_id__in=_represented_organisation_ids(user))
            | Q(organisation__welfare_area_id__in=_coordinated_area_ids(user), has_representative=False)
        )
    )


def standing_member_requests_to_decide(user: User) -> QuerySet[StandingMember]:
    return StandingMember.objects.filter(status=StandingMemberStatus.REQUESTED, table__in=coordinated_tables(user))


def agenda_proposals_to_decide(user: User) -> QuerySet[AgendaItem]:
    """Proposed topics of coming meetings of the person's tables, and of the scheduled meetings they
    chair (themselves or as a representative of the chairing organisation): meetings.decide_agenda."""
    chaired = Q(status=MeetingStatus.SCHEDULED) & (
        Q(chair_person=user) | Q(chair_id__in=_represented_organisation_ids(user))
    )
    coordinated = Q(status__in=[MeetingStatus.DRAFT, MeetingStatus.SCHEDULED], table__in=coordinated_tables(user))
    meetings = Meeting.objects.filter(coordinated | chaired).values("pk")
    return AgendaItem.objects.filter(status=AgendaItemStatus.PROPOSED, meeting__in=meetings)


def _meetings_to_record(user: User) -> QuerySet[Meeting]:
    """Meetings that have started (recently), were not cancelled, of the person's tables or with them as
    secretary: those whose attendance and minutes they record (meetings.record_attendance)."""
    now = timezone.now()
    return Meeting.objects.filter(
        Q(table__in=coordinated_tables(user)) | Q(secretary=user),
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
        starts_at__lte=now,
        starts_at__gte=now - datetime.timedelta(days=RECORDS_WINDOW_DAYS),
    )


def attendance_to_record(user: User) -> QuerySet[Meeting]:
    return _meetings_to_record(user).filter(~Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))


def minutes_to_write(user: User) -> QuerySet[Meeting]:
    return _meetings_to_record(user).filter(~Exists(Minutes.objects.filter(meeting=OuterRef("pk"))))


def draft_meetings_to_publish(user: User) -> QuerySet[Meeting]:
    """Drafts (nobody invited yet) of coming meetings of the person's tables."""
    return Meeting.objects.filter(
        status=MeetingStatus.DRAFT, table__in=coordinated_tables(user), ends_at__gte=timezone.now()
    )


def minutes_to_publish(user: User) -> QuerySet[Meeting]:
    """Meetings whose minutes are written but not published, for their writers (coordinators, secretary)."""
    return Meeting.objects.filter(
        Q(table__in=coordinated_tables(user)) | Q(secretary=user),
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
        minutes__isnull=False,
        minutes__published_at__isnull=True,
    )


def _evaluation_tables(user: User) -> Q:
    # tables.manage_evaluations: the table's coordinators and its owner.
    return Q(table__in=coordinated_tables(user)) | Q(table__owner=user)


def evaluations_waiting_to_open(user: User) -> QuerySet[AnnualEvaluation]:
    """Scheduled evaluations whose opening day has come (the daily sweep opens them; one it has not yet)."""
    return AnnualEvaluation.objects.filter(
        _evaluation_tables(user), status=EvaluationStatus.SCHEDULED, opens_on__lte=timezone.localdate()
    )


def evaluations_waiting_to_close(user: User) -> QuerySet[AnnualEvaluation]:
    """Open evaluations past their due day: the answers are in, the summary waits."""
    return AnnualEvaluation.objects.filter(
        _evaluation_tables(user), status=EvaluationStatus.OPEN, due_on__lt=timezone.localdate()
    )


def overdue_action_items(user: User) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        status=ActionItemStatus.OPEN,
        due_on__lt=timezone.localdate(),
        meeting__table__in=coordinated_tables(user),
    ).exclude(meeting__status=MeetingStatus.CANCELLED)


def failed_deliveries(user: User) -> QuerySet[Invitation]:
    """Invitations (and updates, cancellations) of the person's tables' meetings that could not be
    delivered after the last retry; the meeting page sends them again (meetings:retry_failed, which
    leaves out the rows of deleted accounts, as this does)."""
    return Invitation.objects.filter(
        delivery_status=OutboxStatus.FAILED, anonymised_at__isnull=True, meeting__table__in=coordinated_tables(user)
    )


def invitation_requests_to_decide(user: User) -> QuerySet[InvitationRequest]:
    """Members of standing organisations asking for an invitation to a scheduled meeting of her tables."""
    return InvitationRequest.objects.filter(
        status=InvitationRequestStatus.REQUESTED,
        meeting__status=MeetingStatus.SCHEDULED,
        meeting__table__in=coordinated_tables(user),
    )


def role_nominations_to_answer(user: User) -> QuerySet[RoleAssignment]:
    """The role nominations waiting for the person's own answer (tables/services/roles.py)."""
    return RoleAssignment.objects.waiting_for(user)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    rows: Callable[[User], QuerySet]


# In the order the page lists them: decisions others wait for first, then the meetings' records.
KINDS: tuple[Kind, ...] = (
    Kind("role_nominations", _("Role nominations to answer"), role_nominations_to_answer),
    Kind("organisations_to_review", _("Organisation registrations to review"), organisations_to_review),
    Kind("membership_requests", _("Requests to join an organisation"), membership_requests_to_decide),
    Kind("standing_member_requests", _("Requests for standing membership"), standing_member_requests_to_decide),
    Kind("agenda_proposals", _("Agenda proposals to decide"), agenda_proposals_to_decide),
    Kind("invitation_requests", _("Requests for an invitation"), invitation_requests_to_decide),
    Kind("attendance_to_record", _("Attendance to record"), attendance_to_record),
    Kind("minutes_to_write", _("Minutes to write"), minutes_to_write),
    Kind("draft_meetings", _("Draft meetings to publish"), draft_meetings_to_publish),
    Kind("minutes_to_publish", _("Minutes to publish"), minutes_to_publish),
    Kind("evaluations_to_open", _("Annual evaluations to open"), evaluations_waiting_to_open),
    Kind("evaluations_to_close", _("Annual evaluations to close"), evaluations_waiting_to_close),
    Kind("overdue_action_items", _("Overdue action items"), overdue_action_items),
    Kind("action_items_to_reassign", _("Action items to reassign"), action_items_to_reassign),
    Kind("failed_deliveries", _("Failed deliveries"), failed_deliveries),
)


class _Count(Subquery):
    """COUNT(*) of a queryset as a scalar subquery, so that many counts are one query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def waiting_counts(user: User) -> dict[str, int]:
    """How many things of each kind wait for the person: one query, cached on the user for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_waiting_counts", None)
    if cached is None:
        names = {kind.key: f"waiting_{kind.key}" for kind in KINDS}
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(**{names[kind.key]: _Count(kind.rows(user).order_by().values("pk")) for kind in KINDS})
            .values(*names.values())
            .first()
        ) or {}
        cached = {key: row.get(name) or 0 for key, name in names.items()}
        user._waiting_counts = cached
    return cached


def may_view_review_queue(user: User) -> bool:
    """organisations.view_review_queue from the rules alone: it is no model permission, and asking
    user.has_perm would load the person's Django permissions (two queries) on every page to deny it."""
    return rules.has_perm("organisations.view_review_queue", user)


def waiting_total(user: User) -> int:
    return sum(waiting_counts(user).values())


def forget_waiting_counts(user: User) -> None:
    """Call after a change in the same request that the counts should show."""
    if hasattr(user, "_waiting_counts"):
        del user._waiting_counts


# --- Links to where each thing is done ------------------------------------------------------------


@dataclass
class WaitingLink:
    text: str
    url: str
    count: int | None = None  # how many of the kind this link leads to, when it is one of several
    when: datetime.datetime | None = None  # the meeting's start, for a link to a meeting


@dataclass
class WaitingKind:
    key: str
    label: str
    count: int
    links: list[WaitingLink] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many are not behind the links listed (only the first WAITING_LINKS places are)."""
        listed = sum(link.count or 1 for link in self.links)
        return max(self.count - listed, 0) if all(link.count is not None for link in self.links) else 0


def _meetings_with_counts(rows: QuerySet, relation: str = "meeting") -> list[Meeting]:
    """The meetings the rows belong to, each with ``waiting`` (how many of the rows), soonest first."""
    per_meeting = (
        rows.filter(**{relation: OuterRef("pk")}).order_by().values(relation).annotate(n=Count("pk")).values("n")[:1]
    )
    return list(
        Meeting.objects.filter(pk__in=rows.values(f"{relation}_id"))
        .select_related("table")
        .annotate(waiting=Subquery(per_meeting, output_field=IntegerField()))
        .order_by("starts_at", "pk")[:WAITING_LINKS]
    )


def _meeting_text(meeting: Meeting) -> str:
    return f"{meeting.title} ({meeting.table.name})"


def _per_meeting(rows: QuerySet, url_name: str, anchor: str = "", relation: str = "meeting") -> list[WaitingLink]:
    return [
        WaitingLink(
            text=_meeting_text(meeting),
            url=reverse(url_name, args=[meeting.pk]) + anchor,
            count=meeting.waiting,
            when=meeting.starts_at,
        )
        for meeting in _meetings_with_counts(rows, relation)
    ]


def _meetings(rows: QuerySet[Meeting], url_name: str) -> list[WaitingLink]:
    return [
        WaitingLink(
            text=_meeting_text(meeting),
            url=reverse(url_name, args=[meeting.pk]),
            count=1,
            when=meeting.starts_at,
        )
        for meeting in rows.select_related("table").order_by("starts_at", "pk")[:WAITING_LINKS]
    ]


def _evaluations(rows: QuerySet[AnnualEvaluation]) -> list[WaitingLink]:
    return [
        WaitingLink(
            text=f"{evaluation.table.name} {evaluation.year}",
            url=reverse("tables:evaluations", args=[evaluation.table_id]),
            count=1,
        )
        for evaluation in rows.select_related("table").order_by("due_on", "pk")[:WAITING_LINKS]
    ]


def _standing_member_links(user: User, may_review: bool) -> list[WaitingLink]:
    if may_review:
        queue = reverse("organisations:review_queue")
        return [WaitingLink(text=str(_("Open the review queue")), url=queue + "#standing-heading")]
    rows = standing_member_requests_to_decide(user)
    per_table = rows.filter(table=OuterRef("pk")).order_by().values("table").annotate(n=Count("pk")).values("n")[:1]
    tables = (
        PartnershipTable.objects.filter(pk__in=rows.values("table_id"))
        .annotate(waiting=Subquery(per_table, output_field=IntegerField()))
        .order_by("name", "pk")[:WAITING_LINKS]
    )
    return [
        WaitingLink(text=table.name, url=reverse("tables:standing_members", args=[table.pk]), count=table.waiting)
        for table in tables
    ]


def _links(kind: str, user: User, may_review: bool) -> list[WaitingLink]:
    """Where the things of one kind are done: one query at most."""
    queue = reverse("organisations:review_queue")
    if kind == "role_nominations":
        return [WaitingLink(text=str(_("Accept or decline")), url=reverse("tables:nominations"))]
    if kind == "organisations_to_review":
        return [WaitingLink(text=str(_("Open the review queue")), url=queue + "#orgs-heading")]
    if kind == "membership_requests":
        return [WaitingLink(text=str(_("Open the review queue")), url=queue + "#memberships-heading")]
    if kind == "standing_member_requests":
        return _standing_member_links(user, may_review)
    if kind == "agenda_proposals":
        return _per_meeting(agenda_proposals_to_decide(user), "meetings:detail", "#agenda-heading")
    if kind == "invitation_requests":
        return _per_meeting(invitation_requests_to_decide(user), "meetings:detail", "#invitation-requests-heading")
    if kind == "attendance_to_record":
        return _meetings(attendance_to_record(user), "meetings:attendance")
    if kind == "minutes_to_write":
        return _meetings(minutes_to_write(user), "meetings:minutes_edit")
    if kind == "draft_meetings":
        return _meetings(draft_meetings_to_publish(user), "meetings:schedule")
    if kind == "minutes_to_publish":
        return _meetings(minutes_to_publish(user), "meetings:minutes_edit")
    if kind == "evaluations_to_open":
        return _evaluations(evaluations_waiting_to_open(user))
    if kind == "evaluations_to_close":
        return _evaluations(evaluations_waiting_to_close(user))
    if kind == "overdue_action_items":
        return _per_meeting(overdue_action_items(user), "meetings:minutes_edit")
    if kind == "action_items_to_reassign":
        return [WaitingLink(text=str(_("Choose who is responsible")), url=reverse("meetings:actions_to_reassign"))]
    if kind == "failed_deliveries":
        return _per_meeting(failed_deliveries(user), "meetings:detail", "#invitations-heading")
    raise ValueError(kind)


def waiting_for(user: User) -> list[WaitingKind]:
    """The kinds that have something waiting, each with its count and links: the counts' one query,
    and one query per kind that has something (at most one per kind, whatever the numbers)."""
    counts = waiting_counts(user)
    may_review = may_view_review_queue(user)
    return [
        WaitingKind(
            key=kind.key, label=str(kind.label), count=counts[kind.key], links=_links(kind.key, user, may_review)
        )
        for kind in KINDS
        if counts.get(kind.key)
    ]


# --- The coordinator's tables with their next meeting ------------------------------------------


@dataclass
class Answers:
    yes: int = 0
    no: int = 0
    maybe: int = 0
    waitlisted: int = 0
    none: int = 0


def coordinator_tables(user: User) -> tuple[list[PartnershipTable], bool]:
    """The tables the person coordinates (not closed), each with ``next_meeting`` (the next one not
    cancelled, a draft too) and its ``answers``; and whether there are more than the page lists.
    Three queries."""
    now = timezone.now()
    next_meeting = (
        Meeting.objects.filter(table=OuterRef("pk"), ends_at__gte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    tables = list(
        PartnershipTable.objects.filter(pk__in=coordinated_tables(user))
        .exclude(status=TableStatus.CLOSED)
        .select_related("sector")
        .annotate(next_meeting_id=Subquery(next_meeting))
        .order_by("name", "pk")[: WORKSPACE_TABLES + 1]
    )
    more = len(tables) > WORKSPACE_TABLES
    tables = tables[:WORKSPACE_TABLES]
    meeting_ids = [table.next_meeting_id for table in tables if table.next_meeting_id]
    meetings = {meeting.pk: meeting for meeting in Meeting.objects.filter(pk__in=meeting_ids)} if meeting_ids else {}
    answers: dict[int, Answers] = {}
    if meeting_ids:
        not_waiting = Q(rsvp__waitlisted=False)
        for row in (
            Invitation.objects.filter(meeting_id__in=meeting_ids)
            .order_by()
            .values("meeting_id")
            .annotate(
                total=Count("pk"),
                yes=Count("pk", filter=not_waiting & Q(rsvp__response__in=ATTENDING_RESPONSES)),
                no=Count("pk", filter=not_waiting & Q(rsvp__response=RsvpResponse.NOT_ATTENDING)),
                maybe=Count("pk", filter=not_waiting & Q(rsvp__response=RsvpResponse.MAYBE)),
                waitlisted=Count("pk", filter=Q(rsvp__waitlisted=True)),
            )
        ):
            answered = row["yes"] + row["no"] + row["maybe"] + row["waitlisted"]
            answers[row["meeting_id"]] = Answers(
                yes=row["yes"], no=row["no"], maybe=row["maybe"], waitlisted=row["waitlisted"],
                none=row["total"] - answered,
            )
    for table in tables:
        table.next_meeting = meetings.get(table.next_meeting_id)
        table.answers = answers.get(table.next_meeting_id, Answers())
    return tables, more


# --- The page ----------------------------------------------------------------------------------


def workspace_context(user: User) -> dict:
    """Everything the workspace shows: what waits for the person, the tables they coordinate, their
    organisations, meetings and action items. A fixed number of queries whatever the numbers
    (meetings/tests/test_workspace.py holds it at two sizes)."""
    tables, more_tables = coordinator_tables(user)
    memberships = list(memberships_for_user(user))
    area_ids = coordinated_area_ids(user)
    is_coordinator = bool(area_ids) or bool(tables)
    is_representative = any(membership.is_representative for membership in memberships)
    waiting = waiting_for(user)
    context = {
        "memberships": memberships,
        "is_coordinator": is_coordinator,
        "is_representative": is_representative,
        # Everyone with a role sees the list, empty or not; others only when something waits (a chair).
        "show_waiting": is_coordinator or is_representative or bool(waiting),
        "waiting": waiting,
        "waiting_total": waiting_total(user),
        "coordinator_tables": tables,
        "more_tables": more_tables,
        # The county statistics page links to the other counties the person coordinates.
        "county_statistics_url": reverse("meetings:county_statistics", args=[min(area_ids)]) if area_ids else None,
        # The county's attendance overview (meetings:representation_overview); no query of its own.
        "may_view_representation_overview": rules.has_perm("organisations.view_representation_overview", user),
    }
    context.update(member_dashboard_context(user))
    return context
