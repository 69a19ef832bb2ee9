from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kumppanuus.csv import streaming_csv_response
from kumppanuus.forms import add_service_errors
from kumppanuus.http import redirect_next
from organisations.filters import DirectoryFilter
from organisations.forms import DecisionForm, JoinForm, MembershipRoleForm, OrganisationForm
from organisations.models import Membership
from organisations.selectors import (
    directory_queryset,
    export_queryset,
    home_counts,
    organisation_get_for_user,
    organisation_history_page,
    organisation_join_search,
    organisation_member_page,
    review_queue_for_user,
    review_queue_sections,
)
from organisations.services import (
    membership_decide,
    membership_remove,
    membership_request,
    membership_set_role,
    organisation_decide_eligibility,
    organisation_register,
    organisation_update,
)


def home(request):
    """The site's front page: what the service is, and how many organisations it lists (wired in kumppanuus/urls.py)."""
    return render(request, "organisations/home.html", {"counts": home_counts()})


def directory(request):
    filterset = DirectoryFilter(request.GET, queryset=directory_queryset())
    queryset = filterset.qs if filterset.is_valid() else directory_queryset().none()
    page = Paginator(queryset, settings.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/directory.html",
        {
            "filter": filterset,
            "page": page,
            "query_string": query.urlencode(),
            "can_export": request.user.has_perm("organisations.export_directory"),
        },
    )


def directory_export(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("organisations.export_directory"):
        raise PermissionDenied
    filterset = DirectoryFilter(request.GET, queryset=directory_queryset())
    if not filterset.is_valid():
        queryset = directory_queryset().none()
    else:
        queryset = export_queryset(filterset.qs)
    header = [
        _("Name"), _("Kind"), _("Business ID"), _("Association register number"),
        _("Wellbeing services county"), _("Website"), _("E-mail"), _("Phone"),
    ]
    # iterator() streams rows from the database instead of loading them all.
    rows = (
        [
            organisation.name,
            organisation.get_kind_display(),
            organisation.business_id or "",
            organisation.register_number,
            organisation.welfare_area.name,
            organisation.website,
            organisation.email,
            organisation.phone,
        ]
        for organisation in queryset.iterator(chunk_size=500)
    )
    return streaming_csv_response(
        filename=f"organisations-{timezone.localdate().isoformat()}.csv", header=header, rows=rows
    )


def detail(request, pk: int):
    organisation = organisation_get_for_user(user=request.user, pk=pk)
    can_manage = request.user.has_perm("organisations.change_organisation", organisation)
    context = {
        "organisation": organisation,
        "can_edit": can_manage,
        "can_decide": request.user.has_perm("organisations.decide_eligibility", organisation),
        "can_view_members": request.user.has_perm("organisations.view_members", organisation),
        "can_view_history": request.user.has_perm("organisations.view_history", organisation),
        "can_join": request.user.has_perm("organisations.request_membership", organisation),
        # The representation page is in meetings (it counts meetings); linked by its URL name.
        "can_view_representation": request.user.has_perm("organisations.view_representation", organisation),
        "decision_form": DecisionForm(),
    }
    if context["can_view_members"]:
        context["members_page"] = organisation_member_page(organisation, request.GET.get("page"))
    return render(request, "organisations/detail.html", context)


@login_required
def history(request, pk: int):
    """The organisation's eligibility decisions (or, with ?all=1, every change), for its county's coordinators."""
    organisation = organisation_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.view_history", organisation):
        raise PermissionDenied
    everything = request.GET.get("all") == "1"
    return render(
        request,
        "organisations/history.html",
        {
            "organisation": organisation,
            "everything": everything,
            "page": organisation_history_page(organisation, everything=everything, page_number=request.GET.get("page")),
            "query_string": "all=1" if everything else "",
        },
    )


@login_required
def register(request):
    form = OrganisationForm(request.POST or None, submit_label=_("Register organisation"))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_register(
                actor=request.user,
                themes=form.cleaned_data["themes"],
                municipalities=form.cleaned_data["municipalities"],
                **form.profile_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was registered. A coordinator will review it; you will get an e-mail.")
                % {"name": organisation.name},
            )
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/register.html", {"form": form})


@login_required
def edit(request, pk: int):
    organisation = organisation_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=request.user,
                organisation=organisation,
                data=form.profile_data(),
                themes=form.cleaned_data["themes"],
                municipalities=form.cleaned_data["municipalities"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation's details were saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
def join(request):
    """Finding an organisation to join: a search of the approved ones (GET ``q``), each with a button
    that opens the request form for it (GET ``organisation``); POST sends the request."""
    chosen = None
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            try:
                membership_request(
                    user=request.user, organisation=organisation, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("You asked to join %(name)s. You will get an e-mail when your request is decided.")
                    % {"name": organisation.name},
                )
                return redirect("dashboard")
        chosen = form.cleaned_data.get("organisation")
    else:
        form = JoinForm()
        wanted = request.GET.get("organisation", "")
        if wanted.isdecimal() and len(wanted) <= 9:
            try:
                chosen = organisation_get_for_user(user=request.user, pk=int(wanted))
            except Http404:
                chosen = None  # unknown or not visible to this person: the search, as without a choice
            else:
                form = JoinForm(initial={"organisation": str(chosen.pk)})
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query and chosen is None:
        page = Paginator(organisation_join_search(user=request.user, query=query), settings.DIRECTORY_PAGE_SIZE)
        page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/join.html",
        {
            "form": form,
            "chosen": chosen,
            "can_join_chosen": chosen is not None and request.user.has_perm("organisations.request_membership", chosen),
            "q": query,
            "page": page,
            "query_string": urlencode({"q": query}),
        },
    )


@login_required
def review_queue(request):
    if not request.user.has_perm("organisations.view_review_queue"):
        raise PermissionDenied
    queue = review_queue_for_user(request.user)
    context = {
        # Each item has its own form; auto_id keeps the field ids unique on the page.
        "organisations": [(o, DecisionForm(auto_id=f"org-{o.pk}-%s")) for o in queue["organisations"]],
        "memberships": [(m, DecisionForm(auto_id=f"membership-{m.pk}-%s")) for m in queue["memberships"]],
    }
    # The tables app adds the requests for standing membership.
    context.update(review_queue_sections(request.user))
    return render(request, "organisations/review_queue.html", context)


@login_required
@require_POST
def decide_eligibility(request, pk: int):
    organisation = organisation_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.decide_eligibility", organisation):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            organisation_decide_eligibility(
                actor=request.user, organisation=organisation, approve=form.approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("%(name)s was approved.") % {"name": organisation.name})
            else:
                messages.success(request, _("%(name)s was rejected.") % {"name": organisation.name})
            return redirect_next(request, "organisations:review_queue")
    return render(
        request,
        "organisations/decide.html",
        {"form": form, "subject": organisation, "action": request.path},
        status=400,
    )


@login_required
@require_POST
def decide_membership(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not request.user.has_perm("organisations.decide_membership", membership):
        # The same answer for "does not exist" and "not yours".
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            membership_decide(
                actor=request.user, membership=membership, approve=form.approve, reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request of %(person)s was decided.") % {"person": membership.user})
            return redirect_next(request, "organisations:review_queue")
    return render(
        request,
        "organisations/decide.html",
        {"form": form, "subject": membership, "action": request.path},
        status=400,
    )


@login_required
@require_POST
def set_member_role(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not request.user.has_perm("organisations.view_members", membership.organisation):
        raise Http404
    form = MembershipRoleForm(request.POST, instance=Membership(role=membership.role))
    if form.is_valid():
        try:
            membership_set_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role of %(person)s was changed.") % {"person": membership.user})
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("organisations:detail", pk=membership.organisation_id)


@login_required
def remove_member(request, pk: int):
    """GET asks for confirmation; POST removes the member from the organisation."""
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not request.user.has_perm("organisations.remove_member", membership):
        # The same answer for "does not exist" and "not yours".
        raise Http404
    if request.method == "POST":
        try:
            membership_remove(actor=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(person)s is no longer a member of %(name)s.")
                % {"person": membership.user, "name": membership.organisation.name},
            )
        return redirect("organisations:detail", pk=membership.organisation_id)
    return render(request, "organisations/remove_member.html", {"membership": membership})
