from django.urls import path

from meetings.views import (
    actions,
    agenda,
    county_statistics,
    dashboard,
    feeds,
    invitations,
    meetings,
    records,
    representation,
    statistics,
)

app_name = "meetings"

urlpatterns = [
    # The meeting itself
    path("new/", meetings.create, name="create"),
    path("table/<int:table_id>/", meetings.table_meetings, name="table_meetings"),
    path("<int:pk>/", meetings.detail, name="detail"),
    path("<int:pk>/meeting.ics", meetings.calendar_file, name="ics"),
    path("<int:pk>/edit/", meetings.edit, name="edit"),
    path("<int:pk>/schedule/", meetings.schedule, name="schedule"),
    path("<int:pk>/cancel/", meetings.cancel, name="cancel"),
    path("<int:pk>/delete/", meetings.delete, name="delete"),
    path("<int:pk>/copy/", meetings.copy, name="copy"),
    # Invitations and answers
    path("<int:pk>/invitees/", invitations.add_invitees, name="add_invitees"),
    path("<int:pk>/invitations/retry/", invitations.retry_failed, name="retry_failed"),
    path("<int:pk>/attendees.csv", invitations.attendees_csv, name="attendees_csv"),
    path("<int:pk>/rsvp/", invitations.rsvp, name="rsvp"),
    path("<int:pk>/invitation-request/", invitations.invitation_request, name="invitation_request"),
    path("invitation-requests/<int:pk>/decide/", invitations.invitation_request_decide,
         name="invitation_request_decide"),
    path("rsvp/<str:token>/", invitations.rsvp_link, name="rsvp_link"),
    # The agenda
    path("<int:pk>/agenda/add/", agenda.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/propose/", agenda.agenda_propose, name="agenda_propose"),
    path("agenda/<int:item_pk>/decide/", agenda.agenda_decide, name="agenda_decide"),
    path("agenda/<int:item_pk>/move/", agenda.agenda_move, name="agenda_move"),
    path("agenda/<int:item_pk>/edit/", agenda.agenda_edit, name="agenda_edit"),
    path("agenda/<int:item_pk>/delete/", agenda.agenda_delete, name="agenda_delete"),
    # After the meeting
    path("<int:pk>/attendance/", records.attendance, name="attendance"),
    path("<int:pk>/minutes/", records.minutes_detail, name="minutes"),
    path("<int:pk>/minutes/edit/", records.minutes_edit, name="minutes_edit"),
    path("<int:pk>/close/", records.close, name="close"),
    path("action-items/<int:pk>/status/", records.action_item_status, name="action_item_status"),
    path("tables/<int:table_id>/minutes/", records.table_minutes, name="table_minutes"),
    # Following action items between meetings
    path("tables/<int:table_id>/actions/", actions.table_actions, name="table_actions"),
    path("action-items/to-reassign/", actions.to_reassign, name="actions_to_reassign"),
    path("action-items/<int:pk>/reassign/", actions.reassign, name="action_item_reassign"),
    # The member's own meetings
    path("mine/", dashboard.my_meetings, name="mine"),
    # Statistics
    path("tables/<int:table_id>/statistics/", statistics.statistics, name="table_statistics"),
    path("tables/<int:table_id>/statistics.csv", statistics.statistics_csv, name="table_statistics_csv"),
    path("areas/<int:area_id>/statistics/", county_statistics.county_statistics_page, name="county_statistics"),
    path(
        "areas/<int:area_id>/statistics/<slug:section>.csv",
        county_statistics.county_statistics_csv,
        name="county_statistics_csv",
    ),
    # Organisations' representation on their tables (their attendance), and the county's overview
    path("organisations/<int:pk>/representation/", representation.organisation, name="representation"),
    path("representation/", representation.overview, name="representation_overview"),
    # Calendar feeds
    path("tables/<int:table_id>/feed.ics", feeds.table_feed, name="feed_table"),
    path("feed/reset/", feeds.feed_reset, name="feed_reset"),
    path("feed/<str:token>.ics", feeds.personal_feed, name="feed_personal"),
]
