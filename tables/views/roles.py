"""Roles and coordinators of a table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from kumppanuus.forms import add_service_errors
from tables import services
from tables.forms import CoordinatorForm, RoleAssignmentForm, RoleEndForm
from tables.models import RoleAssignment
from tables.selectors import role_assignments_for_management, table_get_for_management
from tables.views._common import error_message


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
        error_message(request, error)
    else:
        messages.success(request, _("%(person)s is no longer a coordinator of the table.") % {"person": person})
    return redirect("tables:roles", pk=table.pk)


@login_required
def role_assignment_end(request, pk: int):
    """The roles page's "End" asks here (GET, with the chosen day) for confirmation; POST ends the role."""
    assignment = get_object_or_404(RoleAssignment.objects.select_related("role", "user"), pk=pk)
    table = table_get_for_management(user=request.user, pk=assignment.table_id)
    if request.method == "POST":
        form = RoleEndForm(request.POST)
    else:
        form = RoleEndForm(initial={"valid_to": request.GET.get("valid_to") or timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assignment_end(actor=request.user, assignment=assignment,
                                         valid_to=form.cleaned_data["valid_to"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role assignment was ended."))
            return redirect("tables:roles", pk=table.pk)
    return render(
        request,
        "tables/confirm.html",
        {
            "table": table,
            "form": form,
            "title": _("End the role of %(person)s as %(role)s?") % {
                "person": assignment.user, "role": assignment.role.name,
            },
            "text": _("After the end date the person no longer holds the role on this table. "
                      "The assignment stays in the table's history."),
            "button": _("End the role"),
            "cancel_url": "tables:roles",
        },
        status=400 if form.errors else 200,
    )
