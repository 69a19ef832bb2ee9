"""The meeting itself: a table's meetings, the meeting page and its calendar file; creating,
editing, scheduling and cancelling. Each view checks permission, binds a form, calls one service
and redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kumppanuus.forms import add_service_errors, plain_as_finnish
from meetings import ical
from meetings.emails import MeetingMailData, meeting_contact
from meetings.forms import (
    AgendaDecisionForm,
    CancelForm,
    InviteesForm,
    MeetingCopyForm,
    MeetingForm,
    RsvpForm,
    agenda_places,
)
from meetings.models import Meeting, MeetingStatus
from meetings.permissions import invitation_for
from meetings.selectors import (
    agenda_for_user,
    invitation_request_of,
    invitation_requests_waiting,
    meeting_cancel_recipients,
    meeting_list_for_table,
    meeting_records_context,
    meeting_registrations,
    open_actions_context,
    rsvp_of,
    seats_left,
)
from meetings.services import (
    meeting_cancel,
    meeting_copy,
    meeting_create,
    meeting_delete,
    meeting_schedule,
    meeting_suggest_chair,
    meeting_update,
    rsvp_closed_reason,
    table_invitees,
    unique_invitees,
)
from meetings.views._access import form_status, meeting_for, signed_in_first, table_for
from tables.models import PartnershipTable

# --- Lists and the meeting page ------------------------------------------------


@signed_in_first
def table_meetings(request, table_id: int):
    table = table_for(request, table_id)
    can_manage = request.user.has_perm("meetings.manage_meeting", Meeting(table=table))
    return render(
        request,
        "meetings/table_meetings.html",
        {
            "table": table,
            "meetings": list(meeting_list_for_table(table=table, user=request.user)),
            "can_manage": can_manage,
        },
    )


def detail_context(request, meeting: Meeting, *, rsvp_form: RsvpForm | None = None) -> dict:
    user = request.user
    invitation = invitation_for(user, meeting)
    rsvp = rsvp_of(invitation)
    can_manage = user.has_perm("meetings.manage_meeting", meeting)
    can_decide = user.has_perm("meetings.decide_agenda", meeting)
    can_rsvp = user.has_perm("meetings.rsvp", meeting)
    closed_reason = rsvp_closed_reason(meeting)
    if rsvp_form is None and can_rsvp and not closed_reason:
        initial = {"response": rsvp.response, "note": rsvp.note} if rsvp else None
        rsvp_form = RsvpForm(meeting=meeting, initial=initial)
    agenda = agenda_for_user(meeting, user, can_decide=can_decide)
    context = {
        "meeting": meeting,
        "table": meeting.table,
        "invitation": invitation,
        "rsvp": rsvp,
        "rsvp_form": rsvp_form if can_rsvp and not closed_reason else None,
        "rsvp_closed_reason": closed_reason,
        "can_rsvp": can_rsvp,
        "can_manage": can_manage,
        "can_decide": can_decide,
        "can_propose": user.has_perm("meetings.propose_topic", meeting),
        "show_link": user.has_perm("meetings.view_online_link", meeting),
        "agenda": agenda,
        "agenda_places": agenda_places(agenda["accepted"]) if can_decide and agenda["proposed"] else [],
        "seats_left": seats_left(meeting),
        "contact": meeting_contact(meeting),
        "decision_form": AgendaDecisionForm(),
    }
    # Attendance, minutes and closing the meeting: links for those who may record them.
    context.update(meeting_records_context(meeting, user))
    # The standing "Open actions" section of the agenda: items of earlier meetings still open.
    context.update(open_actions_context(meeting, user))
    # Asking for an invitation (a standing organisation's member who was not invited), and the
    # requests waiting for a coordinator.
    context["can_request_invitation"] = user.has_perm("meetings.request_invitation", meeting)
    if context["can_request_invitation"]:
        context["invitation_request"] = invitation_request_of(user, meeting)
    if can_manage:
        context["registrations"] = meeting_registrations(meeting, request.GET.get("page"))
        if meeting.status == MeetingStatus.SCHEDULED:
            context["invitation_requests"] = invitation_requests_waiting(meeting)
    return context


@signed_in_first
def detail(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.view_meeting")
    return render(request, "meetings/detail.html", detail_context(request, meeting))


@signed_in_first
def calendar_file(request, pk: int):
    """The meeting as an .ics to import; the online link only for those who may see it."""
    meeting = meeting_for(request, pk, "meetings.view_meeting")
    ics = MeetingMailData(meeting).calendar(
        method=ical.PUBLISH, attendee=None, show_link=request.user.has_perm("meetings.view_online_link", meeting)
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- Coordinator: create, edit, schedule, cancel ----------------------------------


@login_required
def create(request):
    table_id = request.GET.get("table", "")
    if not (table_id.isascii() and table_id.isdigit()):  # "²".isdigit() is true, but it is no id
        raise Http404
    table = get_object_or_404(PartnershipTable, pk=table_id)
    # The right to manage first: the coordinators who use this page have it without the lookups
    # of standing members that seeing the table takes.
    if not request.user.has_perm("meetings.manage_meeting", Meeting(table=table)):
        if not request.user.has_perm("tables.view_table", table):
            raise Http404  # a private table is not revealed
        raise PermissionDenied
    form = MeetingForm(
        request.POST or None,
        table=table,
        instance=Meeting(table=table),
        initial={"chair": meeting_suggest_chair(table)},
        submit_label=_("Create draft"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(actor=request.user, table=table, **form.meeting_data())
        except ValidationError as error:
            add_service_errors(form, error, renamed=plain_as_finnish(form.fields))
        else:
            messages.success(
                request,
                _("The meeting was saved as a draft. Add the agenda, then schedule it to send the invitations."),
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/form.html", {"form": form, "table": table, "meeting": None},
        status=form_status(request, form),
    )


@login_required
def edit(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        messages.error(request, _("A held or cancelled meeting cannot be changed."))
        return redirect("meetings:detail", pk=meeting.pk)
    sequence_before = meeting.sequence
    form = MeetingForm(request.POST or None, table=meeting.table, instance=meeting, submit_label=_("Save changes"))
    if request.method == "POST" and form.is_valid():
        try:
            updated = meeting_update(actor=request.user, meeting=meeting, data=form.meeting_data())
        except ValidationError as error:
            add_service_errors(form, error, renamed=plain_as_finnish(form.fields))
        else:
            if updated.sequence != sequence_before:
                messages.success(request, _("The changes were saved and everyone invited is being sent an update."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/form.html", {"form": form, "table": meeting.table, "meeting": meeting},
        status=form_status(request, form),
    )


@login_required
def schedule(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    if meeting.status != MeetingStatus.DRAFT:
        messages.info(request, _("This meeting has already been scheduled."))
        return redirect("meetings:detail", pk=meeting.pk)
    form = InviteesForm(request.POST or None, submit_label=_("Schedule and send invitations"))
    if request.method == "POST" and form.is_valid():
        try:
            invitations = meeting_schedule(
                actor=request.user, meeting=meeting, extra_people=form.cleaned_data["people"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The meeting was scheduled; %(count)d invitation is being sent.",
                    "The meeting was scheduled; %(count)d invitations are being sent.",
                    len(invitations),
                ) % {"count": len(invitations)},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/schedule.html",
        {
            "form": form, "meeting": meeting, "table": meeting.table,
            "invitees": unique_invitees(table_invitees(meeting)),
        },
        status=form_status(request, form),
    )


@login_required
def cancel(request, pk: int):
    """A confirmation page first: cancelling mails everyone and cannot be undone."""
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        told = len(meeting_cancel_recipients(meeting))
        try:
            meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if told:
                messages.success(
                    request,
                    ngettext(
                        "The meeting was cancelled. %(count)d person invited is being told.",
                        "The meeting was cancelled. %(count)d people invited are being told.",
                        told,
                    ) % {"count": told},
                )
            else:
                messages.success(request, _("The meeting was cancelled. Nobody had been invited, so nobody is told."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/cancel.html",
        {"form": form, "meeting": meeting, "table": meeting.table, "recipients": meeting_cancel_recipients(meeting)},
        status=form_status(request, form),
    )


@login_required
def delete(request, pk: int):
    """A confirmation page first; only a draft nobody was invited to can be deleted."""
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    if meeting.status != MeetingStatus.DRAFT:
        messages.error(request, _("Only a draft can be deleted; cancel a scheduled meeting instead."))
        return redirect("meetings:detail", pk=meeting.pk)
    if request.method == "POST":
        try:
            meeting_delete(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("meetings:detail", pk=meeting.pk)
        messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": meeting.title})
        return redirect("meetings:table_meetings", table_id=meeting.table_id)
    return render(request, "meetings/delete.html", {"meeting": meeting, "table": meeting.table})


@login_required
def copy(request, pk: int):
    """A new draft from this meeting: the person chooses the new date."""
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    form = MeetingCopyForm(request.POST or None, submit_label=_("Create the copy"))
    if request.method == "POST" and form.is_valid():
        try:
            new = meeting_copy(actor=request.user, meeting=meeting, starts_at=form.cleaned_data["starts_at"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The copy was saved as a draft. Check it, then schedule it to send the invitations.")
            )
            return redirect("meetings:detail", pk=new.pk)
    return render(
        request, "meetings/copy.html", {"form": form, "meeting": meeting, "table": meeting.table},
        status=form_status(request, form),
    )
