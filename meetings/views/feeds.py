"""Calendar subscription feeds: a person's private feed (its secret is in the URL, no sign-in),
a public table's feed, and resetting the private feed's secret."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kumppanuus.mail import absolute_url
from meetings.feeds import meetings_feed
from meetings.forms import ResetFeedForm
from meetings.selectors import personal_feed_meetings, personal_feed_user, public_table_get, table_feed_meetings
from meetings.services.feeds import user_reset_calendar_token


def _calendar_response(body: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Search engines should not index a feed; a private one must not be kept by shared caches.
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    return response


@never_cache
def personal_feed(request, token: str):
    """The meetings the token's owner is invited to, online links included (they are invited)."""
    user = personal_feed_user(token)
    with translation.override(user.language):
        body = meetings_feed(
            personal_feed_meetings(user),
            name=_("My meetings – Kumppanuus"),
            include_online_link=True,
        )
    response = _calendar_response(body, filename="kumppanuus.ics", private=True)
    response["Referrer-Policy"] = "no-referrer"
    return response


def table_feed(request, table_id: int):
    """A public table's meetings for anyone; never an online link. A table that is not public: 404."""
    table = public_table_get(table_id)
    body = meetings_feed(
        table_feed_meetings(table),
        name=_("%(table)s – Kumppanuus") % {"table": table.name},
        include_online_link=False,
    )
    return _calendar_response(body, filename=f"table-{table.pk}.ics", private=False)


@login_required
def feed_reset(request):
    """Shows the private feed address and, after confirmation, replaces it with a new one."""
    form = ResetFeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_reset_calendar_token(user=request.user)
        messages.success(request, _("Your calendar feed has a new address. The old address no longer works."))
        return redirect("meetings:feed_reset")
    feed_url = absolute_url(reverse("meetings:feed_personal", args=[request.user.calendar_token]))
    return render(
        request,
        "meetings/records/feed_reset.html",
        {"form": form, "feed_url": feed_url},
        status=400 if request.method == "POST" else 200,
    )
