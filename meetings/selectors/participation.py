"""The one definition of "taking part" in a table's meetings, shared by the table statistics
(meetings/services/stats.py) and the county statistics (meetings/selectors/county_statistics.py).

A meeting counts as held when it has started and was not a draft or cancelled (the secretary may
record attendance before closing it). A person or organisation takes part in a held meeting when
an attendance row marked attended names them. Rows whose person has deleted their account have no
person any more: the rows of one deleted account share an ``anonymous_person`` key and count as one
person; a row without either counts as one person.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetings.models import Attendance, MeetingStatus

HELD_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.HELD)


@dataclass(frozen=True)
class Counts:
    attendances: int = 0
    persons: int = 0
    organisations: int = 0


def held_meetings_q(
    start: datetime.datetime, end: datetime.datetime, prefix: str = "", now: datetime.datetime | None = None
) -> Q:
    """Meetings held in [start, end) and started by ``now``, as a filter on Meeting (or, with
    ``prefix``, on a relation to it)."""
    return Q(
        **{
            f"{prefix}status__in": HELD_STATUSES,
            f"{prefix}starts_at__gte": start,
            f"{prefix}starts_at__lt": end,
            f"{prefix}starts_at__lte": now or timezone.now(),
        }
    )


# An attendance row counts when the person was there; the organisation it names took part (was
# represented) at that meeting, whoever of its people came.
TOOK_PART = Q(attended=True)


def attendances_taking_part(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Attendance]:
    """Attendance rows of people who took part in meetings held in [start, end); filter further by table."""
    return Attendance.objects.filter(held_meetings_q(start, end, prefix="meeting__"), TOOK_PART)


def counts_annotations() -> dict:
    """Aggregates over attendance rows that ``counts_from`` turns into Counts."""
    return {
        "attendances": Count("pk", distinct=True),
        "known_persons": Count("user", distinct=True),
        # A deleted account is one person, however many rows it left (privacy.services.account_delete).
        "former_persons": Count("anonymous_person", distinct=True),
        # A row with neither (e.g. the person was deleted in the admin) is one more person.
        "anonymous_persons": Count("pk", filter=Q(user__isnull=True, anonymous_person__isnull=True), distinct=True),
        "organisations": Count("organisation", distinct=True),
    }


def counts_from(row: dict) -> Counts:
    return Counts(
        attendances=row["attendances"],
        persons=row["known_persons"] + row["former_persons"] + row["anonymous_persons"],
        organisations=row["organisations"],
    )
