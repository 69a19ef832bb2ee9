"""A table's participation statistics, as a page and as CSV (for its coordinators)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kumppanuus.csv import streaming_csv_response
from meetings.forms import StatisticsYearForm
from meetings.ical import HELSINKI
from meetings.services.stats import table_statistics, table_statistics_years
from meetings.views._access import check, signed_in_first, table_for


def _statistics_for(request, table_id: int):
    table = table_for(request, table_id)
    check(request, table, "meetings.view_table_statistics")
    years = table_statistics_years(table)
    form = StatisticsYearForm(request.GET if "year" in request.GET else None, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    return table, form, year


@signed_in_first
def statistics(request, table_id: int):
    table, form, year = _statistics_for(request, table_id)
    return render(
        request,
        "meetings/records/statistics.html",
        {
            "table": table,
            "form": form,
            "stats": table_statistics(table=table, year=year),
            "county_statistics_url": (
                reverse("meetings:county_statistics", args=[table.welfare_area_id])
                if request.user.has_perm("meetings.view_county_statistics", table.welfare_area)
                else None
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@signed_in_first
def statistics_csv(request, table_id: int):
    table, _form, year = _statistics_for(request, table_id)
    stats = table_statistics(table=table, year=year)
    totals = stats.totals
    rows = [
        [_("Total"), table.name, totals.attendances, totals.persons, totals.organisations],
        [_("Meetings held"), str(year), stats.meetings_held, "", ""],
    ]
    for row in stats.meetings:
        local = row.meeting.starts_at.astimezone(HELSINKI)
        rows.append([_("Meeting"), f"{local:%Y-%m-%d} {row.meeting.title}", row.attendees, "", ""])
    for section, section_rows, unknown in (
        (_("Municipality"), stats.by_municipality, stats.municipality_unknown),
        (_("Theme"), stats.by_theme, stats.theme_unknown),
    ):
        for row in section_rows:
            rows.append([section, row.name, row.counts.attendances, row.counts.persons, row.counts.organisations])
        if unknown.attendances:
            rows.append([section, _("Not known"), unknown.attendances, unknown.persons, unknown.organisations])
    return streaming_csv_response(
        filename=f"participation-{table.pk}-{year}.csv",
        header=[_("Section"), _("Name"), _("Attendances"), _("Persons"), _("Organisations")],
        rows=rows,
    )
