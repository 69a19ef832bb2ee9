"""The daily evaluation sweep: opening, reminders, overdue notices, idempotence and DST.

Times are Helsinki wall-clock times (time_machine moves the clock); the sweep must count
days in Helsinki dates, so a run at 00:30 belongs to the new local day even though it is
still the previous day in UTC.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.tests.factories import UserFactory
from kumppanuus.schedules import PERIODIC_TASKS
from organisations.tests.factories import MembershipFactory
from outbox.engine import outbox_sweep
from tables import services
from tables.models import (
    AnnualEvaluation,
    EvaluationReminder,
    EvaluationReminderKind,
    EvaluationStatus,
    PartnershipTable,
    ProcessStep,
    ProcessTemplate,
    TableStatus,
)
from tables.selectors import evaluations_to_open, evaluations_with_notices_due
from tables.tasks import send_evaluation_reminders_task
from tables.tests.factories import AnnualEvaluationFactory, PartnershipTableFactory, StandingMemberFactory

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def at(text: str):
    """time_machine at a Helsinki wall-clock time, e.g. at("2026-11-01 07:00")."""
    moment = datetime.datetime.fromisoformat(text).replace(tzinfo=HELSINKI)
    return time_machine.travel(moment, tick=False)


def sending():
    """Runs what the code queues on commit (the outbox's send tasks, eagerly) as a commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def run_sweep() -> dict:
    with sending():
        return send_evaluation_reminders_task.delay().get()


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def kinds_sent() -> list[tuple[str, str]]:
    return sorted(EvaluationReminder.objects.values_list("kind", "user__email"))


@pytest.fixture
def people(table, standing_member, coordinator, owner, representative, member):
    return {"owner": owner, "coordinator": coordinator, "representative": representative, "substitute": member}


@pytest.fixture
def november(settings):
    settings.EVALUATION_OPENS = (11, 1)
    settings.EVALUATION_DUE_DAYS = 30


# --- Opening ------------------------------------------------------------------------------


def test_sweep_creates_and_opens_the_years_evaluation_on_the_opening_day(people, table, november):
    people["representative"].language = "sv"
    people["representative"].save()
    with at("2026-10-31 23:30"):
        assert run_sweep() == {"created": 0, "opened": 0, "queued": 0}
    assert not AnnualEvaluation.objects.exists()
    with at("2026-11-01 07:00"):
        assert run_sweep() == {"created": 1, "opened": 1, "queued": 4}
    evaluation = AnnualEvaluation.objects.get()
    assert (evaluation.table, evaluation.year, evaluation.status) == (table, 2026, EvaluationStatus.OPEN)
    assert (evaluation.opens_on, evaluation.due_on) == (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    assert evaluation.template.is_default
    # Owner, coordinators and the standing members' representatives and substitutes.
    assert sent_to() == sorted(person.email for person in people.values())
    by_address = {message.to[0]: message for message in mail.outbox}
    swedish = by_address[people["representative"].email]
    finnish = by_address[people["substitute"].email]
    assert '<html lang="sv">' in swedish.alternatives[0][0] and "december 2026" in swedish.body
    assert '<html lang="fi">' in finnish.alternatives[0][0] and "joulukuuta 2026" in finnish.body
    assert f"/tables/evaluations/{evaluation.pk}/answer/" in swedish.body
    assert f"/tables/evaluations/{evaluation.pk}/" in by_address[people["owner"].email].body
    assert "/me/profile/" in swedish.body  # the notification settings link


def test_sweep_run_twice_sends_each_notice_once(people, november):
    with at("2026-11-01 07:00"):
        run_sweep()
        first = len(mail.outbox)
        assert run_sweep() == {"created": 0, "opened": 0, "queued": 0}
    with at("2026-11-01 23:30"):
        assert run_sweep()["queued"] == 0
    assert len(mail.outbox) == first == 4
    assert EvaluationReminder.objects.filter(kind=EvaluationReminderKind.OPENED).count() == 4


def test_sweep_at_half_past_midnight_belongs_to_the_new_helsinki_day(people, november):
    # 00:30 on 1 November in Helsinki is still 31 October in UTC.
    with at("2026-11-01 00:30"):
        assert datetime.datetime.now(datetime.UTC).date() == datetime.date(2026, 10, 31)
        assert run_sweep()["opened"] == 1


def test_sweep_leaves_tables_that_are_not_active_and_late_comers(sector, owner, november):
    PartnershipTableFactory(sector=sector, owner=owner, status=TableStatus.PLANNED)
    PartnershipTableFactory(sector=sector, owner=owner, status=TableStatus.PAUSED)
    with at("2026-11-01 07:00"):
        assert run_sweep()["created"] == 0
    PartnershipTableFactory(sector=sector, owner=owner, status=TableStatus.ACTIVE)
    with at("2026-12-05 07:00"):  # after this year's due date: evaluated next year
        assert run_sweep()["created"] == 0


def test_sweep_opens_a_scheduled_evaluation_on_its_own_date(people, table):
    AnnualEvaluationFactory(table=table, status=EvaluationStatus.SCHEDULED, year=2026,
                            opens_on=datetime.date(2026, 3, 2), due_on=datetime.date(2026, 4, 2))
    with at("2026-03-01 07:00"):
        assert run_sweep()["opened"] == 0
    with at("2026-03-02 07:00"):
        assert run_sweep()["opened"] == 1
    assert len(mail.outbox) == 4


def test_the_opening_notices_are_queued_and_sent_once(people, table):
    evaluation = AnnualEvaluationFactory(table=table)  # open since five days
    with sending():
        assert services.evaluation_send_notices(evaluation=evaluation) == 4
    with sending():
        assert services.evaluation_send_notices(evaluation=evaluation) == 0
    assert len(mail.outbox) == 4
    assert set(EvaluationReminder.objects.values_list("delivery_status", flat=True)) == {"sent"}


# --- Reminders ----------------------------------------------------------------------------


@pytest.fixture
def open_evaluation(people, table):
    evaluation = AnnualEvaluationFactory(table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
                                         due_on=datetime.date(2026, 12, 1))
    # The opening notices went out on 1 November.
    with at("2026-11-01 07:00"), sending():
        services.evaluation_send_notices(evaluation=evaluation)
    mail.outbox.clear()
    return evaluation


def answer(evaluation, person):
    answers = {q.pk: (3 if q.kind == "scale" else "") for q in evaluation.template.questions.all()}
    services.evaluation_respond(respondent=person, evaluation=evaluation, answers=answers)


def test_reminders_14_and_3_days_before_go_to_those_who_have_not_answered(open_evaluation, people):
    answer(open_evaluation, people["representative"])
    with at("2026-11-16 07:00"):
        assert run_sweep()["queued"] == 0
    with at("2026-11-17 07:00"):  # 14 days before 1 December
        run_sweep()
        run_sweep()
    assert sent_to() == sorted([people["coordinator"].email, people["substitute"].email])
    assert "14" in mail.outbox[0].subject
    mail.outbox.clear()
    answer(open_evaluation, people["substitute"])
    with at("2026-11-28 07:00"):  # 3 days before
        run_sweep()
        run_sweep()
    assert sent_to() == [people["coordinator"].email]
    assert "3" in mail.outbox[0].subject


def test_overdue_notice_goes_to_the_owner_once(open_evaluation, people):
    with at("2026-12-01 07:00"):
        run_sweep()  # due today: the 3-day reminder (caught up), not overdue yet
    assert EvaluationReminder.objects.filter(kind=EvaluationReminderKind.OVERDUE).count() == 0
    mail.outbox.clear()
    with at("2026-12-02 07:00"):
        run_sweep()
        run_sweep()
    with at("2026-12-03 07:00"):
        run_sweep()
    assert sent_to() == [people["owner"].email]
    assert open_evaluation.table.name in mail.outbox[0].subject
    assert EvaluationReminder.objects.get(kind=EvaluationReminderKind.OVERDUE).user == people["owner"]
    assert f"/tables/{open_evaluation.table_id}/evaluations/" in mail.outbox[0].body


def test_closed_evaluations_get_no_reminders(open_evaluation, coordinator):
    services.evaluation_close(actor=coordinator, evaluation=open_evaluation)
    with at("2026-11-17 07:00"):
        assert run_sweep()["queued"] == 0
    with at("2026-12-02 07:00"):
        assert run_sweep()["queued"] == 0


def test_people_who_turned_reminders_off_get_none_but_the_owner_hears_of_overdue(open_evaluation, people):
    for person in people.values():
        person.notify_evaluation_reminders = False
        person.save()
    with at("2026-11-17 07:00"):
        assert run_sweep()["queued"] == 0
    with at("2026-11-28 07:00"):
        assert run_sweep()["queued"] == 0
    with at("2026-12-02 07:00"):
        assert run_sweep()["queued"] == 1
    assert sent_to() == [people["owner"].email]


def test_reminders_reach_only_current_approved_members(open_evaluation, people, standing_member, organisation):
    # A representative who has left the organisation is not reminded; an inactive account neither.
    membership = people["substitute"].memberships.get(organisation=organisation)
    membership.status = "rejected"
    membership.save()
    people["coordinator"].is_active = False
    people["coordinator"].save()
    with at("2026-11-17 07:00"):
        run_sweep()
    assert sent_to() == [people["representative"].email]


def test_no_reminder_the_day_after_a_late_opening(people, table):
    # Opened 10 days before it is due: no "14 days" reminder, the opening notice is enough.
    AnnualEvaluationFactory(table=table, year=2026, status=EvaluationStatus.SCHEDULED,
                            opens_on=datetime.date(2026, 11, 21), due_on=datetime.date(2026, 12, 1))
    with at("2026-11-21 07:00"):
        run_sweep()
    with at("2026-11-22 07:00"):
        assert run_sweep()["queued"] == 0
    assert {kind for kind, _ in kinds_sent()} == {EvaluationReminderKind.OPENED}


def test_a_notice_already_recorded_is_not_sent_again(open_evaluation, people):
    # Another worker recorded (and is sending) the coordinator's reminder.
    EvaluationReminder.objects.create(evaluation=open_evaluation, user=people["coordinator"],
                                      kind=EvaluationReminderKind.DUE_14)
    with at("2026-11-17 07:00"):
        run_sweep()
    assert people["coordinator"].email not in sent_to()
    assert len(mail.outbox) == 2


class BrokenMailServer:
    """An e-mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failed_send_stays_queued_with_its_error_and_the_sweeper_sends_it_later(open_evaluation, people, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    with at("2026-11-17 07:00"):
        run_sweep()
    notices = EvaluationReminder.objects.filter(kind=EvaluationReminderKind.DUE_14)
    assert notices.count() == 3 and mail.outbox == []
    assert {(notice.delivery_status, notice.last_error) for notice in notices} == {
        ("queued", "ConnectionRefusedError: the mail server is down")
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The next daily run queues nothing new for them; the outbox's sweeper sends them, once.
    with at("2026-11-17 07:10"):
        assert run_sweep()["queued"] == 0
    with at("2026-11-17 07:30"), sending():
        outbox_sweep()
    assert len(mail.outbox) == 3
    assert set(notices.values_list("delivery_status", flat=True)) == {"sent"}


def test_without_postgresql_the_sweep_finds_the_same_notices(open_evaluation, people, monkeypatch):
    """The embedded default (SQLite) has no = ANY() or set operations of PostgreSQL's kind: the sweep
    takes the one-by-one path there and owes the same notices."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with at("2026-11-17 07:00"):
        assert run_sweep()["queued"] == 3
    with at("2026-11-17 07:10"):
        assert run_sweep()["queued"] == 0
    assert len(mail.outbox) == 3


# --- Daylight saving time -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("runs", "reminder_day", "kind"),
    [
        # Summer time begins on Sunday 29 March 2026 (03:00 -> 04:00). Due 12 April: the
        # 14-day reminder belongs to 29 March.
        (
            [("2026-03-28 07:00", 0), ("2026-03-28 23:30", 0), ("2026-03-29 00:30", 3),
             ("2026-03-29 07:00", 0), ("2026-03-29 23:30", 0), ("2026-03-30 07:00", 0)],
            datetime.date(2026, 4, 12), EvaluationReminderKind.DUE_14,
        ),
        (
            [("2026-03-28 23:30", 0), ("2026-03-29 07:00", 3), ("2026-03-29 23:30", 0)],
            datetime.date(2026, 4, 12), EvaluationReminderKind.DUE_14,
        ),
        # Summer time ends on Sunday 25 October 2026 (04:00 -> 03:00). Due 28 October: the
        # 3-day reminder belongs to 25 October.
        (
            [("2026-10-24 23:30", 0), ("2026-10-25 00:30", 3), ("2026-10-25 03:30", 0),
             ("2026-10-25 07:00", 0), ("2026-10-25 23:30", 0)],
            datetime.date(2026, 10, 28), EvaluationReminderKind.DUE_3,
        ),
        (
            [("2026-10-24 23:30", 0), ("2026-10-25 07:00", 3), ("2026-10-25 23:30", 0), ("2026-10-26 07:00", 0)],
            datetime.date(2026, 10, 28), EvaluationReminderKind.DUE_3,
        ),
    ],
)
def test_reminders_fire_on_the_right_helsinki_day_across_dst(people, table, runs, reminder_day, kind):
    evaluation = AnnualEvaluationFactory(table=table, year=reminder_day.year, opens_on=reminder_day.replace(day=1)
                                         - datetime.timedelta(days=30), due_on=reminder_day)
    if kind == EvaluationReminderKind.DUE_3:
        # The 14-day reminders went out earlier.
        for person in (people["coordinator"], people["representative"], people["substitute"]):
            EvaluationReminder.objects.create(evaluation=evaluation, user=person, kind=EvaluationReminderKind.DUE_14)
    for moment, expected in runs:
        with at(moment):
            assert run_sweep()["queued"] == expected, moment
    assert EvaluationReminder.objects.filter(evaluation=evaluation, kind=kind).count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("last_run", "next_run"),
    [("2026-03-28 07:00", "2026-03-29 07:00"), ("2026-10-24 07:00", "2026-10-25 07:00")],
)
def test_beat_runs_the_sweep_at_seven_helsinki_time_across_dst(last_run, next_run):
    call_command("setup_periodic_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    task = PeriodicTask.objects.get(task="tables.tasks.send_evaluation_reminders_task")
    last = datetime.datetime.fromisoformat(last_run).replace(tzinfo=HELSINKI)
    with time_machine.travel(last + datetime.timedelta(minutes=1), tick=False):
        remaining = task.crontab.schedule.remaining_estimate(last)
        upcoming = (datetime.datetime.now(datetime.UTC) + remaining).astimezone(HELSINKI)
    assert upcoming.replace(tzinfo=None) == datetime.datetime.fromisoformat(next_run)


# --- The due query ------------------------------------------------------------------------


def test_the_due_queries_read_only_what_is_due(table, sector, owner):
    today = datetime.date(2026, 11, 17)
    due = AnnualEvaluationFactory(table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
                                  due_on=datetime.date(2026, 12, 1))
    just_opened = AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2026,
                                          opens_on=datetime.date(2026, 11, 15), due_on=datetime.date(2027, 1, 31))
    AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2026,
                            opens_on=datetime.date(2026, 11, 1), due_on=datetime.date(2026, 12, 31))  # not yet
    AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2025, status=EvaluationStatus.CLOSED,
                            opens_on=datetime.date(2025, 11, 1), due_on=datetime.date(2025, 12, 1))
    AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2025,
                            opens_on=datetime.date(2025, 11, 1), due_on=datetime.date(2025, 12, 1))  # long overdue
    scheduled = AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2026,
                                        status=EvaluationStatus.SCHEDULED, opens_on=datetime.date(2026, 11, 17),
                                        due_on=datetime.date(2026, 12, 17))
    AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2026,
                            status=EvaluationStatus.SCHEDULED, opens_on=datetime.date(2026, 11, 18),
                            due_on=datetime.date(2026, 12, 18))
    assert set(evaluations_with_notices_due(today)) == {due, just_opened}
    assert list(evaluations_to_open(today)) == [scheduled]


def test_the_due_queries_use_the_partial_index():
    today = datetime.date(2026, 11, 17)
    with connection.cursor() as cursor:
        # The test tables are tiny; tell PostgreSQL to plan as it would for a big one.
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "evaluation_due_scan" in evaluations_with_notices_due(today).explain()
    assert "evaluation_due_scan" in evaluations_to_open(today).explain()


def test_a_day_with_every_notice_sent_reads_no_evaluation_one_by_one(
    open_evaluation, people, sector, django_assert_max_num_queries
):
    # Twenty more open evaluations in the "14 days" window; the first run sends what is due.
    for _ in range(20):
        AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector), year=2026,
                                opens_on=datetime.date(2026, 11, 1), due_on=datetime.date(2026, 12, 1))
    with at("2026-11-17 07:00"):
        assert run_sweep()["queued"] > 0
    # Later the same day (or on the next day of the window): a few queries for the whole country.
    with at("2026-11-17 12:00"), django_assert_max_num_queries(8):
        assert run_sweep()["queued"] == 0


def test_someone_who_joins_in_the_middle_of_a_window_is_still_reminded(open_evaluation, people, table, sector):
    with at("2026-11-17 07:00"):
        run_sweep()
    mail.outbox.clear()
    newcomer = UserFactory(email="newcomer@example.org")
    member = StandingMemberFactory(table=table, representative=newcomer, status="active")
    MembershipFactory(user=newcomer, organisation=member.organisation, status="approved")
    with at("2026-11-18 07:00"):
        run_sweep()
    assert sent_to() == ["newcomer@example.org"]


def test_sweep_query_count_does_not_grow_with_quiet_evaluations(sector, django_assert_max_num_queries, november):
    # Fifty tables evaluated last year and closed, none due: the sweep reads nothing of them.
    for _ in range(50):
        AnnualEvaluationFactory(table=PartnershipTableFactory(sector=sector, status=TableStatus.PAUSED), year=2025,
                                status=EvaluationStatus.CLOSED, opens_on=datetime.date(2025, 11, 1),
                                due_on=datetime.date(2025, 12, 1))
    with at("2026-06-01 07:00"), django_assert_max_num_queries(2):
        assert run_sweep() == {"created": 0, "opened": 0, "queued": 0}


# --- Schedules and demo -------------------------------------------------------------------


def test_setup_periodic_tasks_is_idempotent_and_keeps_admin_changes():
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("setup_periodic_tasks", stdout=out)
    call_command("setup_periodic_tasks", stdout=out)
    assert PeriodicTask.objects.filter(name__in=[spec.name for spec in PERIODIC_TASKS]).count() == len(PERIODIC_TASKS)
    task = PeriodicTask.objects.get(task="tables.tasks.send_evaluation_reminders_task")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Europe/Helsinki")
    assert task.enabled
    # An admin moves it to 06:30; a re-run keeps that, --reset puts it back.
    task.crontab = CrontabSchedule.objects.create(minute="30", hour="6", timezone="Europe/Helsinki")
    task.save()
    call_command("setup_periodic_tasks", stdout=out)
    assert PeriodicTask.objects.get(pk=task.pk).crontab.hour == "6"
    call_command("setup_periodic_tasks", "--reset", stdout=out)
    assert PeriodicTask.objects.get(pk=task.pk).crontab.hour == "7"


def test_load_demo_twice_gives_the_two_pilot_tables(settings):
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    tables = list(PartnershipTable.objects.order_by("name_fi"))
    assert [t.name_fi for t in tables] == [
        "Koti- ja asumispalveluiden kumppanuuspöytä", "Psykososiaalisen toimialan kumppanuuspöytä"
    ]
    assert [t.name_sv for t in tables] == [
        "Partnerskapsbordet för hem- och boendetjänster", "Partnerskapsbordet för den psykosociala sektorn"
    ]
    template_steps = ProcessTemplate.objects.get(is_default=True).steps.count()
    for table in tables:
        assert table.status == TableStatus.ACTIVE
        assert ProcessStep.objects.filter(table=table).count() == template_steps
        assert table.standing_members.filter(status="active").count() == 5
        # This year's evaluation is open; last year's closed (the demo has history: issue 13).
        assert table.evaluations.order_by("-year").first().status == EvaluationStatus.OPEN
        assert set(table.role_assignments.values_list("role__slug", flat=True)) >= {"owner", "coordinator"}
    assert PeriodicTask.objects.filter(task="tables.tasks.send_evaluation_reminders_task").count() == 1


def test_standing_member_without_people_adds_no_recipients(table, people, sector):
    StandingMemberFactory(table=table)  # an organisation that has not named anyone yet
    MembershipFactory()  # unrelated
    UserFactory()
    evaluation = AnnualEvaluationFactory(table=table)
    assert services.evaluation_send_notices(evaluation=evaluation) == 4
