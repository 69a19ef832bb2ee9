"""The agenda: adding and proposing topics, deciding on proposals, editing, deleting and ordering the items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kumppanuus.forms import add_service_errors, plain_as_finnish
from meetings.forms import AgendaDecisionForm, AgendaItemForm, AgendaProposalForm, agenda_places
from meetings.models import AgendaItem, AgendaItemStatus, MeetingStatus
from meetings.selectors import agenda_accepted, agenda_item_get_for_user
from meetings.services import (
    agenda_item_add,
    agenda_item_decide,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_propose,
    agenda_item_update,
)
from meetings.views._access import check, form_status, meeting_for

# --- Agenda ----------------------------------------------------------------------


def _agenda_form_view(request, pk: int, *, permission: str, service, form_class, submit_label, success, title,
                      **service_arguments):
    meeting = meeting_for(request, pk, permission)
    form = form_class(request.POST or None, submit_label=submit_label)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, meeting=meeting, **form.item_data(), **service_arguments)
        except ValidationError as error:
            add_service_errors(form, error, renamed=plain_as_finnish(form.fields))
        else:
            messages.success(request, success)
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/agenda_form.html",
        {"form": form, "meeting": meeting, "table": meeting.table, "title": title},
        status=form_status(request, form),
    )


@login_required
def agenda_add(request, pk: int):
    return _agenda_form_view(
        request, pk, permission="meetings.decide_agenda", service=agenda_item_add, form_class=AgendaItemForm,
        submit_label=_("Add to the agenda"), success=_("The item was added to the agenda."),
        title=_("Add an agenda item"),
    )


@login_required
def agenda_propose(request, pk: int):
    return _agenda_form_view(
        request, pk, permission="meetings.propose_topic", service=agenda_item_propose,
        form_class=AgendaProposalForm, language=get_language(), submit_label=_("Propose the topic"),
        success=_("Your topic was proposed. The chair or a coordinator decides whether it is taken on the agenda."),
        title=_("Propose a topic"),
    )


def _item_for(request, item_pk: int) -> AgendaItem:
    item = agenda_item_get_for_user(user=request.user, pk=item_pk)
    check(request, item.meeting, "meetings.decide_agenda")
    return item


@login_required
@require_POST
def agenda_decide(request, item_pk: int):
    item = _item_for(request, item_pk)
    form = AgendaDecisionForm(request.POST, places=agenda_places(agenda_accepted(item.meeting)))
    if form.is_valid():
        try:
            agenda_item_decide(
                actor=request.user, item=item, accept=form.accept, reason=form.cleaned_data["reason"],
                position=form.cleaned_data["position"] if form.accept else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.accept:
                messages.success(request, _("“%(title)s” was accepted onto the agenda.") % {"title": item.title})
            else:
                messages.success(request, _("“%(title)s” was declined.") % {"title": item.title})
            return redirect("meetings:detail", pk=item.meeting_id)
    return render(
        request, "meetings/agenda_decide.html",
        {"form": form, "item": item, "meeting": item.meeting, "table": item.meeting.table},
        status=400,
    )


@login_required
@require_POST
def agenda_move(request, item_pk: int):
    item = _item_for(request, item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose whether to move the item up or down."))
    else:
        try:
            agenda_item_move(actor=request.user, item=item, up=direction == "up")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("meetings:detail", pk=item.meeting_id)


def _told_on_change(item: AgendaItem) -> bool:
    """Whether changing the item is told to the invitees (an item on a scheduled meeting's agenda)."""
    return item.status == AgendaItemStatus.ACCEPTED and item.meeting.status == MeetingStatus.SCHEDULED


@login_required
def agenda_edit(request, item_pk: int):
    item = _item_for(request, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item, submit_label=_("Save changes"))
    if request.method == "POST" and form.is_valid():
        try:
            agenda_item_update(actor=request.user, item=item, **form.item_data())
        except ValidationError as error:
            add_service_errors(form, error, renamed=plain_as_finnish(form.fields))
        else:
            messages.success(request, _("The agenda item was saved."))
            return redirect("meetings:detail", pk=item.meeting_id)
    return render(
        request, "meetings/agenda_form.html",
        {
            "form": form, "meeting": item.meeting, "table": item.meeting.table,
            "title": _("Edit the agenda item"), "told_on_change": _told_on_change(item),
        },
        status=form_status(request, form),
    )


@login_required
def agenda_delete(request, item_pk: int):
    """A confirmation page first; the item and its place on the agenda go."""
    item = _item_for(request, item_pk)
    if request.method == "POST":
        try:
            agenda_item_delete(actor=request.user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(title)s” was deleted from the agenda.") % {"title": item.title})
        return redirect("meetings:detail", pk=item.meeting_id)
    return render(
        request, "meetings/agenda_delete.html",
        {"item": item, "meeting": item.meeting, "table": item.meeting.table, "told_on_change": _told_on_change(item)},
    )
