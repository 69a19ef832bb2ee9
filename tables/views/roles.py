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
from tables.selectors import role_assignments_for_management, role_nominations_waiting, table_get_for_management
from tables.views._common import error_message


@login_required
def roles(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk)
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_assignment_create(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if assignment.is_accepted:
                messages.success(request, _("The role holder was added."))
            elif assignment.user_id:
                messages.success(request, _("%(person)s was asked to accept the role; they hold it once they do.")
                                 % {"person": assignment.user})
            else:
                messages.success(request, _("An invitation to sign up and accept the role was sent to %(email)s.")
                                 % {"email": assignment.email})
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
            person = coordinator_form.cleaned_data["user"]
            services.table_add_coordinator(actor=request.user, table=table, user=person)
        except ValidationError as error:
            add_service_errors(coordinator_form, error)
        else:
            if table.coordinators.filter(pk=person.pk).exists():
                messages.success(request, _("The coordinator was added."))
            else:
                messages.success(request, _("%(person)s was asked to accept the role; they hold it once they do.")
                                 % {"person": person})
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
                "person": assignment.user or assignment.email, "role": assignment.role.name,
            },
            "text": _("After the end date the person no longer holds the role on this table. "
                      "The assignment stays in the table's history."),
            "button": _("End the role"),
            "cancel_url": "tables:roles",
        },
        status=400 if form.errors else 200,
    )


@login_required
def nominations(request):
    """The role nominations waiting for the signed-in person's answer."""
    return render(request, "tables/nominations.html", {"nominations": role_nominations_waiting(request.user)})


def _own_nomination(request, pk: int) -> RoleAssignment:
    # Only the nominee's own waiting nomination: any other is 404, as if it did not exist.
    return get_object_or_404(RoleAssignment.objects.waiting_for(request.user), pk=pk)


@login_required
@require_POST
def nomination_accept(request, pk: int):
    assignment = _own_nomination(request, pk)
    try:
        services.role_nomination_accept(actor=request.user, assignment=assignment)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("You now hold the role %(role)s of %(table)s.")
                         % {"role": assignment.role.name, "table": assignment.table.name})
    return redirect("tables:nominations")


@login_required
@require_POST
def nomination_decline(request, pk: int):
    assignment = _own_nomination(request, pk)
    services.role_nomination_decline(actor=request.user, assignment=assignment)
    messages.success(request, _("You declined the role %(role)s of %(table)s.")
                     % {"role": assignment.role.name, "table": assignment.table.name})
    return redirect("tables:nominations")
