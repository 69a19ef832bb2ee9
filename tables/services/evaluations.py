"""Annual evaluations: scheduling, opening, closing and answering them, and the daily sweep.

The e-mails the evaluations send (opened, reminders, overdue) live in evaluation_notices.py;
the calendar rule (default dates, which notice is due when) in tables/evaluation_calendar.py.
"""

import datetime
import logging
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tables.evaluation_calendar import evaluation_dates_for_year
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationReminderKind,
    EvaluationResponse,
    EvaluationStatus,
    EvaluationTemplate,
    PartnershipTable,
    QuestionKind,
)
from tables.permissions import can_answer_evaluation
from tables.selectors import (
    evaluation_notices_owed,
    evaluations_to_open,
    evaluations_with_notices_due,
    tables_without_evaluation,
)
from tables.services.evaluation_notices import evaluation_send_notices

logger = logging.getLogger(__name__)


def default_evaluation_template() -> EvaluationTemplate | None:
    return EvaluationTemplate.objects.filter(is_default=True).first()

@transaction.atomic
def evaluation_schedule(
    *,
    actor: User | None,
    table: PartnershipTable,
    year: int,
    opens_on: datetime.date,
    due_on: datetime.date,
    template: EvaluationTemplate | None = None,
) -> AnnualEvaluation:
    """Schedules the table's evaluation for a year; the daily sweep opens it on ``opens_on``."""
    template = template or default_evaluation_template()
    if template is None:
        raise ValidationError({"template": _("Choose the questions: there is no default evaluation template.")})
    if AnnualEvaluation.objects.filter(table=table, year=year).exists():
        raise ValidationError({"year": _("This table already has an evaluation for %(year)s.") % {"year": year}})
    evaluation = AnnualEvaluation(
        table=table, year=year, template=template, opens_on=opens_on, due_on=due_on,
        status=EvaluationStatus.SCHEDULED,
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_open(*, actor: User | None, evaluation: AnnualEvaluation, notify: bool = True) -> AnnualEvaluation:
    """Opens an evaluation for answers. Opened early, its opening date becomes today.

    With ``notify`` the owner, coordinators and standing members are told by e-mail
    once it commits (each person once, see evaluation_send_notices).
    """
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == EvaluationStatus.OPEN:
        raise ValidationError(_("The evaluation is already open."))
    if evaluation.status == EvaluationStatus.CLOSED:
        raise ValidationError(_("A closed evaluation cannot be opened again."))
    today = timezone.localdate()
    if evaluation.opens_on > today:
        evaluation.opens_on = today
    evaluation.status = EvaluationStatus.OPEN
    evaluation.opened_at = timezone.now()
    evaluation.full_clean()
    evaluation.save()
    if notify:
        evaluation_send_notices(evaluation=evaluation)
    return evaluation


@transaction.atomic
def evaluation_close(*, actor: User | None, evaluation: AnnualEvaluation) -> AnnualEvaluation:
    """Closes an evaluation: no more answers or changes, and no more reminders."""
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == EvaluationStatus.CLOSED:
        raise ValidationError(_("The evaluation is already closed."))
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.closed_at = timezone.now()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_reopen(*, actor: User, evaluation: AnnualEvaluation, due_on: datetime.date) -> AnnualEvaluation:
    """Opens a closed evaluation for answers again, due on ``due_on``, until its results are published.

    The answers given before are kept and can be changed again. Notices already sent are not
    sent again (each goes once per evaluation, person and kind), so nobody is told twice that it opened.
    """
    evaluation = AnnualEvaluation.objects.select_for_update().select_related("table").get(pk=evaluation.pk)
    if not actor.has_perm("tables.reopen_evaluation", evaluation.table):
        raise PermissionDenied
    if evaluation.results_published_at is not None:
        raise ValidationError(_("The results of this evaluation are published; it cannot be reopened."))
    if evaluation.status != EvaluationStatus.CLOSED:
        raise ValidationError(_("Only a closed evaluation can be reopened."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The new due date cannot be in the past.")})
    evaluation.due_on = due_on
    evaluation.status = EvaluationStatus.OPEN
    evaluation.closed_at = None
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_publish_results(*, actor: User, evaluation: AnnualEvaluation) -> AnnualEvaluation:
    """Publishes a closed evaluation's summary (without names) to the people who were asked to answer.

    Final: a published evaluation is not reopened, so the results people read do not change.
    """
    evaluation = AnnualEvaluation.objects.select_for_update().select_related("table").get(pk=evaluation.pk)
    if not actor.has_perm("tables.publish_evaluation_results", evaluation.table):
        raise PermissionDenied
    if evaluation.results_published_at is not None:
        raise ValidationError(_("The results of this evaluation are already published."))
    if evaluation.status != EvaluationStatus.CLOSED:
        raise ValidationError(_("Close the evaluation before publishing its results."))
    evaluation.results_published_at = timezone.now()
    evaluation.save(update_fields=["results_published_at"])
    return evaluation


def answer_field_name(question_id: int) -> str:
    """The form field (and error key) of a question's answer."""
    return f"question_{question_id}"


@transaction.atomic
def evaluation_respond(
    *, respondent: User, evaluation: AnnualEvaluation, answers: Mapping[int, int | str | None]
) -> EvaluationResponse:
    """Saves one person's answers (question id -> 1–5 or text). Answering again replaces them until it closes.

    Only the table's coordinators and the people of its standing member organisations
    answer; every scale question needs a whole number from 1 to 5. Nothing is saved
    unless every answer is valid.
    """
    evaluation = AnnualEvaluation.objects.select_for_update().select_related("table").get(pk=evaluation.pk)
    if not can_answer_evaluation(respondent, evaluation.table):
        raise PermissionDenied
    if evaluation.status != EvaluationStatus.OPEN:
        raise ValidationError(_("This evaluation is not open for answers."))
    questions = list(evaluation.template.questions.all())
    known = {question.pk for question in questions}
    if set(answers) - known:
        raise ValidationError(_("The answers do not match the evaluation's questions."))
    errors: dict[str, str] = {}
    values: dict[int, dict] = {}
    for question in questions:
        raw = answers.get(question.pk)
        key = answer_field_name(question.pk)
        if question.kind == QuestionKind.SCALE:
            text = str(raw).strip() if raw is not None else ""
            value = int(text) if text.isdigit() else None
            if value is None or not 1 <= value <= 5:
                errors[key] = _("Choose a whole number from 1 to 5.")
                continue
            values[question.pk] = {"scale_value": value, "text": ""}
        else:
            text = (str(raw) if raw is not None else "").strip()
            if len(text) > 4000:
                errors[key] = _("Write at most 4000 characters.")
                continue
            values[question.pk] = {"scale_value": None, "text": text}
    if errors:
        raise ValidationError(errors)
    response, _created = EvaluationResponse.objects.get_or_create(evaluation=evaluation, respondent=respondent)
    existing = {answer.question_id: answer for answer in response.answers.all()}
    for question in questions:
        answer = existing.get(question.pk) or EvaluationAnswer(response=response, question=question)
        answer.scale_value = values[question.pk]["scale_value"]
        answer.text = values[question.pk]["text"]
        answer.full_clean()
        answer.save()
    response.save(update_fields=["updated_at"])
    return response


def evaluations_create_for_year(*, today: datetime.date) -> list[AnnualEvaluation]:
    """Creates this year's evaluation, with the default questions, for each active table that has none.

    Only between the year's opening and due dates (settings EVALUATION_OPENS and
    EVALUATION_DUE_DAYS): a table that becomes active later in the year is evaluated next year.
    """
    opens_on, due_on = evaluation_dates_for_year(today.year)
    if not opens_on <= today < due_on:
        return []
    template = default_evaluation_template()
    if template is None:
        logger.warning("No default evaluation template: this year's evaluations were not created.")
        return []
    created = []
    for table in tables_without_evaluation(today.year):
        evaluation = AnnualEvaluation(
            table=table, year=today.year, template=template, opens_on=opens_on, due_on=due_on,
            status=EvaluationStatus.SCHEDULED,
        )
        try:
            with transaction.atomic():
                evaluation.save()
        except IntegrityError:
            continue  # a coordinator (or a concurrent sweep) scheduled it meanwhile
        created.append(evaluation)
    return created


def evaluation_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily sweep: creates and opens the year's evaluations and queues the notices due.

    ``today`` is the Helsinki date (timezone.localdate()), so a run at 00:30 on the day
    clocks change counts for that day, not the UTC one. It reads only evaluations that
    are due (the partial index ``evaluation_due_scan``), and each notice goes once per
    (evaluation, person, kind) however often it runs.
    """
    today = today or timezone.localdate()
    created = evaluations_create_for_year(today=today)
    opened = 0
    queued = 0
    for evaluation in evaluations_to_open(today):
        try:
            evaluation = evaluation_open(actor=None, evaluation=evaluation, notify=False)
        except ValidationError:
            continue  # opened or closed meanwhile by someone else
        opened += 1
        # Queued here as well as below: an evaluation opened late (the sweep missed days)
        # has an opening date outside the catch-up window.
        queued += evaluation_send_notices(evaluation=evaluation, today=today, kinds=[EvaluationReminderKind.OPENED])
    # Only the evaluations that still owe someone a notice (a few queries for the whole country).
    # Only the dates are read here: evaluation_send_notices loads the few that owe something in full.
    candidates = list(evaluations_with_notices_due(today).only("pk", "status", "opens_on", "due_on"))
    for evaluation, kinds in evaluation_notices_owed(candidates, today):
        queued += evaluation_send_notices(evaluation=evaluation, today=today, kinds=kinds)
    return {"created": len(created), "opened": opened, "queued": queued}
