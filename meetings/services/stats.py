"""Participation statistics of a table for a calendar year (Helsinki time).

Everything is computed with aggregates in a fixed number of queries, whatever the number of
meetings or attendees. A meeting counts as held when it has started and was not a draft or
cancelled (the secretary may record attendance before closing it). Attendance rows whose person
has deleted their account have no person any more: the rows of one deleted account share an
``anonymous_person`` key and count as one person; a row without either counts as one person.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from meetings.ical import HELSINKI
from meetings.models import Attendance, Meeting, MeetingStatus
from organisations.models import Municipality, Theme
from tables.models import PartnershipTable

HELD_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.HELD)


# --- What counts: the one definition of a held meeting and of taking part ----------------------
# The representation view (meetings/selectors/representation.py) counts with these too, so a
# table's statistics and an organisation's attendance never disagree.


def held_in(*, start: datetime.datetime, end: datetime.datetime, now: datetime.datetime, prefix: str = "") -> Q:
    """Meetings (or rows reached through ``prefix``, e.g. ``"meeting__"``) held in [start, end):
    started by ``now``, neither a draft nor cancelled."""
    return Q(**{
        f"{prefix}status__in": HELD_STATUSES,
        f"{prefix}starts_at__gte": start,
        f"{prefix}starts_at__lt": end,
        f"{prefix}starts_at__lte": now,
    })


# An attendance row counts when the person was there; the organisation it names took part (was
# represented) at that meeting, whoever of its people came.
TOOK_PART = Q(attended=True)


@dataclass(frozen=True)
class Counts:
    attendances: int = 0
    persons: int = 0
    organisations: int = 0


@dataclass(frozen=True)
class BreakdownRow:
    name: str
    counts: Counts


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    attendees: int
    online: int


@dataclass(frozen=True)
class TableStatistics:
    table: PartnershipTable
    year: int
    meetings: list[MeetingRow]
    totals: Counts
    online_attendances: int
    by_municipality: list[BreakdownRow] = field(default_factory=list)
    by_theme: list[BreakdownRow] = field(default_factory=list)
    # Attendances whose organisation names no municipality (or that have no organisation).
    municipality_unknown: Counts = Counts()
    theme_unknown: Counts = Counts()

    @property
    def meetings_held(self) -> int:
        return len(self.meetings)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of the year and of the next, on the Helsinki clock."""
    return (
        datetime.datetime(year, 1, 1, tzinfo=HELSINKI),
        datetime.datetime(year + 1, 1, 1, tzinfo=HELSINKI),
    )


def table_statistics_years(table: PartnershipTable) -> list[int]:
    """Years in which the table has had meetings, newest first, always including this year."""
    years = set(
        Meeting.objects.filter(table=table, status__in=HELD_STATUSES)
        .annotate(year=ExtractYear("starts_at", tzinfo=HELSINKI))
        .values_list("year", flat=True)
        .order_by()  # without the model's ordering, DISTINCT is over the year alone
        .distinct()
    )
    years.add(timezone.now().astimezone(HELSINKI).year)
    return sorted(years, reverse=True)


def _counts_annotations() -> dict:
    return {
        "attendances": Count("pk", distinct=True),
        "known_persons": Count("user", distinct=True),
        # A deleted account is one person, however many rows it left (privacy.services.account_delete).
        "former_persons": Count("anonymous_person", distinct=True),
        # A row with neither (e.g. the person was deleted in the admin) is one more person.
        "anonymous_persons": Count("pk", filter=Q(user__isnull=True, anonymous_person__isnull=True), distinct=True),
        "organisations": Count("organisation", distinct=True),
    }


def _counts(row: dict) -> Counts:
    return Counts(
        attendances=row["attendances"],
        persons=row["known_persons"] + row["former_persons"] + row["anonymous_persons"],
        organisations=row["organisations"],
    )


def _breakdown(attendances, path: str, model) -> tuple[list[BreakdownRow], Counts]:
    """Attendance grouped by the attending organisations' municipalities or themes (two queries).

    An organisation working in several municipalities counts in each of them.
    """
    grouped = list(attendances.values(path).annotate(**_counts_annotations()).order_by())
    unknown = Counts()
    by_pk = {}
    for row in grouped:
        if row[path] is None:
            unknown = _counts(row)
        else:
            by_pk[row[path]] = _counts(row)
    names = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=by_pk)}
    rows = [BreakdownRow(name=names[pk], counts=counts) for pk, counts in by_pk.items() if pk in names]
    rows.sort(key=lambda row: (-row.counts.attendances, row.name.casefold()))
    return rows, unknown


def table_statistics(*, table: PartnershipTable, year: int) -> TableStatistics:
    """Meetings held, distinct organisations and persons attending, by municipality and by theme.

    Six queries, whatever the amount of data.
    """
    start, end = year_bounds(year)
    now = timezone.now()
    held = Q(table=table) & held_in(start=start, end=end, now=now)
    meetings = [
        MeetingRow(meeting=meeting, attendees=meeting.attendee_count, online=meeting.online_count)
        for meeting in Meeting.objects.filter(held)
        .annotate(
            attendee_count=Count("attendances", filter=Q(attendances__attended=True)),
            online_count=Count("attendances", filter=Q(attendances__attended=True, attendances__online=True)),
        )
        .order_by("starts_at", "pk")
    ]
    attendances = Attendance.objects.filter(
        TOOK_PART, held_in(start=start, end=end, now=now, prefix="meeting__"), meeting__table=table
    )
    totals_row = attendances.aggregate(**_counts_annotations(), online=Count("pk", filter=Q(online=True)))
    by_municipality, municipality_unknown = _breakdown(attendances, "organisation__municipalities", Municipality)
    by_theme, theme_unknown = _breakdown(attendances, "organisation__themes", Theme)
    return TableStatistics(
        table=table,
        year=year,
        meetings=meetings,
        totals=_counts(totals_row),
        online_attendances=totals_row["online"],
        by_municipality=by_municipality,
        by_theme=by_theme,
        municipality_unknown=municipality_unknown,
        theme_unknown=theme_unknown,
    )
