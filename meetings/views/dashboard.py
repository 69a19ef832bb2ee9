"""The person's own pages: the workspace ("me/", the home after signing in) and "my meetings"."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from meetings.selectors import member_dashboard_context
from meetings.selectors.workspace import workspace_context


@login_required
def dashboard(request):
    """The workspace: what waits for the person and links to where each is done, the tables they
    coordinate with their next meetings, their organisations, meetings and action items."""
    return render(request, "dashboard.html", workspace_context(request.user))


@login_required
def my_meetings(request):
    return render(request, "meetings/records/my_meetings.html", member_dashboard_context(request.user))
