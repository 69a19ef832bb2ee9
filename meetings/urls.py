from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("new/", views.create, name="create"),
    path("table/<int:table_id>/", views.table_meetings, name="table_meetings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/meeting.ics", views.calendar_file, name="ics"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/invitees/", views.add_invitees, name="add_invitees"),
    path("<int:pk>/invitations/retry/", views.retry_failed, name="retry_failed"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/propose/", views.agenda_propose, name="agenda_propose"),
    path("agenda/<int:item_pk>/decide/", views.agenda_decide, name="agenda_decide"),
    path("agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("rsvp/<str:token>/", views.rsvp_link, name="rsvp_link"),
]

from meetings.urls_records import urlpatterns as records_urlpatterns  # noqa: E402

urlpatterns += records_urlpatterns
