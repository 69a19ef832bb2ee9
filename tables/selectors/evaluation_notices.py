"""Reads for the evaluation e-mails: who gets which notice, and which evaluations still owe one today."""

import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from organisations.models import Membership, MembershipStatus
from tables.evaluation_calendar import FIRST_REMINDER_DAYS, NOTICE_CATCH_UP_DAYS, evaluation_notice_kinds_due
from tables.models import (
    AnnualEvaluation,
    EvaluationReminder,
    EvaluationReminderKind,
    EvaluationResponse,
    EvaluationStatus,
    PartnershipTable,
    StandingMember,
    StandingMemberStatus,
)
from tables.selectors.evaluations import evaluation_respondent_ids


def evaluation_notice_recipients(evaluation: AnnualEvaluation, kind: str) -> tuple[list[User], set[int]]:
    """Who gets a notice of this kind, and who of all the table's people is asked to answer."""
    respondent_ids = evaluation_respondent_ids(evaluation.table)
    if kind == EvaluationReminderKind.OPENED:
        ids = respondent_ids | {evaluation.table.owner_id}
    elif kind in (EvaluationReminderKind.DUE_14, EvaluationReminderKind.DUE_3):
        answered = set(evaluation.responses.values_list("respondent_id", flat=True))
        ids = respondent_ids - answered
    else:
        ids = {evaluation.table.owner_id}
    people = User.objects.filter(pk__in=ids, is_active=True)
    if kind != EvaluationReminderKind.OVERDUE:
        # The owner is told of an overdue evaluation whatever they chose: it is their task, not a reminder to answer.
        people = people.filter(notify_evaluation_reminders=True)
    return list(people.order_by("pk")), respondent_ids



def evaluations_with_notices_due(today: datetime.date) -> QuerySet[AnnualEvaluation]:
    """Open evaluations that may owe a notice today: opened within the catch-up week, or due within
    14 days, or overdue within the catch-up week. Reads only those, through evaluation_due_scan."""
    catch_up = datetime.timedelta(days=NOTICE_CATCH_UP_DAYS)
    return AnnualEvaluation.objects.filter(status=EvaluationStatus.OPEN).filter(
        Q(opens_on__gte=today - catch_up, opens_on__lte=today)
        | Q(due_on__gte=today - catch_up, due_on__lte=today + datetime.timedelta(days=FIRST_REMINDER_DAYS))
    ).order_by("due_on", "pk")


def evaluation_notices_owed(evaluations: list[AnnualEvaluation], today: datetime.date) -> list[tuple]:
    """(evaluation, kinds) for the evaluations that still owe someone a notice due today.

    The daily sweep asks this before sending, so a day on which every notice has gone out costs a
    few queries for the whole country instead of several per evaluation. It may name a kind that
    turns out to owe nothing (evaluation_send_notices decides exactly), never leave out one that
    does: a recipient is anyone evaluation_notice_recipients would choose who has no reminder row
    of that kind yet.
    """
    due: dict[str, list[int]] = {}
    by_pk = {}
    for evaluation in evaluations:
        by_pk[evaluation.pk] = evaluation
        for kind in evaluation_notice_kinds_due(evaluation, today):
            due.setdefault(kind, []).append(evaluation.pk)
    owed: dict[int, list[str]] = {}
    for kind, ids in due.items():
        for evaluation_id in _evaluations_owing(kind, ids):
            owed.setdefault(evaluation_id, []).append(kind)
    return [(by_pk[pk], kinds) for pk, kinds in sorted(owed.items(), key=lambda item: item[0])]


def _evaluations_owing(kind: str, ids: list[int]) -> set[int]:
    """Which of the evaluations ``ids`` have a recipient of ``kind`` without a reminder row: one
    query for the owner, and for reminders to answer _people_owing."""
    owing: set[int] = set()
    if kind in (EvaluationReminderKind.OPENED, EvaluationReminderKind.OVERDUE):
        # The owner is told of an overdue one whatever they chose.
        wants = Q(table__owner__is_active=True)
        if kind != EvaluationReminderKind.OVERDUE:
            wants &= Q(table__owner__notify_evaluation_reminders=True)
        unsent = ~Exists(
            EvaluationReminder.objects.filter(
                evaluation_id=OuterRef("pk"), user_id=OuterRef("table__owner_id"), kind=kind
            )
        )
        owners = AnnualEvaluation.objects.filter(wants, unsent, pk__in=ids)
        owing |= set(owners.order_by().values_list("pk", flat=True))
    if kind == EvaluationReminderKind.OVERDUE:
        return owing
    if connection.vendor == "postgresql":
        return owing | _people_owing(kind, ids)
    return owing | _people_owing_one_by_one(kind, ids)


def _people_owing_one_by_one(kind: str, ids: list[int]) -> set[int]:
    """_people_owing without PostgreSQL's set operations, for the embedded default (SQLite), whose
    databases are small: each evaluation's recipients as evaluation_notice_recipients chooses them,
    less those who have a reminder row of this kind. Counting the owner too only names an
    evaluation that may owe nothing, which evaluation_send_notices then finds out."""
    owing = set()
    for evaluation in AnnualEvaluation.objects.select_related("table").filter(pk__in=ids):
        recipients, _respondents = evaluation_notice_recipients(evaluation, kind)
        reminded = set(
            EvaluationReminder.objects.filter(evaluation=evaluation, kind=kind).values_list("user_id", flat=True)
        )
        if any(person.pk not in reminded for person in recipients):
            owing.add(evaluation.pk)
    return owing


def _people_owing(kind: str, ids: list[int]) -> set[int]:
    """Which of the evaluations owe one of their people (named coordinators, representatives and
    substitutes of active standing members) a notice of ``kind``.

    First, in PostgreSQL, every (evaluation, person) pair minus those with a reminder row of this
    kind and, for reminders to answer, minus those who answered: set operations, which the database
    does with hashes (as anti-joins it probed the reminders ~25,000 times on a day in the reminder
    window, 230 ms; bench/reminders.py). What is left is small, and is checked as
    evaluation_notice_recipients would choose: the person is active and wants reminders, and a
    representative or substitute is still an approved member of their organisation.
    """
    evaluation = AnnualEvaluation._meta.db_table
    coordinators = PartnershipTable.coordinators.through._meta.db_table
    standing = StandingMember._meta.db_table
    pairs = f"""
        WITH e AS MATERIALIZED (SELECT id, table_id FROM {evaluation} WHERE id = ANY(%(ids)s))
        SELECT e.id, c.user_id FROM e JOIN {coordinators} c ON c.partnershiptable_id = e.table_id
        UNION ALL
        SELECT e.id, s.representative_id FROM e JOIN {standing} s ON s.table_id = e.table_id
         WHERE s.status = %(active)s AND s.representative_id IS NOT NULL
        UNION ALL
        SELECT e.id, s.substitute_id FROM e JOIN {standing} s ON s.table_id = e.table_id
         WHERE s.status = %(active)s AND s.substitute_id IS NOT NULL
        EXCEPT
        SELECT evaluation_id, user_id FROM {EvaluationReminder._meta.db_table}
         WHERE kind = %(kind)s AND evaluation_id = ANY(%(ids)s)
    """
    if kind != EvaluationReminderKind.OPENED:  # reminders go only to those who have not answered
        pairs += f"""
        EXCEPT
        SELECT evaluation_id, respondent_id FROM {EvaluationResponse._meta.db_table}
         WHERE evaluation_id = ANY(%(ids)s)
        """
    with connection.cursor() as cursor:
        cursor.execute(pairs, {"ids": list(ids), "active": StandingMemberStatus.ACTIVE, "kind": kind})
        unsent = cursor.fetchall()
    if not unsent:
        return set()
    people = {person for _evaluation, person in unsent}
    wanting = set(
        User.objects.filter(pk__in=people, is_active=True, notify_evaluation_reminders=True)
        .values_list("pk", flat=True)
    )
    unsent = [(evaluation_id, person) for evaluation_id, person in unsent if person in wanting]
    if not unsent:
        return set()
    tables = dict(
        AnnualEvaluation.objects.filter(pk__in={e for e, _ in unsent}).values_list("pk", "table_id")
    )
    coordinating = set(
        PartnershipTable.coordinators.through.objects.filter(
            partnershiptable_id__in=set(tables.values()), user_id__in=wanting
        ).values_list("partnershiptable_id", "user_id")
    )
    named = StandingMember.objects.filter(
        table_id__in=set(tables.values()), status=StandingMemberStatus.ACTIVE
    ).filter(Q(representative_id__in=wanting) | Q(substitute_id__in=wanting))
    seats = {
        (table_id, person, organisation_id)
        for table_id, organisation_id, representative_id, substitute_id in named.values_list(
            "table_id", "organisation_id", "representative_id", "substitute_id"
        )
        for person in (representative_id, substitute_id)
        if person in wanting
    }
    approved = set(
        Membership.objects.filter(
            status=MembershipStatus.APPROVED,
            organisation_id__in={organisation for _table, _person, organisation in seats},
            user_id__in={person for _table, person, _organisation in seats},
        ).values_list("organisation_id", "user_id")
    )
    member_of = {(table_id, person) for table_id, person, organisation in seats if (organisation, person) in approved}
    return {
        evaluation_id
        for evaluation_id, person in unsent
        if (tables[evaluation_id], person) in coordinating or (tables[evaluation_id], person) in member_of
    }

