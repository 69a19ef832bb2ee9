"""Table pages: thin views that check permission, bind a form, call one service and redirect."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from kumppanuus.csv import streaming_csv_response
from kumppanuus.forms import add_service_errors
from organisations.forms import DecisionForm
from organisations.permissions import is_org_representative
from tables import services
from tables.filters import TableFilter
from tables.forms import (
    CoordinatorForm,
    EvaluationAnswerForm,
    EvaluationScheduleForm,
    ProcessStepForm,
    RoleAssignmentForm,
    RoleEndForm,
    SectorForm,
    StandingMemberAddForm,
    StandingMemberPeopleForm,
    StandingMemberRequestForm,
    StepMoveForm,
    TableForm,
)
from tables.models import EvaluationStatus, ProcessStep, RoleAssignment, Sector, StandingMember, StandingMemberStatus
from tables.permissions import can_answer_evaluation
from tables.selectors import (
    evaluation_export_rows,
    evaluation_get_for_management,
    evaluation_get_for_user,
    evaluation_questions,
    evaluation_response_for,
    evaluation_summary,
    evaluations_for_table,
    open_evaluations_for_user,
    process_context,
    public_table_queryset,
    role_assignments_for_management,
    sectors_for_user,
    standing_members_for_management,
    table_get_for_management,
    table_get_for_user,
    table_page_context,
    tables_for_user,
    with_member_counts,
)


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Public pages -------------------------------------------------------------------------


def table_list(request):
    filterset = TableFilter(request.GET, queryset=public_table_queryset())
    queryset = filterset.qs if filterset.is_valid() else public_table_queryset().none()
    page = Paginator(queryset, settings.TABLES_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_member_counts(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tables/list.html",
        {
            "filter": filterset,
            "page": page,
            "query_string": query.urlencode(),
            "can_add": request.user.has_perm("tables.add_table"),
        },
    )


def table_detail(request, pk: int):
    table = table_get_for_user(user=request.user, pk=pk)
    return render(request, "tables/detail.html", table_page_context(table, request.user))


def table_process(request, pk: int):
    """The process description on its own, for printing (static/css/print.css)."""
    table = table_get_for_user(user=request.user, pk=pk)
    context = {"table": table, "role_assignments": table.current_role_assignments, **process_context(table)}
    return render(request, "tables/process.html", context)


@login_required
def my_tables(request):
    tables = tables_for_user(request.user)
    return render(
        request,
        "tables/my_tables.html",
        {
            "tables": tables,
            "evaluations": open_evaluations_for_user(request.user, tables),
            "can_add": request.user.has_perm("tables.add_table"),
        },
    )


# --- Sectors ------------------------------------------------------------------------------


@login_required
def sectors(request):
    if not request.user.has_perm("tables.add_sector"):
        raise PermissionDenied
    form = SectorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sector = services.sector_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sector %(name)s was added.") % {"name": sector.name})
            return redirect("tables:sectors")
    return render(
        request,
        "tables/sectors.html",
        {"form": form, "sectors": list(sectors_for_user(request.user))},
        status=400 if form.errors else 200,
    )


@login_required
def sector_edit(request, pk: int):
    sector = get_object_or_404(Sector.objects.select_related("welfare_area", "director"), pk=pk)
    if not request.user.has_perm("tables.change_sector", sector):
        raise PermissionDenied  # sectors are public: their names are on every table page
    form = SectorForm(request.POST or None, instance=sector, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.sector_update(actor=request.user, sector=sector, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sector was saved."))
            return redirect("tables:sectors")
    return render(request, "tables/sector_form.html", {"form": form, "sector": sector})


# --- Creating and editing tables ----------------------------------------------------------


@login_required
def table_create(request):
    if not request.user.has_perm("tables.add_table"):
        raise PermissionDenied
    form = TableForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            table = services.table_create(actor=request.user, **form.table_data(), **form.copy_source())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The table %(name)s was created.") % {"name": table.name})
            return redirect("tables:detail", pk=table.pk)
    return render(request, "tables/table_form.html", {"form": form, "table": None})


@login_required
def table_edit(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    form = TableForm(request.POST or None, instance=table, user=request.user, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.table_update(actor=request.user, table=table, data=form.table_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The table's details were saved."))
            return redirect("tables:detail", pk=table.pk)
    return render(request, "tables/table_form.html", {"form": form, "table": table})


# --- Standing members ---------------------------------------------------------------------


@login_required
def standing_members(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.manage_standing_members")
    form = StandingMemberAddForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.standing_member_add(
                actor=request.user, table=table, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now a standing member. Name its representative and substitute.")
                % {"name": member.organisation.name},
            )
            return redirect("tables:standing_members", pk=table.pk)
    members = standing_members_for_management(table)
    return render(
        request,
        "tables/standing_members.html",
        {
            "table": table,
            "form": form,
            "members": [
                (member, DecisionForm(auto_id=f"member-{member.pk}-%s"))
                for member in members
            ],
        },
        status=400 if form.errors else 200,
    )


def _standing_member(pk: int) -> StandingMember:
    return get_object_or_404(StandingMember.objects.select_related("organisation", "table"), pk=pk)


@login_required
@require_POST
def standing_member_decide(request, pk: int):
    member = _standing_member(pk)
    table = table_get_for_management(user=request.user, pk=member.table_id,
                                     permission="tables.manage_standing_members")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.standing_member_decide(
                actor=request.user, standing_member=member, approve=form.approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("%(name)s is now a standing member.") % {"name": member.organisation.name})
            else:
                messages.success(
                    request, _("The request of %(name)s was declined.") % {"name": member.organisation.name}
                )
            return redirect("tables:standing_members", pk=table.pk)
    return render(
        request,
        "organisations/decide.html",
        {"form": form, "subject": member, "action": request.path},
        status=400,
    )


@login_required
def standing_member_edit(request, pk: int):
    """The representative and substitute: set by the table's coordinators or the organisation's representative."""
    member = _standing_member(pk)
    table = table_get_for_user(user=request.user, pk=member.table_id)
    if not (
        request.user.has_perm("tables.manage_standing_members", table)
        or is_org_representative(request.user, member.organisation)
    ):
        raise PermissionDenied
    if member.status != StandingMemberStatus.ACTIVE:
        raise Http404
    form = StandingMemberPeopleForm(
        request.POST or None,
        organisation_id=member.organisation_id,
        initial={"representative": member.representative_id, "substitute": member.substitute_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.standing_member_update(
                actor=request.user, standing_member=member, representative=form.cleaned_data["representative"],
                substitute=form.cleaned_data["substitute"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The representatives of %(name)s were saved.") % {"name": member.organisation.name}
            )
            if request.user.has_perm("tables.manage_standing_members", table):
                return redirect("tables:standing_members", pk=table.pk)
            return redirect("tables:detail", pk=table.pk)
    return render(request, "tables/standing_member_edit.html", {"form": form, "member": member, "table": table})


@login_required
def standing_member_end(request, pk: int):
    member = _standing_member(pk)
    table = table_get_for_management(user=request.user, pk=member.table_id,
                                     permission="tables.manage_standing_members")
    if request.method == "POST":
        try:
            services.standing_member_end(actor=request.user, standing_member=member)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request, _("The standing membership of %(name)s has ended.") % {"name": member.organisation.name}
            )
        return redirect("tables:standing_members", pk=table.pk)
    return render(
        request,
        "tables/confirm.html",
        {
            "table": table,
            "title": _("End the standing membership of %(name)s?") % {"name": member.organisation.name},
            "text": _("The organisation is no longer a standing member; its history is kept."),
            "button": _("End standing membership"),
            "cancel_url": "tables:standing_members",
        },
    )


@login_required
def standing_member_request(request, pk: int):
    table = table_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("tables.request_standing_membership", table):
        raise PermissionDenied
    form = StandingMemberRequestForm(request.POST or None, user=request.user, table=table)
    if request.method == "POST" and form.is_valid():
        try:
            services.standing_member_request(
                actor=request.user, table=table, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("You asked for standing membership. You will get an e-mail when a coordinator decides.")
            )
            return redirect("tables:detail", pk=table.pk)
    return render(
        request,
        "tables/request_membership.html",
        {"form": form, "table": table, "has_choices": form.fields["organisation"].queryset.exists()},
    )


# --- Roles and coordinators ---------------------------------------------------------------


@login_required
def roles(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assignment_create(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role holder was added."))
            return redirect("tables:roles", pk=table.pk)
    return _roles_page(request, table, form=form, coordinator_form=CoordinatorForm())


def _roles_page(request, table, *, form, coordinator_form):
    assignments = role_assignments_for_management(table)
    return render(
        request,
        "tables/roles.html",
        {
            "table": table,
            "form": form,
            "coordinator_form": coordinator_form,
            "coordinators": list(table.coordinators.all()),
            "assignments": [(a, RoleEndForm(auto_id=f"end-{a.pk}-%s", initial={"valid_to": timezone.localdate()}))
                            for a in assignments],
        },
        status=400 if form.errors or coordinator_form.errors else 200,
    )


@login_required
@require_POST
def coordinator_add(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    coordinator_form = CoordinatorForm(request.POST)
    if coordinator_form.is_valid():
        try:
            services.table_add_coordinator(actor=request.user, table=table, user=coordinator_form.cleaned_data["user"])
        except ValidationError as error:
            add_service_errors(coordinator_form, error)
        else:
            messages.success(request, _("The coordinator was added."))
            return redirect("tables:roles", pk=table.pk)
    return _roles_page(request, table, form=RoleAssignmentForm(), coordinator_form=coordinator_form)


@login_required
@require_POST
def coordinator_remove(request, pk: int, user_pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    person = get_object_or_404(User, pk=user_pk)
    try:
        services.table_remove_coordinator(actor=request.user, table=table, user=person)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("%(person)s is no longer a coordinator of the table.") % {"person": person})
    return redirect("tables:roles", pk=table.pk)


@login_required
@require_POST
def role_assignment_end(request, pk: int):
    assignment = get_object_or_404(RoleAssignment, pk=pk)
    table = table_get_for_management(user=request.user, pk=assignment.table_id)
    form = RoleEndForm(request.POST)
    if form.is_valid():
        try:
            services.role_assignment_end(actor=request.user, assignment=assignment,
                                         valid_to=form.cleaned_data["valid_to"])
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The role assignment was ended."))
    else:
        messages.error(request, _("Give the day the role ends."))
    return redirect("tables:roles", pk=table.pk)


# --- Process steps ------------------------------------------------------------------------


@login_required
def steps(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    form = ProcessStepForm(request.POST or None, submit_label=_("Add step"))
    if request.method == "POST" and form.is_valid():
        try:
            services.process_step_create(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step was added to the end of the process."))
            return redirect("tables:steps", pk=table.pk)
    return render(
        request,
        "tables/steps.html",
        {"table": table, "form": form, **process_context(table)},
        status=400 if form.errors else 200,
    )


def _step(pk: int) -> ProcessStep:
    return get_object_or_404(ProcessStep.objects.select_related("role"), pk=pk, table__isnull=False)


@login_required
def step_edit(request, pk: int):
    step = _step(pk)
    table = table_get_for_management(user=request.user, pk=step.table_id)
    form = ProcessStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.process_step_update(actor=request.user, step=step, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step was saved."))
            return redirect("tables:steps", pk=table.pk)
    return render(request, "tables/step_form.html", {"form": form, "table": table, "step": step})


@login_required
def step_delete(request, pk: int):
    step = _step(pk)
    table = table_get_for_management(user=request.user, pk=step.table_id)
    if request.method == "POST":
        services.process_step_delete(actor=request.user, step=step)
        messages.success(request, _("The step was deleted."))
        return redirect("tables:steps", pk=table.pk)
    return render(
        request,
        "tables/confirm.html",
        {
            "table": table,
            "title": _("Delete the step “%(what)s”?") % {"what": step.what},
            "text": _("The steps after it move up. The audit history keeps the deleted step."),
            "button": _("Delete step"),
            "cancel_url": "tables:steps",
        },
    )


@login_required
@require_POST
def step_move(request, pk: int):
    step = _step(pk)
    table = table_get_for_management(user=request.user, pk=step.table_id)
    form = StepMoveForm(request.POST)
    if form.is_valid():
        services.process_step_move(actor=request.user, step=step, direction=form.cleaned_data["direction"])
        messages.success(request, _("The step “%(what)s” was moved.") % {"what": step.what})
    else:
        messages.error(request, _("Move a step up or down."))
    return redirect("tables:steps", pk=table.pk)


# --- Annual evaluation --------------------------------------------------------------------


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
        _error_message(request, error)
    else:
        messages.success(request, _("The evaluation is open. The table's people are told by e-mail."))
    return redirect("tables:evaluations", pk=evaluation.table.pk)


@login_required
@require_POST
def evaluation_close(request, pk: int):
    evaluation = _managed_evaluation(request, pk)
    try:
        services.evaluation_close(actor=request.user, evaluation=evaluation)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The evaluation is closed."))
    return redirect("tables:evaluations", pk=evaluation.table.pk)


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


def _summary_evaluation(request, pk: int):
    return evaluation_get_for_management(user=request.user, pk=pk, permission="tables.view_evaluation_summary")


@login_required
def evaluation_summary_page(request, pk: int):
    evaluation = _summary_evaluation(request, pk)
    return render(
        request,
        "tables/evaluation_summary.html",
        {"table": evaluation.table, **evaluation_summary(evaluation)},
    )


@login_required
def evaluation_export(request, pk: int):
    evaluation = _summary_evaluation(request, pk)
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
