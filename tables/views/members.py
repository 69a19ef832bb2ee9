"""Standing members: adding, the requests and decisions, naming representatives, ending."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kumppanuus.forms import add_service_errors
from kumppanuus.http import redirect_next
from organisations.forms import DecisionForm
from organisations.permissions import is_org_representative
from tables import services
from tables.forms import StandingMemberAddForm, StandingMemberPeopleForm, StandingMemberRequestForm
from tables.models import StandingMember, StandingMemberStatus
from tables.selectors import (
    standing_member_requests_for_review,
    standing_members_for_management,
    table_get_for_management,
    table_get_for_user,
)
from tables.views._common import error_message


@login_required
def standing_members(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.manage_standing_members")
    form = StandingMemberAddForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.standing_member_add(
                actor=request.user, table=table, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now a standing member. Name its representative and substitute.")
                % {"name": member.organisation.name},
            )
            return redirect("tables:standing_members", pk=table.pk)
    members = standing_members_for_management(table)
    return render(
        request,
        "tables/standing_members.html",
        {
            "table": table,
            "form": form,
            "members": [
                (member, DecisionForm(auto_id=f"member-{member.pk}-%s"))
                for member in members
            ],
        },
        status=400 if form.errors else 200,
    )


def review_queue_section(user) -> dict:
    """The requests for standing membership in the coordinators' review queue (registered in
    TablesConfig.ready()), each with its decision form."""
    return {
        "standing_member_requests": [
            # auto_id keeps the field ids unique beside the queue's other forms.
            (member, DecisionForm(auto_id=f"standing-{member.pk}-%s"))
            for member in standing_member_requests_for_review(user)
        ]
    }


def _standing_member(pk: int) -> StandingMember:
    return get_object_or_404(StandingMember.objects.select_related("organisation", "table"), pk=pk)


@login_required
@require_POST
def standing_member_decide(request, pk: int):
    member = _standing_member(pk)
    table = table_get_for_management(user=request.user, pk=member.table_id,
                                     permission="tables.manage_standing_members")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.standing_member_decide(
                actor=request.user, standing_member=member, approve=form.approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("%(name)s is now a standing member.") % {"name": member.organisation.name})
            else:
                messages.success(
                    request, _("The request of %(name)s was declined.") % {"name": member.organisation.name}
                )
            # Back to the review queue when decided there.
            return redirect_next(request, "tables:standing_members", pk=table.pk)
    return render(
        request,
        "organisations/decide.html",
        {"form": form, "subject": member, "action": request.path},
        status=400,
    )


@login_required
def standing_member_edit(request, pk: int):
    """The representative and substitute: set by the table's coordinators or the organisation's representative."""
    member = _standing_member(pk)
    table = table_get_for_user(user=request.user, pk=member.table_id)
    if not (
        request.user.has_perm("tables.manage_standing_members", table)
        or is_org_representative(request.user, member.organisation)
    ):
        raise PermissionDenied
    if member.status != StandingMemberStatus.ACTIVE:
        raise Http404
    form = StandingMemberPeopleForm(
        request.POST or None,
        organisation_id=member.organisation_id,
        initial={"representative": member.representative_id, "substitute": member.substitute_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.standing_member_update(
                actor=request.user, standing_member=member, representative=form.cleaned_data["representative"],
                substitute=form.cleaned_data["substitute"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The representatives of %(name)s were saved.") % {"name": member.organisation.name}
            )
            if request.user.has_perm("tables.manage_standing_members", table):
                return redirect("tables:standing_members", pk=table.pk)
            return redirect("tables:detail", pk=table.pk)
    return render(request, "tables/standing_member_edit.html", {"form": form, "member": member, "table": table})


@login_required
def standing_member_end(request, pk: int):
    member = _standing_member(pk)
    table = table_get_for_management(user=request.user, pk=member.table_id,
                                     permission="tables.manage_standing_members")
    if request.method == "POST":
        try:
            services.standing_member_end(actor=request.user, standing_member=member)
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(
                request, _("The standing membership of %(name)s has ended.") % {"name": member.organisation.name}
            )
        return redirect("tables:standing_members", pk=table.pk)
    return render(
        request,
        "tables/confirm.html",
        {
            "table": table,
            "title": _("End the standing membership of %(name)s?") % {"name": member.organisation.name},
            "text": _("The organisation is no longer a standing member; its history is kept."),
            "button": _("End standing membership"),
            "cancel_url": "tables:standing_members",
        },
    )


@login_required
def standing_member_request(request, pk: int):
    table = table_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("tables.request_standing_membership", table):
        raise PermissionDenied
    form = StandingMemberRequestForm(request.POST or None, user=request.user, table=table)
    if request.method == "POST" and form.is_valid():
        try:
            services.standing_member_request(
                actor=request.user, table=table, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("You asked for standing membership. You will get an e-mail when a coordinator decides.")
            )
            return redirect("tables:detail", pk=table.pk)
    return render(
        request,
        "tables/request_membership.html",
        {"form": form, "table": table, "has_choices": form.fields["organisation"].queryset.exists()},
    )
