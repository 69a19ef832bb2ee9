"""Pages after the meeting, "my meetings", statistics and calendar feeds.

Appended to ``meetings.urls`` (which gives them the ``meetings`` namespace); no app_name here.
"""

from django.urls import path

from meetings import feed_views, records_views

urlpatterns = [
    path("mine/", records_views.my_meetings, name="mine"),
    path("<int:pk>/attendance/", records_views.attendance, name="attendance"),
    path("<int:pk>/minutes/", records_views.minutes_detail, name="minutes"),
    path("<int:pk>/minutes/edit/", records_views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/close/", records_views.close, name="close"),
    path("action-items/<int:pk>/status/", records_views.action_item_status, name="action_item_status"),
    path("tables/<int:table_id>/minutes/", records_views.table_minutes, name="table_minutes"),
    path("tables/<int:table_id>/statistics/", records_views.statistics, name="table_statistics"),
    path("tables/<int:table_id>/statistics.csv", records_views.statistics_csv, name="table_statistics_csv"),
    path("tables/<int:table_id>/feed.ics", feed_views.table_feed, name="feed_table"),
    path("feed/reset/", feed_views.feed_reset, name="feed_reset"),
    path("feed/<str:token>.ics", feed_views.personal_feed, name="feed_personal"),
]
