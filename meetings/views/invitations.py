"""Invitations and answers: inviting more people, sending failed invitations again, the attendee
list, and answering (signed in, or with the one-click link from the e-mail)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import is_verified_address_of
from kumppanuus.csv import streaming_csv_response
from kumppanuus.forms import add_service_errors
from meetings.emails import MeetingMailData
from meetings.forms import InviteesForm, RsvpForm
from meetings.models import Invitation, InvitationRequest, MeetingFormat
from meetings.selectors import attendee_export_rows, rsvp_of, seats_left
from meetings.services import (
    invitation_request_create,
    invitation_retry_failed,
    meeting_add_invitees,
    rsvp_closed_reason,
    rsvp_record,
    rsvp_record_for_user,
)
from meetings.services import invitation_request_decide as invitation_request_decide_service
from meetings.tokens import InvalidRsvpToken, rsvp_token_matches, rsvp_token_read
from meetings.views._access import form_status, meeting_for
from meetings.views.meetings import detail_context

# --- Inviting --------------------------------------------------------------------------


@login_required
def add_invitees(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
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
        status=form_status(request, form),
    )


@login_required
@require_POST
def retry_failed(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    count = invitation_retry_failed(actor=request.user, meeting=meeting)
    messages.success(
        request,
        ngettext("%(count)d invitation is being sent again.", "%(count)d invitations are being sent again.", count)
        % {"count": count},
    )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
def attendees_csv(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.view_registrations")
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


# --- RSVP -----------------------------------------------------------------------------


@login_required
@require_POST
def rsvp(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.view_meeting")
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
    context = detail_context(request, meeting, rsvp_form=form)
    if form.non_field_errors() and context["rsvp_form"] is None:
        # The meeting closed (cancelled, over): say why instead of the form.
        messages.error(request, " ".join(form.non_field_errors()))
    return render(request, "meetings/detail.html", context, status=400)


def _rsvp_message(answer) -> str:
    if answer.waitlisted and answer.meeting.format == MeetingFormat.HYBRID:
        return _(
            "The room is full, so you are on the waiting list for a place in it. We will e-mail you if one becomes "
            "free. You can join online instead: change your answer to “Attending online”."
        )
    if answer.waitlisted:
        return _("The meeting is full, so you are on the waiting list. We will e-mail you if a place becomes free.")
    return _("Thank you, your answer was saved: %(answer)s.") % {"answer": answer.get_response_display()}


@never_cache
def rsvp_link(request, token: str):
    """The one-click link from the e-mail: works without signing in. GET only shows the answer to
    confirm; the answer is recorded on POST, so mail scanners that follow links answer nothing."""
    try:
        invitation_id, answer, key = rsvp_token_read(token)
    except InvalidRsvpToken:
        invitation = None
    else:
        # The invitation of a deleted account no longer answers to the links sent to that person.
        invitation = (
            Invitation.objects.select_related("meeting__table")
            .filter(pk=invitation_id, anonymised_at__isnull=True)
            .first()
        )
        if invitation is not None and not rsvp_token_matches(invitation, key):
            invitation = None  # a link revoked since (the invitation has a new link key)
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
    # The person's answer stands: an old link opened again must not look as if it had changed it.
    # The link's answer is only a suggestion while there is no answer yet.
    initial = {"response": existing.response, "note": existing.note} if existing else {"response": answer, "note": ""}
    form = RsvpForm(request.POST or None, meeting=meeting, initial=initial)
    saved = None
    if request.method == "POST" and form.is_valid():
        # Signed in as the invitee: link the invitation to the account (see rsvp_record).
        same_person = request.user.is_authenticated and is_verified_address_of(request.user, invitation.email)
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
            "current": existing if not saved else None,
            "form": form,
            "saved": saved,
            "saved_message": _rsvp_message(saved) if saved else "",
            "room_full": meeting.format == MeetingFormat.HYBRID and seats_left(meeting) == 0,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


# --- Asking for an invitation ---------------------------------------------------------------------


@login_required
@require_POST
def invitation_request(request, pk: int):
    """A member of a standing organisation asks for an invitation; the coordinators decide."""
    meeting = meeting_for(request, pk, "meetings.request_invitation")
    try:
        invitation_request_create(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was sent to the table's coordinators."))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def invitation_request_decide(request, pk: int):
    asked = get_object_or_404(InvitationRequest, pk=pk)
    meeting = meeting_for(request, asked.meeting_id, "meetings.manage_meeting")
    approve = request.POST.get("approve") == "1"
    try:
        invitation_request_decide_service(actor=request.user, request=asked, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approve:
            messages.success(request, _("%(person)s is being sent an invitation.") % {"person": asked.user})
        else:
            messages.success(request, _("%(person)s was told that the request was declined.") % {"person": asked.user})
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#invitation-requests-heading")
