"""Reads for the annual evaluation: access, the answer form, the summary and export, and
the daily sweep's evaluations to create and open."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from organisations.models import Membership, MembershipStatus
from organisations.permissions import approved_memberships, coordinated_area_ids
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationStatus,
    PartnershipTable,
    QuestionKind,
    StandingMember,
    StandingMemberStatus,
    TableStatus,
)
from tables.permissions import can_view_evaluation_results
from tables.selectors.tables import table_get_for_management, table_get_for_user


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


def evaluation_get_for_results(*, user: User, pk: int) -> AnnualEvaluation:
    """The evaluation whose summary this person may read (tables.permissions.can_view_evaluation_results):
    those who run it, and once the results are published everyone it asked. 403 for others who may
    see the table, 404 for the rest."""
    evaluation = AnnualEvaluation.objects.select_related("template").filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    try:
        evaluation.table = table_get_for_management(
            user=user, pk=evaluation.table_id, permission="tables.view_evaluation_summary"
        )
    except PermissionDenied:
        if evaluation.results_published_at is None:
            raise
        evaluation.table = table_get_for_user(user=user, pk=evaluation.table_id)
        if not can_view_evaluation_results(user, evaluation):
            raise
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



def evaluations_to_open(today: datetime.date) -> QuerySet[AnnualEvaluation]:
    """Scheduled evaluations whose opening day has come (index evaluation_due_scan: status, opens_on)."""
    return AnnualEvaluation.objects.filter(status=EvaluationStatus.SCHEDULED, opens_on__lte=today).order_by(
        "opens_on", "pk"
    )



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

