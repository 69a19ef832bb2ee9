"""Participation statistics of a table for a calendar year (Helsinki time).

Everything is computed with aggregates in a fixed number of queries, whatever the number of
meetings or attendees. What counts as a held meeting and as taking part is defined once, in
meetings/selectors/participation.py (the county statistics use it too).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from meetings.ical import HELSINKI
from meetings.models import Meeting
from meetings.selectors.participation import (
    HELD_STATUSES,
    Counts,
    attendances_taking_part,
    counts_annotations,
    counts_from,
    held_meetings_q,
)
from organisations.models import Municipality, Theme
from tables.models import PartnershipTable


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


def _breakdown(attendances, path: str, model) -> tuple[list[BreakdownRow], Counts]:
    """Attendance grouped by the attending organisations' municipalities or themes (two queries).

    An organisation working in several municipalities counts in each of them.
    """
    grouped = list(attendances.values(path).annotate(**counts_annotations()).order_by())
    unknown = Counts()
    by_pk = {}
    for row in grouped:
        if row[path] is None:
            unknown = counts_from(row)
        else:
            by_pk[row[path]] = counts_from(row)
    names = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=by_pk)}
    rows = [BreakdownRow(name=names[pk], counts=counts) for pk, counts in by_pk.items() if pk in names]
    rows.sort(key=lambda row: (-row.counts.attendances, row.name.casefold()))
    return rows, unknown


def table_statistics(*, table: PartnershipTable, year: int) -> TableStatistics:
    """Meetings held, distinct organisations and persons attending, by municipality and by theme.

    Six queries, whatever the amount of data.
    """
    start, end = year_bounds(year)
    held = Q(table=table) & held_meetings_q(start, end)
    meetings = [
        MeetingRow(meeting=meeting, attendees=meeting.attendee_count, online=meeting.online_count)
        for meeting in Meeting.objects.filter(held)
        .annotate(
            attendee_count=Count("attendances", filter=Q(attendances__attended=True)),
            online_count=Count("attendances", filter=Q(attendances__attended=True, attendances__online=True)),
        )
        .order_by("starts_at", "pk")
    ]
    attendances = attendances_taking_part(start, end).filter(meeting__table=table)
    totals_row = attendances.aggregate(**counts_annotations(), online=Count("pk", filter=Q(online=True)))
    by_municipality, municipality_unknown = _breakdown(attendances, "organisation__municipalities", Municipality)
    by_theme, theme_unknown = _breakdown(attendances, "organisation__themes", Theme)
    return TableStatistics(
        table=table,
        year=year,
        meetings=meetings,
        totals=counts_from(totals_row),
        online_attendances=totals_row["online"],
        by_municipality=by_municipality,
        by_theme=by_theme,
        municipality_unknown=municipality_unknown,
        theme_unknown=theme_unknown,
    )
