"""Table pages: the public list, a table and its process, the person's own tables, and creating and editing tables."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kumppanuus.forms import add_service_errors
from tables import services
from tables.filters import TableFilter
from tables.forms import TableForm
from tables.selectors import (
    open_evaluations_for_user,
    process_context,
    public_table_queryset,
    table_get_for_management,
    table_get_for_user,
    table_page_context,
    tables_for_user,
    with_member_counts,
)


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
