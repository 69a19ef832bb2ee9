"""The annual evaluation: scheduling, opening, closing and reopening, answering, publishing the results,
the summary and the CSV export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kumppanuus.csv import streaming_csv_response
from kumppanuus.forms import add_service_errors
from tables import services
from tables.forms import EvaluationAnswerForm, EvaluationReopenForm, EvaluationScheduleForm
from tables.models import EvaluationStatus
from tables.permissions import can_answer_evaluation
from tables.selectors import (
    evaluation_export_rows,
    evaluation_get_for_management,
    evaluation_get_for_results,
    evaluation_get_for_user,
    evaluation_questions,
    evaluation_response_for,
    evaluation_summary,
    evaluations_for_table,
    table_get_for_management,
)
from tables.views._common import error_message


@login_required
def evaluations(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.manage_evaluations")
    form = EvaluationScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_schedule(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation was scheduled. It opens by itself on its opening day."))
            return redirect("tables:evaluations", pk=table.pk)
    return render(
        request,
        "tables/evaluations.html",
        {"table": table, "form": form, "evaluations": evaluations_for_table(table)},
        status=400 if form.errors else 200,
    )


def _managed_evaluation(request, pk: int):
    return evaluation_get_for_management(user=request.user, pk=pk, permission="tables.manage_evaluations")


@login_required
@require_POST
def evaluation_open(request, pk: int):
    evaluation = _managed_evaluation(request, pk)
    try:
        services.evaluation_open(actor=request.user, evaluation=evaluation)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("The evaluation is open. The table's people are told by e-mail."))
    return redirect("tables:evaluations", pk=evaluation.table.pk)


def _confirm_then(request, evaluation, *, act, success: str, page: dict):
    """GET shows the confirmation page (``page``: title, text, details, button); POST calls ``act``
    (a service) and returns to the table's evaluations."""
    if request.method == "POST":
        try:
            act(actor=request.user, evaluation=evaluation)
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, success)
        return redirect("tables:evaluations", pk=evaluation.table.pk)
    return render(
        request, "tables/confirm.html", {"table": evaluation.table, "cancel_url": "tables:evaluations", **page}
    )


@login_required
def evaluation_close(request, pk: int):
    """GET asks for confirmation; POST closes."""
    evaluation = _managed_evaluation(request, pk)
    return _confirm_then(
        request, evaluation, act=services.evaluation_close, success=_("The evaluation is closed."),
        page={
            "title": _("Close the evaluation %(year)s of %(name)s?") % {
                "year": evaluation.year, "name": evaluation.table.name,
            },
            "text": _("No one can answer or change their answers after it closes, and no more reminders are sent."),
            "details": [
                _("You can reopen it later, until you publish its results."),
            ],
            "button": _("Close evaluation"),
        },
    )


@login_required
def evaluation_reopen(request, pk: int):
    """GET asks for confirmation and a new due date; POST reopens."""
    evaluation = evaluation_get_for_management(user=request.user, pk=pk, permission="tables.reopen_evaluation")
    today = timezone.localdate()
    form = EvaluationReopenForm(
        request.POST if request.method == "POST" else None,
        initial={"due_on": max(evaluation.due_on, today + datetime.timedelta(days=14))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_reopen(actor=request.user, evaluation=evaluation, due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation is open again for answers."))
            return redirect("tables:evaluations", pk=evaluation.table.pk)
    return render(
        request,
        "tables/confirm.html",
        {
            "table": evaluation.table,
            "form": form,
            "title": _("Reopen the evaluation %(year)s of %(name)s?") % {
                "year": evaluation.year, "name": evaluation.table.name,
            },
            "text": _("The table's people can answer and change their answers again until the new due date. "
                      "The answers given so far are kept."),
            "button": _("Reopen evaluation"),
            "button_class": "btn-primary",
            "cancel_url": "tables:evaluations",
        },
        status=400 if form.errors else 200,
    )


@login_required
def evaluation_publish(request, pk: int):
    """GET asks for confirmation; POST publishes the results (final)."""
    evaluation = evaluation_get_for_management(
        user=request.user, pk=pk, permission="tables.publish_evaluation_results"
    )
    return _confirm_then(
        request, evaluation, act=services.evaluation_publish_results,
        success=_("The results are published to the table's people."),
        page={
            "title": _("Publish the results of the evaluation %(year)s of %(name)s?") % {
                "year": evaluation.year, "name": evaluation.table.name,
            },
            "text": _("The table's coordinators and the people of its standing members can then read the summary "
                      "(averages and the written answers, without names)."),
            "details": [_("This cannot be undone: after publishing, the evaluation cannot be reopened.")],
            "button": _("Publish results"),
        },
    )


@login_required
def evaluation_answer(request, pk: int):
    evaluation = evaluation_get_for_user(user=request.user, pk=pk)
    if not can_answer_evaluation(request.user, evaluation.table):
        raise PermissionDenied
    is_open = evaluation.status == EvaluationStatus.OPEN
    response = evaluation_response_for(evaluation, request.user)
    form = EvaluationAnswerForm(
        request.POST if request.method == "POST" and is_open else None,
        questions=evaluation_questions(evaluation),
        response=response,
    )
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.evaluation_respond(respondent=request.user, evaluation=evaluation, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. Your answers were saved; you can change them until the evaluation closes.")
            )
            return redirect("tables:evaluation_answer", pk=evaluation.pk)
    return render(
        request,
        "tables/evaluation_answer.html",
        {"evaluation": evaluation, "table": evaluation.table, "form": form, "is_open": is_open, "response": response},
        status=400 if form.errors else 200,
    )


@login_required
def evaluation_summary_page(request, pk: int):
    evaluation = evaluation_get_for_results(user=request.user, pk=pk)
    return render(
        request,
        "tables/evaluation_summary.html",
        {
            "table": evaluation.table,
            "can_export": request.user.has_perm("tables.view_evaluation_summary", evaluation.table),
            **evaluation_summary(evaluation),
        },
    )


@login_required
def evaluation_export(request, pk: int):
    # With the respondents' names: only for those who run the evaluation, published or not.
    evaluation = evaluation_get_for_management(user=request.user, pk=pk, permission="tables.view_evaluation_summary")
    questions, responses = evaluation_export_rows(evaluation)
    header = [_("Respondent"), _("Answered"), _("Changed")] + [question.text for question in questions]

    def rows():
        for response in responses:
            answers = {answer.question_id: answer for answer in response.answers.all()}
            cells = []
            for question in questions:
                answer = answers.get(question.pk)
                if answer is None:
                    cells.append("")
                elif answer.scale_value is not None:
                    cells.append(answer.scale_value)
                else:
                    cells.append(answer.text)
            yield [
                str(response.respondent) if response.respondent else _("(deleted account)"),
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(response.updated_at).strftime("%Y-%m-%d %H:%M"),
                *cells,
            ]

    return streaming_csv_response(
        filename=f"evaluation-{evaluation.table_id}-{evaluation.year}.csv", header=header, rows=rows()
    )
