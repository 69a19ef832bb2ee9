"""County-wide statistics for a wellbeing services county's coordinators: participation over time
per table and for the county, the organisations represented by municipality and theme, and the
annual evaluations' averages year by year.

"Held" and "taking part" are defined once, in meetings/selectors/participation.py (the table
statistics use the same). Everything is an SQL aggregate that runs on PostgreSQL and SQLite alike
(Trunc* with the Helsinki time zone; Django implements them on both), in a fixed number of queries
whatever the number of tables, meetings and attendees (meetings/tests/test_county_statistics.py).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from meetings.ical import HELSINKI
from meetings.models import Meeting
from meetings.selectors.participation import (
    Counts,
    attendances_taking_part,
    counts_annotations,
    counts_from,
    held_meetings_q,
)
from organisations.models import Municipality, Organisation, Theme, WelfareArea
from tables.models import EvaluationAnswer, PartnershipTable, QuestionKind, StandingMemberStatus

# The periods the page offers: (months per step, steps).
PERIODS = {"months24": (1, 24), "months12": (1, 12), "quarters8": (3, 8)}
DEFAULT_PERIOD = "months24"
# Evaluation averages of this many years, this year included.
EVALUATION_YEARS = 6


@dataclass(frozen=True)
class Bucket:
    """One month or quarter, by its first day on the Helsinki clock."""

    start: datetime.date
    months: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.start.year, self.start.month)

    @property
    def label(self) -> str:
        if self.months == 3:
            return f"{(self.start.month - 1) // 3 + 1}/{self.start.year}"  # "2/2026": the second quarter
        return f"{self.start.month}/{self.start.year}"


@dataclass(frozen=True)
class PeriodRow:
    """Meetings held and who took part in one month or quarter."""

    bucket: Bucket
    meetings: int
    counts: Counts


@dataclass
class TableParticipation:
    table: PartnershipTable
    periods: list[PeriodRow]
    meetings: int
    counts: Counts


@dataclass(frozen=True)
class RepresentationRow:
    name: str
    standing: int
    taking_part: int


@dataclass(frozen=True)
class EvaluationRow:
    """Average of the scale answers (1–5) of one year, with how many answers and people gave it."""

    year: int
    average: float | None
    answers: int
    respondents: int


@dataclass
class TableEvaluations:
    table: PartnershipTable
    years: list[EvaluationRow]


@dataclass
class CountyStatistics:
    area: WelfareArea
    period: str
    buckets: list[Bucket]
    start: datetime.datetime
    end: datetime.datetime
    tables: list[PartnershipTable]
    county: list[PeriodRow]
    county_meetings: int
    county_counts: Counts
    per_table: list[TableParticipation]
    by_municipality: list[RepresentationRow]
    by_theme: list[RepresentationRow]
    municipality_unknown: RepresentationRow
    theme_unknown: RepresentationRow
    standing_total: int
    evaluation_years: list[int]
    county_evaluations: list[EvaluationRow]
    table_evaluations: list[TableEvaluations] = field(default_factory=list)

    def table_participation(self, table_id: int | None) -> TableParticipation | None:
        return next((row for row in self.per_table if row.table.pk == table_id), None)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_buckets(period: str, today: datetime.date) -> list[Bucket]:
    """The months (or quarters) of the period, the one of ``today`` last."""
    months, steps = PERIODS[period]
    first_month = today.month - (today.month - 1) % months
    current = datetime.date(today.year, first_month, 1)
    return [Bucket(start=_add_months(current, -months * n), months=months) for n in reversed(range(steps))]


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=HELSINKI)


def _bucket_key(value) -> tuple[int, int]:
    """The (year, month) a truncated date(time) from the database stands for, on the Helsinki clock."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(HELSINKI)
        return (value.year, value.month)
    return (value.year, value.month)


def _representation(rows, path: str) -> tuple[dict[int, int], int]:
    """{municipality or theme id: organisations}, and how many organisations name none."""
    counts, unknown = {}, 0
    for row in rows:
        if row[path] is None:
            unknown = row["n"]
        else:
            counts[row[path]] = row["n"]
    return counts, unknown


def county_tables(area: WelfareArea) -> list[PartnershipTable]:
    """The county's tables, closed ones too (their past meetings count), by name. One query."""
    return list(PartnershipTable.objects.filter(welfare_area=area).order_by("name", "pk"))


def coordinated_areas(user) -> list[WelfareArea]:
    """The counties the person coordinates, by name (for the page's links between them). One query."""
    if not user.is_authenticated:
        return []
    return list(WelfareArea.objects.filter(coordinator_roles__user=user).order_by("name", "pk"))


def county_statistics(
    *, area: WelfareArea, period: str = DEFAULT_PERIOD, tables: list[PartnershipTable] | None = None
) -> CountyStatistics:
    """Everything the county statistics page and its CSV files show. At most fifteen queries (one
    fewer when ``tables`` is given), whatever the number of tables, meetings, organisations and answers."""
    today = timezone.now().astimezone(HELSINKI).date()
    buckets = period_buckets(period, today)
    months = buckets[0].months
    start = _aware(buckets[0].start)
    end = _aware(_add_months(buckets[-1].start, months))
    trunc = TruncMonth if months == 1 else TruncQuarter

    # 1. The county's tables.
    if tables is None:
        tables = county_tables(area)
    in_area = Q(meeting__table__welfare_area=area)
    taking_part = attendances_taking_part(start, end).filter(in_area)

    # 2. Meetings held per table and period.
    meetings: dict[tuple[int, tuple[int, int]], int] = {}
    for row in (
        Meeting.objects.filter(held_meetings_q(start, end), table__welfare_area=area)
        .annotate(bucket=trunc("starts_at", tzinfo=HELSINKI))
        .values("table_id", "bucket")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["table_id"], _bucket_key(row["bucket"]))
        meetings[key] = meetings.get(key, 0) + row["n"]
    # 3. Who took part per table and period.
    table_periods = {
        (row["meeting__table_id"], _bucket_key(row["bucket"])): counts_from(row)
        for row in taking_part.annotate(bucket=trunc("meeting__starts_at", tzinfo=HELSINKI))
        .values("meeting__table_id", "bucket")
        .annotate(**counts_annotations())
        .order_by()
    }
    # 4. Who took part in the county per period: a person at two tables is one person.
    county_periods = {
        _bucket_key(row["bucket"]): counts_from(row)
        for row in taking_part.annotate(bucket=trunc("meeting__starts_at", tzinfo=HELSINKI))
        .values("bucket")
        .annotate(**counts_annotations())
        .order_by()
    }
    # 5. Who took part per table over the whole period; 6. in the county.
    table_totals = {
        row["meeting__table_id"]: counts_from(row)
        for row in taking_part.values("meeting__table_id").annotate(**counts_annotations()).order_by()
    }
    county_counts = counts_from(taking_part.aggregate(**counts_annotations()))

    per_table = []
    for table in tables:
        periods = [
            PeriodRow(
                bucket=bucket,
                meetings=meetings.get((table.pk, bucket.key), 0),
                counts=table_periods.get((table.pk, bucket.key), Counts()),
            )
            for bucket in buckets
        ]
        per_table.append(
            TableParticipation(
                table=table,
                periods=periods,
                meetings=sum(row.meetings for row in periods),
                counts=table_totals.get(table.pk, Counts()),
            )
        )
    county = [
        PeriodRow(
            bucket=bucket,
            meetings=sum(meetings.get((table.pk, bucket.key), 0) for table in tables),
            counts=county_periods.get(bucket.key, Counts()),
        )
        for bucket in buckets
    ]

    # Organisations: the active standing members of the county's tables, and those that took part
    # in a meeting of the period. 7.–10. grouped by municipality and theme; 11. standing in all.
    standing = Organisation.objects.filter(
        standing_memberships__table__welfare_area=area, standing_memberships__status=StandingMemberStatus.ACTIVE
    )
    attending = taking_part.filter(organisation__isnull=False)
    grouped = {}
    for key, path, queryset, count in (
        ("standing_m", "municipalities", standing, Count("pk", distinct=True)),
        ("part_m", "organisation__municipalities", attending, Count("organisation", distinct=True)),
        ("standing_t", "themes", standing, Count("pk", distinct=True)),
        ("part_t", "organisation__themes", attending, Count("organisation", distinct=True)),
    ):
        grouped[key] = _representation(queryset.values(path).annotate(n=count).order_by(), path)
    standing_total = standing.values("pk").distinct().count()

    def rows_of(model, standing_key: str, part_key: str) -> tuple[list[RepresentationRow], RepresentationRow]:
        standing_counts, standing_unknown = grouped[standing_key]
        part_counts, part_unknown = grouped[part_key]
        ids = set(standing_counts) | set(part_counts)
        rows = [
            RepresentationRow(
                name=str(obj), standing=standing_counts.get(obj.pk, 0), taking_part=part_counts.get(obj.pk, 0)
            )
            for obj in model.objects.filter(pk__in=ids)
        ] if ids else []
        rows.sort(key=lambda row: (-row.standing, -row.taking_part, row.name.casefold()))
        return rows, RepresentationRow(name="", standing=standing_unknown, taking_part=part_unknown)

    # 12., 13. the names of the municipalities and themes found (none when nothing was found).
    by_municipality, municipality_unknown = rows_of(Municipality, "standing_m", "part_m")
    by_theme, theme_unknown = rows_of(Theme, "standing_t", "part_t")

    # Evaluations: the average of the scale answers per year, 14. per table and 15. in the county.
    first_year = today.year - EVALUATION_YEARS + 1
    answers = EvaluationAnswer.objects.filter(
        response__evaluation__table__welfare_area=area,
        response__evaluation__year__gte=first_year,
        question__kind=QuestionKind.SCALE,
        scale_value__isnull=False,
    )
    aggregates = {
        "average": Avg("scale_value"),
        "answers": Count("pk"),
        "respondents": Count("response", distinct=True),
    }
    by_table_year = {
        (row["response__evaluation__table_id"], row["response__evaluation__year"]): row
        for row in answers.values("response__evaluation__table_id", "response__evaluation__year")
        .annotate(**aggregates)
        .order_by()
    }
    by_year = {
        row["response__evaluation__year"]: row
        for row in answers.values("response__evaluation__year").annotate(**aggregates).order_by()
    }
    evaluation_years = sorted(by_year)

    def evaluation_row(year: int, row: dict | None) -> EvaluationRow:
        if row is None:
            return EvaluationRow(year=year, average=None, answers=0, respondents=0)
        return EvaluationRow(
            year=year, average=float(row["average"]), answers=row["answers"], respondents=row["respondents"]
        )

    return CountyStatistics(
        area=area,
        period=period,
        buckets=buckets,
        start=start,
        end=end,
        tables=tables,
        county=county,
        county_meetings=sum(row.meetings for row in county),
        county_counts=county_counts,
        per_table=per_table,
        by_municipality=by_municipality,
        by_theme=by_theme,
        municipality_unknown=municipality_unknown,
        theme_unknown=theme_unknown,
        standing_total=standing_total,
        evaluation_years=evaluation_years,
        county_evaluations=[evaluation_row(year, by_year.get(year)) for year in evaluation_years],
        table_evaluations=[
            TableEvaluations(
                table=table,
                years=[evaluation_row(year, by_table_year.get((table.pk, year))) for year in evaluation_years],
            )
            for table in tables
        ],
    )
