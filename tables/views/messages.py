"""A table's messages (the archive, one message, writing one) and its contact list for the coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kumppanuus.csv import streaming_csv_response
from kumppanuus.forms import add_service_errors
from tables import services
from tables.forms import TableMessageForm
from tables.selectors import (
    table_contacts,
    table_get_for_management,
    table_message_get_for_user,
    table_message_reach,
    table_messages_page,
)


@login_required
def message_list(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.view_messages")
    return render(
        request,
        "tables/messages.html",
        {
            "table": table,
            "page": table_messages_page(table, request.GET.get("page")),
            "can_send": request.user.has_perm("tables.send_messages", table),
            "can_change": request.user.has_perm("tables.change_table", table),
            "can_export_contacts": request.user.has_perm("tables.export_contacts", table),
        },
    )


@login_required
def message_detail(request, pk: int):
    message = table_message_get_for_user(user=request.user, pk=pk)
    return render(request, "tables/message_detail.html", {"message": message, "table": message.table})


@login_required
def message_compose(request, pk: int):
    """Write (GET, or POST with "edit"), confirm (POST with "preview": how many it reaches), send (POST with "send")."""
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.send_messages")
    posted = request.method == "POST"
    form = TableMessageForm(request.POST if posted else None)
    if posted and "edit" not in request.POST and form.is_valid():
        if "send" in request.POST:
            try:
                message = services.table_message_send(actor=request.user, table=table, **form.message_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The message was sent to %(count)s person. It is kept in the table's messages.",
                        "The message was sent to %(count)s people. It is kept in the table's messages.",
                        message.recipient_count,
                    )
                    % {"count": message.recipient_count},
                )
                return redirect("tables:message_detail", pk=message.pk)
        else:
            return render(
                request,
                "tables/message_confirm.html",
                {
                    "table": table,
                    "form": form,
                    "reach": table_message_reach(table, audience=form.audience()),
                    "preview": form.cleaned_data,
                },
            )
    return render(
        request,
        "tables/message_form.html",
        {"table": table, "form": form, "can_change": request.user.has_perm("tables.change_table", table)},
        status=400 if form.errors else 200,
    )


@login_required
def contacts_export(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.export_contacts")
    header = [_("Organisation"), _("Person"), _("Role"), _("E-mail"), _("Phone")]
    rows = (
        [contact.organisation, str(contact.person), contact.role, contact.person.email, contact.phone]
        for contact in table_contacts(table)
    )
    return streaming_csv_response(filename=f"contacts-{table.pk}.csv", header=header, rows=rows)
