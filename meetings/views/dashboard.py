"""The member's own pages: the dashboard ("me/", with their organisations) and "my meetings"."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from meetings.selectors import member_dashboard_context
from organisations.selectors import memberships_for_user


@login_required
def dashboard(request):
    """A person's own page: their organisations, meetings and action items (composed from each app)."""
    context = {"memberships": list(memberships_for_user(request.user))}
    context.update(member_dashboard_context(request.user))
    return render(request, "dashboard.html", context)


@login_required
def my_meetings(request):
    return render(request, "meetings/records/my_meetings.html", member_dashboard_context(request.user))
