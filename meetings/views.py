"""Meeting pages. Each view checks permission, binds a form, calls one service and redirects."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kumppanuus.csv import streaming_csv_response
from kumppanuus.forms import add_service_errors
from meetings import ical
from meetings.emails import MeetingMailData, meeting_contact
from meetings.forms import AgendaDecisionForm, AgendaItemForm, CancelForm, InviteesForm, MeetingForm, RsvpForm
from meetings.models import AgendaItem, Invitation, Meeting, MeetingStatus
from meetings.permissions import invitation_for
from meetings.selectors import (
    agenda_for_user,
    attendee_export_rows,
    meeting_get,
    meeting_list_for_table,
    meeting_registrations,
    rsvp_of,
    seats_left,
)
from meetings.selectors_records import meeting_records_context
from meetings.services import (
    agenda_item_add,
    agenda_item_decide,
    agenda_item_move,
    agenda_item_propose,
    invitation_retry_failed,
    meeting_add_invitees,
    meeting_cancel,
    meeting_create,
    meeting_schedule,
    meeting_suggest_chair,
    meeting_update,
    rsvp_closed_reason,
    rsvp_record,
    rsvp_record_for_user,
    table_invitees,
)
from meetings.tokens import InvalidRsvpToken, rsvp_token_read
from tables.models import PartnershipTable


def _status(request, form) -> int:
    """400 for a form sent back with errors, so tests and tools see the refusal."""
    return 400 if request.method == "POST" and form.errors else 200


class _SignInFirst(Exception):
    pass


def _check(request, meeting: Meeting, permission: str) -> None:
    """Raises PermissionDenied (403) for a signed-in person without the right; anonymous people sign in first."""
    if not request.user.has_perm(permission, meeting):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise PermissionDenied


def _visible(request, meeting: Meeting | None) -> Meeting:
    """The meeting if the person may see it. Otherwise 404 (the same answer as for one that does
    not exist, so a private meeting is not revealed), or the sign-in page for anonymous people."""
    if meeting is None or not request.user.has_perm("meetings.view_meeting", meeting):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise Http404
    return meeting


def _meeting_for(request, pk: int, permission: str) -> Meeting:
    """The meeting if the person may see it (else 404) and has ``permission`` on it (else 403)."""
    try:
        meeting = meeting_get(pk)
    except Http404:
        meeting = None
    _visible(request, meeting)
    _check(request, meeting, permission)
    return meeting


def _signed_in_first(view):
    """Turns _SignInFirst into the sign-in page with a way back."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignInFirst:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Lists and the meeting page ------------------------------------------------


@_signed_in_first
def table_meetings(request, table_id: int):
    table = PartnershipTable.objects.filter(pk=table_id).first()
    if table is None or not request.user.has_perm("tables.view_table", table):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise Http404  # a private table is not revealed
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


def _detail_context(request, meeting: Meeting, *, rsvp_form: RsvpForm | None = None) -> dict:
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
        "agenda": agenda_for_user(meeting, user, can_decide=can_decide),
        "seats_left": seats_left(meeting),
        "contact": meeting_contact(meeting),
        "decision_form": AgendaDecisionForm(),
    }
    # Attendance, minutes and closing the meeting: links for those who may record them.
    context.update(meeting_records_context(meeting, user))
    if can_manage:
        context["registrations"] = meeting_registrations(meeting, request.GET.get("page"))
    return context


@_signed_in_first
def detail(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.view_meeting")
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@_signed_in_first
def calendar_file(request, pk: int):
    """The meeting as an .ics to import; the online link only for those who may see it."""
    meeting = _meeting_for(request, pk, "meetings.view_meeting")
    ics = MeetingMailData(meeting).calendar(
        method=ical.PUBLISH, attendee=None, show_link=request.user.has_perm("meetings.view_online_link", meeting)
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- Coordinator: create, edit, schedule, invite, cancel -----------------------------


@login_required
def create(request):
    table_id = request.GET.get("table", "")
    if not (table_id.isascii() and table_id.isdigit()):  # "²".isdigit() is true, but it is no id
        raise Http404
    table = get_object_or_404(PartnershipTable, pk=table_id)
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
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The meeting was saved as a draft. Add the agenda, then schedule it to send the invitations."),
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/form.html", {"form": form, "table": table, "meeting": None},
        status=_status(request, form),
    )


@login_required
def edit(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.manage_meeting")
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        messages.error(request, _("A held or cancelled meeting cannot be changed."))
        return redirect("meetings:detail", pk=meeting.pk)
    sequence_before = meeting.sequence
    form = MeetingForm(request.POST or None, table=meeting.table, instance=meeting, submit_label=_("Save changes"))
    if request.method == "POST" and form.is_valid():
        try:
            updated = meeting_update(actor=request.user, meeting=meeting, data=form.meeting_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if updated.sequence != sequence_before:
                messages.success(request, _("The changes were saved and everyone invited is being sent an update."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/form.html", {"form": form, "table": meeting.table, "meeting": meeting},
        status=_status(request, form),
    )


@login_required
def schedule(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.manage_meeting")
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
        {"form": form, "meeting": meeting, "table": meeting.table, "invitees": table_invitees(meeting)},
        status=_status(request, form),
    )


@login_required
def add_invitees(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.manage_meeting")
    form = InviteesForm(request.POST or None, submit_label=_("Send invitations"))
    if request.method == "POST" and form.is_valid():
        try:
            invitations = meeting_add_invitees(
                actor=request.user, meeting=meeting, people=form.cleaned_data["people"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d new invitation is being sent.", "%(count)d new invitations are being sent.",
                    len(invitations),
                ) % {"count": len(invitations)},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/add_invitees.html", {"form": form, "meeting": meeting, "table": meeting.table},
        status=_status(request, form),
    )


@login_required
@require_POST
def retry_failed(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.manage_meeting")
    count = invitation_retry_failed(actor=request.user, meeting=meeting)
    messages.success(
        request,
        ngettext("%(count)d invitation is being sent again.", "%(count)d invitations are being sent again.", count)
        % {"count": count},
    )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
def cancel(request, pk: int):
    """A confirmation page first: cancelling mails everyone and cannot be undone."""
    meeting = _meeting_for(request, pk, "meetings.manage_meeting")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled. Everyone invited is being told."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/cancel.html", {"form": form, "meeting": meeting, "table": meeting.table},
        status=_status(request, form),
    )


@login_required
def attendees_csv(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.view_registrations")
    header = [_("Name"), _("E-mail"), _("Organisation"), _("Answer"), _("Waiting list"), _("Note"), _("Answered")]

    def rows():
        for invitation in attendee_export_rows(meeting).iterator(chunk_size=500):
            rsvp = rsvp_of(invitation)
            anonymised = invitation.is_anonymised  # a deleted account: counted, not named
            yield [
                str(invitation.recipient_name) if anonymised else invitation.name,
                "" if anonymised else invitation.email,
                invitation.organisation.name if invitation.organisation else "",
                rsvp.get_response_display() if rsvp else _("No answer"),
                _("yes") if rsvp and rsvp.waitlisted else "",
                rsvp.note if rsvp else "",
                timezone.localtime(rsvp.responded_at).strftime("%Y-%m-%d %H:%M") if rsvp else "",
            ]

    return streaming_csv_response(filename=f"meeting-{meeting.pk}-attendees.csv", header=header, rows=rows())


# --- Agenda ----------------------------------------------------------------------


def _agenda_form_view(request, pk: int, *, permission: str, service, submit_label, success, title):
    meeting = _meeting_for(request, pk, permission)
    form = AgendaItemForm(request.POST or None, submit_label=submit_label)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/agenda_form.html",
        {"form": form, "meeting": meeting, "table": meeting.table, "title": title},
        status=_status(request, form),
    )


@login_required
def agenda_add(request, pk: int):
    return _agenda_form_view(
        request, pk, permission="meetings.decide_agenda", service=agenda_item_add,
        submit_label=_("Add to the agenda"), success=_("The item was added to the agenda."),
        title=_("Add an agenda item"),
    )


@login_required
def agenda_propose(request, pk: int):
    return _agenda_form_view(
        request, pk, permission="meetings.propose_topic", service=agenda_item_propose,
        submit_label=_("Propose the topic"),
        success=_("Your topic was proposed. The chair or a coordinator decides whether it is taken on the agenda."),
        title=_("Propose a topic"),
    )


def _item_for(request, item_pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__table"), pk=item_pk)
    _visible(request, item.meeting)
    _check(request, item.meeting, "meetings.decide_agenda")
    return item


@login_required
@require_POST
def agenda_decide(request, item_pk: int):
    item = _item_for(request, item_pk)
    form = AgendaDecisionForm(request.POST)
    if form.is_valid():
        try:
            agenda_item_decide(
                actor=request.user, item=item, accept=form.accept, reason=form.cleaned_data["reason"]
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


# --- RSVP -----------------------------------------------------------------------------


@login_required
@require_POST
def rsvp(request, pk: int):
    meeting = _meeting_for(request, pk, "meetings.view_meeting")
    if not request.user.has_perm("meetings.rsvp", meeting):
        raise PermissionDenied
    form = RsvpForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            answer = rsvp_record_for_user(
                user=request.user, meeting=meeting, response=form.cleaned_data["response"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _rsvp_message(answer))
            return redirect("meetings:detail", pk=meeting.pk)
    context = _detail_context(request, meeting, rsvp_form=form)
    if form.non_field_errors() and context["rsvp_form"] is None:
        # The meeting closed (cancelled, over): say why instead of the form.
        messages.error(request, " ".join(form.non_field_errors()))
    return render(request, "meetings/detail.html", context, status=400)


def _rsvp_message(answer) -> str:
    if answer.waitlisted:
        return _("The meeting is full, so you are on the waiting list. We will e-mail you if a place becomes free.")
    return _("Thank you, your answer was saved: %(answer)s.") % {"answer": answer.get_response_display()}


@never_cache
def rsvp_link(request, token: str):
    """The one-click link from the e-mail: works without signing in. GET only shows the answer to
    confirm; the answer is recorded on POST, so mail scanners that follow links answer nothing."""
    try:
        invitation_id, answer = rsvp_token_read(token)
    except InvalidRsvpToken:
        invitation = None
    else:
        # The invitation of a deleted account no longer answers to the links sent to that person.
        invitation = (
            Invitation.objects.select_related("meeting__table")
            .filter(pk=invitation_id, anonymised_at__isnull=True)
            .first()
        )
    if invitation is None:
        return render(
            request, "meetings/rsvp_link_problem.html",
            {"problem": _("This answer link is not valid. Check that you copied the whole link from the e-mail.")},
            status=400,
        )
    meeting = invitation.meeting
    closed_reason = rsvp_closed_reason(meeting)
    if closed_reason:
        return render(
            request, "meetings/rsvp_link_problem.html", {"problem": closed_reason, "meeting": meeting}, status=410
        )
    existing = rsvp_of(invitation)
    initial = {"response": answer, "note": existing.note if existing else ""}
    form = RsvpForm(request.POST or None, meeting=meeting, initial=initial)
    saved = None
    if request.method == "POST" and form.is_valid():
        # Signed in as the invitee: link the invitation to the account (see rsvp_record).
        same_person = request.user.is_authenticated and request.user.email.lower() == invitation.email
        user = request.user if same_person else None
        try:
            saved = rsvp_record(
                invitation=invitation, response=form.cleaned_data["response"], note=form.cleaned_data["note"], user=user
            )
        except ValidationError as error:
            add_service_errors(form, error)
    data = MeetingMailData(meeting)
    return render(
        request,
        "meetings/rsvp_link.html",
        {
            **data.shared_context(show_link=True),
            "invitation": invitation,
            "form": form,
            "saved": saved,
            "saved_message": _rsvp_message(saved) if saved else "",
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
