"""Reads for the table pages, the evaluation and the reminder sweep.

Each page's selector returns what it shows in a fixed number of queries, however many
standing members, roles or steps a table has.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from organisations.models import Eligibility, Membership, MembershipRole, MembershipStatus, Organisation
from organisations.permissions import approved_memberships, coordinated_area_ids
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationReminder,
    EvaluationReminderKind,
    EvaluationResponse,
    EvaluationStatus,
    PartnershipTable,
    ProcessStep,
    QuestionKind,
    RoleAssignment,
    Sector,
    StandingMember,
    StandingMemberStatus,
    TableStatus,
)
from tables.permissions import can_answer_evaluation

# A sweep missed for up to this many days (beat down, a deployment) still sends what was due.
NOTICE_CATCH_UP_DAYS = 7
# The earliest reminder is this many days before the due date.
FIRST_REMINDER_DAYS = 14


# --- Lists --------------------------------------------------------------------------------


def public_table_queryset() -> QuerySet[PartnershipTable]:
    """Public tables for the list page, with their sector and county (see with_member_counts)."""
    return (
        PartnershipTable.objects.filter(is_public=True).select_related("sector", "welfare_area").order_by("name", "pk")
    )


def with_member_counts(tables: list[PartnershipTable]) -> list[PartnershipTable]:
    """Sets ``member_count`` (active standing members) on each table, in one query for the page's
    tables: counted in the list query, every public table of the country was grouped and counted
    before the page of 20 was cut out of them (bench/pages.py)."""
    counts = dict(
        StandingMember.objects.filter(table__in=tables, status=StandingMemberStatus.ACTIVE)
        .order_by().values("table").annotate(n=Count("pk")).values_list("table", "n")
    ) if tables else {}
    for table in tables:
        table.member_count = counts.get(table.pk, 0)
    return tables


def tables_for_user(user: User) -> list[PartnershipTable]:
    """The person's tables: those they coordinate (by county or by name), own, or sit on through an organisation.

    Each carries ``is_coordinator``, ``is_owner`` and, for coordinators, ``request_count``.
    """
    area_ids = coordinated_area_ids(user)
    organisation_ids = list(approved_memberships(user))
    condition = Q(welfare_area_id__in=area_ids) | Q(owner=user) | Q(coordinators=user)
    if organisation_ids:
        condition |= Q(
            standing_members__organisation_id__in=organisation_ids,
            standing_members__status=StandingMemberStatus.ACTIVE,
        )
    ids = PartnershipTable.objects.filter(condition).values("pk")
    tables = list(
        PartnershipTable.objects.filter(pk__in=ids)
        .select_related("sector", "welfare_area")
        .prefetch_related(Prefetch("coordinators", queryset=User.objects.only("pk")))
        .annotate(
            request_count=Count(
                "standing_members", filter=Q(standing_members__status=StandingMemberStatus.REQUESTED)
            )
        )
        .order_by("name", "pk")
    )
    for table in tables:
        named = any(person.pk == user.pk for person in table.coordinators.all())
        table.is_coordinator = table.welfare_area_id in area_ids or named
        table.is_owner = table.owner_id == user.pk
    return tables


def open_evaluations_for_user(user: User, tables: list[PartnershipTable]) -> list[AnnualEvaluation]:
    """Open evaluations of these tables that the person may answer, each with ``answered``."""
    area_ids = coordinated_area_ids(user)
    organisation_ids = list(approved_memberships(user))
    answerable = Q(table__welfare_area_id__in=area_ids) | Q(table__coordinators=user)
    if organisation_ids:
        answerable |= Q(
            table__standing_members__organisation_id__in=organisation_ids,
            table__standing_members__status=StandingMemberStatus.ACTIVE,
        )
    ids = AnnualEvaluation.objects.filter(answerable, status=EvaluationStatus.OPEN,
                                          table__in=[t.pk for t in tables]).values("pk")
    return list(
        AnnualEvaluation.objects.filter(pk__in=ids)
        .select_related("table")
        .annotate(answered=Exists(EvaluationResponse.objects.filter(evaluation=OuterRef("pk"), respondent=user)))
        .order_by("due_on", "pk")
    )


# --- One table ----------------------------------------------------------------------------


def _current_assignments(today: datetime.date) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("role", "user")
        .order_by("role__position", "role__pk", "user__full_name", "pk")
    )


def table_detail_queryset() -> QuerySet[PartnershipTable]:
    """A table with everything its page shows: five queries in all, however big the table is."""
    today = timezone.localdate()
    tables = PartnershipTable.objects.select_related("sector", "sector__director", "welfare_area", "owner")
    return tables.prefetch_related(
        Prefetch("coordinators", queryset=User.objects.order_by("full_name", "email")),
        Prefetch(
            "standing_members",
            queryset=StandingMember.objects.filter(status=StandingMemberStatus.ACTIVE)
            .select_related("organisation", "representative", "substitute")
            .order_by("organisation__name", "pk"),
            to_attr="active_standing_members",
        ),
        Prefetch("role_assignments", queryset=_current_assignments(today), to_attr="current_role_assignments"),
        Prefetch(
            "process_steps",
            queryset=ProcessStep.objects.select_related("role").order_by("position", "pk"),
            to_attr="steps",
        ),
    )


def _load_table(pk: int) -> PartnershipTable | None:
    table = table_detail_queryset().filter(pk=pk).first()
    if table is not None:
        # The permission predicates read these from the prefetched rows instead of asking again.
        table._standing_organisation_ids = {member.organisation_id for member in table.active_standing_members}
    return table


def table_get_for_user(
    *, user: User, pk: int, queryset: QuerySet[PartnershipTable] | None = None
) -> PartnershipTable:
    """The table if this person may see it; 404 otherwise, so a private table is not revealed.

    Loaded with everything the table page shows, or from ``queryset`` for a page that shows less of it."""
    table = _load_table(pk) if queryset is None else queryset.filter(pk=pk).first()
    if table is None or not user.has_perm("tables.view_table", table):
        raise Http404
    return table


def table_get_for_management(*, user: User, pk: int, permission: str = "tables.change_table") -> PartnershipTable:
    """The table if this person has the permission.

    Those who may see the table get 403; everyone else (coordinators of other counties too)
    404, the same answer as for a table that does not exist, so a private table is not revealed.
    """
    table = _load_table(pk)
    if table is None:
        raise Http404
    if user.has_perm(permission, table):
        return table
    if user.has_perm("tables.view_table", table):
        raise PermissionDenied
    raise Http404


def _holders_by_role(assignments: list[RoleAssignment]) -> dict[int, list[User]]:
    holders: dict[int, list[User]] = {}
    for assignment in assignments:
        holders.setdefault(assignment.role_id, []).append(assignment.user)
    return holders


def process_context(table: PartnershipTable) -> dict:
    """The process description as who / what / how / when, each step naming the current holders of its role."""
    holders = _holders_by_role(table.current_role_assignments)
    steps = []
    for step in table.steps:
        step.holders = holders.get(step.role_id, [])
        steps.append(step)
    return {"steps": steps}


# Sections other apps add to the table page, registered in their AppConfig.ready(): a template
# name and a function (table, user) -> context. This way the meetings app shows a table's
# meetings and minutes there while tables never imports meetings (dependencies point one way).
TABLE_PAGE_SECTIONS: list[tuple[str, Callable[[PartnershipTable, User], dict]]] = []


def register_table_page_section(template_name: str, context_function) -> None:
    if (template_name, context_function) not in TABLE_PAGE_SECTIONS:
        TABLE_PAGE_SECTIONS.append((template_name, context_function))


def table_page_context(table: PartnershipTable, user: User) -> dict:
    """Everything the table page shows; the meetings app adds its upcoming meetings and minutes here.

    ``table`` comes from table_get_for_user (prefetched); this adds at most three queries
    for a signed-in person (their roles and the current evaluation).
    """
    context = {
        "table": table,
        "coordinators": list(table.coordinators.all()),
        "standing_members": table.active_standing_members,
        "role_assignments": table.current_role_assignments,
        "can_change": user.has_perm("tables.change_table", table),
        "can_manage_members": user.has_perm("tables.manage_standing_members", table),
        "can_request_membership": False,
        "can_manage_evaluations": user.has_perm("tables.manage_evaluations", table),
        "can_view_summary": user.has_perm("tables.view_evaluation_summary", table),
        "can_answer": can_answer_evaluation(user, table),
        "evaluation": None,
        # Standing members whose representatives this person may name (as the organisation's representative).
        "editable_member_ids": set(),
    }
    context.update(process_context(table))
    if user.is_authenticated:
        representative_of = {
            org_id for org_id, role in approved_memberships(user).items() if role == MembershipRole.REPRESENTATIVE
        }
        context["editable_member_ids"] = {
            member.pk for member in table.active_standing_members if member.organisation_id in representative_of
        }
        context["can_request_membership"] = bool(
            representative_of - table._standing_organisation_ids
        ) and user.has_perm("tables.request_standing_membership", table)
    if context["can_answer"] or context["can_view_summary"]:
        context["evaluation"] = (
            AnnualEvaluation.objects.filter(table=table).exclude(status=EvaluationStatus.CLOSED)
            .order_by("-year").first()
        )
    context["extra_section_templates"] = []
    for template_name, context_function in TABLE_PAGE_SECTIONS:
        context.update(context_function(table, user))
        context["extra_section_templates"].append(template_name)
    return context


def standing_members_for_management(table: PartnershipTable) -> list[StandingMember]:
    """Every standing member row of the table (requests first), with the people named."""
    order = {StandingMemberStatus.REQUESTED: 0, StandingMemberStatus.ACTIVE: 1,
             StandingMemberStatus.DECLINED: 2, StandingMemberStatus.ENDED: 3}
    members = list(
        StandingMember.objects.filter(table=table)
        .select_related("organisation", "representative", "substitute", "requested_by", "decided_by")
        .order_by("organisation__name", "pk")
    )
    members.sort(key=lambda member: order.get(member.status, 9))
    return members


def organisation_choices_for_table(table: PartnershipTable) -> QuerySet[Organisation]:
    """Organisations of the table's county that are not yet active standing members.

    Organisations not approved are listed too (marked), so that choosing one says why it
    cannot be added instead of failing silently.
    """
    return (
        Organisation.objects.filter(welfare_area_id=table.welfare_area_id)
        .exclude(eligibility=Eligibility.REJECTED)
        .exclude(standing_memberships__table=table, standing_memberships__status=StandingMemberStatus.ACTIVE)
        .order_by("name")
    )


def organisation_members_queryset(organisation_id: int) -> QuerySet[User]:
    """Approved members of an organisation: whom it can name as representative or substitute."""
    return User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__status=MembershipStatus.APPROVED, is_active=True
    ).order_by("full_name", "email")


def represented_organisations(user: User, exclude_table: PartnershipTable | None = None) -> QuerySet[Organisation]:
    """Approved organisations the person represents (for asking standing membership)."""
    ids = [org_id for org_id, role in approved_memberships(user).items() if role == MembershipRole.REPRESENTATIVE]
    queryset = Organisation.objects.filter(pk__in=ids, eligibility=Eligibility.APPROVED).order_by("name")
    if exclude_table is not None:
        queryset = queryset.exclude(
            standing_memberships__table=exclude_table,
            standing_memberships__status__in=[StandingMemberStatus.ACTIVE, StandingMemberStatus.REQUESTED],
        )
    return queryset


def role_assignments_for_management(table: PartnershipTable) -> list[RoleAssignment]:
    """All assignments of the table, current and past, newest first within each role."""
    return list(
        RoleAssignment.objects.filter(table=table)
        .select_related("role", "user")
        .order_by("role__position", "role__pk", "-valid_from", "pk")
    )


def sector_choices_for_user(user: User) -> QuerySet[Sector]:
    """Sectors a person may create tables in: those of the counties they coordinate (all for admins)."""
    queryset = Sector.objects.select_related("welfare_area").order_by("welfare_area__name", "name")
    if user.is_superuser:
        return queryset
    return queryset.filter(welfare_area_id__in=coordinated_area_ids(user))


def copyable_tables_for_user(user: User) -> QuerySet[PartnershipTable]:
    """Tables whose steps a person may copy: every public table and those of their counties."""
    queryset = PartnershipTable.objects.order_by("name", "pk")
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(welfare_area_id__in=coordinated_area_ids(user)))


# --- Evaluations --------------------------------------------------------------------------


def evaluation_get_for_user(*, user: User, pk: int) -> AnnualEvaluation:
    """The evaluation with its table (prefetched as on the table page); 404 for those who cannot see the table."""
    evaluation = AnnualEvaluation.objects.select_related("template").filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    evaluation.table = table_get_for_user(user=user, pk=evaluation.table_id)
    return evaluation


def evaluation_get_for_management(*, user: User, pk: int, permission: str) -> AnnualEvaluation:
    """The evaluation if this person has the permission on its table; 403 or 404 as table_get_for_management."""
    evaluation = AnnualEvaluation.objects.select_related("template").filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    evaluation.table = table_get_for_management(user=user, pk=evaluation.table_id, permission=permission)
    return evaluation


def evaluations_for_table(table: PartnershipTable) -> list[AnnualEvaluation]:
    return list(
        AnnualEvaluation.objects.filter(table=table)
        .select_related("template")
        .annotate(response_count=Count("responses"))
        .order_by("-year")
    )


def evaluation_questions(evaluation: AnnualEvaluation) -> list[EvaluationQuestion]:
    return list(evaluation.template.questions.order_by("position", "pk"))


def evaluation_response_for(evaluation: AnnualEvaluation, user: User) -> EvaluationResponse | None:
    return (
        EvaluationResponse.objects.filter(evaluation=evaluation, respondent=user)
        .prefetch_related("answers")
        .first()
    )


def evaluation_respondent_ids(table: PartnershipTable) -> set[int]:
    """Whom the evaluation asks: the table's named coordinators and the representatives and substitutes
    of its active standing members who are still approved members of their organisation."""
    coordinator_ids = set(table.coordinators.values_list("pk", flat=True))
    named = {
        (organisation_id, person_id)
        for organisation_id, representative_id, substitute_id in StandingMember.objects.filter(
            table=table, status=StandingMemberStatus.ACTIVE
        ).values_list("organisation_id", "representative_id", "substitute_id")
        for person_id in (representative_id, substitute_id)
        if person_id is not None
    }
    if not named:
        return coordinator_ids
    approved = set(
        Membership.objects.filter(
            status=MembershipStatus.APPROVED,
            user_id__in={person for _, person in named},
            organisation_id__in={organisation for organisation, _ in named},
        ).values_list("organisation_id", "user_id")
    )
    return coordinator_ids | {person for organisation, person in named if (organisation, person) in approved}


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


def evaluations_to_open(today: datetime.date) -> QuerySet[AnnualEvaluation]:
    """Scheduled evaluations whose opening day has come (index evaluation_due_scan: status, opens_on)."""
    return AnnualEvaluation.objects.filter(status=EvaluationStatus.SCHEDULED, opens_on__lte=today).order_by(
        "opens_on", "pk"
    )


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
    from tables.services import evaluation_notice_kinds_due  # services import this module


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
    return owing | _people_owing(kind, ids)


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


def tables_without_evaluation(year: int) -> QuerySet[PartnershipTable]:
    """Active tables that have no evaluation for the year yet."""
    return (
        PartnershipTable.objects.filter(status=TableStatus.ACTIVE)
        .exclude(Exists(AnnualEvaluation.objects.filter(table=OuterRef("pk"), year=year)))
        .order_by("pk")
    )


def _scale_averages(evaluation: AnnualEvaluation) -> dict[int, dict]:
    rows = (
        EvaluationAnswer.objects.filter(response__evaluation=evaluation, scale_value__isnull=False)
        .values("question_id")
        .annotate(average=Avg("scale_value"), count=Count("pk"))
        .order_by()
    )
    return {row["question_id"]: row for row in rows}


def evaluation_summary(evaluation: AnnualEvaluation) -> dict:
    """Averages per scale question (with the distribution of 1–5), the free-text answers without names,
    and the change from the table's previous evaluation, matched by question (or by its Finnish text
    when the questions changed). Seven queries, however many answers."""
    questions = evaluation_questions(evaluation)
    averages = _scale_averages(evaluation)
    distribution: dict[int, dict[int, int]] = {}
    for row in (
        EvaluationAnswer.objects.filter(response__evaluation=evaluation, scale_value__isnull=False)
        .values("question_id", "scale_value")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        distribution.setdefault(row["question_id"], {})[row["scale_value"]] = row["count"]
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        EvaluationAnswer.objects.filter(response__evaluation=evaluation, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("question_id", "response__submitted_at", "pk")
        .values_list("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    previous = (
        AnnualEvaluation.objects.filter(table_id=evaluation.table_id, year__lt=evaluation.year)
        .order_by("-year")
        .first()
    )
    previous_by_id: dict[int, float] = {}
    previous_by_text: dict[str, float] = {}
    if previous is not None:
        previous_questions = {q.pk: q for q in evaluation_questions(previous)}
        for question_id, row in _scale_averages(previous).items():
            previous_by_id[question_id] = row["average"]
            if question_id in previous_questions:
                previous_by_text[previous_questions[question_id].text_fi or ""] = row["average"]
    items = []
    for question in questions:
        item = {"question": question, "is_scale": question.kind == QuestionKind.SCALE}
        if item["is_scale"]:
            row = averages.get(question.pk)
            average = round(float(row["average"]), 2) if row else None
            earlier = previous_by_id.get(question.pk, previous_by_text.get(question.text_fi or ""))
            earlier = round(float(earlier), 2) if earlier is not None else None
            counts = distribution.get(question.pk, {})
            item.update(
                average=average,
                count=row["count"] if row else 0,
                distribution=[(value, counts.get(value, 0)) for value in range(1, 6)],
                previous_average=earlier,
                change=round(average - earlier, 2) if average is not None and earlier is not None else None,
            )
        else:
            item["answers"] = texts.get(question.pk, [])
        items.append(item)
    return {
        "evaluation": evaluation,
        "items": items,
        "response_count": evaluation.responses.count(),
        "previous": previous,
    }


def evaluation_export_rows(evaluation: AnnualEvaluation):
    """(questions, responses with answers and respondent) for the CSV export, in two queries."""
    questions = evaluation_questions(evaluation)
    responses = (
        EvaluationResponse.objects.filter(evaluation=evaluation)
        .select_related("respondent")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    return questions, responses


def standing_member_request_reviewers(table: PartnershipTable) -> QuerySet[User]:
    """Who is told of a request for standing membership: the named coordinators, or the county's."""
    named = table.coordinators.filter(is_active=True)
    if named.exists():
        return named
    return User.objects.filter(area_coordinator_roles__welfare_area_id=table.welfare_area_id, is_active=True)


def sectors_for_user(user: User) -> QuerySet[Sector]:
    """The sectors a person manages, with how many tables each has."""
    return sector_choices_for_user(user).select_related("director").annotate(table_count=Count("tables"))
