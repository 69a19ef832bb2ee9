"""An organisation's representation: the tables it sits on as a standing member, who represents it
there, and how often it was represented at the meetings of the last twelve months; and, for a
coordinator, the standing organisations of her counties that missed most of their tables' meetings.

Held meetings and taking part have one definition, the statistics' (meetings/services/stats.py):
a meeting was held when it started, neither a draft nor cancelled; the organisation was represented
when an attendance row of someone who attended names it (its representative, its substitute or
anyone else it sent). Everything is counted in SQL with correlated subqueries, one per number, so
the pages ask the database a fixed number of times whatever the number of tables and meetings.

It lives in ``meetings``, the floor that may read organisations, tables and meetings together.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from accounts.models import User
from meetings.ical import HELSINKI
from meetings.models import Attendance, Meeting
from meetings.selectors.participation import TOOK_PART, held_meetings_q
from organisations.models import Organisation
from organisations.permissions import coordinated_area_ids
from tables.models import StandingMember, StandingMemberStatus


def representation_window(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The last twelve months: from the start of the same day a year ago (Helsinki clock) to now.

    On 29 February the window opens on 28 February of the year before."""
    now = now or timezone.now()
    today = now.astimezone(HELSINKI).date()
    try:
        first_day = today.replace(year=today.year - 1)
    except ValueError:
        first_day = today.replace(year=today.year - 1, day=28)
    return datetime.datetime.combine(first_day, datetime.time(), tzinfo=HELSINKI), now


def _per_table_count(meetings: QuerySet[Meeting]):
    """How many of ``meetings`` (correlated on the standing member's table), 0 when none."""
    counted = meetings.order_by().values("table").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_attendance(queryset: QuerySet[StandingMember], *, start, now) -> QuerySet[StandingMember]:
    """Standing members with ``held`` (their table's meetings held in the window), ``represented``
    (those of them the organisation took part in) and ``missed``."""
    held = Meeting.objects.filter(held_meetings_q(start, now, now=now), table=OuterRef("table"))
    took_part = Attendance.objects.filter(
        TOOK_PART, meeting=OuterRef("pk"), organisation=OuterRef(OuterRef("organisation"))
    )
    return queryset.annotate(
        held=_per_table_count(held),
        represented=_per_table_count(held.filter(Exists(took_part))),
    ).annotate(missed=F("held") - F("represented"))


@dataclass(frozen=True)
class RepresentationRow:
    standing: StandingMember
    held: int
    represented: int

    @property
    def missed(self) -> int:
        return self.held - self.represented

    @property
    def percent(self) -> int | None:
        """The share of held meetings it was represented at, in whole per cent (None: nothing held)."""
        return round(100 * self.represented / self.held) if self.held else None


@dataclass(frozen=True)
class Representation:
    organisation: Organisation
    start: datetime.datetime
    end: datetime.datetime
    rows: list[RepresentationRow]

    @property
    def held(self) -> int:
        return sum(row.held for row in self.rows)

    @property
    def represented(self) -> int:
        return sum(row.represented for row in self.rows)

    @property
    def percent(self) -> int | None:
        return round(100 * self.represented / self.held) if self.held else None


def organisation_representation(*, organisation: Organisation, now: datetime.datetime | None = None) -> Representation:
    """The tables the organisation is an active standing member of, with its representative,
    substitute and attendance in the last twelve months. One query."""
    start, end = representation_window(now)
    standing = with_attendance(
        StandingMember.objects.filter(organisation=organisation, status=StandingMemberStatus.ACTIVE)
        .select_related("table", "table__sector", "representative", "substitute"),
        start=start,
        now=end,
    ).order_by("table__name", "pk")
    rows = [RepresentationRow(standing=member, held=member.held, represented=member.represented) for member in standing]
    return Representation(organisation=organisation, start=start, end=end, rows=rows)


@dataclass(frozen=True)
class Overview:
    start: datetime.datetime
    end: datetime.datetime
    page: Page
    show_all: bool


def representation_overview(
    *, user: User, page_number=None, show_all: bool = False, now: datetime.datetime | None = None
) -> Overview:
    """Active standing memberships of the organisations of the counties the person coordinates (every
    county for an admin) whose table held meetings in the last twelve months, most missed first
    (by the share missed, then the number); ``missed_most`` marks those that missed more than half.
    Without ``show_all`` only those that missed at least one. One page of settings.LIST_PAGE_SIZE
    rows: two queries (the count and the page)."""
    start, end = representation_window(now)
    standing = StandingMember.objects.filter(status=StandingMemberStatus.ACTIVE)
    if not user.is_superuser:
        standing = standing.filter(organisation__welfare_area_id__in=coordinated_area_ids(user))
    rows = (
        with_attendance(standing, start=start, now=end)
        .filter(held__gt=0)
        .annotate(
            missed_share=Cast("missed", FloatField()) / NullIf(Cast("held", FloatField()), Value(0.0)),
            missed_most=ExpressionWrapper(Q(missed__gt=F("held") - F("missed")), output_field=BooleanField()),
        )
        .select_related("organisation", "table", "representative", "substitute")
        .order_by("-missed_share", "-missed", "organisation__name", "table__name", "pk")
    )
    if not show_all:
        rows = rows.filter(missed__gt=0)
    page = Paginator(rows, settings.LIST_PAGE_SIZE).get_page(page_number)
    return Overview(start=start, end=end, page=page, show_all=show_all)
