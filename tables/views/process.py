"""Process steps of a table: adding, editing, deleting and moving them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kumppanuus.forms import add_service_errors, plain_as_finnish
from tables import services
from tables.forms import ProcessStepForm, StepMoveForm
from tables.models import ProcessStep
from tables.selectors import process_context, table_get_for_management


@login_required
def steps(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    form = ProcessStepForm(request.POST or None, submit_label=_("Add step"))
    if request.method == "POST" and form.is_valid():
        try:
            services.process_step_create(actor=request.user, table=table, **form.step_data())
        except ValidationError as error:
            add_service_errors(form, error, renamed=plain_as_finnish(form.fields))
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
            services.process_step_update(actor=request.user, step=step, **form.step_data())
        except ValidationError as error:
            add_service_errors(form, error, renamed=plain_as_finnish(form.fields))
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
