"""An organisation's representation on its tables, and a coordinator's overview of the standing
organisations that miss their tables' meetings (meetings/selectors/representation.py).

They live in ``meetings`` because they count meetings; the organisation page links to them by
URL name only (organisations sits on a lower floor).
"""

from django.shortcuts import render

from meetings.selectors.representation import organisation_representation, representation_overview
from meetings.views._access import _found, check, signed_in_first
from organisations.selectors import organisation_get_for_user


@signed_in_first
def organisation(request, pk: int):
    """The tables the organisation sits on, its representatives there and its attendance: for its
    members, its county's coordinators and admins (organisations.view_representation)."""
    found = _found(request, lambda: organisation_get_for_user(user=request.user, pk=pk))
    check(request, found, "organisations.view_representation")
    return render(
        request,
        "meetings/representation/organisation.html",
        {"organisation": found, "representation": organisation_representation(organisation=found)},
    )


@signed_in_first
def overview(request):
    """The standing organisations of the coordinator's counties that missed most of their meetings."""
    check(request, None, "organisations.view_representation_overview")
    show_all = request.GET.get("show") == "all"
    return render(
        request,
        "meetings/representation/overview.html",
        {
            "overview": representation_overview(
                user=request.user, page_number=request.GET.get("page"), show_all=show_all
            ),
            "query_string": "show=all" if show_all else "",
        },
    )
