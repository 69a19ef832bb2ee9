"""Following action items between meetings: a table's action list, the items whose owner has left,
and giving one to someone else. Each view checks permission, binds a form, calls one service and
redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kumppanuus.forms import add_service_errors
from meetings.forms import ActionFilterForm, ReassignForm
from meetings.selectors import (
    ActionFilters,
    action_item_get_for_reassign,
    action_items_to_reassign,
    table_action_filter_choices,
    table_action_items,
)
from meetings.selectors.actions import can_see_table_people, is_table_manager, standing_organisation_choices
from meetings.services.actions import action_item_reassign
from meetings.views._access import form_status, signed_in_first, table_for

ACTIONS_PAGE_SIZE = 25


@signed_in_first
def table_actions(request, table_id: int):
    """A table's action items, open and done, for whoever may see its minutes (the items of
    unpublished minutes only for its coordinators)."""
    table = table_for(request, table_id)
    user = request.user
    form = ActionFilterForm(request.GET or None, choices=table_action_filter_choices(table, user))
    filters = ActionFilters(**form.values())
    page = Paginator(table_action_items(table, user, filters), ACTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    manager = is_table_manager(user, table)
    return render(
        request,
        "meetings/actions/table_actions.html",
        {
            "table": table,
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "show_people": can_see_table_people(user, table),
            "can_reassign": manager,
            "today": timezone.localdate(),
        },
    )


@login_required
def to_reassign(request):
    """The open items on the tables the person coordinates whose owner has left."""
    page = Paginator(action_items_to_reassign(request.user), ACTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/actions/to_reassign.html", {"page": page, "today": timezone.localdate()})


@login_required
def reassign(request, pk: int):
    item = action_item_get_for_reassign(user=request.user, pk=pk)
    if not request.user.has_perm("meetings.reassign_action_item", item):
        raise PermissionDenied
    table = item.meeting.table
    form = ReassignForm(
        request.POST or None,
        organisation_choices=standing_organisation_choices(table),
        initial={"owner_organisation": item.owner_organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_item_reassign(
                actor=request.user,
                action_item=item,
                owner_email=form.cleaned_data["owner_email"],
                owner_organisation_id=form.cleaned_data["owner_organisation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action item was given to its new owner."))
            return redirect("meetings:table_actions", table_id=table.pk)
    return render(
        request,
        "meetings/actions/reassign.html",
        {"item": item, "table": table, "meeting": item.meeting, "form": form},
        status=form_status(request, form),
    )
