"""What every meeting page does first: find the meeting (or table) for the person, check the right,
and send anonymous visitors to sign in.

A signed-in person who may not see the meeting (or table) gets 404, the same answer as for one
that does not exist, so a private one is not revealed; one who may see it but not do this gets
403; an anonymous visitor is asked to sign in first.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings.models import Meeting
from meetings.selectors import meeting_get_for_user
from tables.models import PartnershipTable
from tables.selectors import table_get_for_user


class SignInFirst(Exception):
    pass


def signed_in_first(view):
    """Turns SignInFirst into the sign-in page with a way back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInFirst:
            return redirect_to_login(request.get_full_path())

    return wrapped


def check(request, obj, permission: str) -> None:
    """Raises PermissionDenied (403) for a signed-in person without the right; anonymous people sign in first."""
    if not request.user.has_perm(permission, obj):
        if not request.user.is_authenticated:
            raise SignInFirst
        raise PermissionDenied


def _found(request, get):
    try:
        return get()
    except Http404:
        if not request.user.is_authenticated:
            raise SignInFirst from None
        raise


def meeting_for(request, pk: int, permission: str | None) -> Meeting:
    """The meeting if the person may see it (else 404) and has ``permission`` on it (else 403)."""
    meeting = _found(request, lambda: meeting_get_for_user(user=request.user, pk=pk))
    if permission is not None:
        check(request, meeting, permission)
    return meeting


def table_for(request, table_id: int) -> PartnershipTable:
    """The table, with what the meetings pages show of it (its county), if the person may see it (else 404)."""
    return _found(
        request,
        lambda: table_get_for_user(
            user=request.user, pk=table_id, queryset=PartnershipTable.objects.select_related("welfare_area")
        ),
    )


def form_status(request, *forms) -> int:
    """400 when a posted form is shown again (with errors, or not filled in), so nothing looks like success."""
    if request.method == "POST" and any(not form.is_valid() for form in forms):
        return 400
    return 200
