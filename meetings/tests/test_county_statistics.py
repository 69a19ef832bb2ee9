"""County-wide statistics (meetings/selectors/county_statistics.py): the numbers on a hand-built
county, the CSV files, the filter form's errors and the query count at two sizes."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from kumppanuus.charts import bar_chart, line_chart, nice_ceiling
from meetings.ical import HELSINKI
from meetings.models import Meeting, MeetingStatus
from meetings.selectors.county_statistics import county_statistics, period_buckets
from meetings.tests.factories import AttendanceFactory
from organisations.tests.factories import MunicipalityFactory, OrganisationFactory, ThemeFactory
from tables.models import EvaluationAnswer, EvaluationResponse, QuestionKind, StandingMemberStatus
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    SectorFactory,
    StandingMemberFactory,
    default_evaluation_template,
)

pytestmark = pytest.mark.django_db

# Mid-June 2026 on the Helsinki clock: the last 24 months are 7/2024 … 6/2026.
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def _at(year: int, month: int, day: int, hour: int = 13, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def _meeting(table, when, status=MeetingStatus.HELD, title="Kokous"):
    return Meeting.objects.create(
        table=table, title=title, status=status, starts_at=when, ends_at=when + datetime.timedelta(hours=2)
    )


def _answers(evaluation, *values_per_person):
    scale = [q for q in evaluation.template.questions.all() if q.kind == QuestionKind.SCALE]
    text = next(q for q in evaluation.template.questions.all() if q.kind == QuestionKind.TEXT)
    for values in values_per_person:
        response = EvaluationResponse.objects.create(evaluation=evaluation, respondent=UserFactory())
        for question, value in zip(scale, values, strict=False):
            EvaluationAnswer.objects.create(response=response, question=question, scale_value=value)
        EvaluationAnswer.objects.create(response=response, question=text, text="Hyvä pöytä")


def _evaluation(table, year: int):
    return AnnualEvaluationFactory(
        table=table, year=year, opens_on=datetime.date(year, 5, 1), due_on=datetime.date(year, 6, 1)
    )


@pytest.fixture
def county(area, other_area):
    sector = SectorFactory(welfare_area=area)
    first = PartnershipTableFactory(sector=sector, name="A-pöytä")
    second = PartnershipTableFactory(sector=sector, name="B-pöytä")
    elsewhere = PartnershipTableFactory(sector=SectorFactory(welfare_area=other_area), name="Lapin pöytä")
    vaasa = MunicipalityFactory(code="905", name="Vaasa", welfare_area=area)
    mustasaari = MunicipalityFactory(code="499", name="Mustasaari", welfare_area=area)
    mental = ThemeFactory(slug="mielenterveys", name="Mielenterveys")
    older = ThemeFactory(slug="ikaantyneet", name="Ikääntyneet")
    org_a = OrganisationFactory(welfare_area=area, municipalities=[vaasa], themes=[mental])
    org_b = OrganisationFactory(welfare_area=area, municipalities=[vaasa, mustasaari], themes=[mental, older])
    org_c = OrganisationFactory(welfare_area=area)
    org_d = OrganisationFactory(welfare_area=area, municipalities=[mustasaari])
    # Standing: A at both tables (one organisation), D at the first; B has only asked.
    StandingMemberFactory(table=first, organisation=org_a, status=StandingMemberStatus.ACTIVE)
    StandingMemberFactory(table=second, organisation=org_a, status=StandingMemberStatus.ACTIVE)
    StandingMemberFactory(table=first, organisation=org_d, status=StandingMemberStatus.ACTIVE)
    StandingMemberFactory(table=second, organisation=org_b, status=StandingMemberStatus.REQUESTED)

    anna, bertta, cecilia, dora, eero = (UserFactory() for _ in range(5))
    m1 = _meeting(first, _at(2026, 3, 10))
    m2 = _meeting(first, _at(2026, 3, 25), status=MeetingStatus.SCHEDULED)  # held, not closed yet: counts
    m3 = _meeting(first, _at(2026, 5, 1, 0, 30))  # 30 April in UTC, May in Helsinki
    cancelled = _meeting(first, _at(2026, 4, 4), status=MeetingStatus.CANCELLED)
    too_old = _meeting(first, _at(2024, 6, 30))
    coming = _meeting(first, _at(2026, 6, 20), status=MeetingStatus.SCHEDULED)
    n1 = _meeting(second, _at(2026, 3, 12))
    lapland = _meeting(elsewhere, _at(2026, 3, 12))
    AttendanceFactory(meeting=m1, user=anna, organisation=org_a)
    AttendanceFactory(meeting=m1, user=bertta, organisation=org_b)
    AttendanceFactory(meeting=m1, user=cecilia, organisation=None)
    AttendanceFactory(meeting=m1, user=dora, organisation=org_c, attended=False)
    AttendanceFactory(meeting=m2, user=anna, organisation=org_a)
    AttendanceFactory(meeting=m2, user=None, organisation=org_b)  # a deleted account
    AttendanceFactory(meeting=m3, user=bertta, organisation=org_b)
    AttendanceFactory(meeting=n1, user=anna, organisation=org_a)
    AttendanceFactory(meeting=n1, user=eero, organisation=org_c)
    for meeting in (cancelled, too_old, coming, lapland):
        AttendanceFactory(meeting=meeting, user=eero, organisation=org_d)

    _answers(_evaluation(first, 2025), (4, 5), (3,))
    _answers(_evaluation(second, 2025), (2,))
    _answers(_evaluation(first, 2026), (5, 5))
    _answers(_evaluation(first, 2019), (1,))  # older than six years: not shown
    _answers(_evaluation(elsewhere, 2025), (1, 1))
    return first, second


def _row(rows, label):
    return next(row for row in rows if row.bucket.label == label)


def test_participation_per_month_per_table_and_for_the_county(area, county):
    first, second = county
    stats = county_statistics(area=area)
    assert [bucket.label for bucket in stats.buckets][:2] == ["7/2024", "8/2024"]
    assert stats.buckets[-1].label == "6/2026" and len(stats.buckets) == 24
    assert [table.name for table in stats.tables] == ["A-pöytä", "B-pöytä"]

    march = _row(stats.county, "3/2026")
    # m1, m2, n1; anna, bertta, cecilia, the deleted account, eero; A, B, C.
    assert (march.meetings, march.counts.persons, march.counts.organisations) == (3, 5, 3)
    assert _row(stats.county, "4/2026").meetings == 0  # cancelled
    may = _row(stats.county, "5/2026")
    assert (may.meetings, may.counts.persons, may.counts.organisations) == (1, 1, 1)
    assert _row(stats.county, "6/2026").meetings == 0  # not held yet

    a, b = stats.per_table
    a_march = _row(a.periods, "3/2026")
    assert (a_march.meetings, a_march.counts.persons, a_march.counts.organisations) == (2, 4, 2)
    assert (a.meetings, a.counts.persons, a.counts.organisations) == (3, 4, 2)
    assert (b.meetings, b.counts.persons, b.counts.organisations) == (1, 2, 2)
    # A person at two tables is one person for the county.
    assert (stats.county_meetings, stats.county_counts.persons, stats.county_counts.organisations) == (4, 5, 3)


def test_participation_per_quarter(area, county):
    stats = county_statistics(area=area, period="quarters8")
    assert [bucket.label for bucket in stats.buckets] == [
        "3/2024", "4/2024", "1/2025", "2/2025", "3/2025", "4/2025", "1/2026", "2/2026"
    ]  # fmt: skip
    assert _row(stats.county, "1/2026").meetings == 3
    assert _row(stats.county, "2/2026").meetings == 1
    assert _row(stats.county, "2/2026").counts.persons == 1


def test_organisations_by_municipality_and_theme(area, county):
    stats = county_statistics(area=area)
    by_municipality = {row.name: (row.standing, row.taking_part) for row in stats.by_municipality}
    assert by_municipality == {"Vaasa": (1, 2), "Mustasaari": (1, 1)}
    assert (stats.municipality_unknown.standing, stats.municipality_unknown.taking_part) == (0, 1)
    by_theme = {row.name: (row.standing, row.taking_part) for row in stats.by_theme}
    assert by_theme == {"Mielenterveys": (1, 2), "Ikääntyneet": (0, 1)}
    assert (stats.theme_unknown.standing, stats.theme_unknown.taking_part) == (1, 1)
    assert stats.standing_total == 2


def test_evaluation_averages_year_by_year(area, county):
    stats = county_statistics(area=area)
    assert stats.evaluation_years == [2025, 2026]
    assert [(row.year, row.average, row.answers, row.respondents) for row in stats.county_evaluations] == [
        (2025, 3.5, 4, 3),
        (2026, 5.0, 2, 1),
    ]
    first, second = stats.table_evaluations
    assert [(row.average, row.respondents) for row in first.years] == [(4.0, 2), (5.0, 1)]
    assert [(row.average, row.respondents) for row in second.years] == [(2.0, 1), (None, 0)]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_page_and_csv(client, area, county, coordinator):
    client.force_login(coordinator)
    url = reverse("meetings:county_statistics", args=[area.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<figure") == 5 and html.count('role="img"') == 5
    assert "<caption" in html and "A-pöytä" in html and "Mielenterveys" in html
    assert 'style="' not in html.split("<main", 1)[1]  # nothing the policy's style-src would refuse

    participation = _csv(client.get(reverse("meetings:county_statistics_csv", args=[area.pk, "participation"])))
    assert participation[0] == ["Table", "Period", "Meetings held", "Organisations taking part", "People taking part"]
    assert ["Whole county", "3/2026", "3", "3", "5"] in participation
    assert ["Whole county", "In all", "4", "3", "5"] in participation
    assert ["A-pöytä", "3/2026", "2", "2", "4"] in participation
    assert ["B-pöytä", "In all", "1", "2", "2"] in participation
    organisations = _csv(client.get(reverse("meetings:county_statistics_csv", args=[area.pk, "organisations"])))
    assert ["Municipality", "Vaasa", "1", "2"] in organisations
    assert ["Theme", "Not known", "1", "1"] in organisations
    evaluations = _csv(client.get(reverse("meetings:county_statistics_csv", args=[area.pk, "evaluations"])))
    assert ["Whole county", "2025", "3.50", "4", "3"] in evaluations
    assert ["B-pöytä", "2026", "", "0", "0"] in evaluations

    # One table beside the county, by quarter; the CSV follows the period.
    first, _second = county
    page = client.get(url, {"period": "quarters8", "table": first.pk})
    assert page.status_code == 200 and page.context["chosen"].table == first
    quarters = _csv(client.get(reverse("meetings:county_statistics_csv", args=[area.pk, "participation"]),
                               {"period": "quarters8"}))  # fmt: skip
    assert ["Whole county", "1/2026", "3", "3", "5"] in quarters


@pytest.mark.parametrize(
    "query", [{"period": "decade"}, {"period": ""}, {"table": "abc"}, {"table": "999999"}, {"period": "x\x00"}]
)
def test_a_bad_filter_is_answered_next_to_the_field(client, area, county, coordinator, query):
    client.force_login(coordinator)
    response = client.get(reverse("meetings:county_statistics", args=[area.pk]), query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert response.context["stats"].period == "months24"


def test_the_workspace_and_the_table_statistics_link_here(client, area, county, coordinator):
    client.force_login(coordinator)
    url = reverse("meetings:county_statistics", args=[area.pk])
    assert url in client.get(reverse("dashboard")).content.decode()
    first, _second = county
    assert url in client.get(reverse("meetings:table_statistics", args=[first.pk])).content.decode()


def test_charts_are_drawn_without_inline_styles_and_with_every_value():
    assert nice_ceiling(0) == (1, 1)
    assert nice_ceiling(7) == (8, 2)
    assert nice_ceiling(13) == (15, 5)
    chart = bar_chart(
        id="c", title="T", categories=["Vaasa", "Mustasaari"], series=[("a", [3, 0]), ("b", [1, None])],
        axis_label="n",
    )  # fmt: skip
    assert [[bar.value_text for bar in row.bars] for row in chart.rows] == [["3", "1"], ["0", "–"]]
    assert [item.pattern for item in chart.legend] == ["solid", "stripes"]
    line = line_chart(
        id="l", title="T", categories=[str(n) for n in range(24)], series=[("a", [n for n in range(24)])],
        x_axis_label="x", y_axis_label="y",
    )  # fmt: skip
    assert line.lines[0].last.value_text == "23"
    assert len(line.x_labels) <= 9
    assert period_buckets("months12", datetime.date(2026, 1, 31))[0].label == "2/2025"


def _many(area, count: int) -> None:
    sector = SectorFactory(welfare_area=area)
    template = default_evaluation_template()
    scale = next(q for q in template.questions.all() if q.kind == QuestionKind.SCALE)
    municipality = MunicipalityFactory(welfare_area=area)
    theme = ThemeFactory()
    for index in range(count):
        table = PartnershipTableFactory(sector=sector)
        organisation = OrganisationFactory(welfare_area=area, municipalities=[municipality], themes=[theme])
        StandingMemberFactory(table=table, organisation=organisation, status=StandingMemberStatus.ACTIVE)
        meeting = _meeting(table, _at(2026, 1 + index % 5, 10))
        AttendanceFactory(meeting=meeting, organisation=organisation)
        AttendanceFactory(meeting=meeting, organisation=None)
        response = EvaluationResponse.objects.create(evaluation=_evaluation(table, 2025), respondent=UserFactory())
        EvaluationAnswer.objects.create(response=response, question=scale, scale_value=1 + index % 5)


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow(client, area, coordinator, django_assert_max_num_queries, count):
    _many(area, count)
    client.force_login(coordinator)
    # Session and user; the county; coordinated counties (permission, also the navigation); the
    # tables; meetings per table and month; taking part per table and month, per month, per table,
    # in all; organisations by municipality and theme, standing and taking part (4); standing in
    # all; municipality and theme names; evaluation averages per table and year, per year; the
    # counties the person coordinates; the navigation's count of what waits.
    with django_assert_max_num_queries(21):
        page = client.get(reverse("meetings:county_statistics", args=[area.pk]))
    assert page.status_code == 200
    assert len(page.context["stats"].per_table) == count
    assert page.context["stats"].county_meetings == count
    for section in ("participation", "organisations", "evaluations"):
        with django_assert_max_num_queries(19):
            response = client.get(reverse("meetings:county_statistics_csv", args=[area.pk, section]))
            assert len(_csv(response)) > 1


def test_the_demo_coordinator_sees_charts_with_data(client):
    """`make run` opens on a county in use: its statistics show meetings, organisations and evaluations."""
    call_command("load_demo", stdout=io.StringIO())
    coordinator = User.objects.get(email="koordinaattori@demo.kumppanuus.fi")
    client.force_login(coordinator)
    workspace = client.get(reverse("dashboard"))
    page = client.get(workspace.context["county_statistics_url"])
    assert page.status_code == 200
    stats = page.context["stats"]
    assert stats.county_meetings > 0 and stats.county_counts.persons > 0
    assert all(table.meetings > 0 for table in stats.per_table)
    assert stats.by_municipality and stats.by_theme
    assert stats.county_evaluations and all(row.average for row in stats.county_evaluations)
    for name in ("chart_over_time", "chart_tables", "chart_municipalities", "chart_themes", "chart_evaluations"):
        assert not page.context[name].empty, name
