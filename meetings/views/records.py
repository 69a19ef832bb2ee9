"""Pages after the meeting: attendance, minutes (writing, reading, a table's list), closing the
meeting, and action items. Each view checks permission, binds a form, calls one service and
redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kumppanuus.forms import add_service_errors
from kumppanuus.http import redirect_next
from meetings.forms import (
    ActionItemStatusForm,
    CloseMeetingForm,
    MinutesForm,
    action_item_formset,
    attendance_formset,
    decision_formset,
    follow_up_formset,
)
from meetings.forms.actions import FOLLOW_UP_PREFIX
from meetings.ical import HELSINKI
from meetings.markdown import render_markdown
from meetings.models import Meeting
from meetings.selectors import (
    action_item_get_for_user,
    attendance_rows,
    meeting_follow_ups,
    minutes_detail_context,
    minutes_follow_up_rows,
    minutes_form_context,
    table_published_minutes,
)
from meetings.services.records import action_item_set_status, attendance_record, meeting_close, minutes_save
from meetings.views._access import form_status, meeting_for, signed_in_first, table_for

MINUTES_PAGE_SIZE = 20


# --- Attendance -----------------------------------------------------------------


@signed_in_first
def attendance(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.record_attendance")
    rows, organisation_choices, anonymous_count = attendance_rows(meeting)
    formset = attendance_formset(
        rows=rows, organisation_choices=organisation_choices, data=request.POST if request.method == "POST" else None
    )
    service_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            attendance_record(actor=request.user, meeting=meeting, entries=formset.entries())
        except ValidationError as error:
            service_errors = error.messages
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    status = 400 if service_errors else form_status(request, formset)
    return render(
        request,
        "meetings/records/attendance.html",
        {
            "meeting": meeting,
            "table": meeting.table,
            "formset": formset,
            "rows": list(zip(rows, formset.forms, strict=False)),
            "anonymous_count": anonymous_count,
            "service_errors": service_errors,
        },
        status=status,
    )


# --- Minutes --------------------------------------------------------------------


def _minutes_forms(request, meeting: Meeting, context: dict):
    data = request.POST if request.method == "POST" else None
    minutes = context["minutes"]
    form = MinutesForm(data, initial={"body_markdown": minutes.body_markdown if minutes else ""})
    decisions = decision_formset(decisions=context["decisions"], data=data)
    items = action_item_formset(
        action_items=context["action_items"],
        people_choices=context["people_choices"],
        organisation_choices=context["organisation_choices"],
        data=data,
    )
    # A post without the open items' part (a page from before there was one) decides nothing about them.
    posted = data is not None and f"{FOLLOW_UP_PREFIX}-TOTAL_FORMS" in data
    follow_ups = follow_up_formset(rows=context["follow_up_rows"], data=data if posted else None)
    return form, decisions, items, follow_ups


@signed_in_first
def minutes_edit(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.record_minutes")
    context = minutes_form_context(meeting)
    context["follow_up_rows"] = minutes_follow_up_rows(meeting)
    form, decisions, items, follow_ups = _minutes_forms(request, meeting, context)
    service_errors: list[str] = []
    forms_valid = all(
        [form.is_valid(), decisions.is_valid(), items.is_valid(), not follow_ups.is_bound or follow_ups.is_valid()]
    )
    if request.method == "POST" and forms_valid:
        publish = "publish" in request.POST
        try:
            minutes_save(
                actor=request.user,
                meeting=meeting,
                body_markdown=form.cleaned_data["body_markdown"],
                decisions=decisions.entries(),
                action_items=items.entries(),
                follow_ups=follow_ups.entries() if follow_ups.is_bound else None,
                publish=publish,
            )
        except ValidationError as error:
            service_errors = error.messages
        else:
            if publish:
                messages.success(request, _("The minutes were saved and published."))
            else:
                messages.success(request, _("The minutes were saved."))
            return redirect("meetings:minutes", pk=meeting.pk)
    bound = [follow_ups] if follow_ups.is_bound else []
    status = 400 if service_errors else form_status(request, form, decisions, items, *bound)
    return render(
        request,
        "meetings/records/minutes_form.html",
        {
            "meeting": meeting,
            "table": meeting.table,
            "form": form,
            "decision_formset": decisions,
            "action_item_formset": items,
            "follow_up_formset": follow_ups,
            "follow_up_rows": list(zip(context["follow_up_rows"], follow_ups.forms, strict=False)),
            "agenda": context["agenda"],
            "minutes": context["minutes"],
            "service_errors": service_errors,
        },
        status=status,
    )


@signed_in_first
def minutes_detail(request, pk: int):
    """The minutes, for whoever may see the meeting once they are published; printable."""
    user = request.user
    meeting = meeting_for(request, pk, None)
    if not user.has_perm("meetings.view_minutes", meeting):
        raise Http404
    context = minutes_detail_context(meeting, user)
    minutes = context["minutes"]
    context.update(
        {
            "meeting": meeting,
            "table": meeting.table,
            "body_html": render_markdown(minutes.body_markdown) if minutes else "",
            "follow_ups": meeting_follow_ups(meeting),
            "can_edit": user.has_perm("meetings.record_minutes", meeting),
        }
    )
    return render(request, "meetings/records/minutes_detail.html", context)


@signed_in_first
def table_minutes(request, table_id: int):
    """All published minutes of a table, newest first."""
    table = table_for(request, table_id)
    page = Paginator(table_published_minutes(table), MINUTES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/records/table_minutes.html", {"table": table, "page": page})


# --- Closing --------------------------------------------------------------------


@signed_in_first
def close(request, pk: int):
    meeting = meeting_for(request, pk, "meetings.close_meeting")
    form = CloseMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            next_meeting = meeting_close(actor=request.user, meeting=meeting, next_starts_at=form.next_starts_at())
        except ValidationError as error:
            if hasattr(error, "error_dict") and "next_starts_at" in error.error_dict:
                form.add_error("next_date", error.error_dict.pop("next_starts_at"))
            if not hasattr(error, "error_dict") or error.error_dict:
                add_service_errors(form, error)
        else:
            local = next_meeting.starts_at.astimezone(HELSINKI)
            messages.success(
                request,
                _("The meeting was closed. The next meeting, %(date)s at %(time)s, was created as a draft.")
                % {"date": date_format(local, "DATE_FORMAT"), "time": time_format(local, "TIME_FORMAT")},
            )
            if request.user.has_perm("meetings.view_meeting", next_meeting):
                return redirect("meetings:detail", pk=next_meeting.pk)
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/records/close.html",
        {"meeting": meeting, "table": meeting.table, "form": form},
        status=form_status(request, form),
    )


# --- Action items ---------------------------------------------------------------


@login_required
@require_POST
def action_item_status(request, pk: int):
    item = action_item_get_for_user(user=request.user, pk=pk)
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
    else:
        try:
            action_item_set_status(actor=request.user, action_item=item, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action item was updated."))
    return redirect_next(request, "meetings:mine")
