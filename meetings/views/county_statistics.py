"""A wellbeing services county's statistics across its tables, as a page of charts and tables and as
CSV files (for the county's coordinators and admins)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kumppanuus.charts import bar_chart, line_chart
from kumppanuus.csv import streaming_csv_response
from meetings.forms import CountyStatisticsForm
from meetings.selectors.county_statistics import (
    DEFAULT_PERIOD,
    CountyStatistics,
    coordinated_areas,
    county_statistics,
    county_tables,
)
from meetings.views._access import SignInFirst, check, signed_in_first
from organisations.models import WelfareArea

CSV_SECTIONS = ("participation", "organisations", "evaluations")


def _area_for(request, area_id: int) -> WelfareArea:
    """The county if the person may see its statistics: anonymous visitors sign in first, a missing
    county is 404, anyone else but its coordinators and admins gets 403 (the counties are public)."""
    if not request.user.is_authenticated:
        raise SignInFirst
    area = WelfareArea.objects.filter(pk=area_id).first()
    if area is None:
        raise Http404
    check(request, area, "meetings.view_county_statistics")
    return area


def _statistics_for(request, area: WelfareArea):
    """The filter form, and the county's statistics for the chosen period (the default when the form has errors)."""
    tables = county_tables(area)
    bound = any(name in request.GET for name in ("period", "table"))
    form = CountyStatisticsForm(request.GET if bound else None, tables=tables, initial={"period": DEFAULT_PERIOD})
    valid = bound and form.is_valid()
    period = form.cleaned_data["period"] if valid else DEFAULT_PERIOD
    table_id = form.cleaned_data["table"] if valid else None
    stats = county_statistics(area=area, period=period, tables=tables)
    return form, stats, table_id


def _average(value: float | None) -> str:
    return "–" if value is None else number_format(value, 1)


def _charts(stats: CountyStatistics, table_id: int | None) -> dict:
    chosen = stats.table_participation(table_id)
    rows = chosen.periods if chosen else stats.county
    over_time = line_chart(
        id="chart-over-time",
        title=(
            _("Participation over time: %(table)s") % {"table": chosen.table.name}
            if chosen
            else _("Participation over time in the whole county")
        ),
        categories=[row.bucket.label for row in rows],
        series=[
            (_("Meetings held"), [row.meetings for row in rows]),
            (_("Organisations taking part"), [row.counts.organisations for row in rows]),
            (_("People taking part"), [row.counts.persons for row in rows]),
        ],
        x_axis_label=_("Month") if stats.buckets[0].months == 1 else _("Quarter"),
        y_axis_label=_("Number"),
    )
    per_table = bar_chart(
        id="chart-tables",
        title=_("Participation per table in the period"),
        categories=[row.table.name for row in stats.per_table],
        series=[
            (_("Meetings held"), [row.meetings for row in stats.per_table]),
            (_("Organisations taking part"), [row.counts.organisations for row in stats.per_table]),
            (_("People taking part"), [row.counts.persons for row in stats.per_table]),
        ],
        axis_label=_("Number"),
    )
    organisation_series = [(_("Standing members"), "standing"), (_("Took part in the period"), "taking_part")]
    municipalities = bar_chart(
        id="chart-municipalities",
        title=_("Organisations by municipality"),
        categories=[row.name for row in stats.by_municipality],
        series=[(label, [getattr(row, key) for row in stats.by_municipality]) for label, key in organisation_series],
        axis_label=_("Organisations"),
    )
    themes = bar_chart(
        id="chart-themes",
        title=_("Organisations by theme"),
        categories=[row.name for row in stats.by_theme],
        series=[(label, [getattr(row, key) for row in stats.by_theme]) for label, key in organisation_series],
        axis_label=_("Organisations"),
    )
    evaluation_series = [(_("Whole county"), [row.average for row in stats.county_evaluations])]
    chosen_evaluations = next((row for row in stats.table_evaluations if row.table.pk == table_id), None)
    if chosen_evaluations:
        evaluation_series.append((chosen_evaluations.table.name, [row.average for row in chosen_evaluations.years]))
    evaluations = bar_chart(
        id="chart-evaluations",
        title=_("Annual evaluation: average of the scale answers (1–5) by year"),
        categories=[str(year) for year in stats.evaluation_years],
        series=evaluation_series,
        axis_label=_("Average (1–5)"),
        maximum=5,
        format_value=_average,
    )
    return {
        "chosen": chosen,
        "chart_over_time": over_time,
        "chart_tables": per_table,
        "chart_municipalities": municipalities,
        "chart_themes": themes,
        "chart_evaluations": evaluations,
    }


@signed_in_first
def county_statistics_page(request, area_id: int):
    area = _area_for(request, area_id)
    form, stats, table_id = _statistics_for(request, area)
    query = request.GET.urlencode()
    context = {
        "area": area,
        "form": form,
        "stats": stats,
        "other_areas": [other for other in coordinated_areas(request.user) if other.pk != area.pk],
        "csv_urls": {
            section: reverse("meetings:county_statistics_csv", args=[area.pk, section]) + (f"?{query}" if query else "")
            for section in CSV_SECTIONS
        },
        **_charts(stats, table_id),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "meetings/records/county_statistics.html", context, status=status)


def _participation_rows(stats: CountyStatistics):
    county = _("Whole county")
    for row in stats.county:
        yield [county, row.bucket.label, row.meetings, row.counts.organisations, row.counts.persons]
    yield [county, _("In all"), stats.county_meetings, stats.county_counts.organisations, stats.county_counts.persons]
    for table in stats.per_table:
        for row in table.periods:
            yield [table.table.name, row.bucket.label, row.meetings, row.counts.organisations, row.counts.persons]
        yield [table.table.name, _("In all"), table.meetings, table.counts.organisations, table.counts.persons]


def _organisation_rows(stats: CountyStatistics):
    for section, rows, unknown in (
        (_("Municipality"), stats.by_municipality, stats.municipality_unknown),
        (_("Theme"), stats.by_theme, stats.theme_unknown),
    ):
        for row in rows:
            yield [section, row.name, row.standing, row.taking_part]
        if unknown.standing or unknown.taking_part:
            yield [section, _("Not known"), unknown.standing, unknown.taking_part]


def _evaluation_rows(stats: CountyStatistics):
    # Averages with a decimal point whatever the language, so a spreadsheet reads them as numbers.
    def average(value):
        return "" if value is None else f"{value:.2f}"

    for row in stats.county_evaluations:
        yield [_("Whole county"), row.year, average(row.average), row.answers, row.respondents]
    for table in stats.table_evaluations:
        for row in table.years:
            yield [table.table.name, row.year, average(row.average), row.answers, row.respondents]


@signed_in_first
def county_statistics_csv(request, area_id: int, section: str):
    area = _area_for(request, area_id)
    if section not in CSV_SECTIONS:
        raise Http404
    _form, stats, _table_id = _statistics_for(request, area)
    if section == "participation":
        header = [_("Table"), _("Period"), _("Meetings held"), _("Organisations taking part"), _("People taking part")]
        rows = _participation_rows(stats)
    elif section == "organisations":
        header = [_("Section"), _("Name"), _("Standing members"), _("Took part in the period")]
        rows = _organisation_rows(stats)
    else:
        header = [_("Table"), _("Year"), _("Average (1–5)"), _("Answers"), _("Respondents")]
        rows = _evaluation_rows(stats)
    return streaming_csv_response(
        filename=f"county-{area.pk}-{section}-{stats.period}.csv", header=header, rows=list(rows)
    )
